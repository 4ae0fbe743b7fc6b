import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

/**
 * A council's admin sets up its standards in the browser: adopts a catalogue standard (refused
 * first, at the field), adds a contact type of its own and defines a standard for it, then
 * retires that standard from a date; each change re-scored with the progress page.
 */
describe.skipIf(!chromiumPath())('setting up standards on /admin/standards in Chromium', () => {
	const app = browserSession();

	/** Submits, follows the re-score to its end, and goes back to the standard's page. */
	async function submitAndRescore(page: Page, button: string, backTo: string) {
		await Promise.all([page.waitForURL(/\/admin\/rescore\//), page.getByRole('button', { name: button }).click()]);
		await page.getByRole('heading', { level: 1, name: 'Re-scoring complete' }).waitFor({ timeout: 60_000 });
		expect(await axeViolations(page)).toEqual([]);
		await Promise.all([page.waitForURL(/\/admin\/standards\/[^/]+\?organisation=/), page.getByRole('link', { name: backTo }).first().click()]);
	}

	it('adopts a catalogue standard, defines one of its own, and retires it, every page without an axe violation', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/admin/standards`);
		expect(await axeViolations(page)).toEqual([]);

		// Adopt: the borough has no phone standard yet.
		await page.getByRole('link', { name: 'Adopt a catalogue standard for Brackenford Borough Council' }).click();
		await page.waitForURL(/\/admin\/standards\/adopt\?organisation=borough/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Adopt a catalogue standard');
		expect(await page.getByLabel('Day').inputValue()).toBe('1');
		expect(await page.getByLabel('Month').inputValue()).toBe('4');
		expect(await page.getByLabel('Year').inputValue()).toBe('2020');
		for (const width of [1280, 375]) {
			await page.setViewportSize({ width, height: 900 });
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
			await page.screenshot({ path: `test-results/standards-adopt-${width}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
		}
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.getByLabel('Telephone calls answered').check();
		// Choosing a standard ticks its own contact types.
		expect(await page.getByLabel('phone', { exact: true }).isChecked()).toBe(true);
		await page.getByLabel('Target (% of contacts on time, optional)').fill('150');
		await Promise.all([page.waitForURL(/adopt\?organisation=borough/), page.getByRole('button', { name: 'Adopt and re-score' }).click()]);
		await page.getByRole('alert').waitFor();
		expect(await page.title()).toMatch(/^Error: /);
		expect(await page.locator('#target-error').textContent()).toContain('The target must be between 0% and 100%');
		expect(await page.getByLabel('Telephone calls answered').isChecked()).toBe(true);
		expect(await axeViolations(page)).toEqual([]);
		await page.getByLabel('Target (% of contacts on time, optional)').fill('85');
		await submitAndRescore(page, 'Adopt and re-score', 'Go to phone.answer');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Telephone calls answered');
		expect(await page.getByText('within 20 seconds, 85% of contacts on time').count()).toBe(1);

		// The county's own contact type, then a standard for it.
		await page.goto(`${app.server.url}/admin/organisations`);
		await page.locator('#contactType-organisationId').selectOption({ label: 'Lindenshire County Council' });
		await page.locator('#contactType-code').fill('visit');
		await page.locator('#contactType-name').fill('Visit to a council office');
		await Promise.all([page.waitForURL(/\/admin\/organisations$/), page.getByRole('button', { name: 'Add contact type' }).click()]);
		expect(await page.locator('p', { hasText: 'Its own contact types:' }).filter({ hasText: 'Visit to a council office (visit)' }).count()).toBe(1);

		await page.goto(`${app.server.url}/admin/standards/new?organisation=county`);
		await page.getByLabel('Code', { exact: true }).fill('visit.reply');
		await page.getByLabel('Name', { exact: true }).fill('Visits followed up');
		await page.getByLabel('Visit to a council office (visit)').check();
		await page.getByRole('radio', { name: 'Working days', exact: true }).check();
		// Only the chosen kind's number shows.
		expect(await page.locator('#amount-working-days').isVisible()).toBe(true);
		expect(await page.locator('#amount-seconds').isVisible()).toBe(false);
		expect(await axeViolations(page)).toEqual([]);
		await page.locator('#amount-working-days').fill('5');
		await page.getByRole('radio', { name: 'No', exact: true }).check();
		await submitAndRescore(page, 'Save and re-score', 'Go to visit.reply');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Visits followed up');
		expect(await page.getByText('5 working days, 90% of contacts on time').count()).toBe(1);

		// Retire it from a date: refused without the confirmation, then done.
		await page.locator('#from-day').fill('1');
		await page.locator('#from-month').fill('4');
		await page.locator('#from-year').fill('2026');
		await Promise.all([page.waitForURL(/\?\/retire/), page.getByRole('button', { name: 'Retire and re-score' }).click()]);
		await page.getByRole('alert').waitFor();
		expect(await page.locator('#confirm-error').textContent()).toContain('Tick the box to confirm');
		expect(await axeViolations(page)).toEqual([]);
		await page.getByLabel(/stops measuring contacts against Visits followed up/).check();
		await submitAndRescore(page, 'Retire and re-score', 'Back to visit.reply');
		expect(await page.getByText(/retired Visits followed up from 2026-04-01/).count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	}, 240_000);
});
