import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as demo from '../../src/lib/server/auth/demo.ts';
import { resolveViewer } from '../../src/lib/server/auth/session.ts';
import * as signIn from '../../src/lib/server/auth/sign-in.ts';
import * as people from '../../src/lib/server/auth/users.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { accounts, sessions, signInAttempts, users } from '../../src/lib/server/db/schema/auth.ts';
import { auditLog } from '../../src/lib/server/db/schema/audit.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

/** The cookie header a browser would send back after these Set-Cookie headers. */
function cookieFrom(headers: Headers): string {
	return headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');
}

describe.each(engines)('sign-in and sessions on $name', (engine) => {
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

	it('keeps passwords only as a strong hash (scrypt with a random salt), never in clear', async () => {
		const stored = await db.select({ password: accounts.password }).from(accounts).innerJoin(users, eq(users.id, accounts.userId)).where(eq(users.email, 'admin@demo.yardstick.example'));
		expect(stored).toHaveLength(1);
		expect(stored[0]!.password).not.toContain('demo-admin-password');
		// better-auth's scrypt format: <salt hex>:<key hex>, a 16-byte salt and a 64-byte key.
		expect(stored[0]!.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
		expect(await demo.isDemo(db)).toBe(true);
	});

	it('signs a demo user in with a database session whose cookie names the viewer, role and teams', async () => {
		const result = await signIn.signInWithPassword(db, { email: 'Team-Lead@demo.yardstick.example ', password: 'demo-team-lead-password' });
		expect(result.outcome).toBe('success');
		if (result.outcome !== 'success') return;
		const cookie = cookieFrom(result.headers);
		expect(cookie).toMatch(/^yardstick\.session_token=/);
		const session = await resolveViewer(db, new Headers({ cookie }));
		expect(session.viewer).toMatchObject({ email: 'team-lead@demo.yardstick.example', role: 'team-lead', name: 'Tamsin Lead' });
		expect(session.viewer!.teamIds).toHaveLength(2);
		const [stored] = await db.select().from(sessions).where(eq(sessions.userId, result.userId));
		// Eight hours of inactivity, at most.
		expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(7.9 * 3600_000);
		expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(8 * 3600_000 + 1000);
	});

	it('refuses a wrong password and an unknown account with the same answer, recording neither email nor password', async () => {
		expect(await signIn.signInWithPassword(db, { email: 'manager@demo.yardstick.example', password: 'not-the-password' })).toEqual({ outcome: 'invalid' });
		expect(await signIn.signInWithPassword(db, { email: 'nobody@demo.yardstick.example', password: 'not-the-password' })).toEqual({ outcome: 'invalid' });
		const recorded = await rows<Record<string, unknown>>(db, sql`select * from sign_in_attempts`);
		const text = JSON.stringify(recorded);
		expect(text).not.toMatch(/demo\.yardstick\.example|not-the-password/);
		expect(recorded.map((r) => r.outcome)).toEqual(expect.arrayContaining(['wrong-password', 'unknown-account']));
	});

	it('refuses the sixth attempt within a minute after five wrong passwords, even with the right password, then lets it in after the minute', async () => {
		const email = 'committee@demo.yardstick.example';
		const start = new Date();
		for (let i = 0; i < 5; i++) {
			expect((await signIn.signInWithPassword(db, { email, password: `wrong-${i}` }, new Date(start.getTime() + i * 1000))).outcome).toBe('invalid');
		}
		const sixth = await signIn.signInWithPassword(db, { email, password: 'demo-committee-password' }, new Date(start.getTime() + 10_000));
		expect(sixth).toEqual({ outcome: 'locked', retryAfterSeconds: 60 });
		// Another account is not affected.
		expect((await signIn.signInWithPassword(db, { email: 'officer@demo.yardstick.example', password: 'demo-officer-password' })).outcome).toBe('success');
		const later = await signIn.signInWithPassword(db, { email, password: 'demo-committee-password' }, new Date(start.getTime() + 65_000));
		expect(later.outcome).toBe('success');
		const key = await signIn.accountKey(db, email);
		const outcomes = (await db.select({ outcome: signInAttempts.outcome }).from(signInAttempts).where(eq(signInAttempts.accountKey, key))).map((r) => r.outcome);
		expect(outcomes).toEqual(['wrong-password', 'wrong-password', 'wrong-password', 'wrong-password', 'wrong-password', 'locked', 'success']);
	});

	it('refuses an expired session', async () => {
		const result = await signIn.signInWithPassword(db, { email: 'manager@demo.yardstick.example', password: 'demo-manager-password' });
		if (result.outcome !== 'success') throw new Error(result.outcome);
		const cookie = cookieFrom(result.headers);
		expect((await resolveViewer(db, new Headers({ cookie }))).viewer?.role).toBe('manager');
		const [stored] = await db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, result.userId));
		// Eight hours later: the server's memory of the session has lapsed with it, and the database refuses it.
		await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, result.userId));
		expect((await resolveViewer(db, new Headers({ cookie }), stored!.expiresAt.getTime() + 1)).viewer).toBeNull();
	});

	it('ends the session on sign-out', async () => {
		const result = await signIn.signInWithPassword(db, { email: 'admin@demo.yardstick.example', password: 'demo-admin-password' });
		if (result.outcome !== 'success') throw new Error(result.outcome);
		const cookie = cookieFrom(result.headers);
		const cleared = await signIn.signOut(db, new Headers({ cookie }));
		expect(cleared.getSetCookie().join()).toMatch(/yardstick\.session_token=;/);
		expect((await resolveViewer(db, new Headers({ cookie }))).viewer).toBeNull();
	});

	it('ends a disabled person’s sessions and refuses them sign-in, with the change audited', async () => {
		const { user } = await people.create(db, { email: 'leaver@example.gov.uk', role: 'officer', teamCodes: ['county/cc-complaints'], password: 'a-long-enough-password' }, { actor: 'test' });
		const first = await signIn.signInWithPassword(db, { email: 'leaver@example.gov.uk', password: 'a-long-enough-password' });
		if (first.outcome !== 'success') throw new Error(first.outcome);
		const cookie = cookieFrom(first.headers);
		const admin = (await people.list(db)).find((u) => u.role === 'admin')!;
		await people.update(db, user.id, { disabled: true }, { actorId: admin.id, actor: admin.email });
		expect((await resolveViewer(db, new Headers({ cookie }))).viewer).toBeNull();
		expect(await signIn.signInWithPassword(db, { email: 'leaver@example.gov.uk', password: 'a-long-enough-password' })).toEqual({ outcome: 'invalid' });
		const entries = await db.select().from(auditLog).where(eq(auditLog.entityId, user.id));
		expect(entries.map((e) => e.action)).toEqual(['create', 'disable']);
		expect(entries[1]).toMatchObject({ actorId: admin.id, before: expect.objectContaining({ disabled: false }), after: expect.objectContaining({ disabled: true }) });
	});

	it('never lets the last admin remove their own access', async () => {
		const admin = (await people.list(db)).find((u) => u.role === 'admin')!;
		await expect(people.update(db, admin.id, { role: 'manager' }, { actorId: admin.id, actor: admin.email })).rejects.toThrow(/your own administrator access/);
		await expect(people.update(db, admin.id, { disabled: true }, { actor: 'cli' })).rejects.toThrow(/last administrator/);
	});

	it('refuses self sign-up through better-auth', async () => {
		const { authFor } = await import('../../src/lib/server/auth/better-auth.ts');
		const auth = await authFor(db);
		await expect(auth.api.signUpEmail({ body: { email: 'me@example.com', password: 'a-long-enough-password', name: 'Me' } })).rejects.toThrow();
		expect(await db.select().from(users).where(eq(users.email, 'me@example.com'))).toEqual([]);
	});
});
