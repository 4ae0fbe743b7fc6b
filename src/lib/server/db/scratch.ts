import postgres from 'postgres';

/**
 * A throwaway database on the same PostgreSQL server as `url` (for tests and benchmarks, which
 * must never touch the real one). The migrations name the public schema, so isolation is by
 * database, not by schema.
 */
export async function createScratchDatabase(url: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	const scratch = new URL(url);
	scratch.pathname = `/${name}`;
	return {
		url: scratch.toString(),
		drop: async () => {
			const cleaner = postgres(url, { max: 1, onnotice: () => {} });
			try {
				await cleaner.unsafe(`drop database if exists "${name}" with (force)`);
			} finally {
				await cleaner.end();
			}
		}
	};
}
