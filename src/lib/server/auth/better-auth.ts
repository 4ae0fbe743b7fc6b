/**
 * better-auth on Yardstick's own database (the drizzle adapter over the users, sessions, accounts
 * and verifications tables). One instance per database, made on first use, because the
 * session-signing secret may live in the database itself.
 *
 * Sign-up is off: people are created by an admin (/admin/users) or by `yardstick user add`.
 * Passwords are hashed with better-auth's scrypt (N=16384, r=16, p=1, 64-byte key, random salt).
 */
import { randomBytes } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accounts, appSettings, sessions, users, verifications } from '../db/schema/auth.ts';
import { oidcFromEnv, syncRoleFromIdToken, type OidcConfig } from './oidc.ts';

/** A session lasts 8 hours of inactivity; it is extended (at most once every 15 minutes) while used. */
export const SESSION_SECONDS = 8 * 60 * 60;
export const SESSION_REFRESH_SECONDS = 15 * 60;
export const MIN_PASSWORD_LENGTH = 12;

export interface AuthOptions {
	/** The app's public address (ORIGIN); inferred from each request when absent. */
	baseURL?: string;
	/** Overrides BETTER_AUTH_SECRET / the stored secret (tests). */
	secret?: string;
	oidc?: OidcConfig | null;
}

function build(db: Database, secret: string, options: AuthOptions) {
	const oidc = options.oidc === undefined ? oidcFromEnv(process.env) : options.oidc;
	const syncRole = async (account: { providerId?: string; userId?: string; idToken?: string | null }) => {
		if (oidc && account.providerId === oidc.settings.providerId && account.userId) await syncRoleFromIdToken(db, oidc.settings, account.userId, account.idToken);
	};
	return betterAuth({
		appName: 'Yardstick',
		baseURL: options.baseURL ?? process.env.ORIGIN ?? process.env.BETTER_AUTH_URL,
		secret,
		database: drizzleAdapter(db, { provider: 'pg', usePlural: true, schema: { users, sessions, accounts, verifications } }),
		emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: 128 },
		user: {
			additionalFields: {
				// Set by Yardstick, never by the person signing in.
				role: { type: 'string', required: false, input: false, defaultValue: 'officer' },
				organisationId: { type: 'number', required: false, input: false },
				disabled: { type: 'boolean', required: false, input: false, defaultValue: false }
			}
		},
		advanced: { cookiePrefix: 'yardstick' },
		session: { expiresIn: SESSION_SECONDS, updateAge: SESSION_REFRESH_SECONDS },
		// A person an admin added by email is linked to the provider's account at their first sign-in
		// there; after that they are matched by the provider's immutable id (Entra ID: oid).
		account: { accountLinking: oidc ? { enabled: true, trustedProviders: [oidc.settings.providerId] } : { enabled: false } },
		// Yardstick limits sign-in attempts itself, per account and in the database (sign-in.ts).
		rateLimit: { enabled: false },
		telemetry: { enabled: false },
		// Problems for the operator (e.g. the identity provider's discovery failing), without the
		// details better-auth attaches, which may name the person; attempts are logged by sign-in.ts.
		logger: { level: 'error', log: (level, message) => console.error(`Sign-in (${level}): ${message}`) },
		databaseHooks: {
			// The provider's token decides the role at each sign-in, before the session is made.
			account: {
				create: { after: async (account) => syncRole(account) },
				update: { after: async (account) => syncRole(account) }
			},
			session: {
				create: {
					// A disabled person gets no session, whichever way they sign in.
					before: async (session) => {
						const [user] = await db.select({ disabled: users.disabled }).from(users).where(eq(users.id, session.userId));
						return user && !user.disabled ? undefined : false;
					}
				}
			}
		},
		plugins: oidc ? [genericOAuth({ config: [oidc.provider(db)] })] : []
	});
}

export type Auth = ReturnType<typeof build>;

const instances = new WeakMap<Database, Promise<Auth>>();

/** The better-auth instance for this database (made once). */
export function authFor(db: Database, options: AuthOptions = {}): Promise<Auth> {
	let instance = instances.get(db);
	if (!instance) {
		instance = (async () => build(db, options.secret ?? (await sessionSecret(db)), options))();
		instances.set(db, instance);
		instance.catch(() => instances.delete(db));
	}
	return instance;
}

/**
 * BETTER_AUTH_SECRET when set (several servers on one database must share it); otherwise a random
 * secret made on first start and kept in app_settings, so sessions survive a restart.
 */
async function sessionSecret(db: Database): Promise<string> {
	const configured = process.env.BETTER_AUTH_SECRET;
	if (configured) {
		if (configured.length < 32) throw new Error('BETTER_AUTH_SECRET must be at least 32 characters long');
		return configured;
	}
	await db
		.insert(appSettings)
		.values({ key: 'auth_secret', value: randomBytes(32).toString('base64url') })
		.onConflictDoNothing();
	const [stored] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, 'auth_secret'));
	return stored!.value;
}
