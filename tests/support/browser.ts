import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from './server.ts';

/** Debian's Chromium (no browser downloads here); override with CHROMIUM_PATH. */
export function chromiumPath(): string | null {
	const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	return existsSync(path) ? path : null;
}

export function launchBrowser(): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('Chromium is not installed');
	return chromium.launch({
		executablePath,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync']
	});
}

/**
 * For a describe block of browser tests: a production server with a small demo and Chromium,
 * started before the tests and stopped after them. Read `server` and `browser` inside tests.
 */
export function browserSession(env: Record<string, string> = {}) {
	const session = {} as { server: RunningServer; browser: Browser };
	beforeAll(async () => {
		[session.server, session.browser] = await Promise.all([startServer(env), launchBrowser()]);
		mkdirSync('test-results', { recursive: true });
	});
	afterAll(async () => {
		await session.browser?.close();
		await session.server?.stop();
	});
	return session;
}
