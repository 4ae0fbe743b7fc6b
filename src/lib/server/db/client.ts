import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { closeWatch, connectionLost, guardTransactions } from './connection-loss.ts';
import * as schema from './schema/index.ts';

/** The database as domain code sees it: the same on PGlite and PostgreSQL. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
	db: Database;
	kind: 'pglite' | 'postgres';
	/** Where the data lives, for messages: a directory, or the server URL without its password. */
	location: string;
	/** Applies the committed migrations in drizzle/ (idempotent). */
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** A postgres:// URL; when absent the embedded database is used. */
	url?: string;
	/** PGlite data directory, or 'memory://' for a throwaway database. */
	dataDir?: string;
	migrationsFolder?: string;
	/**
	 * PGlite in memory: start from this copy of a data directory (PGlite's `dumpDataDir`) instead
	 * of creating one. The database tests open each of their databases from one migrated copy:
	 * creating a database takes PGlite about 2 s, loading a copy about 0.5 s.
	 */
	loadDataDir?: Blob;
	/**
	 * PGlite: its buffer cache, PostgreSQL's `shared_buffers` ('32MB'; PGlite's own default is
	 * 128MB). A command that streams one file through needs little of it: `yardstick import`
	 * takes 32MB, and a 100,000-row import then runs as fast and keeps about 110 MB less resident.
	 */
	sharedBuffers?: string;
	/**
	 * PostgreSQL: called once when a connection closes that this process did not close (the backend
	 * terminated, a failover, a restart). The server then opens a new pool: a connection of the old
	 * one may still hold the lost session's error for the next query given to it.
	 */
	onLost?: () => void;
}

export const defaultDataDir = () => path.resolve(process.env.YARDSTICK_DATA_DIR ?? 'data');
/**
 * The migrations: YARDSTICK_MIGRATIONS, else ./drizzle (the server runs from the checkout), else
 * the checkout this file is in (a `yardstick` command run from another folder).
 */
const defaultMigrationsFolder = () => {
	if (process.env.YARDSTICK_MIGRATIONS) return path.resolve(process.env.YARDSTICK_MIGRATIONS);
	const here = path.resolve('drizzle');
	if (existsSync(path.join(here, 'meta', '_journal.json'))) return here;
	return fileURLToPath(new URL('../../../../drizzle', import.meta.url));
};
const casing = 'snake_case' as const;

/** DATABASE_URL when set, otherwise the embedded database under ./data. */
export function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
	const url = options.url ?? process.env.DATABASE_URL;
	return url ? openPostgres(url, options) : openPglite(options);
}

async function openPostgres(url: string, options: OpenOptions): Promise<DatabaseHandle> {
	outliveLostTypeQueries();
	const closes = closeWatch();
	let ending = false;
	let lost = false;
	const client = guardTransactions(
		postgres(url, {
			max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
			onnotice: () => {},
			onclose: (connectionId) => {
				closes.onclose(connectionId);
				if (!ending && !lost && options.onLost) {
					lost = true;
					options.onLost();
				}
			},
			connect_timeout: 5,
			// Connections are closed only by us or by the server going away, so a close means a loss.
			max_lifetime: null,
			idle_timeout: 0,
			// Read by postgres.js (its README: "fn returning custom socket to use"), left out of its types.
			...{ socket: connectionSockets() }
		}),
		closes
	);
	const db = drizzlePostgres(client, { schema, casing }) as unknown as Database;
	const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
	return {
		db,
		kind: 'postgres',
		location: redact(url),
		migrate: () => migratePostgres(drizzlePostgres(client, { casing }), { migrationsFolder }),
		close: () => {
			ending = true;
			return client.end({ timeout: 5 });
		}
	};
}

/**
 * The first statement on a new postgres.js connection asks for the array types, and postgres.js
 * 3.4.9 drops that query's promise (porsager/postgres#1192, #1223). A connection lost during it
 * (PostgreSQL restarting or failing over, which is when connections are new) rejects a promise no
 * code can catch, and Node ends the process: the server, an import half way. Such a rejection, a
 * postgres.js query's error saying the connection was lost, is logged instead; any other is thrown
 * on and ends the process as before. `connectionSockets` keeps the window small: only a pool's first connections ask.
 */
function outliveLostTypeQueries(): void {
	if (process.listeners('unhandledRejection').includes(logLostConnection)) return;
	process.on('unhandledRejection', logLostConnection);
}

function logLostConnection(reason: unknown): void {
	// postgres.js gives an error it fails a query with that query's text (`query`): not some other socket's reset.
	const fromQuery = typeof reason === 'object' && reason !== null && 'query' in reason;
	if (!fromQuery || !connectionLost(reason)) throw reason;
	console.error(`A database connection was lost while it opened: ${rootMessage(reason) ?? 'no reason given'}`);
}

