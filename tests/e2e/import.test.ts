import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn, signInCookie } from '../support/auth.ts';
import { chromiumPath, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const fixture = (name: string) => path.resolve('tests/fixtures/ingest', name);
const viewports = [
	{ name: 'desktop', width: 1280, height: 900 },
	{ name: 'mobile', width: 375, height: 800 }
];
// adapter-node takes 512 KB bodies unless told otherwise; the page takes files up to 200 MB.
const serverEnv = { BODY_SIZE_LIMIT: '201M' };

async function upload(page: Page, url: string, file: string | null, kind = 'detect') {
	await page.goto(`${url}/import`);
	if (file) await page.setInputFiles('#file', file);
	await page.check(`#kind-${kind}`);
	await page.getByRole('button', { name: 'Upload and check' }).click();
	await page.waitForLoadState('load');
}

async function noHorizontalScroll(page: Page, width: number) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

describe.skipIf(!chromiumPath())('the /import page in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let scratch: string;
	beforeAll(async () => {
		[server, browser] = await Promise.all([startServer(serverEnv), launchBrowser()]);
		mkdirSync('test-results', { recursive: true });
		scratch = mkdtempSync(path.join(tmpdir(), 'yardstick-import-e2e-'));
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		if (scratch) rmSync(scratch, { recursive: true, force: true });
	});

	for (const viewport of viewports) {
		it(`asks for a file and a kind, previews it and explains bad files, with no accessibility violations (${viewport.name})`, async () => {
			const page = await browser.newPage({ viewport });
			await signIn(page, server.url, 'manager');
			await page.goto(`${server.url}/import`);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Import contacts');
			// The navigation marks the page (on a phone behind the Menu button, so read whether shown or not).
			expect(await page.locator('nav[aria-label="Menu"] a[href="/import"]').getAttribute('aria-current')).toBeTruthy();
			await noHorizontalScroll(page, viewport.width);
			await page.screenshot({ path: `test-results/import-form-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);

			await upload(page, server.url, fixture('missing-columns.csv'));
			expect(await page.getByRole('alert').textContent()).toMatch(/The file missing-columns\.csv cannot be imported: row 1: .*type/);
			expect(await page.title()).toMatch(/^Error: /);
			expect(await page.locator('#file-error').textContent()).toMatch(/cannot be imported/);
			await noHorizontalScroll(page, viewport.width);
			await page.screenshot({ path: `test-results/import-error-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);

			await upload(page, server.url, fixture('bad-types.csv'));
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check the file before you import it');
			const facts = await page.locator('.govuk-summary-list').textContent();
			expect(facts).toMatch(/bad-types\.csv/);
			expect(facts).toMatch(/Contact log \(CSV\)\s*\(worked out from the file\)/);
			expect(facts).toMatch(/UTF-8/);
			expect(await page.getByRole('table', { name: /Which column/ }).locator('tbody tr').count()).toBe(15);
			expect(await page.locator('.app-rejections li').first().textContent()).toBe("Row 2: type 'emial' is not one of phone, callback, message, email, letter, complaint, info, sar, foi, registration, absent-vote, enquiry, governance, meeting, dp-complaint");
			expect(await page.locator('.app-rejections li').count()).toBe(7);
			expect(await page.getByRole('table', { name: /first rows/ }).locator('tbody tr').count()).toBe(1);
			await noHorizontalScroll(page, viewport.width);
			await page.screenshot({ path: `test-results/import-preview-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.getByRole('button', { name: 'Cancel and choose another file' }).click();
			await page.waitForURL(/\/import$/);
			await page.close();
		});
	}

	it('imports a previewed file, sums it up, offers the rejected rows as CSV, and changes nothing the second time', async () => {
		for (const [round, expected] of [
			[1, { read: '8', accepted: '1', updated: '0', unchanged: '0', skipped: '0', rejected: '7' }],
			[2, { read: '8', accepted: '0', updated: '0', unchanged: '1', skipped: '0', rejected: '7' }]
		] as const) {
			const page = await browser.newPage({ viewport: round === 1 ? viewports[0] : viewports[1] });
			await signIn(page, server.url, 'manager');
			await upload(page, server.url, fixture('bad-types.csv'), 'contacts');
			expect(await page.locator('.govuk-summary-list').textContent()).toMatch(/as chosen/);
			await page.getByRole('button', { name: 'Import the file' }).click();
			await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor({ timeout: 60_000 });
			const counts = Object.fromEntries(
				await page.locator('.app-counts .govuk-summary-list__row').evaluateAll((rows) =>
					rows.map((row) => [row.querySelector('dt')!.textContent!.trim().split(' ')[0]!.toLowerCase(), row.querySelector('.app-count')!.textContent!.trim()])
				)
			);
			expect(counts).toEqual({ rows: expected.read, accepted: expected.accepted, updated: expected.updated, unchanged: expected.unchanged, skipped: expected.skipped, rejected: expected.rejected });
			expect(await page.locator('.app-rejections li').nth(1).textContent()).toBe("Row 3: wait_seconds 'abc' is not a whole number of seconds");
			await noHorizontalScroll(page, page.viewportSize()!.width);
			await page.screenshot({ path: `test-results/import-summary-${round === 1 ? 'desktop' : 'mobile'}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);

			const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download the 7 rejected rows/ }).click()]);
			expect(download.suggestedFilename()).toMatch(/^rejected-rows-import-\d+\.csv$/);
			const lines = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
			expect(lines[0]).toBe('reference,organisation,service,type,received,responded,wait_seconds,abandoned,team,row,reason');
			expect(lines).toHaveLength(8);
			expect(lines[1]).toMatch(/^T1,county,customer,emial,.*,2,"type 'emial' is not one of /);
			await page.close();
		}
	});

	it('shows streamed progress while a large file imports, then the summary without a reload', async () => {
		const rows = 80_000;
		const file = path.join(scratch, 'large-log.csv');
		const lines = ['reference,organisation,service,type,received,responded,team'];
		for (let i = 1; i <= rows; i++) lines.push(`BIG-${i},county,customer,email,2025-0${1 + (i % 3)}-${String(1 + (i % 27)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00,,cc-correspondence`);
		writeFileSync(file, `${lines.join('\r\n')}\r\n`);

		const page = await browser.newPage({ viewport: viewports[0] });
		await signIn(page, server.url, 'manager');
		await upload(page, server.url, file);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check the file before you import it');
		const token = new URL(page.url()).pathname.split('/').at(-1)!;
		// The event stream, followed from before the confirm to the end.
		const cookie = await signInCookie(server.url, 'manager');
		const events = await fetch(`${server.url}/import/${token}/progress`, { headers: { cookie } });
		expect(events.headers.get('content-type')).toBe('text/event-stream');
		const stream = events.text();
		// What a browser without JavaScript gets while it runs: the same page, refreshing itself.
		const running = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith(token));
		await page.getByRole('button', { name: 'Import the file' }).click();
		expect(await (await running).text()).toMatch(/<noscript><meta http-equiv="refresh" content="2"/);
		await page.getByRole('heading', { level: 1, name: 'Importing' }).waitFor();
		expect(await page.getByRole('progressbar').count()).toBe(1);
		await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
		await page.waitForFunction(() => Number(document.querySelector('progress')?.value ?? 100) > 0, undefined, { timeout: 60_000 });
		await page.screenshot({ path: 'test-results/import-progress-desktop.png', fullPage: true });
		await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor({ timeout: 170_000 });
		expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
		expect(await page.locator('.app-counts').textContent()).toMatch(/Accepted\s*80,000/);
		expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
		const sent = (await stream).split('\n\n').filter((event) => event && !event.startsWith(':'));
		expect(sent.at(-1)).toBe('event: end\ndata: {"state":"done"}');
		expect(sent.length).toBeGreaterThan(3);
		expect(sent[0]).toMatch(/^event: progress\ndata: \{"phase":"reading","rows":\d+,"bytes":\d+,"totalBytes":\d+\}$/);
		expect(sent.some((event) => event.includes('"phase":"saving"'))).toBe(true);
		expect(await (await fetch(`${server.url}/import/${token}/progress`, { headers: { cookie } })).text()).toBe('event: end\ndata: {"state":"done"}\n\n');
		await page.close();
	}, 240_000);

	it('answers a bad upload with 400 and a GOV.UK error summary, storing nothing', async () => {
		const page = await browser.newPage();
		await signIn(page, server.url, 'manager');
		for (const [file, message] of [
			[null, 'Select a file to import'],
			[fixture('empty.csv'), 'The file empty.csv is empty'],
			[fixture('binary.xlsx'), /The file binary\.xlsx cannot be imported: this is not a text file/],
			[fixture('missing-columns.csv'), /missing-columns\.csv cannot be imported: row 1/]
		] as const) {
			const response = page.waitForResponse((r) => r.request().method() === 'POST');
			await upload(page, server.url, file);
			expect((await response).status()).toBe(400);
			expect(await page.getByRole('alert').textContent()).toMatch(message);
			await page.getByRole('alert').getByRole('link').click();
			expect(await page.evaluate(() => document.activeElement?.id)).toBe('file');
		}
		// A kind that is not one of the choices (a hand-made request).
		const form = new FormData();
		form.set('file', new Blob([readFileSync(fixture('valid.csv'))]), 'valid.csv');
		form.set('kind', 'spreadsheet');
		const cookie = await signInCookie(server.url, 'manager');
		const response = await fetch(`${server.url}/import?/upload`, { method: 'POST', body: form, headers: { origin: server.url, accept: 'text/html', cookie } });
		expect(response.status).toBe(400);
		expect(await response.text()).toMatch(/Select what kind of file it is/);
		await page.close();
	});

	it('lets a keyboard user reach the file input, and the confirm button on the preview', async () => {
		const page = await browser.newPage();
		await signIn(page, server.url, 'manager');
		await page.goto(`${server.url}/import`);
		const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim());
		for (let i = 0; i < 20 && (await focused()) !== 'file'; i++) await page.keyboard.press('Tab');
		expect(await focused()).toBe('file');
		await page.setInputFiles('#file', fixture('valid.csv'));
		await page.keyboard.press('Tab');
		expect(await focused()).toBe('kind-detect');
		// The optional import mapping and organisation.
		await page.keyboard.press('Tab');
		expect(await focused()).toBe('mapping');
		await page.keyboard.press('Tab');
		expect(await focused()).toBe('organisation');
		await page.keyboard.press('Tab');
		expect(await focused()).toBe('Upload and check');
		await page.keyboard.press('Enter');
		await page.waitForURL(/\/import\/[\w-]{22}$/);
		for (let i = 0; i < 40 && (await focused()) !== 'Import the file'; i++) await page.keyboard.press('Tab');
		expect(await focused()).toBe('Import the file');
		await page.keyboard.press('Enter');
		await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor({ timeout: 60_000 });
		await page.close();
	});
});

