import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';
import { axeViolations } from '../support/axe.ts';
import { chromiumPath, launchBrowser } from '../support/browser.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { yardstick } from '../unit/cli/run.ts';

/*
 * Harrowfield District Council moves in through the pages alone: an empty database
 * (YARDSTICK_SEED=off; PostgreSQL when YARDSTICK_JOURNEY_DATABASE_URL names a server, as CI does,
 * else the embedded one), its first admin made with the CLI, then everything else in Chromium:
 * organisation, services, teams, standards adopted and one of its own, a closure range, a phone
 * queue, a mapping made from its CRM export, the export and its phone system's queue_log
 * imported, and its figures on the overview and in the board report's PDF, against a hand count.
 * The CLI path to the same place is tests/db/setup.test.ts.
 */
const fixture = (name: string) => path.resolve('tests/fixtures/setup', name);
const email = 'jo.bloggs@harrowfield.example';
const password = 'a-long-enough-first-password';

describe.skipIf(!chromiumPath())('a council sets itself up in the browser, from an empty database', () => {
	let server: RunningServer;
	let browser: Browser;
	let page: Page;
	let dataDir: string;
	let dropDatabase = async () => {};

	beforeAll(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'yardstick-journey-'));
		const env: Record<string, string> = { YARDSTICK_SEED: 'off' };
		const serverUrl = process.env.YARDSTICK_JOURNEY_DATABASE_URL;
		if (serverUrl) {
			const scratch = await createScratchDatabase(serverUrl, 'yardstick_journey');
			env.DATABASE_URL = scratch.url;
			dropDatabase = () => scratch.drop();
		}
		// The first admin, as the sign-in page of a new installation says: from the command line.
		const made = await yardstick(['user', 'add', '--email', email, '--role', 'admin', '--name', 'Jo Bloggs', '--password', password], { ...env, YARDSTICK_DATA_DIR: dataDir });
		expect(made.code, made.stderr).toBe(0);
		[server, browser] = await Promise.all([startServer(env, { dataDir }), launchBrowser()]);
		page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	}, 300_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
		await dropDatabase();
	});

	const go = (to: string) => page.goto(`${server.url}${to}`);
	/** Clicks a button or link that loads a page (the forms post without script), and waits for that page. */
	const click = async (name: string | RegExp, role: 'button' | 'link' = 'button') => {
		await Promise.all([page.waitForEvent('framenavigated'), page.getByRole(role, { name }).first().click()]);
		await page.waitForLoadState('load');
	};
	/** Submits a standards form and follows its re-score to the end. */
	const rescored = async (button: string) => {
		await Promise.all([page.waitForURL(/\/admin\/rescore\//), page.getByRole('button', { name: button }).click()]);
		await page.getByRole('heading', { level: 1, name: 'Re-scoring complete' }).waitFor({ timeout: 60_000 });
	};
	const checklistState = async (step: string) => (await page.locator('.govuk-task-list__item', { hasText: step }).locator('.govuk-task-list__status').textContent())?.trim();

	it('signs in as the first admin and is shown what is left to set up', async () => {
		await go('/sign-in');
		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password').fill(password);
		await click('Sign in');
		expect(await page.getByRole('region', { name: 'Important' }).textContent()).toContain('Yardstick is not set up for your council yet.');
		await go('/admin');
		expect(await checklistState('Add your organisation')).toBe('Not yet started');
		expect(await checklistState('Give it its standards')).toBe('Not yet started');
		expect(await axeViolations(page)).toEqual([]);
	});

	it('adds the organisation, its services and teams, and a contact type of its own', async () => {
		await go('/admin/organisations');
		await page.locator('#organisation-code').fill('harrowfield');
		await page.locator('#organisation-name').fill('Harrowfield District Council');
		await click('Add organisation');
		await page.locator('#service-organisationId').selectOption({ label: 'Harrowfield District Council' });
		await page.locator('#service-code').fill('customer-services');
		await page.locator('#service-name').fill('Customer Services');
		await click('Add service');
		for (const [code, name] of [['contact-centre', 'Contact Centre'], ['correspondence', 'Correspondence']]) {
			await page.locator('#team-serviceId').selectOption({ label: 'Harrowfield District Council: Customer Services' });
			await page.locator('#team-code').fill(code!);
			await page.locator('#team-name').fill(name!);
			await click('Add team');
		}
		await page.locator('#contactType-organisationId').selectOption({ label: 'Harrowfield District Council' });
		await page.locator('#contactType-code').fill('visit');
		await page.locator('#contactType-name').fill('Visit to reception');
		await click('Add contact type');
		const tree = await page.locator('main').textContent();
		expect(tree).toMatch(/Contact Centre/);
		expect(tree).toMatch(/Correspondence/);
		expect(tree).toContain('Visit to reception (visit)');
		expect(await axeViolations(page)).toEqual([]);
	});

	it('adopts catalogue standards and defines one of its own', async () => {
		for (const title of ['E-mails answered', 'Letters answered', 'Telephone calls answered']) {
			await go('/admin/standards/adopt?organisation=harrowfield');
			await page.getByLabel(title, { exact: true }).check();
			await rescored('Adopt and re-score');
		}
		await go('/admin/standards/new?organisation=harrowfield');
		await page.getByLabel('Code', { exact: true }).fill('harrowfield.visit-wait');
		await page.getByLabel('Name', { exact: true }).fill('Visitors seen within 15 minutes');
		await page.getByLabel('Visit to reception (visit)').check();
		await page.getByRole('radio', { name: 'A number of seconds', exact: true }).check();
		await page.locator('#amount-seconds').fill('900');
		await page.getByRole('radio', { name: 'No', exact: true }).check();
		await rescored('Save and re-score');
		await go('/admin/standards');
		const standards = await page.locator('main').textContent();
		for (const title of ['E-mails answered', 'Letters answered', 'Telephone calls answered', 'Visitors seen within 15 minutes']) expect(standards).toContain(title);
		expect(await axeViolations(page)).toEqual([]);
	});

	it('enters a closure range and maps its phone queue', async () => {
		await go('/admin/calendars');
		await page.locator('#organisation').selectOption({ label: 'Harrowfield District Council' });
		for (const [id, value] of [['from-day', '29'], ['from-month', '12'], ['from-year', '2026'], ['to-day', '31'], ['to-month', '12'], ['to-year', '2026']]) await page.locator(`#${id}`).fill(value!);
		await page.locator('#reason').fill('Offices closed between Christmas and New Year');
		// A check of the contacts it affects first, then adding re-scores with the progress page.
		await click('Check which contacts it affects');
		await Promise.all([page.waitForURL(/\/admin\/rescore\//), page.getByRole('button', { name: 'Add and re-score' }).click()]);
		await page.getByRole('heading', { level: 1, name: 'Re-scoring complete' }).waitFor({ timeout: 60_000 });
		await go('/admin/calendars');
		expect(await page.locator('main').textContent()).toMatch(/29 Dec(ember)? 2026[\s\S]*31 Dec(ember)? 2026|2026-12-29[\s\S]*2026-12-31/);

		await go('/admin/queues');
		await page.fill('#add-queue', 'harrowfield-main');
		await page.selectOption('#add-organisation', 'harrowfield');
		await page.selectOption('#add-service', 'customer-services');
		await page.selectOption('#add-team', 'contact-centre');
		await click('Add queue');
		expect(await page.getByRole('table', { name: /Harrowfield/ }).textContent()).toContain('harrowfield-main');
		expect(await axeViolations(page)).toEqual([]);
	});

	it('makes a mapping from its CRM export on the import page, and imports through it', async () => {
		await go('/import');
		await page.setInputFiles('#file', fixture('harrowfield-crm.csv'));
		await click('Upload and check');
		await click('make a mapping from this file', 'link');
		await page.getByRole('heading', { level: 1, name: 'Make a mapping from this file' }).waitFor();
		// Case Ref, Date Logged, First Reply, Channel, Team; Subject is ignored.
		for (const [i, column] of ['reference', 'received', 'responded', 'type', 'team'].entries()) await page.selectOption(`#ours-${i}`, column);
		await page.selectOption('#fixed-organisation', 'harrowfield');
		await page.selectOption('#fixed-service', 'customer-services');
		await page.fill('#values-type', 'E-mail = email\nWeb form = email\nLetter = letter\nPhone message = message');
		await page.fill('#values-team', 'Corr = correspondence');
		await page.getByLabel('Day first: 31/01/2026').check();
		await click('Try it');
		expect(await page.locator('.app-tried-summary').textContent()).toMatch(/4 of the first 6 rows would be imported/);
		await page.fill('#name', 'crm');
		await click('Save the mapping and use it');
		await page.getByRole('heading', { level: 1, name: 'Check the file before you import it' }).waitFor();
		expect(await axeViolations(page)).toEqual([]);
		await click('Import the file');
		await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor({ timeout: 60_000 });
		// read, accepted, updated, unchanged, skipped, rejected: 'Fax' is not mapped, and one row writes ISO dates.
		expect(await page.locator('.app-counts .app-count').allTextContents()).toEqual(['6', '4', '0', '0', '0', '2']);
		// The phone message has no standard: said, not hidden.
		expect(await page.locator('main').textContent()).toMatch(/harrowfield[\s\S]*customer-services[\s\S]*message/);
	});

	it('imports its phone system’s queue_log for the organisation, refusing the call in an unmapped queue', async () => {
		await go('/import');
		await page.setInputFiles('#file', fixture('harrowfield-queue_log'));
		await page.locator('#organisation').selectOption('harrowfield');
		await click('Upload and check');
		await click('Import the file');
		await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor({ timeout: 60_000 });
		expect(await page.locator('.app-counts .app-count').allTextContents()).toEqual(['5', '4', '0', '0', '0', '1']);
		expect(await page.locator('main').textContent()).toContain("queue 'harrowfield-planning' is not mapped to a service");
	});

	it('shows the council’s own figures on the overview and in the board report, as counted by hand', async () => {
		await go('/admin');
		expect(await checklistState('Import your first contact log')).toBe('Completed');
		await go('/?period=2026%2F27-Q3&organisation=harrowfield');
		// Set up now; what is still said is the one contact no standard measures (the phone message).
		const banners = (await page.getByRole('region', { name: 'Important' }).allTextContents()).join(' ');
		expect(banners).not.toContain('not set up');
		expect(banners).toContain('1 contact has no standard that applies to them');
		const overview = (await page.locator('main').textContent()) ?? '';
		// By hand: e-mails 1 of 2 on time; the letter on time; calls answered in 5, 12 and 19 s of 4.
		expect(overview).toMatch(/E-mails answered[\s\S]{0,200}50(\.0)?%/);
		expect(overview).toMatch(/Letters answered[\s\S]{0,200}100(\.0)?%/);
		expect(overview).toMatch(/75(\.0)?%/);
		expect(await axeViolations(page)).toEqual([]);

		const response = await page.request.get(`${server.url}/reports/harrowfield/board/2026-27-Q3/report.pdf`);
		expect(response.status()).toBe(200);
		const pdf = path.join(dataDir, 'q3.pdf');
		writeFileSync(pdf, await response.body());
		let text: string;
		try {
			text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
		} catch {
			if (process.env.YARDSTICK_REQUIRE_BROWSER) throw new Error('pdftotext (poppler-utils) is needed to read the board PDF');
			console.warn('pdftotext not found: the board PDF was fetched but not read');
			return;
		}
		expect(text).toContain('Harrowfield District Council');
		expect(text.replace(/\s+/g, ' ')).toContain('overall 71.4% of contacts (5 of 7) were answered within the promised time');
	});
});
