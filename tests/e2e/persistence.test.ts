import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signInCookie } from '../support/auth.ts';
import { startServer } from '../support/server.ts';

describe('the embedded database directory', () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'yardstick-persist-'));
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	// The page as the manager sees it, without the per-response CSP nonces.
	const homePage = async (url: string) => (await (await fetch(url, { headers: { cookie: await signInCookie(url, 'manager') } })).text()).replaceAll(/nonce="[^"]*"/g, '');

	it('keeps the data across a restart, and re-seeds after it is deleted', async () => {
		const first = await startServer({}, { dataDir });
		const before = await homePage(first.url);
		await first.stop();
		expect(first.output()).toMatch(/Empty database: loading the demo data/);

		const second = await startServer({}, { dataDir });
		const after = await homePage(second.url);
		await second.stop();
		expect(second.output()).not.toMatch(/Empty database/);
		expect(after).toContain('Lindenshire County Council');
		expect(after).toEqual(before);

		rmSync(dataDir, { recursive: true, force: true });
		const third = await startServer({}, { dataDir });
		const reseeded = await homePage(third.url);
		await third.stop();
		expect(third.output()).toMatch(/Empty database: loading the demo data/);
		expect(reseeded).toContain('Lindenshire County Council');
	}, 400_000);

	it('refuses to open a directory another running process holds, rather than corrupting it', async () => {
		const server = await startServer({}, { dataDir });
		try {
			const { openDatabase } = await import('../../src/lib/server/db/client.ts');
			await expect(openDatabase({ url: '', dataDir })).rejects.toThrow(/in use by process \d+/);
		} finally {
			await server.stop();
		}
	});
});