/** What postgres.js hands the socket factory: the client's options, shared by all its connections. */
interface SocketOptions {
	host: string[];
	port: number[];
	path: string | false;
	fetch_types: boolean;
	shared: { typeArrayMap: Record<number, number> };
}

/**
 * Each connection's socket, with Nagle's algorithm off (postgres.js leaves it on). With it on, the
 * few bytes that end a COPY wait until the server has acknowledged the data before them, and the
 * server delays that acknowledgement: 40 ms a COPY, 8 of the 23 s of re-importing a million rows
 * in batches of 5,000. The hosts of a multi-host URL are tried in turn, as postgres.js does.
 *
 * A connection asks for the array types only until one of its pool has them (postgres.js asks on
 * every new connection, which is what a restart or failover makes: see `outliveLostTypeQueries`).
 * The types found are kept in the options the pool's connections share, so arrays still parse.
 */
function connectionSockets(): (options: SocketOptions) => Socket {
	let attempt = 0;
	return (options) => {
		if (Object.keys(options.shared.typeArrayMap).length > 0) options.fetch_types = false;
		const { host, port, path: unixPath } = options;
		const socket = new Socket();
		socket.setNoDelay(true);
		if (unixPath) return socket.connect(unixPath);
		const i = attempt++ % host.length;
		// Named in postgres.js's connection errors ("write CONNECTION_CLOSED host:port").
		return Object.assign(socket.connect(port[i] ?? 5432, host[i] ?? 'localhost'), { host: host[i], port: port[i] });
	};
}

