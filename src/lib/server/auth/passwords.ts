/**
 * Day-two password care with no SQL: an admin resets a person's password (a one-time password,
 * shown once, that must be changed at the next sign-in), and the person sets their own. Both
 * audited in the same transaction; neither password is ever written to the audit log.
 *
 *   import * as passwords from '$lib/server/auth/passwords.ts';
 *   const { password } = await passwords.reset(db, userId, actor);
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { z } from 'zod';
import * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import { accounts, sessions, users } from '../db/schema/auth.ts';
import { MIN_PASSWORD_LENGTH } from './better-auth.ts';
import * as sessionCache from './session-cache.ts';
import { generatePassword, UserError } from './users.ts';

/** The change-your-password form. */
export const passwordChange = z
	.object({
		current: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password'),
		password: z
			.string({ error: 'Enter a new password' })
			.min(1, 'Enter a new password')
			.min(MIN_PASSWORD_LENGTH, `The new password must be at least ${MIN_PASSWORD_LENGTH} characters long`)
			.max(128, 'The new password must be 128 characters or fewer'),
		confirm: z.string({ error: 'Enter the new password again' }).min(1, 'Enter the new password again')
	})
	.refine((form) => form.password === form.confirm, { path: ['confirm'], message: 'The two new passwords are not the same' })
	.refine((form) => form.password !== form.current, { path: ['password'], message: 'The new password must be different from the current one' });
export type PasswordChange = z.input<typeof passwordChange>;

/**
 * Gives a person a new one-time password and makes them change it at their next sign-in. Their
 * sessions end at once (whoever knew the old password is signed out). A person who signed in only
 * with the council's identity provider gets a password sign-in too. Audited as 'reset password'.
 */
export async function reset(db: Database, userId: string, by: audit.Actor): Promise<{ password: string; email: string }> {
	const password = generatePassword();
	const hash = await hashPassword(password);
	const result = await db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [user] = await t.select().from(users).where(eq(users.id, userId)).for('update');
		if (!user) throw new UserError('There is no such user');
		if (user.disabled) throw new UserError(`${user.name} is disabled: let them sign in again before resetting their password`);
		const [credential] = await t.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.userId, userId), eq(accounts.providerId, 'credential')));
		if (credential) await t.update(accounts).set({ password: hash, updatedAt: new Date() }).where(eq(accounts.id, credential.id));
		else await t.insert(accounts).values({ id: randomUUID(), userId, accountId: userId, providerId: 'credential', password: hash });
		await t.update(users).set({ mustChangePassword: true, updatedAt: new Date() }).where(eq(users.id, userId));
		await t.delete(sessions).where(eq(sessions.userId, userId));
		await audit.record(t, {
			...audit.audited(by),
			action: 'reset password',
			entity: 'user',
			entityId: userId,
			before: { email: user.email, mustChangePassword: user.mustChangePassword },
			after: { email: user.email, mustChangePassword: true, sessionsEnded: true }
		});
		return { password, email: user.email };
	});
	sessionCache.forgetUser(userId);
	return result;
}

/**
 * A person sets their own password: the current one (the one-time password after a reset) must be
 * right. Clears the must-change flag; audited as 'change password'. Their other sessions stay.
 */
export async function change(db: Database, userId: string, input: PasswordChange, by: audit.Actor): Promise<void> {
	const parsed = passwordChange.parse(input);
	const [credential] = await db
		.select({ id: accounts.id, hash: accounts.password })
		.from(accounts)
		.where(and(eq(accounts.userId, userId), eq(accounts.providerId, 'credential')));
	if (!credential?.hash) throw new UserError('You sign in with your council account: change your password there');
	if (!(await verifyPassword({ hash: credential.hash, password: parsed.current }))) throw new PasswordMismatch('Your current password is not right');
	const hash = await hashPassword(parsed.password);
	await db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [user] = await t.select().from(users).where(eq(users.id, userId)).for('update');
		if (!user) throw new UserError('There is no such user');
		await t.update(accounts).set({ password: hash, updatedAt: new Date() }).where(eq(accounts.id, credential.id));
		await t.update(users).set({ mustChangePassword: false, updatedAt: new Date() }).where(eq(users.id, userId));
		await audit.record(t, {
			...audit.audited(by),
			action: 'change password',
			entity: 'user',
			entityId: userId,
			before: { email: user.email, mustChangePassword: user.mustChangePassword },
			after: { email: user.email, mustChangePassword: false }
		});
	});
	sessionCache.forgetUser(userId);
}

/** The current password given was wrong (shown against that field). */
export class PasswordMismatch extends UserError {}
