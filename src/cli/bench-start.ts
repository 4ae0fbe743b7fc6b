/**
 * The first `npm start` (#19, #21): `node src/cli/serve.js` on a new embedded data directory (the
 * app built beforehand, not timed), timed from the process starting until /health answers 200:
 * the database created and migrated, the whole demo seeded and scored. The server's own lines say
 * how long seeding and scoring took.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './bench-dashboard.ts';

const n = (value: number) => Math.round(value).toLocaleString('en-GB');

export async function benchFirstStart(): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-bench-start-'));
	try {
		const server = await startServer({ DATABASE_URL: '', YARDSTICK_DATA_DIR: dir }, 'src/cli/serve.js');
		const peak = server.peakRssMb();
		const output = server.output();
		await server.stop();
		const contacts = /contacts: ([\d,]+) \(with/.exec(output)?.[1] ?? '?';
		const seeding = /Demo data loaded in ([\d.]+) s/.exec(output)?.[1];
		const scoring = /Scored [\d,]+ contacts .* in ([\d.]+) s/.exec(output)?.[1];
		console.log('\nFirst `npm start` on a new embedded database (`node src/cli/serve.js`, the app already built): from the process starting until /health answers 200\n');
		console.log('| contacts seeded | seeding (scoring included) | of which scoring | until ready | peak RSS |');
		console.log('|---:|---:|---:|---:|---:|');
		console.log(`| ${contacts} | ${seeding ?? '?'} s | ${scoring ?? '?'} s | ${server.seconds.toFixed(1)} s | ${n(peak)} MB |`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
