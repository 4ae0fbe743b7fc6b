/**
 * Sign-in with Microsoft Entra ID or any OpenID Connect provider, when configured by environment:
 *
 *   YARDSTICK_OIDC_CLIENT_ID, YARDSTICK_OIDC_CLIENT_SECRET        the app registration
 *   YARDSTICK_OIDC_TENANT_ID      an Entra tenant GUID (Microsoft's endpoints; people matched by `oid`)
 *   YARDSTICK_OIDC_ISSUER         or any other provider's issuer URL (people matched by `sub`)
 *   YARDSTICK_OIDC_NAME           the button's words: "Sign in with <name>" (default Microsoft / your organisation)
 *   YARDSTICK_OIDC_ROLE_CLAIM     the claim holding app roles (default `roles`)
 *   YARDSTICK_OIDC_GROUP_ROLES    group id → role, e.g. `1b2c…=manager,9f8e…=committee`
 *
 * A person's role comes from the token at every sign-in: an app role named like a Yardstick role
 * (admin, manager, team-lead, officer, committee), else the first mapped group. Someone the
 * provider lets in with no role that maps is refused.
 */
import { microsoftEntraId, type GenericOAuthConfig } from 'better-auth/plugins/generic-oauth';
import { eq } from 'drizzle-orm';
import { roles, users, type Role } from '../db/schema/auth.ts';
import type { Database } from '../db/client.ts';
import * as audit from '../audit/record.ts';
import * as sessionCache from './session-cache.ts';

export interface OidcSettings {
	providerId: 'microsoft-entra-id' | 'oidc';
	name: string;
	clientId: string;
	clientSecret: string;
	tenantId: string | null;
	issuer: string | null;
	roleClaim: string;
	groupRoles: Map<string, Role>;
}

export interface OidcConfig {
	settings: OidcSettings;
	provider(db: Database): GenericOAuthConfig;
}

export class OidcConfigError extends Error {}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The OIDC settings in `env`, null when sign-in with a provider is not configured; throws on a half-done configuration. */
export function parseOidcEnv(env: Record<string, string | undefined>): OidcSettings | null {
	const clientId = env.YARDSTICK_OIDC_CLIENT_ID?.trim();
	const tenantId = env.YARDSTICK_OIDC_TENANT_ID?.trim() || null;
	const issuer = env.YARDSTICK_OIDC_ISSUER?.trim() || null;
	if (!clientId && !tenantId && !issuer) return null;
	const problems: string[] = [];
	if (!clientId) problems.push('YARDSTICK_OIDC_CLIENT_ID is not set');
	const clientSecret = env.YARDSTICK_OIDC_CLIENT_SECRET?.trim() ?? '';
	if (!clientSecret) problems.push('YARDSTICK_OIDC_CLIENT_SECRET is not set');
	if (!tenantId && !issuer) problems.push('set YARDSTICK_OIDC_TENANT_ID (Microsoft Entra ID) or YARDSTICK_OIDC_ISSUER (another provider)');
	if (tenantId && issuer) problems.push('set YARDSTICK_OIDC_TENANT_ID or YARDSTICK_OIDC_ISSUER, not both');
	if (tenantId && !guid.test(tenantId)) problems.push(`YARDSTICK_OIDC_TENANT_ID must be the tenant's GUID, not '${tenantId}'`);
	// https, except a provider on this machine (a test or development identity provider).
	if (issuer && !/^(https:\/\/[^\s]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/[^\s]*)?)$/.test(issuer)) problems.push(`YARDSTICK_OIDC_ISSUER must be an https:// URL, not '${issuer}'`);
	const groupRoles = new Map<string, Role>();
	for (const pair of (env.YARDSTICK_OIDC_GROUP_ROLES ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
		const [group, role] = pair.split('=').map((p) => p.trim());
		if (!group || !role || !(roles as readonly string[]).includes(role)) {
			problems.push(`YARDSTICK_OIDC_GROUP_ROLES: '${pair}' is not <group id>=<${roles.join('|')}>`);
		} else groupRoles.set(group, role as Role);
	}
	if (problems.length) throw new OidcConfigError(`Sign-in with a provider is half configured: ${problems.join('; ')}.`);
	return {
		providerId: tenantId ? 'microsoft-entra-id' : 'oidc',
		name: env.YARDSTICK_OIDC_NAME?.trim() || (tenantId ? 'Microsoft' : 'your organisation'),
		clientId: clientId!,
		clientSecret,
		tenantId: tenantId?.toLowerCase() ?? null,
		issuer: issuer?.replace(/\/$/, '') ?? null,
		roleClaim: env.YARDSTICK_OIDC_ROLE_CLAIM?.trim() || 'roles',
		groupRoles
	};
}