describe('POST /api/v1/contacts', () => {
	const records = [
		{ reference: 'API-1', organisation: 'county', service: 'customer', type: 'email', received: '2025-03-03T09:15:00', team: 'cc-correspondence' },
		{ reference: 'API-2', organisation: 'county', service: 'customer', type: 'emial', received: '2025-03-03' },
		{ reference: 'API-3', organisation: 'county', service: 'customer', type: 'phone', received: '31/02/2025 10:00', wait_seconds: 12, abandoned: false }
	];
	const postWith = (url: string, body: unknown, headers: Record<string, string> = {}) =>
		fetch(`${url}/api/v1/contacts${headers.query ?? ''}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

	// Keys made in /admin/api-keys are tested in auth-api-keys.test.ts; here the key set by environment.
	describe('with a key', () => {
		let server: RunningServer;
		const post = (url: string, body: unknown, headers: Record<string, string> = {}) => postWith(url, body, { authorization: 'Bearer api-test-key', ...headers });
		beforeAll(async () => (server = await startServer({ ...serverEnv, YARDSTICK_API_KEY: 'api-test-key' })));
		afterAll(async () => server?.stop());

		it('imports an array of records and answers the counts and each rejection, like the CLI --json', async () => {
			const response = await post(server.url, records);
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({
				read: 3,
				accepted: 1,
				updated: 0,
				unchanged: 0,
				skipped: 0,
				rejected: 2,
				skippedReasons: [],
				errors: [
					{ row: 2, reason: "type 'emial' is not one of phone, callback, message, email, letter, complaint, info, sar, foi, registration, absent-vote, enquiry, governance, meeting, dp-complaint" },
					{ row: 3, reason: expect.stringMatching(/^received '31\/02\/2025 10:00' is not a date/) }
				]
			});
			expect(await (await post(server.url, records.slice(0, 1))).json()).toMatchObject({ read: 1, accepted: 0, unchanged: 1, rejected: 0, errors: [] });
			// Another system's references are other contacts.
			expect(await (await post(server.url, records.slice(0, 1), { query: '?source=crm' })).json()).toMatchObject({ accepted: 1 });
		});

		it('answers 400 with a plain message for a body that is not a JSON array, or too many records', async () => {
			for (const [body, message] of [
				['{"reference":"A"}', /must be a JSON array/],
				['not json', /not valid JSON/],
				['', /not valid JSON/],
				[JSON.stringify(Array.from({ length: 10_001 }, () => ({}))), /at most 10,000 records/]
			] as const) {
				const response = await post(server.url, body);
				expect(response.status).toBe(400);
				expect((await response.json()).message).toMatch(message);
			}
			expect((await post(server.url, records, { query: '?source=' })).status).toBe(400);
		});
	});

	describe('with YARDSTICK_API_KEY set', () => {
		let server: RunningServer;
		const post = postWith;
		beforeAll(async () => (server = await startServer({ ...serverEnv, YARDSTICK_API_KEY: 'correct-horse-battery-staple' })));
		afterAll(async () => server?.stop());

		it('answers 401 without the key or with a wrong one, and imports with it', async () => {
			for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: 'correct-horse-battery-staple' }, { authorization: 'Bearer ' }]) {
				const response = await post(server.url, records, headers);
				expect(response.status).toBe(401);
				expect(response.headers.get('www-authenticate')).toBe('Bearer');
				expect((await response.json()).message).toMatch(/Authorization: Bearer/);
			}
			const response = await post(server.url, records, { authorization: 'Bearer correct-horse-battery-staple' });
			expect(response.status).toBe(200);
			expect(await response.json()).toMatchObject({ read: 3, accepted: 1, rejected: 2 });
		});
	});
});
