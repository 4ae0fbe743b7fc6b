import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as demo from '../../src/lib/server/auth/demo.ts';
import * as signIn from '../../src/lib/server/auth/sign-in.ts';
import * as people from '../../src/lib/server/auth/users.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { users } from '../../src/lib/server/db/schema/auth.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

// The password check, watched: a disabled account's sign-in must do the same work as any other.
const checked = vi.hoisted(() => ({ verify: 0 }));
vi.mock('better-auth/crypto', async (importOriginal) => {
	const original = await importOriginal<typeof import('better-auth/crypto')>();
	return {
		...original,
		verifyPassword: async (...args: Parameters<typeof original.verifyPassword>) => {
			checked.verify++;
			return original.verifyPassword(...args);
		}
	};
});

describe.each(engines)('the sign-in lockout under parallel guesses, on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await db.transaction(async (tx) => {
			await seedReference(tx as unknown as Database, { from: '2024-04-01', asOf: new Date('2026-11-24T12:00:00Z') });
			await demo.seedDemoUsers(tx as unknown as Database);
		});
	});
	afterAll(() => database?.dispose());

	const outcomes = async (key: string) =>
		Object.fromEntries(
			(await rows<{ outcome: string; n: number }>(db, sql`select outcome, count(*)::int as n from sign_in_attempts where account_key = ${key} group by outcome`)).map((r) => [r.outcome, Number(r.n)])
		);

	it('checks at most five of 50 wrong passwords sent at once, and refuses the rest as locked', async () => {
		const email = 'manager@demo.yardstick.example';
		const now = new Date();
		const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn.signInWithPassword(db, { email, password: `wrong-${i}` }, now)));
		const tally = answers.reduce<Record<string, number>>((t, a) => ({ ...t, [a.outcome]: (t[a.outcome] ?? 0) + 1 }), {});
		expect(tally).toEqual({ invalid: signIn.MAX_FAILURES, locked: 50 - signIn.MAX_FAILURES });
		expect(await outcomes(await signIn.accountKey(db, email))).toEqual({ 'wrong-password': signIn.MAX_FAILURES, locked: 50 - signIn.MAX_FAILURES });
		// Locked: the right password too, until the minute has passed.
		expect((await signIn.signInWithPassword(db, { email, password: 'demo-manager-password' }, now)).outcome).toBe('locked');
		expect((await signIn.signInWithPassword(db, { email, password: 'demo-manager-password' }, new Date(now.getTime() + 61_000))).outcome).toBe('success');
	});

	it('checks the password of a disabled account as of any other, then refuses it', async () => {
		const { user } = await people.create(db, { email: 'gone@example.gov.uk', role: 'officer', password: 'a-long-enough-password' }, { actor: 'test' });
		await db.update(users).set({ disabled: true }).where(eq(users.id, user.id));
		checked.verify = 0;
		expect(await signIn.signInWithPassword(db, { email: 'gone@example.gov.uk', password: 'a-long-enough-password' })).toEqual({ outcome: 'invalid' });
		expect(checked.verify).toBe(1);
		expect(await outcomes(await signIn.accountKey(db, 'gone@example.gov.uk'))).toEqual({ disabled: 1 });
	});
});
