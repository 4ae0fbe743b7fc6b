import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.ts';
import { signIn } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

// A customer gets a survey link in the council's reply, answers it on their phone without signing
// in and without JavaScript, and the answer reaches the manager's feedback page (as an aggregate for
// the committee). The link cannot be answered twice, nor after it expires.

/** A manager opens a contact and makes a survey link for it, as for a reply. */
async function makeLinkOn(app: ReturnType<typeof browserSession>, page: Page): Promise<{ link: string; contactPage: string }> {
	await page.goto(`${app.server.url}/contacts?organisation=county`);
	await page.locator('table a[href^="/contacts/"]').first().click();
	await page.waitForURL(/\/contacts\/\d+$/);
	const contactPage = page.url();
	await page.getByRole('button', { name: 'Make a survey link' }).click();
	const link = await page.getByLabel('Survey link: paste it into your reply').inputValue();
	expect(link).toMatch(new RegExp(`^${app.server.url}/survey/[A-Za-z0-9_-]{16}\\.[0-9a-z]+\\.[A-Za-z0-9_-]{22}$`));
	return { link, contactPage };
}

describe.skipIf(!chromiumPath())('answering a customer survey', () => {
	const app = browserSession({ YARDSTICK_SURVEY_RATE: '60' });
	const comment = 'Took 3 weeks <b>bold</b> =SUM(1,2) e2e-survey-comment';

	let contactPage = '';
	async function makeLink(page: Page): Promise<string> {
		const made = await makeLinkOn(app, page);
		contactPage ||= made.contactPage;
		return made.link;
	}
	it('takes one answer per link, one question per page, without JavaScript or signing in, and passes axe', async () => {
		const manager = await app.browser.newPage();
		await signIn(manager, app.server.url, 'manager');
		const link = await makeLink(manager);

		// Every page of the survey passes axe (a second link, in a browser with JavaScript for axe).
		const checked = await app.browser.newContext();
		const axePage = await checked.newPage();
		const axeLink = await makeLink(manager);
		await axePage.goto(axeLink);
		expect(await axeViolations(axePage)).toEqual([]);
		// An error too: continuing without choosing.
		await axePage.getByRole('button', { name: 'Continue' }).click();
		expect(await axePage.getByRole('link', { name: 'Select how satisfied you are with the service' }).isVisible()).toBe(true);
		expect(await axeViolations(axePage)).toEqual([]);
		await axePage.getByLabel('Satisfied', { exact: true }).check();
		await axePage.getByRole('button', { name: 'Continue' }).click();
		expect(await axeViolations(axePage)).toEqual([]);
		await axePage.getByLabel('Yes', { exact: true }).check();
		await axePage.getByRole('button', { name: 'Continue' }).click();
		expect(await axeViolations(axePage)).toEqual([]);
		await axePage.screenshot({ path: 'test-results/survey-comment-1280.png', fullPage: true });
		await checked.close();

		// The customer: no session, no JavaScript, a phone.
		const customer = await app.browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
		const page = await customer.newPage();
		const answer = await page.goto(link);
		expect(answer!.status()).toBe(200);
		expect(answer!.headers()['cache-control']).toBe('no-store');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('How satisfied were you with the service you received?');
		expect(await page.getByText('What we do with your answers').isVisible()).toBe(true);
		await page.screenshot({ path: 'test-results/survey-question-375.png', fullPage: true });
		await page.getByLabel('Very dissatisfied').check();
		await page.getByRole('button', { name: 'Continue' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Did we deal with your enquiry?');
		await page.getByLabel('No', { exact: true }).check();
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.getByLabel('Is there anything else you would like to tell us? (optional)').fill(comment);
		await page.getByRole('button', { name: 'Send feedback' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you for your feedback');

		// The same link again: refused, and a forged second answer changes nothing.
		await page.goto(link);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This survey has already been answered');
		expect(await page.locator('form input[name="question"]').count()).toBe(0);
		const again = await fetch(link, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.server.url, accept: 'text/html' },
			body: new URLSearchParams({ question: 'satisfaction', satisfaction: '5' })
		});
		expect(again.status).toBe(303);
		expect(again.headers.get('location')).toBe(new URL(link).pathname);

		// A form posted from another site is refused (SvelteKit's origin check).
		const crossSite = await fetch(link, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', accept: 'text/html' },
			body: new URLSearchParams({ question: 'comment', comment: 'x' })
		});
		expect(crossSite.status).toBe(403);

		// An altered link is not a survey.
		const forged = await fetch(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
		expect(await forged.text()).toContain('This survey link is not right');

		// The manager sees the answer and its words, escaped; the committee member only the figures.
		await manager.goto(`${app.server.url}/feedback`);
		expect(await manager.getByRole('heading', { name: 'Customer feedback', level: 1 }).isVisible()).toBe(true);
		expect(await manager.getByText(comment).isVisible()).toBe(true);
		expect(await manager.locator('.govuk-inset-text b').count()).toBe(0);
		expect(await manager.getByRole('navigation').getByRole('link', { name: 'Feedback' }).isVisible()).toBe(true);
		const answered = Number((await manager.locator('.app-card').first().textContent())!.match(/of ([\d,]+) answers/)![1]!.replace(/,/g, ''));
		expect(answered).toBeGreaterThan(0);
		await manager.screenshot({ path: 'test-results/feedback-manager-1280.png', fullPage: true });
		expect(await axeViolations(manager)).toEqual([]);

		const committee = await app.browser.newPage();
		await signIn(committee, app.server.url, 'committee');
		await committee.goto(`${app.server.url}/feedback`);
		expect(await committee.locator('.app-card').first().textContent()).toContain(`of ${answered.toLocaleString('en-GB')} answers`);
		expect(await committee.getByText('e2e-survey-comment').count()).toBe(0);
		expect(await committee.getByRole('heading', { name: 'What customers wrote' }).count()).toBe(0);
		expect(await committee.getByText('Owner', { exact: true }).count()).toBe(0);
		const data = await committee.evaluate(() => document.documentElement.outerHTML);
		expect(data).not.toContain('e2e-survey-comment');
		await committee.close();

		// On a phone the page fits its width.
		await manager.setViewportSize({ width: 375, height: 800 });
		await manager.reload();
		expect(await manager.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		await manager.screenshot({ path: 'test-results/feedback-manager-375.png', fullPage: false });

		// The contact page shows the answer to the manager, with what they wrote.
		await manager.setViewportSize({ width: 1280, height: 800 });
		await manager.goto(contactPage);
		expect(await manager.getByText('Very dissatisfied; enquiry not dealt with').isVisible()).toBe(true);
		expect(await manager.getByText(comment).isVisible()).toBe(true);
		expect(await axeViolations(manager)).toEqual([]);
		await customer.close();
		await manager.close();
	});

	it('limits how often one connection may ask', async () => {
		const link = `${app.server.url}/survey/${'A'.repeat(16)}.zz.${'B'.repeat(22)}`;
		const statuses: number[] = [];
		for (let i = 0; i < 70; i++) statuses.push((await fetch(link)).status);
		expect(statuses).toContain(429);
		expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(60);
	});
});

describe.skipIf(!chromiumPath())('a survey link that has expired', () => {
	// Links last 0.0003 days (26 seconds) here, so the test can see one expire.
	const app = browserSession({ YARDSTICK_SURVEY_DAYS: '0.0003' });

	it('refuses a link after it expires', async () => {
		const manager = await app.browser.newPage();
		await signIn(manager, app.server.url, 'manager');
		const { link } = await makeLinkOn(app, manager);
		await manager.close();
		const context = await app.browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(link);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('How satisfied');
		await page.getByLabel('Satisfied', { exact: true }).check();
		await page.getByRole('button', { name: 'Continue' }).click();
		// When its time is up (the link says when: its second part, seconds in base 36) it is closed, with the answer given so far unsent.
		const expiresAt = parseInt(new URL(link).pathname.split('.')[1]!, 36) * 1000;
		expect(expiresAt - Date.now()).toBeGreaterThan(0);
		await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 1000));
		await page.goto(link);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This survey link has expired');
		const late = await fetch(link, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.server.url, accept: 'text/html' },
			body: new URLSearchParams({ question: 'comment', comment: 'too late' })
		});
		expect(late.headers.get('location')).toBe(new URL(link).pathname);
		await context.close();
	}, 90_000);
});
