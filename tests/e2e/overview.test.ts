import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

describe.skipIf(!chromiumPath())('the overview in Chromium', () => {
	const app = browserSession();

	for (const viewport of [
		{ name: 'desktop', width: 1280, height: 900 },
		{ name: 'mobile', width: 375, height: 800 }
	]) {
		it(`shows every council's standards against target with no accessibility violations (${viewport.name})`, async () => {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');
			await page.goto(`${app.server.url}/?period=2025/26`);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Are we keeping our promises?');
			const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
			expect(headings).toEqual(expect.arrayContaining(['Brackenford Borough Council', 'Lindenshire County Council', 'Phone service level']));
			const foi = page.getByRole('row').filter({ hasText: 'Freedom of Information requests' }).first();
			expect(await foi.textContent()).toMatch(/\d+\.\d%/);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/overview-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		});
	}

	it('keeps the chosen filters in the URL, so the view can be shared', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(app.server.url);
		await page.getByLabel('Period').selectOption('2025/26');
		await page.getByLabel('Organisation').selectOption('county');
		await page.getByRole('button', { name: 'Apply filters' }).click();
		await page.waitForURL(/organisation=county/);
		const url = new URL(page.url());
		expect(url.searchParams.get('period')).toBe('2025/26');
		expect(await page.getByRole('heading', { level: 2, name: 'Brackenford Borough Council' }).count()).toBe(0);
		expect(await page.getByRole('heading', { level: 2, name: 'Lindenshire County Council' }).count()).toBe(1);
		await page.close();
	});

	it('answers a bad filter with 400 and a GOV.UK error summary, not a crash', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		const response = await page.goto(`${app.server.url}/?period=2025/27&team=nobody`);
		expect(response?.status()).toBe(400);
		const summary = page.getByRole('alert');
		expect(await summary.textContent()).toMatch(/'2025\/27' is not a financial year.*There is no team 'nobody'/s);
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('lets a keyboard user skip to the content and reach the filters', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(app.server.url);
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
		await page.keyboard.press('Enter');
		expect(page.url()).toMatch(/#main-content$/);
		for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'filter-period'; i++) await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-period');
		await page.close();
	});
});
