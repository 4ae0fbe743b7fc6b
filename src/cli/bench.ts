import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../lib/server/db/client.ts';
import { createScratchDatabase } from '../lib/server/db/scratch.ts';
import { seed } from '../lib/server/seed/index.ts';

export interface BenchOptions {
	contacts: number;
}

/**
 * Performance harness (`npm run bench`). Each database gets a fresh, throwaway home: a temporary
 * PGlite directory, and a scratch database on the PostgreSQL server at DATABASE_URL.
 */
export async function bench({ contacts }: BenchOptions) {
	const targets: { name: string; open: () => Promise<{ handle: DatabaseHandle; cleanUp: () => Promise<void> }> }[] = [
		{
			name: 'PGlite (embedded)',
			open: async () => {
				const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-bench-'));
				const handle = await openDatabase({ url: '', dataDir: dir });
				return { handle, cleanUp: async () => { await handle.close(); rmSync(dir, { recursive: true, force: true }); } };
			}
		}
	];
	const url = process.env.DATABASE_URL;
	if (url) {
		targets.push({
			name: 'PostgreSQL',
			open: async () => {
				const scratch = await createScratchDatabase(url, 'yardstick_bench');
				const handle = await openDatabase({ url: scratch.url });
				return { handle, cleanUp: async () => { await handle.close(); await scratch.drop(); } };
			}
		});
	} else {
		console.log('DATABASE_URL is not set: PostgreSQL is not measured.');
	}

	console.log(`\nSeeding ${contacts.toLocaleString('en-GB')} contacts (demo generator, one transaction)\n`);
	console.log('| database | contacts | seconds | contacts/s |');
	console.log('|---|---:|---:|---:|');
	for (const target of targets) {
		const { handle, cleanUp } = await target.open();
		try {
			await handle.migrate();
			const started = performance.now();
			const summary = await seed(handle.db, { asOf: new Date('2026-11-24T12:00:00Z'), contacts });
			const seconds = (performance.now() - started) / 1000;
			console.log(`| ${target.name} | ${summary.contacts.toLocaleString('en-GB')} | ${seconds.toFixed(1)} | ${Math.round(summary.contacts / seconds).toLocaleString('en-GB')} |`);
		} finally {
			await cleanUp();
		}
	}
}
