import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { chromiumPath } from '../support/browser.ts';
import { startServer } from '../support/server.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** An embedded database directory with the demo seeded and scored, copied by startServer. */
		seededDataDir: string;
	}
}

/**
 * Builds the production server once for every end-to-end test, seeds the demo once into a data
 * directory each server starts from a copy of, and says loudly what is skipped.
 */
export default async function setup(project: TestProject) {
	execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	if (!existsSync('build/index.js')) throw new Error('vite build did not produce build/index.js');
	if (!chromiumPath()) {
		const message = 'Chromium not found at /usr/bin/chromium: BROWSER TESTS ARE SKIPPED. Install it with `apt-get install -y chromium`.';
		if (process.env.YARDSTICK_REQUIRE_BROWSER) throw new Error(message.replace('ARE SKIPPED', 'CANNOT RUN'));
		console.warn(`\n${'!'.repeat(100)}\n  ${message}\n${'!'.repeat(100)}\n`);
	}
	const seeded = mkdtempSync(path.join(tmpdir(), 'yardstick-e2e-seeded-'));
	const server = await startServer({}, { dataDir: seeded, fresh: true });
	await server.stop();
	project.provide('seededDataDir', seeded);
	return () => rmSync(seeded, { recursive: true, force: true });
}
