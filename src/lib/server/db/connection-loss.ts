/**
 * Keeps a lost PostgreSQL connection from ending the process.
 *
 * postgres.js (3.4.9, the latest) pins a transaction to one connection. When that connection
 * closes (the backend terminated, a failover, PostgreSQL restarted), it rejects the transaction,
 * but any statement sent to the transaction afterwards is still handed to the closed connection,
 * which schedules the write with setImmediate and then calls `socket.write` on the socket it has
 * already set to null: an uncaught TypeError at `nextWrite` that no caller can catch
 * (porsager/postgres#1154, #1208). The statement can be ours (the import's next COPY or query) or
 * postgres.js's own: the ROLLBACK it sends when the transaction's function throws, the COMMIT
 * when it returns.
 *
 * So every transaction (and savepoint) on PostgreSQL runs through `guardTransactions`:
 * - once its connection is known to be lost, a statement sent to it is refused with that error
 *   instead of reaching postgres.js;
 * - a statement sent in the very turn of the event loop in which some connection closed waits for
 *   the turn to end, by which time the transaction knows whether the closed one was its own;
 * - when its function settles after the loss, the outcome is dropped (the promise never settles),
 *   so postgres.js sends no ROLLBACK or COMMIT to the dead connection. The server has rolled the
 *   transaction back already, and the caller has had the loss as the transaction's rejection.
 */
import type postgres from 'postgres';

/** Connections closing, as postgres.js reports them (its `onclose` option, called as they close). */
export interface CloseWatch {
	/** Pass as postgres.js's `onclose`. */
	onclose(connectionId: number): void;
	/** Resolves once no connection has closed in the current turn of the event loop. */
	settled(): Promise<void> | null;
}

export function closeWatch(): CloseWatch {
	let closing = 0;
	return {
		onclose() {
			closing++;
			// Every reaction to the close (the transaction's rejection among them) runs before this.
			setImmediate(() => closing--);
		},
		settled: () => (closing > 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : null)
	};
}

/** A transaction's knowledge of its connection. */
interface Transaction {
	lost: unknown;
}

type Sql = postgres.Sql;
type Fn = (sql: postgres.TransactionSql) => unknown;

/** Wraps `client.begin` (in place) so that no transaction writes to a connection that has gone. */
export function guardTransactions(client: Sql, closes: CloseWatch): Sql {
	const begin = client.begin.bind(client) as (options: string, fn: Fn) => Promise<unknown>;
	const guardedBegin = (optionsOrFn: string | Fn, maybeFn?: Fn) => {
		const [options, fn] = typeof optionsOrFn === 'function' ? ['', optionsOrFn] : [optionsOrFn, maybeFn!];
		const transaction: Transaction = { lost: null };
		const outcome = begin(options, (tx) => settleSafely(closes, transaction, () => fn(guard(tx, closes, transaction))));
		// Before its function has settled, the transaction only rejects because its connection closed.
		outcome.catch((error: unknown) => (transaction.lost ??= error));
		return outcome;
	};
	(client as unknown as { begin: typeof guardedBegin }).begin = guardedBegin;
	return client;
}

/** Runs the transaction's function; after a loss its outcome is never passed on to postgres.js. */
async function settleSafely(closes: CloseWatch, transaction: Transaction, run: () => unknown): Promise<unknown> {
	let outcome: { value: unknown } | { error: unknown };
	try {
		outcome = { value: await run() };
	} catch (error) {
		outcome = { error };
	}
	await closes.settled();
	if (transaction.lost) return new Promise(() => {});
	if ('error' in outcome) throw outcome.error;
	return outcome.value;
}

/** The transaction's `sql`, refusing statements once its connection is lost. */
function guard(tx: postgres.TransactionSql, closes: CloseWatch, transaction: Transaction): postgres.TransactionSql {
	const send = <T>(make: () => T): T => {
		if (transaction.lost) return refused(transaction.lost) as T;
		const wait = closes.settled();
		return wait ? (deferred(wait, transaction, make) as T) : make();
	};
	return new Proxy(tx, {
		apply: (target, self, args) => send(() => Reflect.apply(target, self, args)),
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (property === 'unsafe') return (...args: unknown[]) => send(() => (value as (...a: unknown[]) => unknown).apply(target, args));
			if (property === 'savepoint') {
				return (nameOrFn: string | Fn, maybeFn?: Fn) => {
					const [name, fn] = typeof nameOrFn === 'function' ? [undefined, nameOrFn] : [nameOrFn, maybeFn!];
					const inner = (sp: postgres.TransactionSql) => settleSafely(closes, transaction, () => fn(guard(sp, closes, transaction)));
					return send(() => (name === undefined ? target.savepoint(inner) : target.savepoint(name, inner)));
				};
			}
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

/** What a refused statement looks like to its caller: a rejected query. */
function refused(error: unknown) {
	const rejection = Promise.reject(error);
	rejection.catch(() => {});
	const query = Object.assign(rejection, {
		values: () => query,
		writable: () => rejection,
		execute: () => query
	});
	return query;
}

/** A statement held until the current turn's closes are known, then sent or refused. */
function deferred(wait: Promise<void>, transaction: Transaction, make: () => unknown) {
	const shapes: ((query: { values(): unknown }) => unknown)[] = [];
	let started: Promise<unknown> | null = null;
	const start = () =>
		(started ??= wait.then(() => {
			if (transaction.lost) throw transaction.lost;
			return shapes.reduce<unknown>((query, shape) => shape(query as { values(): unknown }), make());
		}));
	const query = {
		values() {
			shapes.push((q) => q.values());
			return query;
		},
		execute: () => query,
		writable: () => start().then((q) => (q as { writable(): Promise<unknown> }).writable()),
		then: <A, B>(onValue?: (value: unknown) => A, onError?: (error: unknown) => B) => start().then(onValue, onError),
		catch: <B>(onError: (error: unknown) => B) => start().catch(onError),
		finally: (onFinally: () => void) => start().finally(onFinally)
	};
	return query;
}

/** postgres.js's and Node's codes for a connection that went away, and PostgreSQL's for a session it ended. */
const LOST = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03']);

/** Whether an error (or any error it wraps) says the database connection was lost. */
export function connectionLost(error: unknown): boolean {
	for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 10; e = e.cause as typeof e, depth++) {
		if (typeof e.code === 'string' && LOST.has(e.code)) return true;
	}
	return false;
}
