import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

/** Day-two administration in Chromium, as an admin: every page checked with axe. */
describe.skipIf(!chromiumPath())('day-two administration in Chromium', () => {
	const app = browserSession({ YARDSTICK_API_KEY: 'day-two-key' });
	const accessible = async (page: Page) => expect(await axeViolations(page)).toEqual([]);

	it('resets a password; that person must change it before any other page', async () => {
		const admin = await app.browser.newPage();
		await signIn(admin, app.server.url, 'admin');
		await admin.goto(`${app.server.url}/admin/users`);
		await admin.getByRole('link', { name: 'Owen Officer' }).click();
		await admin.waitForURL(/\/admin\/users\/[\w-]+$/);
		await admin.getByRole('button', { name: /Reset password/ }).click();
		const password = (await admin.getByTestId('one-time-password').textContent())!.trim();
		expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
		await accessible(admin);
		await admin.close();

		const officer = await app.browser.newPage();
		await officer.goto(`${app.server.url}/sign-in`);
		await officer.getByLabel('Email address').fill('officer@demo.yardstick.example');
		await officer.getByLabel('Password').fill(password);
		await officer.getByRole('button', { name: 'Sign in', exact: true }).click();
		await officer.waitForURL(/\/account\/password$/);
		expect(await officer.getByRole('heading', { level: 1 }).textContent()).toBe('Change your password');
		await accessible(officer);
		// Every other page leads back here until it is changed.
		await officer.goto(`${app.server.url}/contacts`);
		expect(new URL(officer.url()).pathname).toBe('/account/password');

		await officer.getByLabel('The one-time password you were given').fill(password);
		await officer.getByLabel('New password', { exact: true }).fill('a brand new password');
		await officer.getByLabel('New password again').fill('not the same one');
		await officer.getByRole('button', { name: 'Change password' }).click();
		expect(await officer.getByRole('alert').first().textContent()).toContain('The two new passwords are not the same');
		await accessible(officer);
		await officer.getByLabel('The one-time password you were given').fill(password);
		await officer.getByLabel('New password', { exact: true }).fill('a brand new password');
		await officer.getByLabel('New password again').fill('a brand new password');
		await officer.getByRole('button', { name: 'Change password' }).click();
		await officer.waitForURL(/\/account\/password\?changed=1$/);
		expect(await officer.getByRole('alert').textContent()).toContain('Your password has been changed');
		await officer.goto(`${app.server.url}/contacts`);
		expect(new URL(officer.url()).pathname).toBe('/contacts');
		await officer.close();
	});

	it('adds two people from a CSV file, refusing a file with a bad row first', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/admin/users`);
		writeFileSync('test-results/people-bad.csv', 'email,name,role,teams\nfirst.person@example.gov.uk,First Person,officer,cc-correspondence\nsecond,Second,boss,\n');
		await page.getByLabel('CSV file of people').setInputFiles('test-results/people-bad.csv');
		await page.getByRole('button', { name: 'Add everyone in the file' }).click();
		expect(await page.locator('#row-problems').textContent()).toContain("Row 3: 'boss' is not a role");
		expect(await page.locator('tbody').first().textContent()).not.toContain('first.person@example.gov.uk');
		await accessible(page);

		writeFileSync('test-results/people.csv', 'email,name,role,teams\nfirst.person@example.gov.uk,First Person,officer,cc-correspondence\nsecond.person@example.gov.uk,Second Person,team-lead,cc-correspondence;cc-complaints\n');
		await page.getByLabel('CSV file of people').setInputFiles('test-results/people.csv');
		await page.getByRole('button', { name: 'Add everyone in the file' }).click();
		expect(await page.getByRole('status').first().textContent()).toContain('2 people can now sign in');
		const added = await page.locator('#bulk-created tbody tr').allTextContents();
		expect(added).toHaveLength(2);
		expect(added[0]).toMatch(/first\.person@example\.gov\.uk.*First Person.*officer/);
		await accessible(page);
		await page.close();
	});

	it('adds a closure range with GOV.UK date inputs, then re-scores', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/admin/calendars`);
		const from = page.getByRole('group', { name: 'First day of the closure' });
		await from.getByLabel('Day').fill('3');
		await from.getByLabel('Year').fill('2027');
		await page.getByLabel('Reason').fill('Office move');
		await page.getByRole('button', { name: 'Check which contacts it affects' }).click();
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('The first day of the closure must include a month');
		await accessible(page);
		await from.getByLabel('Month').fill('8');
		await page.getByRole('group', { name: 'Last day of the closure (optional)' }).getByLabel('Day').fill('6');
		await page.getByRole('group', { name: 'Last day of the closure (optional)' }).getByLabel('Month').fill('8');
		await page.getByRole('group', { name: 'Last day of the closure (optional)' }).getByLabel('Year').fill('2027');
		await page.getByRole('button', { name: 'Check which contacts it affects' }).click();
		expect(await page.locator('.govuk-inset-text').textContent()).toContain('open contacts');
		await page.getByRole('button', { name: 'Add and re-score' }).click();
		await page.waitForURL(/\/admin\/rescore\//);
		expect(await page.locator('main').textContent()).toContain('4 closure days 2027-08-03 to 2027-08-06 added');
		await page.goto(`${app.server.url}/admin/calendars`);
		expect(await page.locator('table', { hasText: 'Office move' }).first().locator('tr', { hasText: 'Office move' }).count()).toBe(4);
		await page.close();
	});

	it('adds a risk and closes it', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/risks?organisation=borough`);
		await page.getByRole('button', { name: 'Add risk' }).click();
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the reference');
		await accessible(page);
		await page.getByLabel('Reference').fill('ES-R9');
		await page.locator('#add-title').fill('Count venue unavailable');
		await page.getByLabel('Owner').fill('Returning Officer');
		for (const [group, l, i] of [['Inherent risk', '3', '4'], ['Residual risk', '2', '3'], ['Target risk', '1', '3']] as const) {
			const fieldset = page.getByRole('group', { name: group });
			await fieldset.getByLabel('Likelihood').selectOption(l);
			await fieldset.getByLabel('Impact').selectOption(i);
		}
		await page.getByRole('button', { name: 'Add risk' }).click();
		await page.waitForURL(/#risk-ES-R9$/);
		expect(await page.locator('#risk-ES-R9').textContent()).toContain('Count venue unavailable');
		await page.getByLabel('Risk to close').selectOption('ES-R9');
		await page.getByRole('button', { name: 'Close risk' }).click();
		await page.waitForURL(/#closed-risks$/);
		expect(await page.locator('#risk-ES-R9').count()).toBe(0);
		expect(await page.locator('table', { hasText: 'Count venue unavailable' }).count()).toBe(1);
		await accessible(page);
		await page.close();
	});

	it('removes an import batch after a confirmation page naming what goes', async () => {
		const imported = await fetch(`${app.server.url}/api/v1/contacts`, {
			method: 'POST',
			headers: { authorization: 'Bearer day-two-key', 'content-type': 'application/json' },
			body: JSON.stringify([
				{ reference: 'DAY2-1', organisation: 'county', service: 'customer', type: 'email', received: '2025-06-02T10:00:00', team: 'cc-correspondence' },
				{ reference: 'DAY2-2', organisation: 'county', service: 'customer', type: 'email', received: '2025-06-02T11:00:00', team: 'cc-correspondence' }
			])
		});
		expect(await imported.json()).toMatchObject({ accepted: 2 });
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/import`);
		// The newest import, first in the list: the one just sent.
		await page.locator('tbody tr').first().getByRole('link', { name: /^Remove/ }).click();
		await page.waitForURL(/\/remove$/);
		expect(await page.locator('.govuk-warning-text').textContent()).toContain('2 contacts this import created will be removed');
		await accessible(page);
		await page.getByRole('button', { name: 'Remove import' }).click();
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select yes to confirm');
		await page.getByLabel(/Yes, remove 2 contacts/).check();
		await page.getByRole('button', { name: 'Remove import' }).click();
		await page.waitForURL(/\/import\?removed=2$/);
		expect(await page.getByRole('alert').textContent()).toContain('2 contacts and their assessments were deleted');
		await page.goto(`${app.server.url}/contacts?period=2025/26&reference=DAY2`);
		expect(await page.locator('tbody tr', { hasText: 'DAY2-' }).count()).toBe(0);
		await page.close();
	});
});
