import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';

export interface TestEngine {
	name: string;
	/** A fresh, migrated, empty database of this engine; dispose() removes it. */
	open(): Promise<DatabaseHandle & { dispose(): Promise<void> }>;
}

/** The migrated copy the db project's set-up saved (tests/db/global-setup.ts), read once per test file. */
let migrated: Blob | undefined;
function migratedCopy(): Blob | undefined {
	const file = inject('pgliteMigrated');
	if (file && !migrated) migrated = new Blob([readFileSync(file)]);
	return migrated;
}

/**
 * The engines every database test runs on: PGlite (in memory; not with YARDSTICK_TEST_ENGINES=postgres), and the PostgreSQL at
 * DATABASE_URL when it is set, each test database created for the test and dropped after it.
 */
const pgliteEngine: TestEngine[] = [
	{
		name: 'PGlite',
		open: async () => {
			const handle = await openDatabase({ url: '', dataDir: 'memory://', loadDataDir: migratedCopy() });
			await handle.migrate();
			return { ...handle, dispose: () => handle.close() };
		}
	}
];

// YARDSTICK_TEST_ENGINES=postgres runs PostgreSQL alone (CI's second pass, after a PGlite pass).
export const engines: TestEngine[] = process.env.YARDSTICK_TEST_ENGINES === 'postgres' ? [] : pgliteEngine;

const url = process.env.DATABASE_URL;
if (url) {
	engines.push({
		name: 'PostgreSQL',
		open: async () => {
			const scratch = await createScratchDatabase(url, 'yardstick_test');
			const handle = await openDatabase({ url: scratch.url });
			await handle.migrate();
			return {
				...handle,
				dispose: async () => {
					await handle.close();
					await scratch.drop();
				}
			};
		}
	});
}

/** Resolves once a statement of this PostgreSQL database waits on a lock (another transaction holds what it needs). */
export async function someoneWaitsOnALock(db: Database): Promise<void> {
	for (let waited = 0; ; waited += 50) {
		const [waiting] = await rows<{ n: number }>(db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
		if (Number(waiting!.n) > 0) return;
		if (waited > 10_000) throw new Error('no statement waited on a lock');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** A promise and the function that resolves it: one transaction tells another it has got so far. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}
