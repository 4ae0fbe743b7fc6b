import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

describe.skipIf(!chromiumPath())('the standards pages in Chromium', () => {
	const app = browserSession();

	it('drills down from the overview to a standard: trend, distribution, breakdowns, breaches and wording', async () => {
		for (const viewport of [
			{ name: 'desktop', width: 1280, height: 900 },
			{ name: 'mobile', width: 375, height: 800 }
		]) {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');
			await page.goto(`${app.server.url}/?period=2025/26&organisation=county`);
			await page.getByRole('link', { name: 'E-mails answered', exact: true }).click();
			await page.waitForURL(/\/standards\/email\.reply\?/);
			expect(new URL(page.url()).searchParams.get('period')).toBe('2025/26');
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('E-mails answered');
			// Each chart is drawn, described in words, and backed by a table of the same figures.
			await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => c.width > 0));
			expect(await page.locator('figure').count()).toBe(3);
			expect(await page.getByRole('img', { name: /Compliance by month against the 90% target/ }).count()).toBe(1);
			await page.getByText('Show the figures as a table').first().click();
			expect(await page.getByRole('row').filter({ hasText: 'March 2026' }).first().isVisible()).toBe(true);
			expect(await page.getByRole('heading', { name: 'By team' }).count()).toBe(1);
			expect(await page.getByText('Provide a response to your e-mail within 3 working days.').count()).toBe(1);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/standard-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		}
	});

	it('lists every standard, and answers an unknown one with 404', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/standards`);
		expect(await page.getByRole('link', { name: 'Freedom of Information requests' }).count()).toBe(2);
		expect(await axeViolations(page)).toEqual([]);
		const response = await page.goto(`${app.server.url}/standards/no.such`);
		expect(response?.status()).toBe(404);
		await page.close();
	});
});
