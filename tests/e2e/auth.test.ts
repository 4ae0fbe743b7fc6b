import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { demoCredentials, signIn, signInCookie } from '../support/auth.ts';
import { browserSession, chromiumPath } from '../support/browser.ts';

const viewports = [
	{ name: 'desktop', width: 1280, height: 900 },
	{ name: 'mobile', width: 375, height: 800 }
];

async function fitsAndPasses(page: Page, width: number, name: string) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
	await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
	expect(await axeViolations(page)).toEqual([]);
}

describe.skipIf(!chromiumPath())('signing in, roles and administration in Chromium', () => {
	const app = browserSession({ YARDSTICK_API_KEY: 'auth-test-key' });
	const cspViolations: string[] = [];
	const watch = (page: Page) => page.on('console', (message) => /Content Security Policy/i.test(message.text()) && cspViolations.push(message.text()));

	for (const viewport of viewports) {
		it(`shows the sign-in page with the demo accounts, with no accessibility violations (${viewport.name})`, async () => {
			const page = await app.browser.newPage({ viewport });
			watch(page);
			const response = await page.goto(`${app.server.url}/contacts?period=2025/26`);
			expect(new URL(page.url()).pathname).toBe('/sign-in');
			expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/contacts?period=2025/26');
			expect(response?.status()).toBe(200);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
			expect(await page.getByRole('navigation', { name: 'Menu' }).count()).toBe(0);
			expect(await page.locator('.govuk-summary-list').textContent()).toContain(demoCredentials('officer').password);
			await fitsAndPasses(page, viewport.width, `sign-in-${viewport.name}`);

			await page.getByLabel('Email address').fill('manager@demo.yardstick.example');
			await page.getByLabel('Password').fill('not the password');
			await page.getByRole('button', { name: 'Sign in', exact: true }).click();
			expect(await page.getByRole('alert').textContent()).toMatch(/The email address or password is not right/);
			expect(await page.title()).toMatch(/^Error: /);
			await fitsAndPasses(page, viewport.width, `sign-in-error-${viewport.name}`);
			await page.close();
		});
	}

	it('takes a person back to the page they asked for, shows who is signed in, and signs out', async () => {
		const page = await app.browser.newPage();
		watch(page);
		await page.goto(`${app.server.url}/standards`);
		const { email, password } = demoCredentials('team-lead');
		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password').fill(password);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await page.waitForURL(/\/standards$/);
		expect(await page.locator('.app-account').textContent()).toMatch(/Signed in as\s+Tamsin Lead\s+\(team-lead\)/);
		const sections = (await page.getByRole('navigation', { name: 'Menu' }).getByRole('link').allTextContents()).map((text) => text.trim());
		expect(sections).toContain('Contacts');
		expect(sections).not.toContain('Admin');
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(/\/sign-in$/);
		await page.goto(`${app.server.url}/standards`);
		expect(new URL(page.url()).pathname).toBe('/sign-in');
		await page.close();
	});

	it('starts an officer on the case log, showing only their team’s cases and the sections they may open', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'officer');
		expect(new URL(page.url()).pathname).toBe('/contacts');
		expect((await page.getByRole('navigation', { name: 'Menu' }).getByRole('link').allTextContents()).map((text) => text.trim())).toEqual(['Contacts', 'Due dates']);
		await page.goto(`${app.server.url}/contacts?period=2025/26`);
		const teams = await page.locator('tbody tr > :nth-child(3)').allTextContents();
		expect(teams.length).toBeGreaterThan(0);
		expect(new Set(teams.map((team) => team.trim()))).toEqual(new Set(['Correspondence']));
		const page403 = await page.goto(`${app.server.url}/standards`);
		expect(page403?.status()).toBe(403);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You do not have permission to see this page');
		expect(await axeViolations(page)).toEqual([]);
		await page.close();
	});

	it('never lets a committee viewer reach a contact: pages, API or CSV', async () => {
		const cookie = await signInCookie(app.server.url, 'committee');
		const admin = await signInCookie(app.server.url, 'admin');
		const list = await (await fetch(`${app.server.url}/contacts?period=2025/26`, { headers: { cookie: admin } })).text();
		const id = /href="\/contacts\/(\d+)"/.exec(list)![1];
		for (const path of ['/contacts', `/contacts/${id}`, '/contacts?period=2025/26&reference=A', `/contacts/${id}/__data.json`, '/contacts/__data.json']) {
			const response = await fetch(`${app.server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
			expect(response.status, path).toBe(403);
			expect(await response.text()).not.toMatch(/requester|external_ref|"reference"/);
		}
		expect((await fetch(`${app.server.url}/import/batches/1/rejections.csv`, { headers: { cookie } })).status).toBe(403);
		const api = await fetch(`${app.server.url}/api/v1/contacts`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '[]' });
		expect(api.status).toBe(401);
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'committee');
		expect(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Contacts' }).count()).toBe(0);
		await page.close();
	});

	it('shows an imported field holding <script> as text, never running it', async () => {
		const reference = '<script>window.__pwned=1</script>';
		const imported = await fetch(`${app.server.url}/api/v1/contacts`, {
			method: 'POST',
			headers: { authorization: 'Bearer auth-test-key', 'content-type': 'application/json' },
			body: JSON.stringify([{ reference, organisation: 'county', service: 'customer', type: 'email', received: '2025-06-02T10:00:00', team: 'cc-correspondence' }])
		});
		expect(await imported.json()).toMatchObject({ accepted: 1, rejected: 0 });
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'manager');
		await page.goto(`${app.server.url}/contacts?period=2025/26&sort=received&reference=${encodeURIComponent('<script>')}`);
		const link = page.locator('tbody tr').first().getByRole('link');
		expect(await link.textContent()).toBe(reference);
		await link.click();
		await page.waitForURL(/\/contacts\/\d+$/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(reference);
		expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
		expect(await page.content()).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
		await page.close();
	});

	it('answers filters holding SQL with 400 and changes nothing', async () => {
		const cookie = await signInCookie(app.server.url, 'admin');
		const firstRows = async () => {
			const html = await (await fetch(`${app.server.url}/contacts?period=2025/26`, { headers: { cookie } })).text();
			return [...html.matchAll(/href="\/contacts\/(\d+)"/g)].map((m) => m[1]).join();
		};
		const before = await firstRows();
		for (const query of [
			"reference=' OR 1=1 --",
			"team=x' or '1'='1",
			'status=open;DROP TABLE contacts',
			"standard=foi.response'; delete from assessments; --",
			"period=2025/26' union select password from accounts --",
			"organisation=county');drop table users;--",
			'sort=due desc; truncate contacts'
		]) {
			const response = await fetch(`${app.server.url}/contacts?${new URLSearchParams(Object.fromEntries([query.split(/=(.*)/s).slice(0, 2)]))}`, { headers: { cookie } });
			expect(response.status, query).toBe(400);
		}
		expect(await firstRows()).toBe(before);
		expect((await fetch(`${app.server.url}/health`)).status).toBe(200);
	});

	it('sends the security headers and refuses a form posted from another site', async () => {
		const cookie = await signInCookie(app.server.url, 'manager');
		const response = await fetch(`${app.server.url}/`, { headers: { cookie } });
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[\w+/=]+'/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('strict-transport-security')).toBeNull();
		expect(response.headers.get('cache-control')).toMatch(/no-store/);
		const html = await response.text();
		for (const script of html.matchAll(/<script\b[^>]*>/g)) expect(script[0]).toMatch(/nonce="|src="/);
		const https = await fetch(`${app.server.url}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
		expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
		const crossSite = await fetch(`${app.server.url}/sign-out`, { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
		expect(crossSite.status).toBe(403);
		// The session survived the forged sign-out.
		expect((await fetch(`${app.server.url}/`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
	});

	it('adds a user, locks them out after five wrong passwords (the right one refused too), and audits it', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/admin/users`);
		await page.getByLabel('Email address').fill('new.officer@example.gov.uk');
		await page.getByLabel('Full name').fill('Nia Newcomer');
		await page.getByLabel('Role').selectOption('officer');
		await page.getByLabel('Complaints and Feedback').check();
		await page.getByRole('button', { name: 'Add user' }).click();
		const password = (await page.locator('.govuk-panel .app-code').textContent())!.trim();
		expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
		expect(await page.locator('tbody').textContent()).toContain('new.officer@example.gov.uk');

		const visitor = await app.browser.newPage();
		for (let attempt = 1; attempt <= 6; attempt++) {
			await visitor.goto(`${app.server.url}/sign-in`);
			await visitor.getByLabel('Email address').fill('new.officer@example.gov.uk');
			await visitor.getByLabel('Password').fill(attempt === 6 ? password : `wrong-${attempt}`);
			await visitor.getByRole('button', { name: 'Sign in', exact: true }).click();
			await visitor.getByRole('alert').waitFor();
			const message = await visitor.getByRole('alert').textContent();
			expect(message).toMatch(attempt === 6 ? /Too many attempts to sign in to this account\. Wait a minute/ : /The email address or password is not right/);
		}
		expect(new URL(visitor.url()).pathname).toBe('/sign-in');
		await visitor.close();

		await page.goto(`${app.server.url}/admin/audit?entity=user`);
		expect(await page.locator('tbody').textContent()).toMatch(/admin@demo\.yardstick\.example\s*create user/);
		await page.close();
		// No email address of a failed sign-in in the server's log.
		expect(app.server.output()).not.toContain('new.officer@example.gov.uk');
	});

	it('changes a user’s role and teams, disables them (ending their session), with before and after in the audit log', async () => {
		const officer = await signInCookie(app.server.url, 'officer');
		expect((await fetch(`${app.server.url}/contacts`, { headers: { cookie: officer }, redirect: 'manual' })).status).toBe(200);
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/admin/users`);
		await page.getByRole('link', { name: 'Owen Officer' }).click();
		await page.waitForURL(/\/admin\/users\/[\w-]+$/);
		await page.getByLabel('Role').selectOption('team-lead');
		await page.getByLabel('Complaints and Feedback').check();
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.waitForURL(/saved=1/);
		expect(await page.getByRole('alert').textContent()).toMatch(/Changes to Owen Officer saved/);
		await page.getByRole('button', { name: 'Disable Owen Officer' }).click();
		await page.waitForURL(/saved=1/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Disabled/);
		expect((await fetch(`${app.server.url}/contacts`, { headers: { cookie: officer }, redirect: 'manual' })).headers.get('location')).toMatch(/^\/sign-in/);
		await page.getByRole('button', { name: 'Let them sign in again' }).click();
		await page.waitForURL(/saved=1/);

		await page.goto(`${app.server.url}/admin/audit?entity=user&actor=admin@`);
		const rows = page.locator('tbody tr');
		expect(await rows.nth(0).textContent()).toMatch(/enable user/);
		expect(await rows.nth(1).textContent()).toMatch(/disable user/);
		expect(await rows.nth(2).textContent()).toMatch(/change role user/);
		await rows.nth(2).getByText('Show').click();
		const change = await rows.nth(2).locator('.app-change').textContent();
		expect(change).toMatch(/Before[\s\S]*"role": "officer"[\s\S]*After[\s\S]*"role": "team-lead"/);
		await page.close();
	});

	it('makes an API key shown once, records its use, and refuses it once revoked', async () => {
		const page = await app.browser.newPage();
		await signIn(page, app.server.url, 'admin');
		await page.goto(`${app.server.url}/admin/api-keys`);
		await page.getByLabel('Name').fill('CRM nightly export');
		await page.getByLabel('Organisation').selectOption({ label: 'Lindenshire County Council' });
		await page.getByRole('button', { name: 'Make key' }).click();
		const key = (await page.getByTestId('new-key').textContent())!.trim();
		expect(key).toMatch(/^ys_[\w-]{43}$/);
		const post = () =>
			fetch(`${app.server.url}/api/v1/contacts`, {
				method: 'POST',
				headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
				body: JSON.stringify([{ reference: 'KEY-1', organisation: 'county', service: 'customer', type: 'email', received: '2025-06-02T10:00:00' }])
			});
		expect((await post()).status).toBe(200);
		await page.goto(`${app.server.url}/admin/api-keys`);
		expect(await page.content()).not.toContain(key);
		const row = page.locator('tbody tr', { hasText: 'CRM nightly export' });
		expect(await row.locator('td').nth(4).textContent()).not.toBe('Never');
		await row.getByRole('button', { name: /Revoke/ }).click();
		await page.waitForURL(/\/admin\/api-keys$/);
		expect(await page.locator('tbody tr', { hasText: 'CRM nightly export' }).textContent()).toContain('Revoked');
		const refused = await post();
		expect(refused.status).toBe(401);
		await page.goto(`${app.server.url}/admin/audit?entity=api_key`);
		expect(await page.locator('tbody').textContent()).toMatch(/revoke api_key[\s\S]*create api_key/);
		await page.close();
	});

	for (const viewport of viewports) {
		it(`shows every admin page with no accessibility violations or overflow (${viewport.name})`, async () => {
			const page = await app.browser.newPage({ viewport });
			watch(page);
			await signIn(page, app.server.url, 'admin');
			for (const [path, heading] of [
				['/admin', 'Administration'],
				['/admin/users', 'Users'],
				['/admin/api-keys', 'API keys'],
				['/admin/organisations', 'Organisations, services and teams'],
				['/admin/audit', 'Audit log']
			] as const) {
				const response = await page.goto(`${app.server.url}${path}`);
				expect(response?.status(), path).toBe(200);
				expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
				await fitsAndPasses(page, viewport.width, `admin${path.replace('/admin', '').replaceAll('/', '-') || '-home'}-${viewport.name}`);
			}
			await page.goto(`${app.server.url}/admin/users`);
			await page.getByRole('link', { name: 'Tamsin Lead' }).click();
			await page.waitForURL(/\/admin\/users\/[\w-]+$/);
			await fitsAndPasses(page, viewport.width, `admin-user-${viewport.name}`);
			await page.getByRole('button', { name: 'Save changes' }).waitFor();
			await page.close();
		});
	}

	it('met no Content-Security-Policy violation on any page it opened', () => {
		expect(cspViolations).toEqual([]);
	});
});
