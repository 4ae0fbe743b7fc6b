/**
 * Sign-in with email and password, with a lockout kept in the database (so it holds across
 * restarts and servers): after 5 failed attempts on one account within a minute, every attempt is
 * refused — the right password included — until the minute has passed. Every attempt is recorded
 * against a keyed hash of the email, never the email or password themselves.
 */
import { createHmac } from 'node:crypto';
import { and, count, eq, gt, inArray } from 'drizzle-orm';
import { APIError } from 'better-auth';
import type { Database } from '../db/client.ts';
import { signInAttempts, users } from '../db/schema/auth.ts';
import { authFor } from './better-auth.ts';
import * as cache from './session-cache.ts';

export const MAX_FAILURES = 5;
export const LOCKOUT_SECONDS = 60;

export type SignInResult =
	| { outcome: 'success'; userId: string; headers: Headers }
	| { outcome: 'invalid' }
	| { outcome: 'locked'; retryAfterSeconds: number };

const failures = ['wrong-password', 'unknown-account', 'disabled'];

/** The key attempts are recorded under: an HMAC of the lower-cased email with the session secret. */
export async function accountKey(db: Database, email: string): Promise<string> {
	const context = await (await authFor(db)).$context;
	return createHmac('sha256', context.secret).update(email.trim().toLowerCase()).digest('base64url').slice(0, 32);
}

async function recentFailures(db: Database, key: string, now: Date): Promise<{ count: number }> {
	const since = new Date(now.getTime() - LOCKOUT_SECONDS * 1000);
	const [row] = await db
		.select({ count: count() })
		.from(signInAttempts)
		.where(and(eq(signInAttempts.accountKey, key), gt(signInAttempts.at, since), inArray(signInAttempts.outcome, failures)));
	return { count: row?.count ?? 0 };
}

/**
 * Checks the lockout, then the password (better-auth: scrypt, constant-time), and on success
 * returns the Set-Cookie headers of the new session. `headers` are the request's (user agent, IP).
 */
export async function signInWithPassword(db: Database, input: { email: string; password: string; headers?: Headers }, now = new Date()): Promise<SignInResult> {
	const email = input.email.trim().toLowerCase();
	const key = await accountKey(db, email);
	const record = (outcome: string) => db.insert(signInAttempts).values({ accountKey: key, outcome, at: now });

	if ((await recentFailures(db, key, now)).count >= MAX_FAILURES) {
		await record('locked');
		console.warn(`Sign-in refused: account ${key.slice(0, 8)}… is locked after ${MAX_FAILURES} failed attempts`);
		return { outcome: 'locked', retryAfterSeconds: LOCKOUT_SECONDS };
	}
	const [user] = await db.select({ id: users.id, disabled: users.disabled }).from(users).where(eq(users.email, email));
	if (user?.disabled) {
		await record('disabled');
		return { outcome: 'invalid' };
	}
	const auth = await authFor(db);
	try {
		const { headers, response } = await auth.api.signInEmail({
			body: { email, password: input.password, rememberMe: true },
			headers: input.headers ?? new Headers(),
			returnHeaders: true
		});
		await record('success');
		return { outcome: 'success', userId: response.user.id, headers };
	} catch (error) {
		if (!(error instanceof APIError)) throw error;
		await record(user ? 'wrong-password' : 'unknown-account');
		console.warn(`Sign-in failed for account ${key.slice(0, 8)}… (${user ? 'wrong password' : 'no such account'})`);
		return { outcome: 'invalid' };
	}
}

/** Ends the session the request carries; the Set-Cookie headers clear the cookie. */
export async function signOut(db: Database, headers: Headers): Promise<Headers> {
	const token = cache.sessionToken(headers.get('cookie'));
	if (token) cache.forgetToken(token);
	const auth = await authFor(db);
	try {
		const result = await auth.api.signOut({ headers, returnHeaders: true });
		return result.headers;
	} catch (error) {
		if (error instanceof APIError) return new Headers();
		throw error;
	}
}
