import { describe, expect, it } from 'vitest';
import { can, permissions, routeRules, caseScope, type Viewer } from '../../src/lib/server/auth/access.ts';
import { decide, landingPage, safeRedirect } from '../../src/lib/server/auth/guard.ts';
import { claimsOf, OidcConfigError, parseOidcEnv, roleFromClaims } from '../../src/lib/server/auth/oidc.ts';
import { roles, type Role } from '../../src/lib/server/db/schema/auth.ts';

const viewer = (role: Role, teamIds: number[] = []): Viewer => ({ id: role, name: role, email: `${role}@example.gov.uk`, role, organisationId: null, teamIds });
const url = new URL('http://127.0.0.1/contacts?period=2025/26');

describe('the server hook’s decision', () => {
	const rules = { '/open': 'public', '/any': 'signed-in', '/cases': 'cases' } as const;

	it('refuses a route that has no rule, whoever asks (fail closed)', () => {
		for (const who of [null, viewer('admin')]) expect(decide({ routeId: '/forgotten', viewer: who, isPage: true, url }, rules)).toEqual({ kind: 'no-rule' });
	});

	it('sends someone not signed in to sign in from a page, and answers 401 to anything else', () => {
		expect(decide({ routeId: '/cases', viewer: null, isPage: true, url }, rules)).toEqual({ kind: 'sign-in', location: '/sign-in?redirectTo=%2Fcontacts%3Fperiod%3D2025%2F26' });
		expect(decide({ routeId: '/cases', viewer: null, isPage: false, url }, rules)).toEqual({ kind: 'unauthenticated' });
		expect(decide({ routeId: '/any', viewer: null, isPage: false, url }, rules)).toEqual({ kind: 'unauthenticated' });
	});

	it('lets public routes, and routes whose permission the role has, through; refuses the rest with 403', () => {
		expect(decide({ routeId: '/open', viewer: null, isPage: true, url }, rules).kind).toBe('allow');
		expect(decide({ routeId: '/any', viewer: viewer('committee'), isPage: true, url }, rules).kind).toBe('allow');
		expect(decide({ routeId: '/cases', viewer: viewer('officer'), isPage: true, url }, rules).kind).toBe('allow');
		expect(decide({ routeId: '/cases', viewer: viewer('committee'), isPage: true, url }, rules).kind).toBe('forbidden');
	});

	it('leaves an unmatched path to SvelteKit’s own 404', () => {
		expect(decide({ routeId: null, viewer: null, isPage: false, url }, rules).kind).toBe('allow');
	});

	it('gives every route rule a known permission', () => {
		for (const rule of Object.values(routeRules)) expect(rule === 'public' || rule === 'signed-in' || rule in permissions).toBe(true);
	});
});

describe('roles', () => {
	it('gives the committee no case-level permission and team leads and officers only their teams', () => {
		expect(can(viewer('committee'), 'cases')).toBe(false);
		expect(can(viewer('committee'), 'alerts')).toBe(false);
		expect(can(viewer('committee'), 'aggregates')).toBe(true);
		expect(can(viewer('officer'), 'aggregates')).toBe(false);
		expect(can(null, 'aggregates')).toBe(false);
		expect(caseScope(viewer('manager', [3]))).toEqual({ organisationId: null, teams: 'all' });
		expect(caseScope({ ...viewer('manager', [3]), organisationId: 7 })).toEqual({ organisationId: 7, teams: 'all' });
		expect(caseScope(viewer('team-lead', [3, 4]))).toEqual({ organisationId: null, teams: [3, 4] });
		expect(caseScope({ ...viewer('committee', [3]), organisationId: 7 })).toEqual({ organisationId: 7, teams: [] });
	});

	it('starts officers on the case log and everyone else on the overview', () => {
		expect(roles.map((role) => landingPage(viewer(role)))).toEqual(['/', '/', '/', '/contacts', '/']);
	});
});

describe('where sign-in returns to', () => {
	it.each([
		['/contacts?period=2025/26', '/contacts?period=2025/26'],
		['https://evil.example/', '/'],
		['//evil.example/', '/'],
		['/\\evil.example', '/'],
		['/\t/evil.example', '/'],
		['/\n/evil.example', '/'],
		['javascript:alert(1)', '/'],
		['/sign-in?redirectTo=/x', '/'],
		[null, '/'],
		// Beyond Latin-1 (a Location header carries bytes): percent-encoded, as a browser sends it.
		['/contacts?reference=€', '/contacts?reference=%E2%82%AC'],
		['/standards/ärger?x=✓#部', '/standards/%C3%A4rger?x=%E2%9C%93#%E9%83%A8'],
		['/contacts?reference=a%20b', '/contacts?reference=a%20b']
	])('%s → %s', (target, expected) => {
		expect(safeRedirect(target)).toBe(expected);
		// Always something a response header can carry.
		expect(() => new Headers({ location: safeRedirect(target) })).not.toThrow();
	});
});

