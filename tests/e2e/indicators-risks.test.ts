import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

describe.skipIf(!chromiumPath())('indicators, duties and risks in Chromium', () => {
	const app = browserSession();

	it('shows the indicators table and lets a manager add commentary, which appears with their name', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/indicators?organisation=borough&year=2025/26`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Performance indicators');
		const es01 = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'ES01', exact: true }) });
		expect(await es01.getByRole('cell').first().textContent()).toContain('Annual canvass return');
		expect(await page.getByRole('heading', { name: 'How ES01 and ES02 are measured' }).count()).toBe(1);
		expect(await page.getByRole('region', { name: 'Monthly notices of alteration, 2025/26' }).count()).toBe(1);

		// An empty commentary is refused with a message, nothing lost.
		await page.locator('#indicator-ES02').getByText('Write commentary on ES02').click();
		await page.getByRole('button', { name: 'Add commentary on ES02' }).click();
		await page.waitForSelector('.govuk-error-summary');
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the commentary');

		const body = `Board note ${Date.now()}: every notice this quarter was on time.`;
		await page.locator('#commentary-ES02-quarter').selectOption('4');
		await page.locator('#commentary-ES02-body').fill(body);
		await page.getByRole('button', { name: 'Add commentary on ES02' }).click();
		await page.waitForURL(/#indicator-ES02$/);
		const section = page.locator('#indicator-ES02');
		await section.getByText(body).waitFor();
		expect(await section.locator('blockquote', { hasText: body }).locator('footer').textContent()).toContain('Morgan Manager');
		expect(await axeViolations(page)).toEqual([]);

		// Filters and forms with bad values answer with what to fix, never a crash.
		const bad = await page.goto(`${app.server.url}/risks?organisation=borough&quarter=2025/26-Q9`);
		expect(bad?.status()).toBe(400);
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('is not a quarter');
		await page.goto(`${app.server.url}/risks?organisation=borough&quarter=2025/26-Q4`);
		await page.getByRole('button', { name: 'Record review' }).click();
		await page.waitForSelector('.govuk-error-summary');
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose the likelihood');
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('refuses commentary from a committee member (403) and shows no forms', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'committee');
		await page.goto(`${app.server.url}/indicators?organisation=borough`);
		// The form post itself, with the committee member's session: refused whatever the page shows.
		const response = await page.request.post(`${app.server.url}/indicators?/commentary`, {
			headers: { origin: app.server.url, accept: 'text/html' },
			form: { organisation: 'borough', year: '2025', indicator: 'ES01', quarter: '3', body: 'Not allowed' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(403);
		expect(await page.getByRole('button', { name: /Add commentary/ }).count()).toBe(0);
		await page.close();
	});

	it('lays out the duties and the risk matrix as the plan does, readable on a phone and accessible', async () => {
		for (const viewport of [
			{ name: 'desktop', width: 1280, height: 900 },
			{ name: 'mobile', width: 375, height: 800 }
		]) {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');

			await page.goto(`${app.server.url}/indicators?organisation=borough`);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/indicators-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);

			await page.goto(`${app.server.url}/duties?organisation=borough&year=2025/26`);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Periodic duties');
			expect(await page.getByRole('heading', { name: 'Monthly notice of alteration' }).count()).toBe(1);
			expect(await page.getByRole('heading', { name: 'Minutes published' }).count()).toBe(1);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/duties-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);

			await page.goto(`${app.server.url}/risks?organisation=borough&quarter=2025/26-Q4`);
			const matrix = page.getByRole('table', { name: 'Residual risk matrix, Q4 2025/26' });
			const rows = await matrix.getByRole('rowheader').allTextContents();
			expect(rows.map((r) => r.trim().slice(0, 1))).toEqual(['4', '3', '2', '1']);
			const columns = await matrix.getByRole('columnheader').allTextContents();
			expect(columns.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual(['1 Marginal', '2 Significant', '3 Critical', '4 Catastrophic']);
			const cells = await matrix.locator('td.app-risk-matrix__cell .app-risk-matrix__band').allTextContents();
			expect(cells).toEqual(['Low 4', 'High 8', 'Very high 12', 'Very high 16', 'Low 3', 'Medium 6', 'High 9', 'Very high 12', 'Low 2', 'Low 4', 'Medium 6', 'High 8', 'Low 1', 'Low 2', 'Low 3', 'Low 4']);
			expect(await matrix.getByText('ES-R1').count()).toBe(1);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/risks-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		}
	});
});