/** The Yardstick role a token's claims give, or null: app roles first (most powerful wins), then groups. */
export function roleFromClaims(claims: Record<string, unknown>, settings: Pick<OidcSettings, 'roleClaim' | 'groupRoles'>): Role | null {
	const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
	const granted = new Set<Role>();
	for (const name of list(claims[settings.roleClaim])) {
		const role = name.trim().toLowerCase().replace(/^yardstick[.:_-]/, '');
		if ((roles as readonly string[]).includes(role)) granted.add(role as Role);
	}
	if (!granted.size) for (const group of list(claims.groups)) {
		const role = settings.groupRoles.get(group);
		if (role) granted.add(role);
	}
	// roles is ordered from most to least powerful.
	return roles.find((role) => granted.has(role)) ?? null;
}

export function oidcFromEnv(env: Record<string, string | undefined>): OidcConfig | null {
	const settings = parseOidcEnv(env);
	if (!settings) return null;
	return { settings, provider: (db) => providerConfig(db, settings) };
}

function providerConfig(db: Database, settings: OidcSettings): GenericOAuthConfig {
	const base: GenericOAuthConfig = settings.tenantId
		? microsoftEntraId({ clientId: settings.clientId, clientSecret: settings.clientSecret, tenantId: settings.tenantId })
		: {
				providerId: 'oidc',
				clientId: settings.clientId,
				clientSecret: settings.clientSecret,
				discoveryUrl: `${settings.issuer}/.well-known/openid-configuration`,
				requireIdTokenVerification: true,
				scopes: ['openid', 'profile', 'email'],
				pkce: true
			};
	return {
		...base,
		name: settings.name,
		// The token decides the role at every sign-in; no role, no way in (session creation refuses a disabled user).
		overrideUserInfo: true,
		mapProfileToUser: async (profile) => {
			const role = roleFromClaims(profile as Record<string, unknown>, settings);
			return { role: role ?? 'committee', disabled: role === null } as Record<string, unknown>;
		}
	};
}

/**
 * After a provider sign-in, applies the role carried by the ID token (already verified by
 * better-auth) and audits a change. Called from better-auth's account hooks.
 */
export async function syncRoleFromIdToken(db: Database, settings: OidcSettings, userId: string, idToken: string | null | undefined): Promise<void> {
	if (!idToken) return;
	const role = roleFromClaims(claimsOf(idToken), settings);
	await db.transaction(async (tx) => {
		const [before] = await tx.select({ role: users.role, disabled: users.disabled, email: users.email }).from(users).where(eq(users.id, userId));
		if (!before) return;
		const after = role ? { role, disabled: before.disabled } : { role: before.role, disabled: true };
		if (after.role === before.role && after.disabled === before.disabled) return;
		await tx.update(users).set({ ...after, updatedAt: new Date() }).where(eq(users.id, userId));
		await audit.record(tx as unknown as Database, {
			actor: `oidc:${settings.providerId}`,
			action: role ? 'change role' : 'disable',
			entity: 'user',
			entityId: userId,
			before: { role: before.role, disabled: before.disabled },
			after
		});
	});
	sessionCache.forgetUser(userId);
}

/** The claims of a JWT (its signature was checked by better-auth when it arrived). */
export function claimsOf(jwt: string): Record<string, unknown> {
	const payload = jwt.split('.')[1] ?? '';
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
		return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}