async function openPglite(options: OpenOptions): Promise<DatabaseHandle> {
	const dataDir = options.dataDir ?? defaultDataDir();
	const inMemory = dataDir.startsWith('memory://');
	let releaseLock = () => {};
	if (!inMemory) {
		mkdirSync(dataDir, { recursive: true });
		releaseLock = lockDataDir(dataDir);
	}
	let client: PGlite;
	try {
		client = await PGlite.create(inMemory ? dataDir : path.join(dataDir, 'pglite'), {
			...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
			...(options.sharedBuffers ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers}`] } : {})
		});
	} catch (error) {
		releaseLock();
		throw error;
	}
	const db = drizzlePglite(client, { schema, casing }) as unknown as Database;
	const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
	return {
		db,
		kind: 'pglite',
		location: dataDir,
		migrate: () => migratePglite(drizzlePglite(client, { casing }), { migrationsFolder }),
		close: async () => {
			await client.close();
			releaseLock();
		}
	};
}

/**
 * PGlite takes no lock on its directory, and two processes opening it corrupt it
 * (electric-sql/pglite#1106). Take an exclusive pid file; a stale one (dead pid) is replaced.
 */
function lockDataDir(dataDir: string): () => void {
	const lockFile = path.join(dataDir, 'yardstick.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(lockFile, 'wx');
			writeFileSync(fd, String(process.pid));
			closeSync(fd);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				try {
					unlinkSync(lockFile);
				} catch {
					// already gone
				}
			};
			process.once('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const holder = Number(readFileSync(lockFile, 'utf8'));
			if (holder && holder !== process.pid && isAlive(holder)) {
				throw new Error(
					`The embedded database in ${dataDir} is in use by process ${holder}. ` +
						'Stop that process (e.g. the running server) first, or set DATABASE_URL to use PostgreSQL.'
				);
			}
			unlinkSync(lockFile);
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}

/** Whether a process with this pid runs on this machine. */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The driver's own error under drizzle's wrapping (whose message quotes the SQL). */
export function rootError(error: unknown): { code?: string; message?: string } {
	let root = error as { code?: string; message?: string; cause?: unknown };
	while (root?.cause && typeof root.cause === 'object') root = root.cause as typeof root;
	return root ?? {};
}

/** The driver's message, unless it is drizzle's "Failed query: <the SQL>". */
export function rootMessage(error: unknown): string | null {
	const { message } = rootError(error);
	return message && !/^Failed query/.test(message) ? message : null;
}

/**
 * What stopped a connection to the database `where` (a redacted URL), fit for an operator, never
 * credentials or SQL; null when the error is not about reaching the database.
 */
export function connectionProblem(error: unknown, where: string): string | null {
	switch (rootError(error).code) {
		case 'ECONNREFUSED':
			return `Cannot connect to ${where}: connection refused. Is PostgreSQL running?`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `Cannot connect to ${where}: host not found.`;
		case 'CONNECT_TIMEOUT':
		case 'ETIMEDOUT':
			return `Cannot connect to ${where}: no answer in time.`;
		case '28P01':
		case '28000':
			return `Cannot connect to ${where}: authentication failed.`;
		case '3D000':
			return `Cannot connect to ${where}: the database does not exist.`;
	}
	return null;
}

/** DATABASE_URL with its password hidden, for messages and logs. */
export function redact(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'DATABASE_URL';
	}
}

/** Rows of a raw query, whichever driver ran it (postgres.js returns an array, PGlite { rows }). */
export async function rows<T = Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Rows changed in one go above which the planner's statistics are refreshed. */
export const ANALYZE_AFTER_ROWS = 5000;

/**
 * Refreshes the planner's statistics after a bulk change. PGlite has no autovacuum, so without
 * this a freshly loaded table keeps "empty" statistics and a dashboard query can pick a plan that
 * runs for minutes; on PostgreSQL it saves waiting for autovacuum.
 */
export async function refreshStatistics(db: Database, tables: readonly ('contacts' | 'contact_events' | 'assessments' | 'canvass_properties' | 'register_changes')[] = []): Promise<void> {
	await db.execute(tables.length ? sql.raw(`analyze ${tables.join(', ')}`) : sql`analyze`);
}

/** A timestamptz column as epoch milliseconds (float8), for JS-side arithmetic on instants. */
export const epochMs = (column: string): SQL => sql.raw(epochMsText(column));
/** The same as text, for a statement built without parameters (copyOut). */
export const epochMsText = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8`;

/** An epochMs value read back as a Date (null stays null): the same on both drivers, no date parsing. */
export const fromEpochMs = (ms: number | null): Date | null => (ms === null ? null : new Date(Number(ms)));

/** Batch writes a database takes at once: PostgreSQL several (its pool), PGlite one (its single connection). */
export function writeConcurrency(db: Database): number {
	return typeof (db as unknown as { $client?: unknown }).$client === 'function' ? 3 : 1;
}

/** The postgres.js connection under a transaction, for COPY; PGlite has none. */
export type CopyClient = Pick<postgres.Sql, 'unsafe'>;

/** The postgres.js client a drizzle transaction runs on, or null on PGlite (which has no COPY FROM STDIN). */
export function copyClient(tx: Database): CopyClient | null {
	const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
	return typeof client === 'function' && typeof (client as Partial<CopyClient>).unsafe === 'function' ? (client as unknown as CopyClient) : null;
}

/** The PGlite instance (or transaction) under a drizzle database on PGlite: for what drizzle does not offer (COPY with a blob). */
const pgliteClient = (db: Database) => (db as unknown as { session: { client: Pick<PGlite, 'query'> } }).session.client;

/**
 * Copies COPY text (tab-separated, \N for null) into `target` (a table and its columns) within the
 * transaction, and waits until the database has taken it: through `copy … from stdin` on
 * PostgreSQL; on PGlite, which has no COPY from the client, through `copy … from '/dev/blob'` with
 * the text as the statement's blob (a 100,000-row import staged in 1.2 s there, where one JSON
 * parameter a batch took 3.4 s).
 */
export async function copyRows(tx: Database, target: string, text: Uint8Array): Promise<void> {
	const copy = copyClient(tx);
	if (copy) return copyIn(copy, `copy ${target} from stdin`, text);
	await pgliteClient(tx).query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([text as Uint8Array<ArrayBuffer>]) });
}

/**
 * Runs `work` in a transaction of its own over a temporary table `table` filled by COPY: rows that
 * statements read as a table rather than as parameters. `columns` gives each column's type, in the
 * order of the texts' fields (COPY text, as `copyRows` takes it; one COPY a text). The table is
 * dropped after `work` (it would be at commit), so a caller's own transaction can fill another.
 */
export async function withCopiedRows<T>(
	db: Database,
	table: string,
	columns: Readonly<Record<string, string>>,
	texts: Iterable<Uint8Array>,
	work: (tx: Database) => Promise<T>
): Promise<T> {
	return db.transaction(async (tx) => {
		await tx.execute(sql.raw(`create temp table ${table} (${Object.entries(columns).map(([name, type]) => `${name} ${type}`).join(', ')}) on commit drop`));
		const target = `${table} (${Object.keys(columns).join(', ')})`;
		for (const text of texts) await copyRows(tx, target, text);
		const result = await work(tx);
		await tx.execute(sql.raw(`drop table ${table}`));
		return result;
	});
}

/**
 * The rows of `query` as COPY text (tab-separated, \N for null, a line a row): `copy (…) to stdout`
 * on PostgreSQL, `copy (…) to '/dev/blob'` on PGlite. The query takes no parameters: its values
 * are written into it, and only numbers may be. On PGlite it reads rows in a quarter of the time
 * of a query's result (100,000 contacts: 0.24 s, not 1.0 s).
 */
export async function copyOut(db: Database, query: string): Promise<string> {
	const copy = copyClient(db);
	if (copy) {
		const chunks: Buffer[] = [];
		const stream = (await copy.unsafe(`copy (${query}) to stdout`).readable()) as Readable;
		try {
			for await (const chunk of stream) chunks.push(chunk as Buffer);
		} finally {
			// postgres.js pauses the connection's socket when the stream's buffer is full, and only the
			// stream's _read resumes it. When the COPY's last message came in the same read, the stream
			// ends without asking, the socket stays paused, and the connection's next query waits for
			// ever (porsager/postgres#499; the fix, PR #1016, is not released). Resumed here.
			stream._read(0);
		}
		return Buffer.concat(chunks).toString('utf8');
	}
	const result = await pgliteClient(db).query(`copy (${query}) to '/dev/blob'`);
	return result.blob ? result.blob.text() : '';
}

/**
 * Sends `text` through `copy … from stdin` on the transaction's connection and waits until the
 * server has taken it.
 */
export async function copyIn(copy: CopyClient, statement: string, text: string | Uint8Array): Promise<void> {
	const stream = await openCopy(copy, statement);
	await stream.write(text);
	await stream.end();
}

/** A `copy … from stdin` left open while text is written to it. */
export interface CopyStream {
	/** Sends text; waits only while the connection has more queued than it can take. */
	write(text: string | Uint8Array): Promise<void>;
	/** Ends the COPY and waits until the server has taken everything, or refused it. */
	end(): Promise<void>;
}

/**
 * Opens `copy … from stdin` on the transaction's connection. postgres.js never settles a COPY the
 * server refuses after its last byte (porsager/postgres#1173), so a statement queued right behind
 * it settles it instead: it fails, in the now aborted transaction, exactly when the COPY did. The
 * server's own reason reaches the COPY's query object only (already settled by then), so it is
 * caught there. A connection lost on the way fails the next write or the end.
 */
export async function openCopy(copy: CopyClient, statement: string): Promise<CopyStream> {
	const refusal = (error: unknown) => new Error('the database refused the rows copied to it', { cause: error });
	const query = copy.unsafe(statement) as ReturnType<CopyClient['unsafe']> & { reject?: (error: unknown) => void };
	let serverError: unknown = null;
	const settle = query.reject;
	if (settle) query.reject = (error) => ((serverError = error), settle(error));
	const writable = (await query.writable()) as Writable & { _final: NonNullable<Writable['_final']> };
	const final = writable._final;
	const refused = new Promise<never>((_, reject) => {
		writable._final = function (this: Writable, callback) {
			final.call(this, callback);
			copy.unsafe('select 1').then(
				() => {},
				(error: unknown) => reject(refusal(serverError ?? error))
			);
		};
	});
	refused.catch(() => {});
	const done = new Promise<void>((resolve, reject) =>
		writable
			.once('finish', resolve)
			.once('error', (error) => reject(refusal(error)))
			.once('close', () => reject(refusal(new Error('the connection closed during COPY'))))
	);
	done.catch(() => {});
	return {
		async write(text) {
			// Refused part way (a simple-query COPY is refused at once): the rest would be thrown away.
			if (serverError) throw refusal(serverError);
			if (writable.destroyed) return done;
			if (!writable.write(text)) await Promise.race([once(writable, 'drain'), done]);
		},
		async end() {
			writable.end();
			await Promise.race([done, refused]);
		}
	};
}

/**
 * COPY text written line by line into one growing buffer. Built as one string instead, a batch's
 * text is a rope of its thousands of pieces, all alive until it is sent, so every young-generation
 * collection on the way copies them again: most of the garbage collector's time in an import.
 * Here each line is a short-lived string and the text itself lies outside the JavaScript heap.
 */
export class CopyLines {
	#buffer = Buffer.allocUnsafe(256 * 1024);
	#length = 0;

	/** Adds one line (its own newline included). */
	add(line: string): void {
		// At most 3 bytes a UTF-16 unit in UTF-8.
		if (this.#buffer.length - this.#length < line.length * 3) {
			const larger = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + line.length * 3));
			this.#buffer.copy(larger, 0, 0, this.#length);
			this.#buffer = larger;
		}
		this.#length += this.#buffer.write(line, this.#length);
	}

	/** The text so far, as bytes to send. */
	bytes(): Uint8Array {
		return this.#buffer.subarray(0, this.#length);
	}
}

/**
 * Lets the event loop answer waiting requests. PGlite runs in this thread and its calls resolve
 * without returning to the event loop, so a long job (loading the demo, scoring every contact)
 * calls this between batches; otherwise the server could not answer, not even its holding page.
 */
export function yieldToRequests(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}
