import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from '../support/browser.ts';

/** Builds the production server once for every end-to-end test, and says loudly what is skipped. */
export default function setup() {
	execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	if (!existsSync('build/index.js')) throw new Error('vite build did not produce build/index.js');
	if (!chromiumPath()) {
		const message = 'Chromium not found at /usr/bin/chromium: BROWSER TESTS ARE SKIPPED. Install it with `apt-get install -y chromium`.';
		if (process.env.YARDSTICK_REQUIRE_BROWSER) throw new Error(message.replace('ARE SKIPPED', 'CANNOT RUN'));
		console.warn(`\n${'!'.repeat(100)}\n  ${message}\n${'!'.repeat(100)}\n`);
	}
}
