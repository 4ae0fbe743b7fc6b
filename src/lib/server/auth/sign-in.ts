/**
 * Sign-in with email and password, with a lockout kept in the database (so it holds across
 * restarts and servers): after 5 failed attempts on one account within a minute, every attempt is
 * refused — the right password included — until the minute has passed. Taking an attempt is
 * atomic (see takeAttempt), so parallel guesses cannot slip past the count. Every attempt is recorded
 * against a keyed hash of the email, never the email or password themselves.
 */
import { createHmac } from 'node:crypto';
import { and, count, eq, gt, inArray, sql } from 'drizzle-orm';
import { APIError } from 'better-auth';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import type { Database } from '../db/client.ts';
import { accounts, signInAttempts, users } from '../db/schema/auth.ts';
import { authFor } from './better-auth.ts';
import * as cache from './session-cache.ts';

export const MAX_FAILURES = 5;
export const LOCKOUT_SECONDS = 60;

export type SignInResult =
	| { outcome: 'success'; userId: string; headers: Headers }
	| { outcome: 'invalid' }
	| { outcome: 'locked'; retryAfterSeconds: number };

/** Outcomes that count towards the lockout: failures, and attempts whose password is still being checked. */
const counted = ['wrong-password', 'unknown-account', 'disabled', 'pending'];

/** The key attempts are recorded under: an HMAC of the lower-cased email with the session secret. */
export async function accountKey(db: Database, email: string): Promise<string> {
	const context = await (await authFor(db)).$context;
	return createHmac('sha256', context.secret).update(email.trim().toLowerCase()).digest('base64url').slice(0, 32);
}

/**
 * Takes one of the account's attempts, or finds it locked, atomically: under a lock per account
 * (held to the end of this short transaction), counts the last minute's failures and attempts
 * still being checked, and either records this attempt as 'pending' (it counts as a failure until
 * its outcome is known) or records it 'locked'. So however many arrive at once, at most
 * MAX_FAILURES passwords are ever checked in a minute.
 */
async function takeAttempt(db: Database, key: string, now: Date): Promise<{ id: number } | null> {
	const since = new Date(now.getTime() - LOCKOUT_SECONDS * 1000);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		await t.execute(sql`select pg_advisory_xact_lock(hashtext('yardstick.sign-in'), hashtext(${key}))`);
		const [row] = await t
			.select({ count: count() })
			.from(signInAttempts)
			.where(and(eq(signInAttempts.accountKey, key), gt(signInAttempts.at, since), inArray(signInAttempts.outcome, counted)));
		const locked = (row?.count ?? 0) >= MAX_FAILURES;
		const [attempt] = await t.insert(signInAttempts).values({ accountKey: key, outcome: locked ? 'locked' : 'pending', at: now }).returning({ id: signInAttempts.id });
		return locked ? null : { id: Number(attempt!.id) };
	});
}

/**
 * Checks the lockout, then the password (better-auth: scrypt, constant-time), and on success
 * returns the Set-Cookie headers of the new session. `headers` are the request's (user agent, IP).
 * A disabled account's password is checked too, so its answer takes as long as anyone else's.
 */
export async function signInWithPassword(db: Database, input: { email: string; password: string; headers?: Headers }, now = new Date()): Promise<SignInResult> {
	const email = input.email.trim().toLowerCase();
	const key = await accountKey(db, email);
	const attempt = await takeAttempt(db, key, now);
	if (!attempt) {
		console.warn(`Sign-in refused: account ${key.slice(0, 8)}… is locked after ${MAX_FAILURES} failed attempts`);
		return { outcome: 'locked', retryAfterSeconds: LOCKOUT_SECONDS };
	}
	const record = (outcome: string) => db.update(signInAttempts).set({ outcome }).where(eq(signInAttempts.id, attempt.id));

	const [user] = await db.select({ id: users.id, disabled: users.disabled }).from(users).where(eq(users.email, email));
	if (user?.disabled) {
		// The same scrypt work as any other answer (a disabled account must not answer faster), then refused whatever it says.
		const [credential] = await db.select({ hash: accounts.password }).from(accounts).where(and(eq(accounts.userId, user.id), eq(accounts.providerId, 'credential')));
		await (credential?.hash ? verifyPassword({ hash: credential.hash, password: input.password }) : hashPassword(input.password));
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
		if (!(error instanceof APIError)) {
			await record('failed').catch(() => {});
			throw error;
		}
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
