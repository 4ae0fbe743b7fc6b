import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

// A councillor or a manager opens Yardstick on a phone: every key figure (the compliance, its RAG and
// direction; an alert's level and time left) is on the screen, not behind a sideways scroll, and the
// navigation folds behind GOV.UK's Menu button.
describe.skipIf(!chromiumPath())('pages on a phone and on a laptop', () => {
	const API_KEY = 'e2e-narrow-key';
	const app = browserSession({ YARDSTICK_API_KEY: API_KEY });
	let imported = false;

	/** Two unanswered emails to the county's Correspondence team, a week old: the team lead's queue has alerts. */
	async function overdueContacts() {
		if (imported) return;
		imported = true;
		const received = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 16) + 'Z';
		const response = await fetch(`${app.server.url}/api/v1/contacts?source=e2e`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
			body: JSON.stringify(['NARROW-1', 'NARROW-2'].map((reference) => ({ reference, organisation: 'county', service: 'customer', type: 'email', received, team: 'cc-correspondence' })))
		});
		expect(await response.json()).toMatchObject({ accepted: 2, rejected: 0 });
	}

	/** Key figures wider than the viewport, or cut off by a scrolling container. */
	async function figuresOffScreen(page: Page): Promise<string[]> {
		return page.evaluate(() => {
			const width = document.documentElement.clientWidth;
			const keys = document.querySelectorAll<HTMLElement>('.app-figure, .app-reflow-key, .govuk-tag, .app-direction');
			return [...keys]
				.filter((element) => element.getClientRects().length > 0)
				.filter((element) => {
					const box = element.getBoundingClientRect();
					if (box.right > width + 1 || box.left < -1) return true;
					// Inside a container that scrolls sideways, it must be within the container's visible part.
					for (let parent = element.parentElement; parent; parent = parent.parentElement) {
						if (parent.scrollWidth > parent.clientWidth + 1 && getComputedStyle(parent).overflowX !== 'visible') {
							const frame = parent.getBoundingClientRect();
							if (box.right > frame.right + 1) return true;
						}
					}
					return false;
				})
				.map((element) => `${element.className}: ${element.textContent?.trim().slice(0, 40)}`);
		});
	}

	for (const width of [1280, 375]) {
		for (const [role, path] of [
			['manager', '/'],
			['manager', '/indicators'],
			['team-lead', '/alerts']
		] as const) {
			it(`shows every key figure of ${path} within ${width} px, with no accessibility violations`, async () => {
				if (path === '/alerts') await overdueContacts();
				const page = await app.browser.newPage({ viewport: { width, height: 800 } });
				await signIn(page, app.server.url, role);
				await page.goto(`${app.server.url}${path}`);
				// Alerts are raised just after an import: wait for the queue to show them.
				for (let tries = 0; path === '/alerts' && tries < 20 && (await page.locator('.app-alert').count()) === 0; tries++) {
					await page.waitForTimeout(500);
					await page.reload();
				}
				await page.waitForLoadState('networkidle');
				expect(await page.locator('.app-figure, .app-reflow-key').count()).toBeGreaterThan(0);
				expect(await figuresOffScreen(page)).toEqual([]);
				expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
				await page.screenshot({ path: `test-results/narrow-${path.replace(/\W/g, '') || 'overview'}-${width}.png`, fullPage: false });
				expect(await axeViolations(page)).toEqual([]);
				await page.close();
			});
		}
	}

	it('folds the navigation behind a Menu button on a phone, opened and closed from the keyboard', async () => {
		const page = await app.browser.newPage({ viewport: { width: 375, height: 800 } });
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/indicators`);
		const menu = page.getByRole('button', { name: 'Menu' });
		const indicators = page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Risks' });
		await menu.waitFor();
		expect(await menu.getAttribute('aria-expanded')).toBe('false');
		expect(await indicators.isVisible()).toBe(false);

		await menu.focus();
		await page.keyboard.press('Enter');
		expect(await menu.getAttribute('aria-expanded')).toBe('true');
		expect(await indicators.isVisible()).toBe(true);
		expect(await axeViolations(page)).toEqual([]);
		await page.keyboard.press('Space');
		expect(await menu.getAttribute('aria-expanded')).toBe('false');
		expect(await indicators.isVisible()).toBe(false);

		// On a laptop every link shows and there is no button.
		await page.setViewportSize({ width: 1280, height: 800 });
		await indicators.waitFor({ state: 'visible' });
		expect(await menu.isVisible()).toBe(false);
		await page.close();
	});

	it('shows the navigation and the filters in full without JavaScript', async () => {
		const context = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
		const page = await context.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(app.server.url);
		expect(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Risks' }).isVisible()).toBe(true);
		expect(await page.getByLabel('Period').isVisible()).toBe(true);
		await context.close();
	});
});
