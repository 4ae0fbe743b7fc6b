import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client.ts';

export interface TestEngine {
	name: string;
	/** A fresh, migrated, empty database of this engine; dispose() removes it. */
	open(): Promise<DatabaseHandle & { dispose(): Promise<void> }>;
}

let counter = 0;

/**
 * The engines every database test runs on: PGlite always (in memory), and the PostgreSQL at
 * DATABASE_URL when it is set, each test database in a schema of its own.
 */
export const engines: TestEngine[] = [
	{
		name: 'PGlite',
		open: async () => {
			const handle = await openDatabase({ url: '', dataDir: 'memory://' });
			await handle.migrate();
			return { ...handle, dispose: () => handle.close() };
		}
	}
];

const url = process.env.DATABASE_URL;
if (url) {
	engines.push({
		name: 'PostgreSQL',
		open: async () => {
			const schemaName = `test_${process.pid}_${Date.now()}_${counter++}`;
			const handle = await openDatabase({ url, schemaName });
			await handle.migrate();
			return {
				...handle,
				dispose: async () => {
					await handle.db.execute(sql.raw(`drop schema if exists "${schemaName}" cascade`));
					await handle.close();
				}
			};
		}
	});
}
