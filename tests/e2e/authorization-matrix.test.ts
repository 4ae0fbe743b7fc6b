import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRules } from '../../src/lib/server/auth/access.ts';
import type { Role } from '../../src/lib/server/db/schema/auth.ts';
import { signInCookie } from '../support/auth.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * Who may reach what: every route of the app, requested as someone not signed in and as each
 * role's demo user, against the outcome written down here. A route without a rule in access.ts,
 * or without a row here, fails the test.
 */

/** Every route id under src/routes: a folder with a +page.svelte, +page.server.ts or +server.ts. */
function routeIds(dir = 'src/routes', id = ''): string[] {
	const found: string[] = [];
	const entries = readdirSync(dir);
	if (entries.some((name) => ['+page.svelte', '+page.server.ts', '+server.ts'].includes(name))) found.push(id || '/');
	for (const name of entries) {
		const child = path.join(dir, name);
		if (statSync(child).isDirectory()) found.push(...routeIds(child, `${id}/${name}`));
	}
	return found;
}

const viewers = ['anonymous', 'admin', 'manager', 'team-lead', 'officer', 'committee'] as const;
type Viewer = (typeof viewers)[number] | 'county-manager';

/**
 * An expected outcome: a status, 'sign-in' (303 to /sign-in?redirectTo=…), or 'to:<path>'
 * (303 to that path).
 */
type Outcome = 200 | 303 | 400 | 401 | 403 | 404 | 405 | 'sign-in' | `to:${string}`;
/** Outcomes in the order of `viewers`: anonymous, admin, manager, team-lead, officer, committee. */
type Outcomes = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

interface Ids {
	/** A contact of the county's Correspondence team (the team lead's and the officer's). */
	ownContact: string;
	/** A contact of the borough's Customer Service Centre (no demo team lead's or officer's). */
	otherContact: string;
	/** A user's id, for the admin's user page. */
	userId: string;
	/** An import batch with a rejected row. */
	batchId: string;
	/** An upload the demo manager made and has not confirmed: bound to them. */
	managerUpload: string;
}

interface Row {
	route: string;
	what: string;
	method?: 'GET' | 'POST';
	path: (ids: Ids) => string;
	/** A form body (urlencoded) for POST. */
	form?: Record<string, string>;
	accept?: string;
	expect: Outcomes;
	/**
	 * A manager bound to the county (given a county team): what the demo manager gets (who is
	 * bound to no organisation) unless said here.
	 */
	countyManager?: Outcome;
}

const page = 'text/html';
// Outcome rows for the common rules (pages, GET).
const aggregates: Outcomes = ['sign-in', 200, 200, 200, 403, 200];
const cases: Outcomes = ['sign-in', 200, 200, 200, 200, 403];
const importing: Outcomes = ['sign-in', 200, 200, 200, 403, 403];
const administer: Outcomes = ['sign-in', 200, 403, 403, 403, 403];
const reports: Outcomes = ['sign-in', 200, 200, 200, 403, 200];

