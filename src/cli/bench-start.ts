/**
 * The first `npm start` (#19, #21): `node src/cli/serve.js` on a new embedded data directory (the
 * app already built), timed from the process starting until /health answers 200: the database
 * created and migrated, the whole demo seeded and scored. The server's own lines say how long
 * seeding and scoring took.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './bench-dashboard.ts';
import { buildNeeded } from './build-needed.js';

const n = (value: number) => Math.round(value).toLocaleString('en-GB');

export async function benchFirstStart(): Promise<void> {
	// The build a first start after `npm install` makes (about half a minute) is not what this measures.
	const reason = buildNeeded(process.cwd());
	if (reason) {
		console.log(`Building the app first (${reason})…`);
		execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	}
	const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-bench-start-'));
	try {
		console.log('\nFirst `npm start` on a new embedded database (`node src/cli/serve.js`, the app already built): from the process starting until /health answers 200\n');
		console.log('| contacts seeded | seeding (scoring included) | of which scoring | until ready | peak RSS |');
		console.log('|---:|---:|---:|---:|---:|');
		const server = await startServer({ DATABASE_URL: '', YARDSTICK_DATA_DIR: dir }, 'src/cli/serve.js');
		const peak = server.peakRssMb();
		const output = server.output();
		await server.stop();
		const contacts = /contacts: ([\d,]+) \(with/.exec(output)?.[1] ?? '?';
		const seeding = /Demo data loaded in ([\d.]+) s/.exec(output)?.[1];
		const scoring = /Scored [\d,]+ contacts .* in ([\d.]+) s/.exec(output)?.[1];
		console.log(`| ${contacts} | ${seeding ?? '?'} s | ${scoring ?? '?'} s | ${server.seconds.toFixed(1)} s | ${n(peak)} MB |`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
