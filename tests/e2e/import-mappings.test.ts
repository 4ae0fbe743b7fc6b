import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { chromiumPath, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * A council's own CRM export on the /import page: refused as it is, a mapping made from it on the
 * way (tried on the first rows, then saved), the file imported through it; then a phone queue
 * mapped at /admin/queues. The demo's county and its customer service stand in for the council.
 */
const crm = path.resolve('tests/fixtures/setup/county-crm.csv');

describe.skipIf(!chromiumPath())('import mappings and phone queues in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	beforeAll(async () => {
		[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('makes a mapping from a foreign export, tries it, saves it, imports through it, and maps a queue, with no accessibility violations', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, server.url, 'admin');
		await page.goto(`${server.url}/import`);
		await page.setInputFiles('#file', crm);
		await page.getByRole('button', { name: 'Upload and check' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('alert').textContent()).toMatch(/The file county-crm\.csv cannot be imported: row 1: .*reference/);
		await page.getByRole('link', { name: 'make a mapping from this file' }).click();
		await page.getByRole('heading', { level: 1, name: 'Make a mapping from this file' }).waitFor();
		expect(await axeViolations(page)).toEqual([]);

		for (const [i, column] of ['reference', 'received', 'responded', 'type', 'team'].entries()) await page.selectOption(`#ours-${i}`, column);
		expect(await page.locator('#ours-5').inputValue()).toBe('');
		await page.selectOption('#fixed-organisation', 'county');
		await page.selectOption('#fixed-service', 'customer');
		await page.fill('#values-type', 'E-mail = email\nLetter = letter');
		await page.fill('#values-team', 'Corr = cc-correspondence');
		await page.getByLabel('Day first: 31/01/2026').check();
		await page.getByRole('button', { name: 'Try it' }).click();
		await page.getByRole('heading', { level: 2, name: 'Through this mapping' }).waitFor();
		expect(await page.locator('.app-tried-summary').textContent()).toMatch(/2 of the first 4 rows would be imported; 2 of them would be rejected without the mapping/);
		expect(await page.locator('.app-tried .app-rejections li').first().textContent()).toMatch(/^Row 4: .*'Fax' has no value in mapping 'new mapping'/);
		// The choices survive the try.
		expect(await page.locator('#ours-0').inputValue()).toBe('reference');
		expect(await page.locator('#values-team').inputValue()).toBe('Corr = cc-correspondence');
		expect(await axeViolations(page)).toEqual([]);

		await page.getByRole('button', { name: 'Save the mapping and use it' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('alert').textContent()).toMatch(/Enter a name for the mapping/);
		expect(await axeViolations(page)).toEqual([]);
		await page.fill('#name', 'county-crm');
		await page.getByRole('button', { name: 'Save the mapping and use it' }).click();
		await page.getByRole('heading', { level: 1, name: 'Check the file before you import it' }).waitFor();
		expect(await page.locator('.govuk-summary-list').textContent()).toMatch(/Import mapping\s*county-crm/);
		expect(await page.locator('.app-mapping-fixes').textContent()).toMatch(/2 of the first 4 rows are accepted that would be rejected without it/);
		const columns = page.getByRole('table', { name: /Which column/ });
		expect(await columns.locator('tr', { hasText: 'reference' }).first().textContent()).toMatch(/Case Ref/);
		expect(await columns.locator('tr', { hasText: 'organisation' }).first().textContent()).toMatch(/county/);
		expect(await page.getByRole('table', { name: /first rows/ }).locator('tbody tr').count()).toBe(2);
		for (const [name, width, height] of [['desktop', 1280, 900], ['mobile', 375, 800]] as const) {
			await page.setViewportSize({ width, height });
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
			await page.screenshot({ path: `/tmp/g-preview-${name}.png`, fullPage: true });
		}
		await page.setViewportSize({ width: 1280, height: 900 });
		expect(await axeViolations(page)).toEqual([]);

		await page.getByRole('button', { name: 'Import the file' }).click();
		await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor({ timeout: 60_000 });
		const counts = await page.locator('.app-counts .app-count').allTextContents();
		expect(counts).toEqual(['4', '2', '0', '0', '0', '2']);
		expect(await axeViolations(page)).toEqual([]);

		await page.goto(`${server.url}/import/mappings`);
		expect(await page.getByRole('table', { name: /Import mappings/ }).textContent()).toMatch(/county-crm.*Case Ref → reference/s);
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('link', { name: 'Change county-crm' }).click();
		await page.getByRole('heading', { level: 1, name: 'Change the import mapping' }).waitFor();
		const theirs = await page.locator('input[name^=theirs-]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
		expect(theirs.filter(Boolean).sort()).toEqual(['Case Ref', 'Channel', 'Date Logged', 'First Reply', 'Team']);
		expect(await axeViolations(page)).toEqual([]);

		await page.goto(`${server.url}/admin/queues`);
		await page.fill('#add-queue', 'county-main');
		await page.selectOption('#add-organisation', 'county');
		await page.selectOption('#add-service', 'customer');
		await page.selectOption('#add-team', 'cc-contact-centre');
		await page.getByRole('button', { name: 'Add queue' }).click();
		await page.waitForLoadState('load');
		const county = page.getByRole('table', { name: /county/ });
		// Sorted by name: before the demo's customer-services queue.
		expect(await county.locator('tbody tr').first().textContent()).toMatch(/county-main/);
		expect(await county.locator('select[name=team]').first().inputValue()).toBe('cc-contact-centre');
		expect(await axeViolations(page)).toEqual([]);
		// Change where its calls go, then remove it.
		await county.locator('select[name=team]').first().selectOption('');
		await county.getByRole('button', { name: 'Change queue county-main' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('table', { name: /county/ }).locator('select[name=team]').first().inputValue()).toBe('');
		await page.getByRole('button', { name: 'Remove queue county-main' }).click();
		await page.waitForLoadState('load');
		// The demo's own queue stays.
		expect(await page.getByRole('table', { name: /county/ }).textContent()).not.toMatch(/county-main/);
		// An empty queue name is refused by field.
		await page.getByRole('button', { name: 'Add queue' }).click();
		await page.waitForLoadState('load');
		expect(await page.getByRole('alert').textContent()).toMatch(/Enter the queue name/);
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});
});
