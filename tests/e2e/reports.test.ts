import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

describe.skipIf(!chromiumPath())('reports in Chromium', () => {
	const app = browserSession();
	const board = '/reports/borough/board/2025-26-Q2';
	const committee = '/reports/borough/committee/2025-26-Q2';

	it('a manager opens the Q2 board report, publishes it, and downloads it as PDF, XLSX and CSV', async () => {
		for (const viewport of [
			{ name: 'desktop', width: 1280, height: 900 },
			{ name: 'mobile', width: 375, height: 800 }
		]) {
			const page = await app.browser.newPage({ viewport });
			await signIn(page, app.server.url, 'manager');
			await page.goto(`${app.server.url}/reports`);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Reports');
			expect(await axeViolations(page)).toEqual([]);
			await page.screenshot({ path: `test-results/reports-${viewport.name}.png`, fullPage: true });
			await page.getByLabel('Organisation').selectOption('borough');
			await page.getByLabel('Financial year').selectOption({ label: '2025/26' });
			await page.getByLabel('Q2 (July to September)').check();
			await page.getByLabel('Management Board report').check();
			await Promise.all([page.waitForURL(`**${board}`), page.getByRole('button', { name: 'Open the report' }).click()]);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Management Board performance report, Q2 2025/26');
			expect(await page.getByText(/^Draft: not published|^Published version/).count()).toBe(1);
			for (const section of ['Summary', 'Exceptions: red and amber items', 'Customer service standards', 'Service plan indicators', 'Demand', 'Periodic duties', 'Risks']) {
				expect(await page.getByRole('heading', { level: 2, name: section, exact: true }).count(), section).toBe(1);
			}
			expect(await page.getByRole('img', { name: /^Compliance by standard for Q2 2025\/26/ }).count()).toBe(1);
			expect(await page.getByRole('table', { name: /Risk matrix, Q2 2025\/26/ }).count()).toBe(1);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
			await page.screenshot({ path: `test-results/report-board-${viewport.name}.png`, fullPage: true });
			expect(await axeViolations(page)).toEqual([]);
			await page.close();
		}

		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}${board}`);
		// Publishing asks first; cancelling publishes nothing.
		await page.getByRole('button', { name: 'Publish this report' }).click();
		await page.waitForURL(/publish=confirm/);
		expect(await page.getByRole('heading', { name: /^Publish version 1 of / }).count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('link', { name: 'Cancel' }).click();
		expect(await page.getByText(/^Draft: not published/).count()).toBe(1);
		await page.getByRole('button', { name: 'Publish this report' }).click();
		await page.waitForURL(/publish=confirm/);
		// Each red and amber item asks for commentary and a corrective action; a half-given action is refused at its field.
		const items = await page.locator('.app-exception-form').count();
		expect(items).toBeGreaterThan(0);
		const empty = await page.locator('.app-exception-form textarea[name=body]').evaluateAll((fields) => fields.map((f) => (f as HTMLTextAreaElement).value === ''));
		const first = page.locator('.app-exception-form').first();
		await first.getByLabel(/^Commentary: why it is/).fill('Two long-term absences over the summer.');
		await first.getByLabel('Corrective action (optional)').fill('Agency cover booked for the canvass peak.');
		await Promise.all([page.waitForURL(/exception&publish=confirm/), first.getByRole('button', { name: /^Save commentary/ }).click()]);
		expect(await page.getByText('Enter who owns the corrective action').count()).toBe(1);
		const again = page.locator('.app-exception-form').first();
		await again.getByLabel('Action owner').fill('Electoral Services Manager');
		await again.getByLabel('Action due by').fill('2025-10-31');
		await Promise.all([page.waitForURL(/saved=/), again.getByRole('button', { name: /^Save commentary/ }).click()]);
		expect(await page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
		await page.screenshot({ path: 'test-results/report-publish-confirm.png', fullPage: true });
		expect(await axeViolations(page)).toEqual([]);
		await Promise.all([page.waitForURL(/published=1/), page.getByRole('button', { name: /^(Yes, publish|Publish anyway) version 1$/ }).click()]);
		// The published paper shows the commentary and action, and 'No commentary given' for the items left without.
		expect(await page.getByText('Agency cover booked for the canvass peak.').count()).toBe(1);
		expect(await page.getByText('No commentary given.').count()).toBe(empty.slice(1).filter(Boolean).length);
		expect(await page.getByText('Published as version 1. These figures will not change.').count()).toBe(1);
		expect(await page.getByText(/^Published version 1 on .* by Morgan Manager\. These figures are frozen\./).count()).toBe(1);
		expect(await page.getByText('No figure in this report differs from the data as it stands now.').count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);

		for (const [file, type, start] of [
			['report.pdf', 'application/pdf', '%PDF-'],
			['report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'PK'],
			['report.csv', 'text/csv', '\ufeffsection,reference,name']
		] as const) {
			const response = await page.request.get(`${app.server.url}${board}/${file}?version=1`);
			expect(response.status(), file).toBe(200);
			expect(response.headers()['content-type']).toContain(type);
			expect(response.headers()['content-disposition']).toContain(`borough-board-2025-26-Q2-v1.${file.split('.')[1]}`);
			expect((await response.body()).subarray(0, Buffer.byteLength(start)).toString()).toBe(start);
		}
		await page.goto(`${app.server.url}${board}/print.html`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Management Board performance report, Q2 2025/26');
		expect(await axeViolations(page)).toEqual([]);
		await page.goto(`${app.server.url}/reports`);
		expect(await page.getByRole('link', { name: 'Management Board performance report, Q2 2025/26' }).count()).toBe(1);
		await page.close();
	});

	it('explains a committee report asked for in Q1, and keeps the choices', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/reports`);
		await page.getByLabel('Q1 (April to June)').check();
		await page.getByLabel('Committee report').check();
		const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Open the report' }).click()]);
		expect(response.status()).toBe(400);
		await page.getByRole('alert').waitFor();
		expect(await page.getByRole('link', { name: /end of Q2 \(half year\) or Q4 \(full year\)/ }).count()).toBe(1);
		expect(await page.getByLabel('Committee report').isChecked()).toBe(true);
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('shows committee members published committee reports only, with no names', async () => {
		const context = await app.browser.newContext();
		const councillor = await context.newPage();
		await signIn(councillor, app.server.url, 'committee');
		// The demo has published its last half-year committee report, so there is one to open already.
		await councillor.goto(`${app.server.url}/reports`);
		const demoReport = councillor.getByRole('link', { name: /^Committee (half-year|annual) performance report \d{4}\/\d{2}$/ }).first();
		expect(await demoReport.count()).toBe(1);
		await Promise.all([councillor.waitForURL(/\/committee\//), demoReport.click()]);
		expect(await councillor.getByText(/^Published version 1 on /).count()).toBe(1);
		expect((await councillor.locator('main').textContent()) ?? '').not.toContain('Morgan Manager');

		expect((await councillor.goto(`${app.server.url}${board}`))?.status()).toBe(404);
		expect((await councillor.goto(`${app.server.url}${committee}`))?.status()).toBe(404);
		expect((await councillor.request.get(`${app.server.url}${committee}/report.csv`)).status()).toBe(404);

		const manager = await app.browser.newPage();
		await signIn(manager, app.server.url, 'manager');
		await manager.goto(`${app.server.url}${committee}`);
		await manager.getByRole('button', { name: 'Publish this report' }).click();
		await Promise.all([manager.waitForURL(/published=1/), manager.getByRole('button', { name: /^(Yes, publish|Publish anyway) version 1$/ }).click()]);
		await manager.close();

		expect((await councillor.goto(`${app.server.url}${committee}`))?.status()).toBe(200);
		expect(await councillor.getByRole('heading', { level: 1 }).textContent()).toBe('Committee half-year performance report 2025/26');
		expect(await councillor.getByRole('button', { name: /Publish/ }).count()).toBe(0);
		const text = (await councillor.locator('main').textContent()) ?? '';
		expect(text).not.toContain('Morgan Manager');
		expect(text).not.toContain('@');
		// A forged publish is refused.
		const forged = await councillor.request.post(`${app.server.url}${committee}?/publish`, { headers: { origin: app.server.url }, form: {} });
		expect(forged.status()).toBe(403);
		await councillor.goto(`${app.server.url}/reports`);
		expect(await councillor.getByRole('button', { name: 'Open the report' }).count()).toBe(0);
		expect(await councillor.getByRole('link', { name: 'Committee half-year performance report 2025/26' }).count()).toBe(1);
		expect(await axeViolations(councillor)).toEqual([]);
		await context.close();
	});
});
