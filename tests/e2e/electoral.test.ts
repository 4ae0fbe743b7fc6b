import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

describe.skipIf(!chromiumPath())('Electoral Services’ data in Chromium: record publication, canvass progress, a canvass import', () => {
	const app = browserSession({ BODY_SIZE_LIMIT: '201M' });
	const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-electoral-e2e-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('a manager records a notice published a day late: refused without a date, then recorded, shown late, accessible', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/duties?organisation=borough&year=2025/26`);
		expect(await page.getByRole('heading', { name: 'Record publication' }).count()).toBe(1);

		await page.locator('#publication-occurrence').selectOption('es.monthly-notice:2026-02-01');
		await page.getByRole('button', { name: 'Record publication' }).click();
		await page.waitForSelector('.govuk-error-summary');
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the date it was published');
		expect(await axeViolations(page)).toEqual([]);

		await page.locator('#publication-occurrence').selectOption('es.monthly-notice:2026-02-01');
		await page.locator('#published-day').fill('3');
		await page.locator('#published-month').fill('2');
		await page.locator('#published-year').fill('2026');
		await page.getByRole('button', { name: 'Record publication' }).click();
		await page.waitForURL(/recorded=/);
		expect(await page.getByRole('alert').textContent()).toContain('Publication recorded: Notice of alteration February 2026');
		const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Notice of alteration February 2026' }) });
		expect(await row.textContent()).toMatch(/Monday 2 February 2026Tuesday 3 February 2026Late by 1 working day/);
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('refuses Record publication from a committee member (403) and shows them no form', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'committee');
		await page.goto(`${app.server.url}/duties?organisation=borough&year=2025/26`);
		expect(await page.getByRole('heading', { name: 'Record publication' }).count()).toBe(0);
		const response = await page.request.post(`${app.server.url}/duties?/publication`, {
			headers: { origin: app.server.url, accept: 'text/html' },
			form: { organisation: 'borough', year: '2025', occurrence: 'es.monthly-notice:2026-02-01', 'published-day': '2', 'published-month': '2', 'published-year': '2026' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(403);
		await page.close();
	});

	it('shows the canvass progress chart with its table beside last year’s, and imports a canvass file through the page', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/indicators?organisation=borough&year=2025/26`);
		expect(await page.getByRole('heading', { name: 'Canvass progress, 2025' }).count()).toBe(1);
		await page.getByText('Show the figures as a table').last().click();
		expect(await page.getByRole('columnheader', { name: '2024 ES01' }).count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);

		const file = path.join(dir, 'canvass.csv');
		writeFileSync(file, 'organisation,canvass,property,route,responded\r\nborough,2026,E2E-1,2,2026-07-20\r\nborough,2026,E2E-1,1,\r\nborough,2026,E2E-2,2,\r\n');
		await page.goto(`${app.server.url}/import`);
		await page.setInputFiles('#file', file);
		await page.check('#kind-canvass');
		await page.getByRole('button', { name: 'Upload and check' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check the file before you import it');
		expect(await page.locator('.app-rejections').textContent()).toContain('property E2E-1 is in route 1 here and in route 2 in row 2');
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('button', { name: 'Import the file' }).click();
		await page.getByRole('heading', { name: 'Import complete' }).waitFor();
		expect(await page.locator('.app-counts').textContent()).toMatch(/Rows read\s*3.*Accepted\s*1.*Rejected\s*2/s);
		await page.close();
	});
});
