import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as bulkUsers from '../../src/lib/server/auth/bulk-users.ts';
import * as demo from '../../src/lib/server/auth/demo.ts';
import { decide } from '../../src/lib/server/auth/guard.ts';
import * as passwords from '../../src/lib/server/auth/passwords.ts';
import { resolveViewer } from '../../src/lib/server/auth/session.ts';
import * as signIn from '../../src/lib/server/auth/sign-in.ts';
import * as people from '../../src/lib/server/auth/users.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { sessions, users } from '../../src/lib/server/db/schema/auth.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import * as closures from '../../src/lib/server/standards/closures.ts';
import * as batches from '../../src/lib/server/ingest/batches.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as riskEdits from '../../src/lib/server/plan/risk-edits.ts';
import * as risks from '../../src/lib/server/plan/risks.ts';
import { readDateInput } from '../../src/lib/date-input.ts';
import { engines } from '../support/databases.ts';

const admin = { actorId: null, actor: 'admin@example.gov.uk' };
const cookieFrom = (headers: Headers) =>
	headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');
const audits = (db: Database, action: string) => rows<{ entity_id: string; after: unknown }>(db, sql`select entity_id, after from audit_log where action = ${action} order by id`);

describe.each(engines)('day-two administration on $name', (engine) => {
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

	describe('password reset', () => {
		it('gives a one-time password, ends their sessions and sends them to change it before anything else', async () => {
			const [officer] = await db.select().from(users).where(eq(users.email, 'officer@demo.yardstick.example'));
			const before = await signIn.signInWithPassword(db, { email: officer!.email, password: 'demo-officer-password' });
			expect(before.outcome).toBe('success');

			const { password } = await passwords.reset(db, officer!.id, admin);
			expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
			expect(await db.select().from(sessions).where(eq(sessions.userId, officer!.id))).toHaveLength(0);
			expect((await people.find(db, officer!.id))!.mustChangePassword).toBe(true);
			const [entry] = await audits(db, 'reset password');
			expect(entry).toMatchObject({ entity_id: officer!.id });
			expect(JSON.stringify(entry)).not.toContain(password);

			expect((await signIn.signInWithPassword(db, { email: officer!.email, password: 'demo-officer-password' })).outcome).toBe('invalid');
			const signedIn = await signIn.signInWithPassword(db, { email: officer!.email, password });
			expect(signedIn.outcome).toBe('success');
			if (signedIn.outcome !== 'success') return;
			const { viewer } = await resolveViewer(db, new Headers({ cookie: cookieFrom(signedIn.headers) }));
			expect(viewer).toMatchObject({ email: officer!.email, mustChangePassword: true });
			const url = new URL('http://x/contacts');
			expect(decide({ routeId: '/contacts', viewer, isPage: true, url })).toEqual({ kind: 'change-password', location: '/account/password' });
			expect(decide({ routeId: '/account/password', viewer, isPage: true, url })).toEqual({ kind: 'allow' });
			expect(decide({ routeId: '/sign-out', viewer, isPage: false, url })).toEqual({ kind: 'allow' });

			// Wrong current password, mismatched or short new ones: refused, nothing changed.
			await expect(passwords.change(db, officer!.id, { current: 'wrong', password: 'a-long-new-password', confirm: 'a-long-new-password' }, admin)).rejects.toThrow('Your current password is not right');
			expect(passwords.passwordChange.safeParse({ current: password, password: 'a-long-new-password', confirm: 'different-password' }).success).toBe(false);
			expect(passwords.passwordChange.safeParse({ current: password, password: 'short', confirm: 'short' }).success).toBe(false);
			expect((await people.find(db, officer!.id))!.mustChangePassword).toBe(true);

			await passwords.change(db, officer!.id, { current: password, password: 'my own new password', confirm: 'my own new password' }, { actorId: officer!.id, actor: officer!.email });
			expect((await people.find(db, officer!.id))!.mustChangePassword).toBe(false);
			expect(await audits(db, 'change password')).toHaveLength(1);
			expect((await signIn.signInWithPassword(db, { email: officer!.email, password: 'my own new password' })).outcome).toBe('success');
			const again = await people.viewer(db, officer!.id);
			expect(decide({ routeId: '/contacts', viewer: again, isPage: true, url })).toEqual({ kind: 'allow' });
		});

		it('refuses to reset a disabled person or someone who does not exist', async () => {
			await expect(passwords.reset(db, 'no-such-id', admin)).rejects.toThrow('There is no such user');
		});
	});

	describe('adding people from a CSV file', () => {
		it('refuses the whole file with row-numbered reasons when any row is wrong, adding nobody', async () => {
			const count = async () => (await db.select().from(users)).length;
			const before = await count();
			const file = [
				'email,name,role,teams',
				'good.person@example.gov.uk,Good Person,officer,cc-correspondence',
				'not-an-email,Bad Email,officer,',
				'bad.role@example.gov.uk,Bad Role,boss,',
				'no.team@example.gov.uk,No Team,officer,nowhere',
				'good.person@example.gov.uk,Twice,officer,',
				'admin@demo.yardstick.example,Exists,admin,'
			].join('\n');
			const error = await bulkUsers.add(db, file, admin).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(bulkUsers.BulkUserError);
			expect((error as bulkUsers.BulkUserError).problems).toEqual([
				{ row: 3, message: 'Enter an email address in the correct format, like name@example.gov.uk' },
				{ row: 4, message: "'boss' is not a role: use one of admin, manager, team-lead, officer, committee" },
				{ row: 5, message: "There is no team 'nowhere'" },
				{ row: 6, message: 'good.person@example.gov.uk is already on row 2' },
				{ row: 7, message: 'There is already a user with the email address admin@demo.yardstick.example' }
			]);
			expect(await count()).toBe(before);
			await expect(bulkUsers.add(db, 'name,teams\nA,', admin)).rejects.toThrow('email and role are missing');
			await expect(bulkUsers.add(db, '', admin)).rejects.toThrow('The file is empty');
		});

		it('adds everyone in one go, each with a one-time password to change at first sign-in', async () => {
			const file = '\uFEFFEmail,Name,Role,Teams\r\nann.one@example.gov.uk,Ann One,officer,cc-correspondence\r\nBen.Two@example.gov.uk,,team-lead,county/cc-correspondence; cc-complaints\r\n';
			const { created } = await bulkUsers.add(db, file, admin);
			expect(created.map((p) => [p.email, p.name, p.role, p.teams])).toEqual([
				['ann.one@example.gov.uk', 'Ann One', 'officer', ['cc-correspondence']],
				['ben.two@example.gov.uk', 'ben.two', 'team-lead', ['county/cc-correspondence', 'cc-complaints']]
			]);
			for (const person of created) {
				const found = await people.find(db, person.id);
				expect(found!.mustChangePassword).toBe(true);
				expect((await signIn.signInWithPassword(db, { email: person.email, password: person.password })).outcome).toBe('success');
			}
			expect((await people.find(db, created[1]!.id))!.teamIds).toHaveLength(2);
			expect((await audits(db, 'create')).filter((a) => created.some((p) => p.id === a.entity_id))).toHaveLength(2);
		});
	});

	describe('closure days as a range', () => {
		it('reads the GOV.UK date input, naming the part that is missing or wrong', () => {
			expect(readDateInput({ day: '24', month: '12', year: '2026' }, 'the first day')).toEqual({ date: '2026-12-24' });
			expect(readDateInput({ day: '', month: '', year: '' }, 'the first day')).toEqual({ empty: true });
			expect(readDateInput({ day: '24', month: '', year: '2026' }, 'the first day')).toEqual({ error: 'The first day must include a month', parts: ['month'] });
			expect(readDateInput({ day: '31', month: '2', year: '2026' }, 'the first day')).toEqual({ error: 'The first day must be a real date', parts: ['day'] });
			expect(readDateInput({ day: '1', month: '13', year: '2026' }, 'the first day')).toMatchObject({ parts: ['month'] });
			expect(readDateInput({ day: '1', month: '1', year: '26' }, 'the first day')).toEqual({ error: 'Year must include 4 numbers', parts: ['year'] });
		});

		it('adds every day of the range, weekends included, skipping days that are closures already, one audit entry a day', async () => {
			await closures.add(db, admin, { organisation: 'county', date: '2027-07-29', reason: 'Already closed' });
			const result = await closures.addRange(db, admin, { organisation: 'county', from: '2027-07-24', to: '2027-08-01', reason: 'Summer office move' });
			expect(result.added).toEqual(['2027-07-24', '2027-07-25', '2027-07-26', '2027-07-27', '2027-07-28', '2027-07-30', '2027-07-31', '2027-08-01']);
			expect(result.skipped).toEqual(['2027-07-29']);
			const county = (await closures.list(db, '2027-07-01')).find((o) => o.code === 'county')!;
			expect(county.days.map((d) => d.date)).toEqual([...result.added.slice(0, 5), '2027-07-29', ...result.added.slice(5)]);
			expect(county.days.find((d) => d.date === '2027-07-29')!.reason).toBe('Already closed');
			const entries = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where entity = 'closure_day' and action = 'create' and after->>'reason' = 'Summer office move'`);
			expect(Number(entries[0]!.n)).toBe(8);
			// One day (no last day given) and the rescore over a range.
			expect((await closures.addRange(db, admin, { organisation: 'county', from: '2027-08-04', to: '2027-08-04', reason: 'Another day' })).added).toEqual(['2027-08-04']);
			await closures.rescore(db, { organisationId: result.organisationId, date: '2027-07-24', to: '2027-08-01', closedToo: true });
		});

		it('refuses a range backwards, too long, wholly closed already or for no organisation, adding nothing', async () => {
			const count = async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from closure_days`))[0]!.n;
			const before = await count();
			await expect(closures.addRange(db, admin, { organisation: 'county', from: '2027-09-02', to: '2027-09-01', reason: 'x' })).rejects.toThrow('must be the same as or after the first day');
			await expect(closures.addRange(db, admin, { organisation: 'county', from: '2027-08-01', to: '2028-09-01', reason: 'x' })).rejects.toThrow('at most 366 days');
			await expect(closures.addRange(db, admin, { organisation: 'county', from: '2027-07-24', to: '2027-07-26', reason: 'x' })).rejects.toThrow('Every day from 2027-07-24 to 2027-07-26 is already a closure day');
			await expect(closures.addRange(db, admin, { organisation: 'nowhere', from: '2027-10-01', to: '2027-10-01', reason: 'x' })).rejects.toThrow('There is no organisation nowhere');
			expect(await count()).toBe(before);
		});
	});

	describe('editing the risk register', () => {
		const manager = { actorId: null, actor: 'manager@example.gov.uk', name: 'Mo Manager' };
		const asOf = new Date('2026-11-24T12:00:00Z');
		const refs = async (quarter: number) => (await risks.register(db, { organisation: 'borough', financialYear: 2026, quarter, asOf })).risks.map((r) => r.ref);
		const risk = {
			ref: 'ES-R9',
			title: 'Printer fails at the canvass',
			owner: 'Electoral Services Manager',
			controls: 'Second supplier on call',
			service: 'democratic',
			inherentLikelihood: 3,
			inherentImpact: 3,
			residualLikelihood: '2',
			residualImpact: '2',
			targetLikelihood: 1,
			targetImpact: 2
		};

		it('adds a risk with its three assessments, refusing a reference in use, a level outside 1–4 or an unknown service', async () => {
			const { id } = await riskEdits.add(db, 'borough', risk, manager);
			const row = (await risks.register(db, { organisation: 'borough', financialYear: 2026, quarter: 3, asOf })).risks.find((r) => r.id === id)!;
			expect(row).toMatchObject({ ref: 'ES-R9', owner: 'Electoral Services Manager', inherent: { score: 9 }, residual: { score: 4 }, target: { score: 2 } });
			await expect(riskEdits.add(db, 'borough', risk, manager)).rejects.toThrow('There is already a risk ES-R9');
			expect(riskEdits.newRisk.safeParse({ ...risk, ref: 'ES-R10', residualImpact: 5 }).error?.issues[0]?.message).toBe('Choose the residual impact from 1 to 4');
			expect(riskEdits.newRisk.safeParse({ ...risk, title: ' ' }).error?.issues[0]?.message).toBe('Enter the risk');
			await expect(riskEdits.add(db, 'borough', { ...risk, ref: 'ES-R10', service: 'nowhere' }, manager)).rejects.toThrow("has no service 'nowhere'");
			expect(await refs(3)).not.toContain('ES-R10');
			const [entry] = await rows<{ after: { ref: string } }>(db, sql`select after from audit_log where entity = 'risk' and action = 'create'`);
			expect(entry!.after.ref).toBe('ES-R9');
		});

		it('closes a risk: gone from the current register, still in the quarters before, its reviews kept; audited', async () => {
			expect(await refs(3)).toContain('ES-R1');
			const reviews = async () => (await rows<{ n: number }>(db, sql`select count(*)::int as n from risk_reviews r join risks k on k.id = r.risk_id where k.ref = 'ES-R1'`))[0]!.n;
			const before = await reviews();
			expect(await riskEdits.close(db, { organisation: 'borough', ref: 'ES-R1', reason: 'Staffing settled', asOf }, manager)).toEqual({ closedOn: '2026-11-24' });
			expect(await refs(3)).not.toContain('ES-R1');
			expect(await refs(2)).toContain('ES-R1');
			expect(await reviews()).toBe(before);
			expect(await riskEdits.closed(db, 'borough')).toEqual([{ ref: 'ES-R1', title: 'Insufficient staff', closedOn: '2026-11-24' }]);
			await expect(riskEdits.close(db, { organisation: 'borough', ref: 'ES-R1', asOf }, manager)).rejects.toThrow('was closed on 2026-11-24 already');
			await expect(riskEdits.close(db, { organisation: 'borough', ref: 'NOPE', asOf }, manager)).rejects.toThrow("There is no risk 'NOPE'");
			await expect(riskEdits.add(db, 'borough', { ...risk, ref: 'ES-R1' }, manager)).rejects.toThrow('ES-R1 is the reference of a closed risk');
			const [entry] = await rows<{ after: { closedOn: string; reason: string } }>(db, sql`select after from audit_log where entity = 'risk' and action = 'close'`);
			expect(entry!.after).toMatchObject({ closedOn: '2026-11-24', reason: 'Staffing settled' });
		});
	});

	describe('removing an import batch', () => {
		const record = (reference: string, received: string) => ({ reference, organisation: 'county', service: 'customer', type: 'email', received, team: 'cc-correspondence' });
		const refs = async () => (await rows<{ ref: string }>(db, sql`select external_ref as ref from contacts where external_ref like 'RM-%' order by 1`)).map((r) => r.ref);
		/** The dashboards' day counts against the assessments themselves: the triggers kept them in step. */
		const inStep = async () => {
			const [row] = await rows<{ days: number; assessed: number }>(
				db,
				sql`select (select coalesce(sum(met + breached + open + excluded), 0)::int from assessment_days) as days, (select count(*)::int from assessments) as assessed`
			);
			return Number(row!.days) === Number(row!.assessed);
		};

		it('removes the contacts a batch created with their assessments, keeps those it only updated, and is audited', async () => {
			const first = await ingest.importRecords(db, [record('RM-1', '2026-11-02T10:00'), record('RM-2', '2026-11-02T11:00')], { source: 'removal-test' });
			const second = await ingest.importRecords(db, [record('RM-2', '2026-11-03T11:00'), record('RM-3', '2026-11-03T12:00')], { source: 'removal-test' });
			expect([first.accepted, second.accepted, second.updated]).toEqual([2, 1, 1]);
			expect(await inStep()).toBe(true);

			const preview = await batches.removalPreview(db, second.batchId);
			expect(preview).toMatchObject({ created: 1, updatedOnly: 1 });
			expect(preview!.assessments).toBeGreaterThan(0);
			expect(await batches.remove(db, second.batchId, admin)).toEqual({ contacts: 1, assessments: preview!.assessments });
			expect(await refs()).toEqual(['RM-1', 'RM-2']);
			expect(await inStep()).toBe(true);
			expect(await batches.get(db, second.batchId)).toMatchObject({ status: 'removed' });
			const [entry] = await rows<{ after: { contactsRemoved: number } }>(db, sql`select after from audit_log where entity = 'import_batch' and action = 'remove'`);
			expect(entry!.after.contactsRemoved).toBe(1);
			await expect(batches.remove(db, second.batchId, admin)).rejects.toThrow('removed already');

			// The first batch created RM-2 (the second only updated it): removing the first takes both.
			expect(await batches.remove(db, first.batchId, admin)).toMatchObject({ contacts: 2 });
			expect(await refs()).toEqual([]);
			expect(await inStep()).toBe(true);
			expect(await rows(db, sql`select 1 from assessments a left join contacts c on c.id = a.contact_id where c.id is null`)).toHaveLength(0);
			expect(await batches.removalPreview(db, 999_999)).toBeNull();
			await expect(batches.remove(db, 999_999, admin)).rejects.toThrow('There is no such import');
		});
	});
});
