import { sql } from 'drizzle-orm';
import { connectionProblem, openDatabase, rootMessage, rows, type Database, type DatabaseHandle } from './db/client.ts';
import { seedIfEmpty } from './seed/index.ts';
import { publishDemoReports } from './seed/publish.ts';
import * as assessments from './assessments/index.ts';
import * as ingest from './ingest/index.ts';

export { openDatabase, rows, type Database, type DatabaseHandle } from './db/client.ts';

/**
 * The server process's one database connection: opened, migrated and (when empty) seeded on
 * first use. Kept on globalThis so a dev-server reload never opens a second PGlite instance.
 * A failed start is forgotten, so the next request tries again (e.g. after PostgreSQL comes up).
 */
interface AppDatabase {
	handle?: DatabaseHandle;
	ready?: Promise<DatabaseHandle>;
	/** Set while a start runs: what it is doing now, for the holding page and /health. */
	starting?: string;
	/** Pools given up after a lost connection, still finishing the work begun on them. */
	retired?: Set<DatabaseHandle>;
}
const state: AppDatabase = ((globalThis as { __yardstickDatabase?: AppDatabase }).__yardstickDatabase ??= {});

export class DatabaseUnavailableError extends Error {}

/**
 * Closes the connection (PGlite flushes and releases its directory), and any pools given up after a
 * lost connection: their sockets would otherwise keep a stopping server alive. The next use reopens.
 */
export async function close(): Promise<void> {
	const handle = state.handle;
	state.handle = undefined;
	state.ready = undefined;
	const retired = [...(state.retired ?? [])];
	state.retired?.clear();
	await Promise.all([handle?.close(), ...retired.map((old) => old.close())]);
}

export async function database(): Promise<Database> {
	return (await ready()).db;
}

export function ready(): Promise<DatabaseHandle> {
	state.ready ??= start()
		.catch((error: unknown) => {
			throw new DatabaseUnavailableError(describe(error), { cause: error });
		})
		.finally(() => (state.starting = undefined))
		.catch((error: unknown) => {
			state.ready = undefined;
			throw error;
		});
	return state.ready;
}

/** What the first start is doing now (opening, migrating, loading the demo, scoring), or undefined once it has finished. */
export function starting(): string | undefined {
	return state.starting;
}

/**
 * After a lost PostgreSQL connection (a failover, a restart, a terminated session): the next
 * request opens a new pool; the old one is closed a minute later, when the work begun on it is done.
 */
function forget(handle: DatabaseHandle): void {
	if (state.handle !== handle) return;
	console.error('A database connection was lost: opening new connections for the next request.');
	state.handle = undefined;
	state.ready = undefined;
	// Work begun on the old pool (an import recording why it failed) may still use it for a while.
	const retired = (state.retired ??= new Set());
	retired.add(handle);
	setTimeout(() => {
		if (retired.delete(handle)) handle.close().catch((cause) => console.error(`Closing the lost connections: ${(cause as Error).message}`));
	}, 60_000).unref();
}

async function start(): Promise<DatabaseHandle> {
	let phase = '';
	const log = (line: string) => {
		// Indented lines are steps of the current phase; the others say it all themselves.
		state.starting = /^\s/.test(line) ? `${phase}${line.trim()}` : line;
		console.log(line);
	};
	state.starting = 'Opening the database';
	const handle = (state.handle ??= await openDatabase({ onLost: () => forget(handle) }));
	state.starting = 'Bringing the database up to date';
	await handle.migrate();
	// Imports a previous server (or a killed `yardstick import`) left running are failed, with why.
	const abandoned = await ingest.failAbandoned(handle.db);
	if (abandoned.length) console.log(`Marked ${abandoned.length === 1 ? 'import' : 'imports'} ${abandoned.join(', ')} as stopped: the process running ${abandoned.length === 1 ? 'it' : 'them'} had gone.`);
	let seeded = false;
	if (process.env.YARDSTICK_SEED !== 'off') {
		phase = 'Loading the demo data: ';
		seeded = null !== await seedIfEmpty(handle.db, {
			// A smaller demo for tests and quick trials; the full demo otherwise.
			contacts: optionalCount('YARDSTICK_SEED_CONTACTS'),
			properties: optionalCount('YARDSTICK_SEED_PROPERTIES'),
			log
		});
	}
	// Score the demo just seeded, or contacts left unscored (a start interrupted while scoring).
	if (await needsScoring(handle.db)) {
		phase = 'Checking every contact against its standard: ';
		state.starting = `${phase}starting`;
		const summary = await assessments.scoreAll(handle.db, {
			onProgress: assessments.progressLines(log)
		});
		log(assessments.describeSummary(summary));
	}
	// The committee's Reports page is not empty in the demo: its last half-year report is published.
	if (seeded) {
		phase = '';
		const published = await publishDemoReports(handle.db);
		if (published.length) log(`Published the demo's last committee ${published.length === 1 ? 'report' : 'reports'}: ${published.join(', ')}.`);
	}
	return handle;
}

/** Contacts but no assessments at all: nothing has been scored yet. */
async function needsScoring(db: Database): Promise<boolean> {
	const [row] = await rows<{ contacts: boolean; assessments: boolean }>(
		db,
		sql`select exists (select 1 from contacts) as contacts, exists (select 1 from assessments) as assessments`
	);
	return Boolean(row?.contacts) && !row?.assessments;
}

function optionalCount(name: string): number | undefined {
	const text = process.env[name];
	if (!text) return undefined;
	const value = Number(text);
	if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not '${text}'`);
	return value;
}

export type Health = { database: 'ok' } | { database: 'unavailable'; message: string };

/** Whether the database answers now, within a few seconds; never throws. */
export async function health(timeoutMs = 3000): Promise<Health> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
	});
	try {
		const handle = await Promise.race([ready(), timeout]);
		await Promise.race([handle.db.execute(sql`select 1`), timeout]);
		return { database: 'ok' };
	} catch (error) {
		return { database: 'unavailable', message: describe(error) };
	} finally {
		clearTimeout(timer);
	}
}

/** A message fit for an operator: what failed, never credentials or SQL. */
function describe(error: unknown): string {
	if (error instanceof DatabaseUnavailableError) return error.message;
	const where = state.handle?.location ?? 'the database';
	return connectionProblem(error, where) ?? `Database unavailable (${where}): ${rootMessage(error) ?? 'it did not answer as expected'}`;
}
