import { sql } from 'drizzle-orm';
import { openDatabase, type Database, type DatabaseHandle } from './client.ts';
import { seedIfEmpty } from '../seed/index.ts';

export { openDatabase, rows, type Database, type DatabaseHandle } from './client.ts';

/**
 * The server process's one database connection: opened, migrated and (when empty) seeded on
 * first use. Kept on globalThis so a dev-server reload never opens a second PGlite instance.
 * A failed start is forgotten, so the next request tries again (e.g. after PostgreSQL comes up).
 */
interface AppDatabase {
	handle?: DatabaseHandle;
	ready?: Promise<DatabaseHandle>;
}
const state: AppDatabase = ((globalThis as { __yardstickDatabase?: AppDatabase }).__yardstickDatabase ??= {});

export class DatabaseUnavailableError extends Error {}

export async function database(): Promise<Database> {
	return (await ready()).db;
}

export function ready(): Promise<DatabaseHandle> {
	state.ready ??= start().catch((error: unknown) => {
		state.ready = undefined;
		throw new DatabaseUnavailableError(describe(error), { cause: error });
	});
	return state.ready;
}

async function start(): Promise<DatabaseHandle> {
	const handle = (state.handle ??= await openDatabase());
	await handle.migrate();
	if (process.env.YARDSTICK_SEED !== 'off') {
		await seedIfEmpty(handle.db, { log: (line) => console.log(line) });
	}
	return handle;
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
	const code = (error as { code?: string }).code;
	const where = state.handle?.location ?? 'the database';
	if (code === 'ECONNREFUSED') return `Cannot connect to ${where}: connection refused. Is PostgreSQL running?`;
	if (code === 'ENOTFOUND') return `Cannot connect to ${where}: host not found.`;
	if (code === '28P01' || code === '28000') return `Cannot connect to ${where}: authentication failed.`;
	if (code === '3D000') return `Cannot connect to ${where}: the database does not exist.`;
	const message = error instanceof Error ? error.message : String(error);
	return `Database unavailable (${where}): ${message}`;
}