describe('sign-in with Microsoft Entra ID or another OpenID Connect provider', () => {
	const tenant = '7b0c9f3e-1d2a-4c5b-8e6f-0a1b2c3d4e5f';

	it('is off when nothing is configured', () => {
		expect(parseOidcEnv({})).toBeNull();
	});

	it('reads an Entra ID configuration with a group mapping', () => {
		const settings = parseOidcEnv({
			YARDSTICK_OIDC_TENANT_ID: tenant.toUpperCase(),
			YARDSTICK_OIDC_CLIENT_ID: 'client',
			YARDSTICK_OIDC_CLIENT_SECRET: 'secret',
			YARDSTICK_OIDC_GROUP_ROLES: 'g-managers=manager, g-members=committee'
		})!;
		expect(settings).toMatchObject({ providerId: 'microsoft-entra-id', name: 'Microsoft', tenantId: tenant, roleClaim: 'roles' });
		expect([...settings.groupRoles]).toEqual([
			['g-managers', 'manager'],
			['g-members', 'committee']
		]);
	});

	it('reads another provider by its issuer', () => {
		expect(parseOidcEnv({ YARDSTICK_OIDC_ISSUER: 'https://id.example.gov.uk/', YARDSTICK_OIDC_CLIENT_ID: 'c', YARDSTICK_OIDC_CLIENT_SECRET: 's', YARDSTICK_OIDC_NAME: 'Council account' })).toMatchObject({
			providerId: 'oidc',
			issuer: 'https://id.example.gov.uk',
			name: 'Council account'
		});
	});

	it('refuses a half-done configuration, saying what is missing', () => {
		expect(() => parseOidcEnv({ YARDSTICK_OIDC_TENANT_ID: 'common', YARDSTICK_OIDC_CLIENT_ID: 'c' })).toThrow(OidcConfigError);
		expect(() => parseOidcEnv({ YARDSTICK_OIDC_TENANT_ID: 'common', YARDSTICK_OIDC_CLIENT_ID: 'c' })).toThrow(/CLIENT_SECRET is not set.*tenant's GUID/);
		expect(() => parseOidcEnv({ YARDSTICK_OIDC_ISSUER: 'http://id.example', YARDSTICK_OIDC_CLIENT_ID: 'c', YARDSTICK_OIDC_CLIENT_SECRET: 's' })).toThrow(/https:\/\//);
		expect(() => parseOidcEnv({ YARDSTICK_OIDC_ISSUER: 'https://id.example', YARDSTICK_OIDC_CLIENT_ID: 'c', YARDSTICK_OIDC_CLIENT_SECRET: 's', YARDSTICK_OIDC_GROUP_ROLES: 'g=boss' })).toThrow(/'g=boss'/);
	});

	const settings = { roleClaim: 'roles', groupRoles: new Map<string, Role>([['g-1', 'team-lead'], ['g-2', 'committee']]) };

	it('takes the role from app roles first, the most powerful of several', () => {
		expect(roleFromClaims({ roles: ['Yardstick.Committee', 'manager'], groups: ['g-1'] }, settings)).toBe('manager');
		expect(roleFromClaims({ roles: 'admin' }, settings)).toBe('admin');
	});

	it('falls back to the group mapping, and gives no role (so no way in) when nothing maps', () => {
		expect(roleFromClaims({ roles: ['Reader'], groups: ['g-2', 'g-1'] }, settings)).toBe('team-lead');
		expect(roleFromClaims({ groups: ['g-9'] }, settings)).toBeNull();
		expect(roleFromClaims({}, settings)).toBeNull();
	});

	it('reads the claims of an ID token', () => {
		const token = ['header', Buffer.from(JSON.stringify({ oid: 'abc', roles: ['officer'] })).toString('base64url'), 'signature'].join('.');
		expect(claimsOf(token)).toEqual({ oid: 'abc', roles: ['officer'] });
		expect(claimsOf('not-a-token')).toEqual({});
	});
});

describe('spreadsheet cells from imported data', () => {
	it.each([
		['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
		['+44 1632 960000', `'+44 1632 960000`],
		['-1+1', `'-1+1`],
		['@SUM(A1)', `'@SUM(A1)`],
		['\t=1', `'\t=1`],
		['FOI-2025-0042', 'FOI-2025-0042']
	])('neutralises %j so no spreadsheet runs it', async (cell, expected) => {
		const { neutralise } = await import('../../src/lib/server/spreadsheet.ts');
		expect(neutralise(cell)).toBe(expected);
	});
});

describe('the memory of sessions already checked', async () => {
	const cache = await import('../../src/lib/server/auth/session-cache.ts');
	const person = viewer('team-lead', [1]);

	it('reads the session token from the cookie, with or without the __Secure- prefix', () => {
		expect(cache.sessionToken('a=1; yardstick.session_token=abc.def%3D; b=2')).toBe('abc.def=');
		expect(cache.sessionToken('__Secure-yardstick.session_token=xyz')).toBe('xyz');
		expect(cache.sessionToken('other.session_token=xyz')).toBeNull();
		expect(cache.sessionToken(null)).toBeNull();
	});

	it('trusts a checked session for a minute at most, never past its expiry, and forgets a person on demand', () => {
		cache.clear();
		const now = 1_000_000;
		cache.put('token-1', person, new Date(now + 30_000), now);
		cache.put('token-2', person, new Date(now + 8 * 3600_000), now);
		expect(cache.get('token-1', now + 29_000)).toEqual(person);
		expect(cache.get('token-1', now + 30_000)).toBeNull();
		expect(cache.get('token-2', now + cache.TTL_MS - 1)).toEqual(person);
		expect(cache.get('token-2', now + cache.TTL_MS)).toBeNull();
		cache.put('token-3', person, new Date(now + 8 * 3600_000), now);
		cache.forgetUser(person.id);
		expect(cache.get('token-3', now)).toBeNull();
	});
});
