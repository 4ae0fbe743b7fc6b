import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as alerts from '../../src/lib/server/alerts/index.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import type { Viewer } from '../../src/lib/server/auth/access.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { seedReference, type Reference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

const at = (iso: string) => new Date(iso);

describe.each(engines)('breach alerts on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let reference: Reference;

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		reference = await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterEach(() => database.dispose());

	async function contact(ref: string, values: Partial<typeof schema.contacts.$inferInsert> & { receivedAt: Date }) {
		const county = reference.organisation('county');
		const [row] = await db
			.insert(schema.contacts)
			.values({ organisationId: county.id, serviceId: county.service('customer'), teamId: county.team('cc-correspondence'), contactType: 'email', source: 'test', externalRef: ref, ...values })
			.returning({ id: schema.contacts.id });
		await assessments.scoreContacts(db, [row!.id]);
		return row!.id;
	}

	/** Every alert: reference, standard, level, when crossed, cleared or not. */
	async function raised() {
		return rows<{ ref: string | null; code: string; level: string; crossed: string; cleared: boolean; subject: string }>(
			db,
			sql`select c.external_ref as ref, s.code, al.level, to_char(al.crossed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as crossed,
					al.cleared_at is not null as cleared, al.subject_key as subject
				from alerts al join standards s on s.id = al.standard_id left join contacts c on c.id = al.contact_id
				order by al.crossed_at, al.level`
		);
	}

	async function user(id: string, role: schema.Role, teams: string[]) {
		const county = reference.organisation('county');
		await db.insert(schema.users).values({ id, name: `${id} name`, email: `${id}@example.test`, role, organisationId: county.id });
		for (const team of teams) await db.insert(schema.userTeams).values({ userId: id, teamId: county.team(team) });
		return { id, name: `${id} name`, email: `${id}@example.test`, role, organisationId: county.id, teamIds: teams.map((t) => county.team(t)) } satisfies Viewer;
	}

	it('raises each level of a FOI request once, when its time comes, and nothing twice across runs and a restart', async () => {
		// Received Friday 19 December 2025; due Thursday 22 January 2026 (FOIA working days over Christmas).
		await contact('FOI-1', { contactType: 'foi', teamId: reference.organisation('county').team('cc-information'), receivedAt: at('2025-12-19T16:10:00Z') });
		expect((await alerts.evaluate(db, { now: at('2026-01-07T23:59:59Z') })).raised).toBe(0);
		expect((await alerts.evaluate(db, { now: at('2026-01-08T00:00:00Z') })).raised).toBe(1);
		expect((await alerts.evaluate(db, { now: at('2026-01-08T09:00:00Z') })).raised).toBe(0);
		expect((await alerts.evaluate(db, { now: at('2026-01-15T00:00:00Z') })).raised).toBe(1);
		// The server was down from 16 Jan to 1 Mar: the first run after the restart catches up.
		expect((await alerts.evaluate(db, { now: at('2026-03-01T08:00:00Z') })).raised).toBe(2);
		expect((await alerts.evaluate(db, { now: at('2026-03-01T08:01:00Z') })).raised).toBe(0);
		expect(await raised()).toEqual([
			{ ref: 'FOI-1', code: 'foi.response', level: 'notice', crossed: '2026-01-08T00:00', cleared: false, subject: '' },
			{ ref: 'FOI-1', code: 'foi.response', level: 'warning', crossed: '2026-01-15T00:00', cleared: false, subject: '' },
			{ ref: 'FOI-1', code: 'foi.response', level: 'breach', crossed: '2026-01-23T00:00', cleared: false, subject: '' },
			{ ref: 'FOI-1', code: 'foi.response', level: 'very-overdue', crossed: '2026-02-20T00:00', cleared: false, subject: '' }
		]);
	});

	it('raises nothing while a pause with no end stops the clock (an unpaid fee notice), and clears what was raised', async () => {
		const county = reference.organisation('county');
		const pause = (contactId: number, from: string) =>
			db.insert(schema.contactEvents).values({ organisationId: county.id, contactId, kind: 'pause', at: at(from), until: null, detail: { kind: 'fee-notice' } });
		// Received Monday 7 January 2030 (due Mon 4 Feb without a pause); a fee notice of Tue 8 Jan, not paid.
		const unpaid = await contact('FOI-UNPAID', { contactType: 'foi', teamId: county.team('cc-information'), receivedAt: at('2030-01-07T10:00:00Z') });
		await pause(unpaid, '2030-01-08T10:00:00Z');
		await assessments.scoreContacts(db, [unpaid]);
		expect((await alerts.evaluate(db, { now: at('2030-03-01T08:00:00Z') })).raised).toBe(0);
		// Another request reached its notice level before its fee notice was given: the alert clears once the clock stops.
		const later = await contact('FOI-LATER', { contactType: 'foi', teamId: county.team('cc-information'), receivedAt: at('2030-01-07T10:00:00Z') });
		expect((await alerts.evaluate(db, { now: at('2030-01-22T08:00:00Z') })).raised).toBe(1);
		await pause(later, '2030-01-23T10:00:00Z');
		await assessments.scoreContacts(db, [later]);
		const run = await alerts.evaluate(db, { now: at('2030-03-01T08:00:00Z') });
		expect(run).toMatchObject({ raised: 0, cleared: 1 });
		expect(await raised()).toEqual([{ ref: 'FOI-LATER', code: 'foi.response', level: 'notice', crossed: '2030-01-21T00:00', cleared: true, subject: '' }]);
	});

	it('catches up when the server starts again, through the scheduler, without overlapping runs', async () => {
		await contact('FOI-1', { contactType: 'foi', teamId: reference.organisation('county').team('cc-information'), receivedAt: at('2025-12-19T16:10:00Z') });
		const stop = alerts.start(async () => db, { everyMs: 3_600_000, log: () => {} });
		await Promise.all([alerts.trigger(), alerts.trigger(), alerts.trigger()]);
		stop();
		const first = await raised();
		expect(first.map((r) => r.level)).toEqual(['notice', 'warning', 'breach', 'very-overdue']);
		// A new process: a new scheduler on the same database raises nothing again.
		const stopAgain = alerts.start(async () => db, { everyMs: 3_600_000, log: () => {} });
		await alerts.trigger();
		stopAgain();
		expect(await raised()).toEqual(first);
	});

	it('raises nothing twice when two evaluators run at once', async () => {
		await contact('EM-1', { receivedAt: at('2025-11-27T10:00:00Z') });
		const now = at('2025-12-05T09:00:00Z');
		const results = await Promise.all([alerts.evaluate(db, { now }), alerts.evaluate(db, { now })]);
		expect(results.reduce((sum, r) => sum + r.raised, 0)).toBe(3);
		expect((await raised()).map((r) => r.level)).toEqual(['notice', 'warning', 'breach']);
	});

	it('gives an ordinary promise no very-overdue level, and takes per-standard levels from alert_rules', async () => {
		await contact('EM-1', { receivedAt: at('2025-11-27T10:00:00Z') });
		const [email] = await db.select().from(schema.standards).where(and(eq(schema.standards.code, 'email.reply'), eq(schema.standards.organisationId, reference.organisation('county').id)));
		await db.insert(schema.alertRules).values({ standardId: email!.id, noticeShare: null, warningShare: 0.3, veryOverdueFactor: 2 });
		await alerts.evaluate(db, { now: at('2026-01-05T09:00:00Z') });
		// 30% of 3 working days: the start of working day 1, Fri 28 Nov; very overdue after day 6, Fri 5 Dec.
		expect((await raised()).map((r) => [r.level, r.crossed])).toEqual([
			['warning', '2025-11-28T00:00'],
			['breach', '2025-12-03T00:00'],
			['very-overdue', '2025-12-06T00:00']
		]);
	});

	it('clears the alerts of a contact once it is answered, and raises no more for it', async () => {
		const id = await contact('EM-1', { receivedAt: at('2025-11-27T10:00:00Z') });
		await contact('EM-2', { receivedAt: at('2025-11-27T11:00:00Z') });
		await alerts.evaluate(db, { now: at('2025-12-02T09:00:00Z') });
		await db.update(schema.contacts).set({ firstResponseAt: at('2025-12-02T10:00:00Z'), status: 'responded' }).where(eq(schema.contacts.id, id));
		await assessments.scoreContacts(db, [id]);
		const summary = await alerts.evaluate(db, { now: at('2025-12-04T09:00:00Z') });
		expect(summary.cleared).toBe(2);
		const after = await raised();
		expect(after.filter((r) => r.ref === 'EM-1').map((r) => [r.level, r.cleared])).toEqual([
			['notice', true],
			['warning', true]
		]);
		expect(after.filter((r) => r.ref === 'EM-2').map((r) => [r.level, r.cleared])).toEqual([
			['notice', false],
			['warning', false],
			['breach', false]
		]);
	});

	it('raises a service-level alert for an hour of calls below the phone target, once', async () => {
		const county = reference.organisation('county');
		const calls = Array.from({ length: 20 }, (_, i) => ({
			organisationId: county.id,
			serviceId: county.service('customer'),
			teamId: county.team('cc-contact-centre'),
			contactType: 'phone' as const,
			source: 'test',
			externalRef: `CALL-${i}`,
			receivedAt: new Date(at('2026-02-10T09:00:00Z').getTime() + i * 150_000),
			waitSeconds: i % 2 === 0 ? 10 : 45, // half answered within 20 s: 50% against 80%
			abandoned: false,
			status: 'responded' as const
		}));
		await db.insert(schema.contacts).values(calls);
		const first = await alerts.evaluate(db, { now: at('2026-02-10T10:05:00Z') });
		expect(first.serviceLevel).toBe(1);
		expect((await alerts.evaluate(db, { now: at('2026-02-10T10:06:00Z') })).serviceLevel).toBe(0);
		expect((await raised()).map((r) => [r.code, r.level, r.subject])).toEqual([['phone.answer', 'service-level', '2026-02-10T09:00:00.000Z']]);
	});

	it('shows a team lead only their teams’ alerts, in the unit of each promise, and records acknowledgement, assignment and notes', async () => {
		const lead = await user('lead', 'team-lead', ['cc-correspondence']);
		await user('officer', 'officer', ['cc-correspondence']);
		await user('elsewhere', 'officer', ['cc-complaints']);
		await contact('EM-1', { receivedAt: at('2025-11-27T10:00:00Z') });
		await contact('CO-1', { contactType: 'complaint', teamId: reference.organisation('county').team('cc-complaints'), receivedAt: at('2025-11-27T10:00:00Z') });
		const now = at('2025-12-02T09:00:00Z');
		await alerts.evaluate(db, { now });

		const queue = await alerts.list(db, lead, alerts.NO_FILTERS, now);
		expect(queue.items.map((i) => [i.reference, i.level, i.timeLeft])).toEqual([['EM-1', 'warning', 'due today 11:59pm']]);
		expect(await alerts.countOpen(db, lead)).toBe(1);
		const item = queue.items[0]!;
		expect(queue.officers[item.teamId!]!.map((o) => o.id)).toEqual(['lead', 'officer']);

		expect(await alerts.assign(db, lead, [item.id], 'elsewhere')).toMatchObject({ ok: false, status: 400 });
		expect(await alerts.assign(db, lead, [item.id], 'officer')).toEqual({ ok: true, done: 1, gone: 0 });
		expect(await alerts.addNote(db, lead, item.id, 'Chased the service area', now)).toEqual({ ok: true, done: 1, gone: 0 });
		expect(await alerts.acknowledge(db, lead, [item.id], now)).toEqual({ ok: true, done: 1, gone: 0 });
		const complaint = (await alerts.list(db, { ...lead, role: 'manager' }, { ...alerts.NO_FILTERS, standard: 'complaint.ack' }, now)).items[0]!;
		expect(await alerts.acknowledge(db, lead, [complaint.id], now)).toMatchObject({ ok: false, status: 404 });

		const [after] = (await alerts.list(db, lead, alerts.NO_FILTERS, now)).items;
		expect(after).toMatchObject({ acknowledged: { by: 'lead name' }, assignedTo: { id: 'officer' }, notes: [{ author: 'lead name', body: 'Chased the service area' }] });
		expect(await alerts.countOpen(db, lead)).toBe(0);
		const audited = await db.select().from(schema.auditLog).where(eq(schema.auditLog.entity, 'alert'));
		expect(audited.map((a) => [a.action, a.actorId])).toEqual([
			['assign', 'lead'],
			['add note', 'lead'],
			['acknowledge', 'lead']
		]);
	});

	it('lets a team lead page through a long queue in the order they choose, and acknowledge or assign many at once', async () => {
		const lead = await user('lead', 'team-lead', ['cc-correspondence', 'cc-complaints']);
		await user('officer', 'officer', ['cc-correspondence']);
		// 60 emails received a day apart, so each is at a different point: the oldest are breached.
		for (let i = 0; i < 60; i++) await contact(`EM-${String(i).padStart(2, '0')}`, { receivedAt: at(`2025-${i < 30 ? '10' : '11'}-${String((i % 30) + 1).padStart(2, '0')}T10:00:00Z`) });
		await contact('EM-AT-RISK', { receivedAt: at('2025-11-27T10:00:00Z') });
		await contact('CO-1', { contactType: 'complaint', teamId: reference.organisation('county').team('cc-complaints'), receivedAt: at('2025-11-27T10:00:00Z') });
		const now = at('2025-12-02T09:00:00Z');
		await alerts.evaluate(db, { now });

		const first = await alerts.list(db, lead, alerts.NO_FILTERS, now);
		const total = first.total;
		expect(total).toBeGreaterThan(alerts.QUEUE_PAGE_SIZE);
		expect([first.items.length, first.page, first.pages]).toEqual([alerts.QUEUE_PAGE_SIZE, 1, Math.ceil(total / alerts.QUEUE_PAGE_SIZE)]);
		const second = await alerts.list(db, lead, { ...alerts.NO_FILTERS, page: 2 }, now);
		expect(second.items.length).toBe(total - alerts.QUEUE_PAGE_SIZE);
		// Every alert on exactly one page, soonest due first.
		const all = [...first.items, ...second.items];
		expect(new Set(all.map((i) => i.id)).size).toBe(total);
		expect(all[0]!.reference).toBe('EM-00');
		// Worst first when sorted by level; a page past the end shows the first.
		const byLevel: string[] = [];
		for (const page of [1, 2]) byLevel.push(...(await alerts.list(db, lead, { ...alerts.NO_FILTERS, sort: 'level', page }, now)).items.map((i) => i.level));
		const rank = ['notice', 'warning', 'breach', 'very-overdue'];
		expect(new Set(byLevel)).toEqual(new Set(['breach', 'warning']));
		expect(byLevel).toEqual([...byLevel].sort((a, b) => rank.indexOf(b) - rank.indexOf(a)));
		expect((await alerts.list(db, lead, { ...alerts.NO_FILTERS, page: 99 }, now)).page).toBe(1);

		// Assigning is all or none: the officer is not in the complaints team.
		const complaint = all.find((i) => i.reference === 'CO-1')!;
		const emails = all.filter((i) => i.reference?.startsWith('EM-')).slice(0, 3);
		const refused = await alerts.assign(db, lead, [...emails.map((i) => i.id), complaint.id], 'officer');
		expect(refused).toEqual({ ok: false, status: 400, errors: [{ field: 'officer', message: 'officer name is not in the team of CO-1: nothing was assigned' }] });
		expect((await alerts.list(db, lead, alerts.NO_FILTERS, now)).items.filter((i) => i.assignedTo).length).toBe(0);
		expect(await alerts.assign(db, lead, emails.map((i) => i.id), 'officer')).toEqual({ ok: true, done: 3, gone: 0 });

		// Acknowledging many: one already cleared is counted, not an error.
		await db.execute(sql`update alerts set cleared_at = now() where contact_id = ${emails[2]!.contactId}`);
		expect(await alerts.acknowledge(db, lead, emails.map((i) => i.id), now)).toEqual({ ok: true, done: 2, gone: 1 });
		expect(await alerts.countOpen(db, lead)).toBe(total - 3);
		const audited = await db.select().from(schema.auditLog).where(eq(schema.auditLog.entity, 'alert'));
		expect(audited.map((a) => a.action).sort()).toEqual(['acknowledge', 'acknowledge', 'assign', 'assign', 'assign']);
	});
});
