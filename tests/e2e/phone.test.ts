import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

describe.skipIf(!chromiumPath())('the phone page in Chromium', () => {
	const app = browserSession();

	for (const viewport of [
		{ name: 'desktop', width: 1280, height: 900 },
		{ name: 'mobile', width: 375, height: 800 }
	]) {
		it(`shows service level, speed of answer, abandonment, the weekly heat map and arrivals (${viewport.name})`, async () => {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');
			await page.goto(`${app.server.url}/phone?period=2025/26&organisation=county`);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Phone lines');
			expect(await page.locator('.app-card__figure').first().textContent()).toMatch(/^\d+\.\d%$/);
			await page.waitForFunction(() => [...document.querySelectorAll('canvas')].length === 4 && [...document.querySelectorAll('canvas')].every((c) => c.width > 0));
			const heatMap = page.getByRole('table', { name: /Service level by weekday/ });
			expect(await heatMap.getByRole('rowheader').allTextContents()).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/phone-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		});
	}

	it('says so plainly when a filter has no calls', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/phone?organisation=borough`);
		expect(await page.getByText('No calls in this period and filter.').count()).toBe(1);
		await page.close();
	});
});
