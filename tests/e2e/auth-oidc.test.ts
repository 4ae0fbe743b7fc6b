import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCookie } from '../support/auth.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * Sign-in through an OpenID Connect provider, end to end, against a small provider on 127.0.0.1
 * (discovery, JWKS, token and userinfo endpoints, RS256-signed ID tokens): no network.
 */
function fakeProvider() {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
	/** What the next token request for a code answers: the person's claims. */
	const codes = new Map<string, Record<string, unknown>>();
	const tokens = new Map<string, Record<string, unknown>>();
	let issuer = '';
	const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const idToken = (claims: Record<string, unknown>) => {
		const now = Math.floor(Date.now() / 1000);
		const body = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'test-key' })}.${b64({ iss: issuer, aud: 'yardstick-test', iat: now, exp: now + 300, ...claims })}`;
		return `${body}.${sign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
	};
	const server: Server = createServer(async (request, response) => {
		const url = new URL(request.url ?? '/', issuer);
		const send = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (url.pathname === '/.well-known/openid-configuration') {
			return send(200, {
				issuer,
				authorization_endpoint: `${issuer}/authorize`,
				token_endpoint: `${issuer}/token`,
				userinfo_endpoint: `${issuer}/userinfo`,
				jwks_uri: `${issuer}/jwks`,
				response_types_supported: ['code'],
				subject_types_supported: ['public'],
				id_token_signing_alg_values_supported: ['RS256']
			});
		}
		if (url.pathname === '/jwks') return send(200, { keys: [jwk] });
		if (url.pathname === '/token') {
			let text = '';
			for await (const chunk of request) text += chunk;
			const code = new URLSearchParams(text).get('code') ?? '';
			const claims = codes.get(code);
			if (!claims) return send(400, { error: 'invalid_grant' });
			codes.delete(code);
			const accessToken = randomUUID();
			tokens.set(accessToken, claims);
			return send(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken(claims) });
		}
		if (url.pathname === '/userinfo') {
			const claims = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
			if (!claims) return send(401, { error: 'invalid_token' });
			const { nonce: _nonce, ...profile } = claims;
			return send(200, profile);
		}
		send(404, { error: 'not_found' });
	});
	return {
		start: () =>
			new Promise<string>((resolve) =>
				server.listen(0, '127.0.0.1', () => {
					issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
					resolve(issuer);
				})
			),
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
		/** Approves the sign-in the app asked for (its authorize URL) as a person with these claims. */
		approve(authorizeUrl: string, claims: Record<string, unknown>): string {
			const asked = new URL(authorizeUrl);
			const code = randomUUID();
			codes.set(code, { ...claims, nonce: asked.searchParams.get('nonce') });
			const back = new URL(asked.searchParams.get('redirect_uri')!);
			back.searchParams.set('code', code);
			back.searchParams.set('state', asked.searchParams.get('state')!);
			return back.toString();
		}
	};
}

const cookiesOf = (response: Response, jar = new Map<string, string>()) => {
	for (const line of response.headers.getSetCookie()) {
		const [pair] = line.split(';');
		const [name, ...value] = pair!.split('=');
		if (value.join('=') === '') jar.delete(name!);
		else jar.set(name!, value.join('='));
	}
	return jar;
};
const header = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

describe('sign-in with an OpenID Connect provider', () => {
	const provider = fakeProvider();
	let server: RunningServer;

	beforeAll(async () => {
		const issuer = await provider.start();
		server = await startServer({
			YARDSTICK_OIDC_ISSUER: issuer,
			YARDSTICK_OIDC_CLIENT_ID: 'yardstick-test',
			YARDSTICK_OIDC_CLIENT_SECRET: 'test-secret',
			YARDSTICK_OIDC_NAME: 'Council account',
			YARDSTICK_OIDC_GROUP_ROLES: 'g-leads=team-lead,g-members=committee'
		});
	});
	afterAll(async () => {
		await server?.stop();
		await provider.stop();
	});

	/** The whole round trip: the button, the provider's approval, the callback. Returns the cookies and where it ended. */
	async function signInAs(claims: Record<string, unknown>) {
		const start = await fetch(`${server.url}/sign-in/oidc?redirectTo=%2Fstandards`, { redirect: 'manual' });
		expect(start.status).toBe(303);
		const jar = cookiesOf(start);
		const callback = await fetch(provider.approve(start.headers.get('location')!, claims), { headers: { cookie: header(jar) }, redirect: 'manual' });
		cookiesOf(callback, jar);
		return { jar, location: callback.headers.get('location') ?? '', status: callback.status };
	}

	it('offers the provider on the sign-in page', async () => {
		const html = await (await fetch(`${server.url}/sign-in`)).text();
		expect(html).toContain('href="/sign-in/oidc"');
		expect(html).toContain('Sign in with Council account');
	});

	it('signs a new person in with the role their group maps to, and back to the page they asked for', async () => {
		const result = await signInAs({ sub: 'person-1', email: 'pat.lead@example.gov.uk', email_verified: true, name: 'Pat Lead', groups: ['g-leads'] });
		expect(result.status).toBe(302);
		expect(result.location).toMatch(/\/standards$/);
		const page = await fetch(`${server.url}/standards`, { headers: { cookie: header(result.jar) }, redirect: 'manual' });
		expect(page.status).toBe(200);
		expect(await page.text()).toMatch(/Signed in as <strong>Pat Lead<\/strong> <span class="app-account__role[^"]*">\(team-lead\)/);
		// A team lead may not administer.
		expect((await fetch(`${server.url}/admin`, { headers: { cookie: header(result.jar) }, redirect: 'manual' })).status).toBe(403);
	});

	it('matches them again by their immutable id, whatever their email, and takes the role from the new token', async () => {
		const result = await signInAs({ sub: 'person-1', email: 'pat.renamed@example.gov.uk', email_verified: true, name: 'Pat Lead', groups: ['g-members'] });
		expect(result.location).toMatch(/\/standards$/);
		const html = await (await fetch(`${server.url}/standards`, { headers: { cookie: header(result.jar) } })).text();
		expect(html).toMatch(/\(committee\)/);
		const admin = await signInCookie(server.url, 'admin');
		const users = await (await fetch(`${server.url}/admin/users`, { headers: { cookie: admin } })).text();
		// One person, not a second one made for the new email address.
		expect(users.match(/>Pat Lead<\/a>/g)).toHaveLength(1);
		const audit = await (await fetch(`${server.url}/admin/audit?entity=user&actor=oidc`, { headers: { cookie: admin } })).text();
		expect(audit).toMatch(/change role user/);
	});

	it('refuses someone the provider lets in with no role that maps', async () => {
		const result = await signInAs({ sub: 'person-2', email: 'nobody@example.gov.uk', email_verified: true, name: 'No Role', groups: ['g-other'] });
		expect(result.location).toMatch(/\/sign-in\?error=/);
		const page = await fetch(`${server.url}/standards`, { headers: { cookie: header(result.jar) }, redirect: 'manual' });
		expect(page.headers.get('location')).toMatch(/^\/sign-in/);
	});

	it('refuses a callback with a forged state', async () => {
		const forged = await fetch(`${server.url}/api/auth/callback/oidc?code=x&state=forged`, { redirect: 'manual' });
		expect(forged.status).toBeGreaterThanOrEqual(300);
		expect(forged.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
	});
});
