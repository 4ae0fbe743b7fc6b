import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { signIn, signInCookie } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

const API_KEY = 'e2e-alerts-key';

describe.skipIf(!chromiumPath())('the alert queue in Chromium', () => {
	const app = browserSession({ YARDSTICK_API_KEY: API_KEY });

	/** Imports one unanswered contact for the county's Correspondence team, received `daysAgo` days ago. */
	async function importContact(reference: string, type: string, daysAgo: number) {
		const received = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 16) + 'Z';
		const response = await fetch(`${app.server.url}/api/v1/contacts?source=e2e`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
			body: JSON.stringify([{ reference, organisation: 'county', service: 'customer', type, received, team: 'cc-correspondence' }])
		});
		return (await response.json()) as Record<string, unknown>;
	}

	it('shows a new breach live, without reloading, and lets the team lead acknowledge it', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		await signIn(page, app.server.url, 'team-lead');
		await page.goto(`${app.server.url}/alerts`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Alerts');
		// How to switch email on is the administrator's business: a team lead is told in words.
		expect(await page.getByTestId('notification-status').textContent()).toContain('Email alerts and Microsoft Teams messages are off: ask your administrator');
		expect(await page.getByTestId('notification-status').textContent()).not.toMatch(/SMTP|YARDSTICK_/);
		// The page listens for changes before anything is imported.
		await page.locator('[data-testid="queue-count"][data-live="on"]').waitFor({ timeout: 10_000 });
		let reloaded = false;
		page.on('framenavigated', (frame) => {
			if (frame === page.mainFrame()) reloaded = true;
		});

		// An email to the county's Correspondence team received a week ago and never answered:
		// imported through the API, it is already past its due date.
		const imported = await importContact('E2E-LIVE-1', 'email', 7);
		const started = Date.now();
		expect(imported).toMatchObject({ accepted: 1, rejected: 0 });

		const card = page.locator('.app-alert', { has: page.getByRole('link', { name: 'E2E-LIVE-1' }) });
		await card.waitFor({ timeout: 5000 });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(reloaded).toBe(false);
		expect(await card.locator('.govuk-tag').textContent()).toMatch(/Breached|Very overdue/);
		expect(await card.textContent()).toMatch(/overdue by \d+ working days?/);
		expect(await card.textContent()).toContain('Correspondence');

		await card.getByRole('checkbox', { name: 'Select E2E-LIVE-1' }).check();
		await page.getByRole('button', { name: 'Acknowledge selected' }).click();
		await card.getByText(/Acknowledged by Tamsin Lead/).waitFor({ timeout: 5000 });
		expect(await page.getByRole('alert').textContent()).toContain('1 alert acknowledged.');

		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
		await page.screenshot({ path: 'test-results/alerts-desktop.png', fullPage: false });
		expect(await axeViolations(page)).toEqual([]);

		await page.setViewportSize({ width: 375, height: 800 });
		await page.goto(`${app.server.url}/alerts`);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		await page.screenshot({ path: 'test-results/alerts-mobile.png', fullPage: false });
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('works without JavaScript: filters by level and adds a note', async () => {
		const context = await app.browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await signIn(page, app.server.url, 'team-lead');
		// A FOI request six weeks old: breached (very overdue comes at twice its 20 working days).
		expect(await importContact('E2E-NOJS-1', 'foi', 42)).toMatchObject({ accepted: 1, rejected: 0 });
		for (let tries = 0; tries < 10; tries++) {
			await page.goto(`${app.server.url}/alerts?level=breach`);
			if ((await page.getByRole('link', { name: 'E2E-NOJS-1' }).count()) > 0) break;
			await page.waitForTimeout(500);
		}
		const levels = await page.locator('.app-alert').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-level')));
		expect(levels.length).toBeGreaterThan(0);
		expect(new Set(levels)).toEqual(new Set(['breach']));
		const first = page.locator('.app-alert', { has: page.getByRole('link', { name: 'E2E-NOJS-1' }) });
		await first.locator('summary').click();
		await first.getByLabel(/^Note/).fill('Chased by phone; reply promised today.');
		await first.getByRole('button', { name: 'Add note' }).click();
		await page.waitForURL(/\/alerts\?level=breach#alert-\d+$/);
		expect(await first.textContent()).toContain('Chased by phone; reply promised today.');
		expect(await first.textContent()).toContain('Tamsin Lead');

		// Ticking rows and acknowledging them works as a plain form too.
		await first.getByRole('checkbox').check();
		await page.getByRole('button', { name: 'Acknowledge selected' }).click();
		await page.waitForURL(/acknowledged=1/);
		expect(await page.getByRole('alert').textContent()).toContain('1 alert acknowledged.');
		expect(await first.textContent()).toContain('Acknowledged by Tamsin Lead');
		expect(new URL(page.url()).searchParams.get('level')).toBe('breach');

		// Nothing ticked: a clear message, nothing changed.
		await page.getByRole('button', { name: 'Acknowledge selected' }).click();
		expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select at least one alert');

		await page.goto(`${app.server.url}/alerts?level=nonsense`);
		expect(await page.textContent('body')).toContain('Select a level from the list');
		await context.close();
	});

	it('shows an administrator how email alerts are configured', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/alerts`);
		expect(await page.getByTestId('notification-status').textContent()).toContain('Email alerts are off: SMTP is not configured');
		await page.close();
	});

	it('lets one person hold at most 5 live alert streams, and takes a new one once one is closed', async () => {
		const cookie = await signInCookie(app.server.url, 'manager');
		const open = () => {
			const controller = new AbortController();
			return fetch(`${app.server.url}/alerts/stream`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal }).then((response) => ({ response, controller }));
		};
		const held: { response: Response; controller: AbortController }[] = [];
		let refused: Response | null = null;
		// The browser tests above may still hold one of the manager's streams.
		for (let i = 0; i < 6 && !refused; i++) {
			const stream = await open();
			if (stream.response.status === 200) held.push(stream);
			else refused = stream.response;
		}
		expect(refused?.status).toBe(429);
		expect(held.length).toBeLessThanOrEqual(5);
		expect(held.length).toBeGreaterThanOrEqual(4);
		expect(await refused!.json()).toEqual({ message: expect.stringMatching(/^You have 5 live alert views open already/) });
		held.pop()!.controller.abort();
		let again: Response | null = null;
		for (let i = 0; i < 20 && again?.status !== 200; i++) {
			if (i) await new Promise((resolve) => setTimeout(resolve, 100));
			const stream = await open();
			if (stream.response.status === 200) held.push(stream);
			again = stream.response;
		}
		expect(again?.status).toBe(200);
		for (const stream of held) stream.controller.abort();
	});
});
