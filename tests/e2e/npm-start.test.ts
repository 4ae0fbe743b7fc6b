import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIn } from '../support/auth.ts';
import { chromiumPath, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

// `npm start` with no ORIGIN, as the README's first command runs it: signing in posts a form over
// plain http, which SvelteKit refuses as cross-site when it takes the server to be https.
describe.skipIf(!chromiumPath())('npm start without ORIGIN', () => {
	let server: RunningServer;
	let browser: Browser;
	beforeAll(async () => {
		[server, browser] = await Promise.all([startServer({ ORIGIN: '' }, { entry: 'src/cli/serve.js' }), launchBrowser()]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('says where to open it, and lets a person sign in there', async () => {
		expect(server.output()).toContain(`Open ${server.url} (set ORIGIN to serve Yardstick at another address).`);
		const page = await browser.newPage();
		await signIn(page, server.url, 'manager');
		expect(new URL(page.url()).pathname).toBe('/');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Are we keeping our promises?');
		await page.close();
	});
});
