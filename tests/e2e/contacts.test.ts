import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

describe.skipIf(!chromiumPath())('the case log in Chromium', () => {
	const app = browserSession();

	for (const viewport of [
		{ name: 'desktop', width: 1280, height: 900 },
		{ name: 'mobile', width: 375, height: 800 }
	]) {
		it(`lists contacts by due date and explains one, with no accessibility violations (${viewport.name})`, async () => {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');
			await page.goto(`${app.server.url}/contacts?period=2025/26`);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Contacts');
			const rows = page.locator('tbody tr');
			expect(await rows.count()).toBe(50);
			expect(await rows.first().getByRole('link').textContent()).toMatch(/^[A-Z][A-Z0-9-]+$/);
			expect(await page.locator('tbody .govuk-tag').first().textContent()).toMatch(/Met|Breached|Excluded/);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/contacts-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);

			// A subject access request: two standards, a timeline and the engine's explanation.
			await page.goto(`${app.server.url}/contacts?period=2025/26&standard=sar.statutory&status=met`);
			await rows.first().getByRole('link').click();
			await page.waitForURL(/\/contacts\/\d+$/);
			expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(expect.arrayContaining(['Timeline', 'Standards']));
			expect(await page.locator('.govuk-summary-card__title').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Subject access requests \(UK GDPR\)$/)]));
			expect(await page.locator('.app-explanation li').first().textContent()).toMatch(/^Received /);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/contact-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		});
	}

	it('drills down from the navigation to a contact and its explanation in two clicks', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(app.server.url);
		await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Contacts' }).click();
		await page.waitForURL(/\/contacts$/);
		const reference = page.locator('tbody tr').first().getByRole('link');
		const text = await reference.textContent();
		await reference.click();
		await page.waitForURL(/\/contacts\/\d+$/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(text);
		expect(await page.getByRole('heading', { level: 3, name: 'How this was worked out' }).count()).toBeGreaterThan(0);
		expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Contacts' }).count()).toBe(1);
		await page.close();
	});

	it('keeps the search in the URL and pages forward and back', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/contacts`);
		await page.getByLabel('Period').selectOption('2025/26');
		await page.getByLabel('Status').selectOption('breached');
		await page.getByRole('button', { name: 'Apply filters' }).click();
		await page.waitForURL(/status=breached/);
		const url = new URL(page.url());
		expect(url.searchParams.get('period')).toBe('2025/26');
		expect(new Set(await page.locator('tbody .govuk-tag').allTextContents())).toEqual(new Set(['Breached']));
		const first = await page.locator('tbody tr').first().textContent();

		await page.getByRole('link', { name: 'Next page' }).click();
		await page.waitForURL(/after=/);
		expect(new URL(page.url()).searchParams.get('status')).toBe('breached');
		expect(await page.locator('tbody tr').first().textContent()).not.toBe(first);
		await page.getByRole('link', { name: 'Previous page' }).click();
		await page.waitForURL(/before=/);
		expect(await page.locator('tbody tr').first().textContent()).toBe(first);
		expect(await page.getByRole('link', { name: 'Previous page' }).count()).toBe(0);

		const reference = (await page.locator('tbody tr').first().getByRole('link').textContent())!;
		await page.getByLabel('Reference').fill(reference.toLowerCase());
		await page.getByRole('button', { name: 'Apply filters' }).click();
		await page.waitForURL(/reference=/);
		expect(await page.locator('tbody tr').first().getByRole('link').textContent()).toBe(reference);
		await page.close();
	});

	it('answers bad values with 400 and a GOV.UK error summary, and an unknown contact with 404', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		const response = await page.goto(`${app.server.url}/contacts?status=lost&standard=tea.making&after=yesterday`);
		expect(response?.status()).toBe(400);
		expect(await page.getByRole('alert').textContent()).toMatch(/The status 'lost' is not a status.*The page 'yesterday' is not a page of this list/s);
		expect(await axeViolations(page)).toEqual([]);
		expect((await page.goto(`${app.server.url}/contacts?standard=tea.making`))?.status()).toBe(400);
		expect(await page.getByRole('alert').textContent()).toMatch(/There is no standard 'tea.making'/);
		for (const id of ['999999999', 'abc', '0', '1e3', '99999999999999999999']) {
			expect((await page.goto(`${app.server.url}/contacts/${id}`))?.status()).toBe(404);
		}
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
		await page.close();
	});

	it('lets a keyboard user tab from the filters to a contact in the table', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/contacts?period=2025/26`);
		await page.getByLabel('Sort by').focus();
		const target = await page.locator('tbody tr').first().getByRole('link').getAttribute('href');
		for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.getAttribute('href'))) !== target; i++) await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(target);
		await page.keyboard.press('Enter');
		await page.waitForURL(new RegExp(`${target}$`));
		expect(await page.getByRole('heading', { level: 2, name: 'Timeline' }).count()).toBe(1);
		await page.close();
	});
});
