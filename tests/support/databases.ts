import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';

export interface TestEngine {
	name: string;
	/** A fresh, migrated, empty database of this engine; dispose() removes it. */
	open(): Promise<DatabaseHandle & { dispose(): Promise<void> }>;
}

/**
 * The engines every database test runs on: PGlite always (in memory), and the PostgreSQL at
 * DATABASE_URL when it is set, each test database created for the test and dropped after it.
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
