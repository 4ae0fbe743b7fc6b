import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { chromiumPath, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';

describe.skipIf(!chromiumPath())('the home page in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	beforeAll(async () => {
		[server, browser] = await Promise.all([startServer(), launchBrowser()]);
		mkdirSync('test-results', { recursive: true });
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	for (const viewport of [
		{ name: 'desktop', width: 1280, height: 900 },
		{ name: 'mobile', width: 375, height: 800 }
	]) {
		it(`shows each council's standards with no accessibility violations (${viewport.name})`, async () => {
			const page = await browser.newPage({ viewport });
			await page.goto(server.url);
			await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Organisations and standards');
			expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
				expect.stringContaining('Brackenford Borough Council'),
				expect.stringContaining('Lindenshire County Council')
			]);
			expect(await page.getByRole('row').count()).toBeGreaterThan(20);
			// Nothing wider than the screen.
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/home-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		});
	}

	it('lets a keyboard user skip to the main content', async () => {
		const page = await browser.newPage();
		await page.goto(server.url);
		await page.keyboard.press('Tab');
		await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to main content');
		await page.keyboard.press('Enter');
		expect(page.url()).toMatch(/#main-content$/);
		await page.close();
	});
});
