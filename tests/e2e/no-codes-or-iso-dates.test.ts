import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';
import { codesAndIsoDates } from '../support/plain-words.ts';
import type { Role } from '../../src/lib/server/db/schema/auth.ts';

// Every role reads dates as '1 April 2026' and standards by their council names on every page they can
// open: the navigation's pages, a standard, a contact, the duties, alerts, reports and a report's print view.
describe.skipIf(!chromiumPath())('dates and names a person can read', () => {
	const app = browserSession();

	/** The text a person sees (and a screen reader hears), with every details element opened; inputs and URLs are not text. */
	async function visibleText(page: Page): Promise<string> {
		return page.evaluate(() => {
			for (const details of document.querySelectorAll('details')) details.open = true;
			const main = document.body.cloneNode(true) as HTMLElement;
			document.body.append(main);
			main.querySelectorAll('script, style, template, input, textarea, select, .app-reference').forEach((e) => e.remove());
			const text = main.innerText;
			main.remove();
			return `${document.title}\n${text}`;
		});
	}

	async function offencesOn(page: Page, path: string): Promise<string[]> {
		const response = await page.goto(`${app.server.url}${path}`);
		expect(response?.status(), `${path} opens`).toBeLessThan(400);
		await page.waitForLoadState('networkidle');
		return codesAndIsoDates(await visibleText(page)).map((o) => `${path}: ${o}`);
	}

	/** Links on the current page whose path matches, first of each. */
	const firstLink = (page: Page, pattern: RegExp) =>
		page.evaluate((source) => [...document.querySelectorAll<HTMLAnchorElement>('main a[href]')].map((a) => a.pathname + a.search).find((href) => new RegExp(source).test(href)) ?? null, pattern.source);

	for (const role of ['admin', 'manager', 'team-lead', 'officer', 'committee'] as Role[]) {
		it(`shows ${role} no ISO date and no standard's code as a label`, { timeout: 240_000 }, async () => {
			const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
			await signIn(page, app.server.url, role);
			const navigation = await page.evaluate(() => [...document.querySelectorAll<HTMLAnchorElement>('.govuk-service-navigation__link')].map((a) => a.pathname));
			expect(navigation.length).toBeGreaterThan(0);
			const offences: string[] = [];
			const visited = new Set<string>();
			/** Opens the page (again, to follow its links) and reads it the first time. */
			const visit = async (path: string | null) => {
				if (path === null) return;
				if (visited.has(path)) {
					await page.goto(`${app.server.url}${path}`);
					return;
				}
				visited.add(path);
				offences.push(...(await offencesOn(page, path)));
			};
			for (const path of navigation) await visit(path);
			if (navigation.includes('/')) {
				// A standard the viewer may open, as the overview links it.
				await visit('/');
				await visit(await firstLink(page, /^\/standards\/[\w.-]+/));
			}
			if (navigation.includes('/contacts')) {
				await visit('/contacts');
				await visit(await firstLink(page, /^\/contacts\/\d+/));
			}
			if (navigation.includes('/duties')) await visit('/duties');
			if (navigation.includes('/alerts')) await visit('/alerts');
			if (navigation.includes('/reports')) {
				await visit('/reports');
				let report = await firstLink(page, /^\/reports\/[^/]+\/[^/]+\/[^/]+/);
				if (report === null && (await page.locator('form.app-report-choice').count()) > 0) {
					await Promise.all([page.waitForURL(/\/reports\/[^/]+\/[^/]+\/[^/?]+/), page.locator('form.app-report-choice button[type=submit]').first().click()]);
					report = new URL(page.url()).pathname + new URL(page.url()).search;
				}
				expect(report, `${role} can open a report`).not.toBeNull();
				await visit(report);
				const [path, search] = report!.split('?');
				await visit(`${path}/print.html${search ? `?${search}` : ''}`);
			}
			await page.close();
			expect(offences.join('\n')).toBe('');
		});
	}
});