const table: Row[] = [
	// Public
	{ route: '/health', what: 'health check', path: () => '/health', accept: 'application/json', expect: [200, 200, 200, 200, 200, 200] },
	{ route: '/sign-in', what: 'sign-in page (signed in: to their start page)', path: () => '/sign-in', expect: [200, 'to:/', 'to:/', 'to:/', 'to:/contacts', 'to:/'] },
	// Signed in already: the problem is not shown, the person is sent to their start page.
	{ route: '/sign-in', what: 'sign-in with nothing filled in', method: 'POST', path: () => '/sign-in', form: {}, expect: [400, 'to:/', 'to:/', 'to:/', 'to:/contacts', 'to:/'] },
	{ route: '/sign-in/oidc', what: 'provider sign-in when none is configured', path: () => '/sign-in/oidc', expect: [404, 404, 404, 404, 404, 404] },
	{ route: '/sign-out', what: 'sign-out (its own session)', method: 'POST', path: () => '/sign-out', form: {}, expect: ['to:/sign-in', 'to:/sign-in', 'to:/sign-in', 'to:/sign-in', 'to:/sign-in', 'to:/sign-in'] },
	{ route: '/refused', what: 'the refusal page', path: () => '/refused', expect: [200, 200, 200, 200, 200, 200] },
	{ route: '/api/auth/[...path]', what: 'better-auth sign-up (not offered)', method: 'POST', path: () => '/api/auth/sign-up/email', accept: 'application/json', expect: [404, 404, 404, 404, 404, 404] },
	{ route: '/api/auth/[...path]', what: 'better-auth session endpoint (not offered)', path: () => '/api/auth/get-session', accept: 'application/json', expect: [404, 404, 404, 404, 404, 404] },
	// The import API takes API keys, never a session.
	{ route: '/api/v1/contacts', what: 'import API without a key', method: 'POST', path: () => '/api/v1/contacts', accept: 'application/json', expect: [401, 401, 401, 401, 401, 401] },
	{ route: '/api/v1/canvass', what: 'canvass import API without a key', method: 'POST', path: () => '/api/v1/canvass', accept: 'application/json', expect: [401, 401, 401, 401, 401, 401] },
	{ route: '/api/v1/register-changes', what: 'register-changes import API without a key', method: 'POST', path: () => '/api/v1/register-changes', accept: 'application/json', expect: [401, 401, 401, 401, 401, 401] },

	// Aggregates
	{ route: '/', what: 'overview (officers: their case log)', path: () => '/?period=2025/26', expect: ['sign-in', 200, 200, 200, 'to:/contacts', 200] },
	{ route: '/standards', what: 'standards', path: () => '/standards', expect: aggregates },
	{ route: '/standards/[code]', what: 'one standard', path: () => '/standards/foi.response?period=2025/26', expect: aggregates },
	{ route: '/standards/[code]/what-if', what: 'what-if', path: () => '/standards/foi.response/what-if', expect: ['sign-in', 200, 200, 403, 403, 403] },
	{ route: '/phone', what: 'phone', path: () => '/phone?period=2025/26', expect: aggregates },
	{ route: '/phone/staffing', what: 'phone staffing', path: () => '/phone/staffing', expect: aggregates },
	{ route: '/indicators', what: 'indicators', path: () => '/indicators', expect: aggregates },
	{ route: '/indicators', what: 'indicator commentary, empty form', method: 'POST', path: () => '/indicators?/commentary', form: {}, expect: ['sign-in', 400, 400, 403, 403, 403] },
	{ route: '/duties', what: 'duties', path: () => '/duties', expect: aggregates },
	{ route: '/duties', what: 'record publication, empty form', method: 'POST', path: () => '/duties?/publication', form: {}, expect: ['sign-in', 400, 400, 403, 403, 403] },
	{ route: '/risks', what: 'risks', path: () => '/risks', expect: aggregates },
	{ route: '/risks', what: 'risk review, empty form', method: 'POST', path: () => '/risks?/review', form: {}, expect: ['sign-in', 400, 400, 403, 403, 403] },
	// Customer feedback: aggregates for all who see dashboards (free text by role, inside the page); its log changes for managers.
	{ route: '/feedback', what: 'customer feedback', path: () => '/feedback', expect: aggregates },
	{ route: '/feedback', what: "add a 'you said, we did' action, empty form", method: 'POST', path: () => '/feedback?/addAction', form: {}, expect: ['sign-in', 400, 400, 403, 403, 403] },
	// The public survey: no sign-in for anyone; a link that is not one of ours says so.
	{ route: '/survey/[token=survey]', what: 'a survey link that was never made', path: () => `/survey/${'A'.repeat(16)}.zz.${'B'.repeat(22)}`, expect: [200, 200, 200, 200, 200, 200] },

	// Cases
	{ route: '/contacts', what: 'case log', path: () => '/contacts?period=2025/26', expect: cases },
	{ route: '/contacts', what: 'case log CSV-style injection in a filter', path: () => "/contacts?team=x'%20or%20'1'='1", expect: ['sign-in', 400, 400, 400, 400, 403] },
	{ route: '/contacts/[id=id]', what: 'a Correspondence contact', path: (ids) => `/contacts/${ids.ownContact}`, expect: cases },
	{ route: '/contacts/[id=id]', what: "a complaint's stage and outcome, empty form", method: 'POST', path: (ids) => `/contacts/${ids.ownContact}?/complaint`, form: {}, expect: ['sign-in', 400, 400, 403, 403, 403] },
	{ route: '/contacts/[id=id]', what: 'a survey link for a borough contact outside their teams', method: 'POST', path: (ids) => `/contacts/${ids.otherContact}?/surveyLink`, form: {}, expect: ['sign-in', 200, 200, 404, 404, 403], countyManager: 404 },
	{ route: '/contacts/[id=id]', what: "a borough contact: outside the lead's and officer's teams and the county manager's organisation", path: (ids) => `/contacts/${ids.otherContact}`, expect: ['sign-in', 200, 200, 404, 404, 403], countyManager: 404 },
	// Bound to the county (by their teams, or as its manager): the filter offers no other organisation, so asking for one is a 400 with the reason.
	{ route: '/contacts', what: "the case log asked for another organisation's cases (refused to anyone bound to the county)", path: () => '/contacts?period=2025/26&organisation=borough', expect: ['sign-in', 200, 200, 400, 400, 403], countyManager: 400 },
	{ route: '/alerts', what: 'alerts', path: () => '/alerts', expect: ['sign-in', 200, 200, 200, 403, 403] },
	{ route: '/alerts', what: 'acknowledge an alert, empty form', method: 'POST', path: () => '/alerts?/acknowledge', form: {}, expect: ['sign-in', 400, 400, 400, 403, 403] },
	{ route: '/alerts/stream', what: 'alerts live stream (SSE)', path: () => '/alerts/stream', accept: 'text/event-stream', expect: [401, 200, 200, 200, 403, 403] },

	{ route: '/due', what: 'due-date look-up', path: () => '/due', expect: ['sign-in', 200, 200, 200, 200, 403] },

	// Import
	{ route: '/import', what: 'import page', path: () => '/import', expect: importing },
	{ route: '/import', what: 'upload with no file', method: 'POST', path: () => '/import?/upload', form: {}, expect: ['sign-in', 400, 400, 400, 403, 403] },
	{ route: '/import/[token=token]', what: 'an upload that does not exist', path: () => '/import/AAAAAAAAAAAAAAAAAAAAAA', expect: ['sign-in', 404, 404, 404, 403, 403] },
	{ route: '/import/[token=token]/progress', what: 'import progress (SSE) of no upload', path: () => '/import/AAAAAAAAAAAAAAAAAAAAAA/progress', accept: 'text/event-stream', expect: [401, 404, 404, 404, 403, 403] },
	// An upload is its uploader's alone: to anyone else (an admin included) its token does not exist.
	{ route: '/import/[token=token]', what: "the demo manager's upload", path: (ids) => `/import/${ids.managerUpload}`, expect: ['sign-in', 404, 200, 404, 403, 403], countyManager: 404 },
	{ route: '/import/[token=token]/progress', what: "the demo manager's upload's progress (SSE)", path: (ids) => `/import/${ids.managerUpload}/progress`, accept: 'text/event-stream', expect: [401, 404, 200, 404, 403, 403], countyManager: 404 },
	// The batch came through the API: a team lead may read only the rejected rows of imports they ran.
	{ route: '/import/batches/[id=id]/remove', what: 'remove an import batch: confirmation', path: (ids) => `/import/batches/${ids.batchId}/remove`, expect: ['sign-in', 200, 200, 403, 403, 403] },
	{ route: '/import/batches/[id=id]/remove', what: 'remove an import batch, not confirmed', method: 'POST', path: (ids) => `/import/batches/${ids.batchId}/remove`, form: {}, expect: ['sign-in', 400, 400, 403, 403, 403] },
	{ route: '/import/batches/[id=id]/rejections.csv', what: 'rejected rows (CSV)', path: (ids) => `/import/batches/${ids.batchId}/rejections.csv`, accept: 'text/csv', expect: [401, 200, 200, 404, 403, 403] },

	{ route: '/import/[token=token]/mapping', what: 'make a mapping from an upload that does not exist', path: () => '/import/AAAAAAAAAAAAAAAAAAAAAA/mapping', expect: ['sign-in', 404, 404, 403, 403, 403] },
	{ route: '/import/mappings', what: 'import mappings', path: () => '/import/mappings', expect: ['sign-in', 200, 200, 403, 403, 403] },
	{ route: '/import/mappings', what: 'remove an import mapping, empty form', method: 'POST', path: () => '/import/mappings?/remove', form: {}, expect: ['sign-in', 400, 400, 403, 403, 403] },
	{ route: '/import/mappings/[name]', what: 'a mapping that does not exist', path: () => '/import/mappings/no-such-mapping', expect: ['sign-in', 404, 404, 403, 403, 403] },

	// Reports
	{ route: '/reports', what: 'reports', path: () => '/reports', expect: reports },
	{ route: '/reports/[organisation]/[kind]/[quarter]', what: 'a board report (unpublished: committee sees none)', path: () => '/reports/county/board/2025-26-Q2', expect: ['sign-in', 200, 200, 200, 403, 404] },
	{ route: '/reports/report.css', what: 'the reports’ stylesheet', path: () => '/reports/report.css', accept: 'text/css', expect: [401, 200, 200, 200, 403, 200] },
	{ route: '/reports/[organisation]/[kind]/[quarter]/[file]', what: 'a board report as CSV', path: () => '/reports/county/board/2025-26-Q2/report.csv', accept: 'text/csv', expect: [401, 200, 200, 200, 403, 404] },

	// Administration
	{ route: '/admin', what: 'admin', path: () => '/admin', expect: administer },
	{ route: '/admin/users', what: 'users', path: () => '/admin/users', expect: administer },
	{ route: '/admin/users', what: 'invite a user, empty form', method: 'POST', path: () => '/admin/users?/invite', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/users/[id]', what: 'one user', path: (ids) => `/admin/users/${ids.userId}`, expect: administer },
	{ route: '/admin/users', what: 'add people from a CSV file, no file', method: 'POST', path: () => '/admin/users?/bulk', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/account/password', what: 'change your password', path: () => '/account/password', expect: ['sign-in', 200, 200, 200, 200, 200] },
	{ route: '/account/password', what: 'change your password, empty form', method: 'POST', path: () => '/account/password', form: {}, expect: ['sign-in', 400, 400, 400, 400, 400] },
	{ route: '/admin/users/[id]', what: "change a user's role, empty form", method: 'POST', path: (ids) => `/admin/users/${ids.userId}?/update`, form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/api-keys', what: 'API keys', path: () => '/admin/api-keys', expect: administer },
	{ route: '/admin/api-keys', what: 'create an API key, empty form', method: 'POST', path: () => '/admin/api-keys?/create', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/organisations', what: 'organisations, services and teams', path: () => '/admin/organisations', expect: administer },
	{ route: '/admin/organisations', what: 'add a team, empty form', method: 'POST', path: () => '/admin/organisations?/team', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/organisations', what: 'add a contact type, empty form', method: 'POST', path: () => '/admin/organisations?/contactType', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/audit', what: 'audit log', path: () => '/admin/audit', expect: administer },
	{ route: '/admin/queues', what: 'phone queues', path: () => '/admin/queues', expect: administer },
	{ route: '/admin/queues', what: 'add a queue, empty form', method: 'POST', path: () => '/admin/queues?/add', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/standards', what: 'standards (admin)', path: () => '/admin/standards', expect: administer },
	{ route: '/admin/standards/[code]', what: 'one standard (admin)', path: () => '/admin/standards/foi.response', expect: administer },
	{ route: '/admin/standards/[code]', what: 'retire a standard, empty form', method: 'POST', path: () => '/admin/standards/foi.response?/retire', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/standards/adopt', what: 'adopt a catalogue standard', path: () => '/admin/standards/adopt?organisation=borough', expect: administer },
	{ route: '/admin/standards/adopt', what: 'adopt a catalogue standard, empty form', method: 'POST', path: () => '/admin/standards/adopt?organisation=borough', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/standards/new', what: 'define a standard', path: () => '/admin/standards/new?organisation=county', expect: administer },
	{ route: '/admin/standards/new', what: 'define a standard, empty form', method: 'POST', path: () => '/admin/standards/new?organisation=county', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/calendars', what: 'calendars', path: () => '/admin/calendars', expect: administer },
	{ route: '/admin/calendars', what: 'add a closure day, empty form', method: 'POST', path: () => '/admin/calendars?/add', form: {}, expect: ['sign-in', 400, 403, 403, 403, 403] },
	{ route: '/admin/rescore/[token=token]', what: 'a re-scoring run that does not exist', path: () => '/admin/rescore/AAAAAAAAAAAAAAAAAAAAAA', expect: ['sign-in', 404, 403, 403, 403, 403] },
	{ route: '/admin/rescore/[token=token]/progress', what: 're-scoring progress (SSE) of no run', path: () => '/admin/rescore/AAAAAAAAAAAAAAAAAAAAAA/progress', accept: 'text/event-stream', expect: [401, 404, 403, 403, 403, 403] },

	// A path no route matches stays a plain 404 for everyone.
	{ route: '(none)', what: 'no such page', path: () => '/no-such-page', expect: [404, 404, 404, 404, 404, 404] }
];

describe('every route has a rule and a row in the authorization matrix', () => {
	const routes = routeIds();

	it('finds the app’s routes on disk', () => {
		expect(routes).toEqual(expect.arrayContaining(['/', '/contacts', '/contacts/[id=id]', '/sign-in', '/admin/users']));
	});

	it('has a rule in access.ts for every route (a route without one is refused, fail closed)', () => {
		expect(routes.filter((id) => !(id in routeRules))).toEqual([]);
	});

	it('has at least one row here for every route', () => {
		const covered = new Set(table.map((row) => row.route));
		expect(routes.filter((id) => !covered.has(id))).toEqual([]);
	});
});

describe('the authorization matrix, over HTTP against the built server', () => {
	let server: RunningServer;
	const cookies = {} as Record<Viewer, string>;
	const ids = {} as Ids;

	async function request(row: Row, cookie: string): Promise<{ status: number; location: string | null }> {
		const controller = new AbortController();
		const headers: Record<string, string> = { accept: row.accept ?? page };
		if (cookie) headers.cookie = cookie;
		let body: string | undefined;
		if ((row.method ?? 'GET') === 'POST') {
			headers.origin = server.url;
			headers['content-type'] = 'application/x-www-form-urlencoded';
			body = new URLSearchParams(row.form ?? {}).toString();
		}
		const response = await fetch(`${server.url}${row.path(ids)}`, { method: row.method ?? 'GET', headers, body, redirect: 'manual', signal: controller.signal });
		// Streams (SSE) never end: the status and headers are the answer.
		controller.abort();
		return { status: response.status, location: response.headers.get('location') };
	}

	function outcomeOf(answer: { status: number; location: string | null }, row: Row): Outcome {
		if (answer.status === 303 && answer.location) {
			if (answer.location.startsWith('/sign-in?redirectTo=') || (answer.location === '/sign-in' && row.route !== '/sign-out')) return 'sign-in';
			return `to:${answer.location}`;
		}
		return answer.status as Outcome;
	}

	const countyManager = { email: 'county.manager@example.gov.uk', password: '' };

	/** The Cookie header of a fresh session for these credentials. */
	async function signInAs(email: string, password: string, redirectTo?: string): Promise<string> {
		const response = await signInResponse(email, password, redirectTo);
		if (response.status !== 303) throw new Error(`signing in as ${email} answered ${response.status}`);
		return response.headers
			.getSetCookie()
			.map((line) => line.split(';')[0])
			.join('; ');
	}
	const signInResponse = (email: string, password: string, redirectTo?: string) =>
		fetch(`${server.url}/sign-in${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html' },
			body: new URLSearchParams({ email, password })
		});

	/** An admin adds someone with one team (by its name on the form); their one-time password. */
	async function invite(email: string, role: Role, team: string): Promise<string> {
		const form = await (await fetch(`${server.url}/admin/users`, { headers: { cookie: cookies.admin } })).text();
		const teamId = new RegExp(`for="team-(\\d+)">${team}\\s*<`).exec(form)?.[1];
		if (!teamId) throw new Error(`no team ${team} on the form`);
		const response = await fetch(`${server.url}/admin/users?/invite`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html', cookie: cookies.admin },
			body: new URLSearchParams({ email, name: 'County Manager', role, teams: teamId })
		});
		const password = /([a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{5})/.exec(await response.text())?.[1];
		if (response.status !== 200 || !password) throw new Error(`inviting ${email} answered ${response.status}`);
		return password;
	}

	/** Uploads a contact log on the /import page as `cookie`; the upload's token. */
	async function upload(cookie: string, csv: string): Promise<string> {
		const form = new FormData();
		form.set('kind', 'contacts');
		form.set('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
		const response = await fetch(`${server.url}/import?/upload`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: server.url, accept: 'text/html', cookie } });
		const token = /^\/import\/([\w-]{22})$/.exec(response.headers.get('location') ?? '')?.[1];
		if (response.status !== 303 || !token) throw new Error(`uploading answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
		return token;
	}

	const post = (path: string, cookie: string, form: Record<string, string> = {}) =>
		fetch(`${server.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, accept: 'text/html', cookie }, body: new URLSearchParams(form) });
	const pageHtml = async (path: string, cookie: string) => (await fetch(`${server.url}${path}`, { headers: { accept: 'text/html', cookie } })).text();
	const contactLinks = (html: string) => [...html.matchAll(/href="\/contacts\/(\d+)"[^>]*>([^<]+)</g)].map((m) => ({ id: m[1]!, reference: m[2]! }));

	beforeAll(async () => {
		server = await startServer({ YARDSTICK_API_KEY: 'matrix-test-key' });
		for (const role of viewers) cookies[role] = role === 'anonymous' ? '' : await signInCookie(server.url, role as Role);
		const html = async (pathname: string) => (await fetch(`${server.url}${pathname}`, { headers: { cookie: cookies.admin } })).text();
		const first = (text: string, pattern: RegExp) => {
			const match = pattern.exec(text);
			if (!match) throw new Error(`no match for ${pattern}`);
			return match[1]!;
		};
		ids.ownContact = first(await html('/contacts?period=2025/26&team=cc-correspondence'), /href="\/contacts\/(\d+)"/);
		ids.otherContact = first(await html('/contacts?period=2025/26&team=csc-enquiries'), /href="\/contacts\/(\d+)"/);
		ids.userId = first(await html('/admin/users'), /href="\/admin\/users\/([\w-]+)"/);
		// An import batch with a rejected row, through the API.
		const imported = await fetch(`${server.url}/api/v1/contacts`, {
			method: 'POST',
			headers: { authorization: 'Bearer matrix-test-key', 'content-type': 'application/json' },
			body: JSON.stringify([{ reference: 'MATRIX-1', organisation: 'county', service: 'customer', type: 'nonsense', received: '2025-03-03' }])
		});
		expect(imported.status).toBe(200);
		// The demo loads no import batches, so the API's is the first.
		ids.batchId = '1';

		// A manager bound to the county: an admin gives them a county team.
		countyManager.password = await invite('county.manager@example.gov.uk', 'manager', 'Correspondence');
		cookies['county-manager'] = await signInAs(countyManager.email, countyManager.password);
		ids.managerUpload = await upload(cookies.manager, 'reference,organisation,service,type,received\nMATRIX-UP-1,county,customer,email,2026-01-05\n');
	}, 240_000);
	afterAll(() => server?.stop());

	it('answers every route as the table says, for someone not signed in and each role', async () => {
		const mismatches: string[] = [];
		for (const row of table) {
			for (const [index, viewer] of [...viewers, 'county-manager' as const].entries()) {
				const expected = viewer === 'county-manager' ? (row.countyManager ?? row.expect[2]) : row.expect[index]!;
				// Signing out ends the session: use a fresh one.
				const fresh = () => (viewer === 'county-manager' ? signInAs(countyManager.email, countyManager.password) : signInCookie(server.url, viewer as Role));
				const cookie = row.route === '/sign-out' && viewer !== 'anonymous' ? await fresh() : cookies[viewer];
				const outcome = outcomeOf(await request(row, cookie), row);
				if (outcome !== expected) mismatches.push(`${row.method ?? 'GET'} ${row.path(ids)} (${row.what}) as ${viewer}: expected ${expected}, got ${outcome}`);
			}
		}
		expect(mismatches).toEqual([]);
	}, 300_000);

	it("shows a manager bound to the county none of the borough's cases, however asked", async () => {
		const boroughLog = contactLinks(await pageHtml('/contacts?period=2025/26&organisation=borough', cookies.manager));
		expect(boroughLog.length).toBeGreaterThan(0);
		expect(contactLinks(await pageHtml('/contacts?period=2025/26&organisation=borough', cookies['county-manager']))).toEqual([]);
		expect(contactLinks(await pageHtml(`/contacts?reference=${encodeURIComponent(boroughLog[0]!.reference)}`, cookies['county-manager']))).toEqual([]);
		expect(contactLinks(await pageHtml('/contacts?period=2025/26', cookies['county-manager'])).length).toBeGreaterThan(0);
		// A standard both councils publish: its breaches list holds no borough contact.
		const borough = new Set(boroughLog.map((c) => c.id));
		const breaches = contactLinks(await pageHtml('/standards/foi.response?period=2025/26', cookies['county-manager']));
		expect(breaches.filter((c) => borough.has(c.id))).toEqual([]);
		expect(await pageHtml('/due?standard=email.reply&received=2026-01-05&organisation=borough', cookies['county-manager'])).toMatch(/&#39;borough&#39; is not one of yours|'borough' is not one of yours/);
	});

	it("keeps a team lead's upload to their teams: other teams' and the borough's contacts are untouched and stay out of sight", async () => {
		// Stored first through the API (source 'import', as the page's uploads): one of another county team, one of the borough.
		const stored = await fetch(`${server.url}/api/v1/contacts?source=import`, {
			method: 'POST',
			headers: { authorization: 'Bearer matrix-test-key', 'content-type': 'application/json' },
			body: JSON.stringify([
				{ reference: 'MATRIX-PHONES', organisation: 'county', service: 'customer', type: 'email', received: '2026-01-05T10:00', team: 'cc-contact-centre' },
				{ reference: 'MATRIX-BOROUGH', organisation: 'borough', service: 'customer', type: 'email', received: '2026-01-05T10:00', team: 'csc-enquiries' }
			])
		});
		expect(await stored.json()).toMatchObject({ accepted: 2, rejected: 0 });
		const token = await upload(
			cookies['team-lead'],
			[
				'reference,organisation,service,type,received,responded,team',
				'MATRIX-PHONES,county,customer,email,2026-01-05T10:00,2026-01-06T09:00,cc-correspondence',
				'MATRIX-BOROUGH,borough,customer,email,2026-01-05T10:00,2026-01-06T09:00,csc-enquiries',
				'MATRIX-BOROUGH-NEW,borough,customer,email,2026-01-05T10:00,,csc-enquiries',
				'MATRIX-MINE,county,customer,email,2026-01-05T10:00,,cc-correspondence'
			].join('\n')
		);
		expect((await post(`/import/${token}?/confirm`, cookies['team-lead'])).status).toBe(303);
		let html = '';
		for (let i = 0; i < 120 && !/Rejected rows/.test(html); i++) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			html = await pageHtml(`/import/${token}`, cookies['team-lead']);
		}
		expect(html).toMatch(/is a contact of team &#39;cc-contact-centre&#39;, which is not one of yours|is a contact of team 'cc-contact-centre', which is not one of yours/);
		expect(html).toMatch(/Row 3: organisation (&#39;|')borough(&#39;|') is not yours: you import for county only/);
		expect(html).toMatch(/Row 4: organisation (&#39;|')borough(&#39;|') is not yours: you import for county only/);
		// Nothing of the other team's contact changed, so the lead still cannot see it; the admin sees it as it was.
		expect(contactLinks(await pageHtml('/contacts?reference=MATRIX-PHONES', cookies['team-lead']))).toEqual([]);
		expect(contactLinks(await pageHtml('/contacts?reference=MATRIX-MINE', cookies['team-lead']))).toHaveLength(1);
		const asAdmin = await pageHtml('/contacts?reference=MATRIX-PHONES', cookies.admin);
		expect(asAdmin).toMatch(/Contact Centre/);
		expect(contactLinks(await pageHtml('/contacts?reference=MATRIX-BOROUGH-NEW', cookies.admin))).toEqual([]);
	});

	it("lets no one but the uploader confirm or cancel an upload", async () => {
		expect((await post(`/import/${ids.managerUpload}?/cancel`, cookies['team-lead'])).status).toBe(404);
		expect((await post(`/import/${ids.managerUpload}?/confirm`, cookies['county-manager'])).status).toBe(404);
		expect((await post(`/import/${ids.managerUpload}?/cancel`, cookies.admin)).status).toBe(404);
		expect(await pageHtml(`/import/${ids.managerUpload}`, cookies.manager)).toMatch(/Import the file/);
		expect((await post(`/import/${ids.managerUpload}?/cancel`, cookies.manager)).headers.get('location')).toBe('/import');
	});

	it('answers a refused page on a nested path with styles and scripts that load', async () => {
		const response = await fetch(`${server.url}/admin/users/${ids.userId}`, { headers: { accept: 'text/html', cookie: cookies['team-lead'] } });
		expect(response.status).toBe(403);
		const html = await response.text();
		const assets = [...html.matchAll(/(?:href|src)="([^"]*_app\/[^"]+)"/g)].map((m) => m[1]!);
		expect(assets.length).toBeGreaterThan(0);
		for (const asset of assets) {
			expect(asset.startsWith('/')).toBe(true);
			expect((await fetch(new URL(asset, `${server.url}/admin/users/${ids.userId}`))).status).toBe(200);
		}
	});

	it('signs in and returns to an address beyond Latin-1', async () => {
		const response = await signInResponse(countyManager.email, countyManager.password, '/contacts?reference=€-部');
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/contacts?reference=%E2%82%AC-%E9%83%A8');
	});

	it('answered all of it without a server error', () => {
		expect(server.output()).not.toMatch(/\n\s+at .*:\d+:\d+/);
	});
});
