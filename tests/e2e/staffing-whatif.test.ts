import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

const viewports = [
	{ name: 'desktop', width: 1280, height: 900 },
	{ name: 'mobile', width: 375, height: 800 }
];

describe.skipIf(!chromiumPath())('staffing and what-if in Chromium', () => {
	const app = browserSession();

	for (const viewport of viewports) {
		it(`shows the agents the phones need each half hour against the service level given (${viewport.name})`, async () => {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');
			await page.goto(`${app.server.url}/phone?organisation=county`);
			await page.getByRole('link', { name: /Staffing the phones/ }).click();
			await page.waitForURL(/\/phone\/staffing/);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Staffing the phones');
			const weekdays = page.getByRole('table', { name: /Calls and agents needed by weekday/ });
			expect(await weekdays.getByRole('rowheader').allTextContents()).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
			await page.waitForFunction(() => {
				const canvas = document.querySelector('canvas');
				return canvas !== null && canvas.width > 0;
			});
			expect(await page.getByRole('heading', { name: 'Mondays, half hour by half hour' }).count()).toBe(1);
			await page.getByRole('link', { name: 'Friday' }).first().click();
			await page.waitForURL(/day=5/);
			expect(await page.getByRole('heading', { name: 'Fridays, half hour by half hour' }).count()).toBe(1);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/staffing-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		});

		it(`recomputes the last eight quarters under email in 2 working days and a 95% target, beside the published figures (${viewport.name})`, async () => {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');
			await page.goto(`${app.server.url}/standards/email.reply/what-if`);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('What if the promise changed?');
			await page.getByLabel('Limit (working days)').fill('2');
			await page.getByLabel('Target (% on time)').fill('95');
			await page.getByRole('button', { name: 'Show what if' }).click();
			await page.waitForURL(/limit=2/);
			expect(await page.getByText('What if: 2 working days, 95% of contacts on time.').count()).toBe(1);
			const table = page.getByRole('table', { name: /Contacts on time and late per quarter/ });
			const rows = await table.locator('tbody tr').count();
			expect(rows).toBe(8);
			// Two working days instead of three can only make more contacts late.
			const late = await table.locator('tbody tr td:last-child').allTextContents();
			const pairs = late.map((text) => text.split('/').map((n) => Number(n.trim().replaceAll(',', ''))));
			expect(pairs.every(([published, whatIf]) => whatIf! >= published!)).toBe(true);
			expect(pairs.some(([published, whatIf]) => whatIf! > published!)).toBe(true);
			// A manager may ask, not publish.
			expect(await page.getByRole('heading', { name: 'Publish as a new version' }).count()).toBe(0);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/what-if-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		});
	}

	it('explains a bad limit with an error summary', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/standards/email.reply/what-if?limit=two`);
		expect(await page.getByRole('alert').textContent()).toContain('The limit must be a number');
		expect(await page.getByRole('table', { name: /Contacts on time and late per quarter/ }).count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('lets an admin publish the change as a new version from a date and watch the re-scoring', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/standards/email.reply/what-if?organisation=county&limit=2&target=95`);
		expect(await page.getByRole('heading', { name: 'Publish as a new version' }).count()).toBe(1);
		await page.getByLabel('Applies from').fill('1999-01-01');
		await page.getByRole('button', { name: 'Publish as a new version' }).click();
		expect(await page.getByRole('alert').textContent()).toContain('must start after');
		expect(await axeViolations(page)).toEqual([]);

		const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Applies from').fill(from);
		await page.getByRole('button', { name: 'Publish as a new version' }).click();
		await page.waitForURL(/\/admin\/rescore\//);
		await page.getByRole('heading', { name: 'Re-scoring complete' }).waitFor({ timeout: 60_000 });
		expect(await page.getByText(/contacts re-scored/).count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);

		await page.goto(`${app.server.url}/admin/standards/email.reply?organisation=county`);
		const versions = page.getByRole('table', { name: /Every version/ });
		expect((await versions.locator('tbody tr').first().textContent())?.replace(/\s+/g, ' ')).toContain(`2${from}in force2 working days95%`.replace(/\s+/g, ' '));
		await page.screenshot({ path: 'test-results/admin-standard.png', fullPage: true });
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('shows the calendars page to an admin, and which contacts a closure day would touch', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/admin/calendars`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Calendars');
		// A closure of one day: the first day's boxes, the last left empty.
		await page.locator('#from-day').fill('22');
		await page.locator('#from-month').fill('12');
		await page.locator('#from-year').fill('2026');
		await page.getByLabel('Reason').fill('Office move');
		await page.getByRole('button', { name: 'Check which contacts it affects' }).click();
		await page.getByRole('button', { name: 'Add and re-score' }).waitFor();
		expect(await page.getByText(/open contacts/).count()).toBeGreaterThan(0);
		await page.screenshot({ path: 'test-results/admin-calendars.png', fullPage: true });
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});
});
