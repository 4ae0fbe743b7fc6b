import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIn } from '../support/auth.ts';
import { axeViolations } from '../support/axe.ts';
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

// Started as `npm start` is on a laptop (HOST not naming an address: localhost here, so the test
// still listens on loopback only), then opened at 127.0.0.1 rather than the address it printed.
describe.skipIf(!chromiumPath())('npm start opened at 127.0.0.1 instead of localhost', () => {
	let server: RunningServer;
	let browser: Browser;
	beforeAll(async () => {
		[server, browser] = await Promise.all([startServer({ ORIGIN: '', HOST: 'localhost' }, { entry: 'src/cli/serve.js' }), launchBrowser()]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('sends the browser to the localhost address, where signing in works', async () => {
		const local = server.url.replace('127.0.0.1', 'localhost');
		expect(server.output()).toContain(`Open ${local} (set ORIGIN`);
		const page = await fetch(`${server.url}/sign-in`, { redirect: 'manual', headers: { accept: 'text/html' } });
		expect(page.status).toBe(308);
		expect(page.headers.get('location')).toBe(`${local}/sign-in`);
		// A script asking for data at 127.0.0.1 is answered there.
		expect((await fetch(`${server.url}/health`, { redirect: 'manual' })).status).toBe(200);

		const tab = await browser.newPage();
		await signIn(tab, server.url, 'manager');
		expect(tab.url()).toBe(`${local}/`);
		expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe('Are we keeping our promises?');
		await tab.close();
	});
});

// The first `npm start` loads the demo for a minute: the port answers at once with a page saying so,
// which opens Yardstick by itself when it is ready; a restart does not build again.
describe.skipIf(!chromiumPath())('npm start while the demo is still loading', () => {
	let server: RunningServer;
	let browser: Browser;
	beforeAll(async () => {
		[server, browser] = await Promise.all([
			startServer({ ORIGIN: '', YARDSTICK_SEED_CONTACTS: '40000' }, { entry: 'src/cli/serve.js', waitForDatabase: false }),
			launchBrowser()
		]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('answers at once with a holding page and a "starting" health check, then opens Yardstick by itself', async () => {
		const health = await fetch(`${server.url}/health`);
		expect(health.status).toBe(503);
		expect(await health.json()).toEqual({ database: 'starting', engine: 'embedded', progress: expect.any(String) });
		const api = await fetch(`${server.url}/api/v1/contacts`);
		expect(api.status).toBe(503);
		expect((await api.json()).message).toMatch(/^Yardstick is starting: /);

		const page = await browser.newPage();
		const first = await page.goto(server.url);
		expect(first?.status()).toBe(503);
		expect(first?.headers()['retry-after']).toBe('5');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Yardstick is starting');
		expect(await page.getByRole('status').textContent()).not.toBe('');
		expect(await axeViolations(page)).toEqual([]);

		// Its script (allowed by hash under the page's own policy) follows /health and reloads.
		await page.waitForURL(/\/sign-in/, { timeout: 150_000 });
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Sign in/);
		expect((await fetch(`${server.url}/health`)).status).toBe(200);
		expect(server.output()).not.toContain('Building Yardstick');
		await page.close();
	});
});
