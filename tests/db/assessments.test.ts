import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReportingPeriod } from '../../src/lib/engine/reporting-period.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { overview } from '../../src/lib/server/dashboard/overview.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { seedReference, type Reference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

/** An instant from a Europe/London wall-clock time (these tests are all in GMT months). */
const gmt = (local: string) => new Date(`${local.replace(' ', 'T')}:00Z`);

interface Row {
	contact: string;
	standard: string;
	version: number;
	status: string;
	due: string;
	clockStartOn: string;
	margin: number | null;
}

/** Every stored assessment, by contact reference and standard code. */
async function stored(db: Database): Promise<Row[]> {
	const found = await rows<Record<string, unknown>>(
		db,
		sql`select c.external_ref as contact, s.code as standard, v.version, a.status,
				to_char(a.due_at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as due,
				a.clock_start_on::text as clock_start_on, a.margin::float8 as margin
			from assessments a join contacts c on c.id = a.contact_id
			join standards s on s.id = a.standard_id join standard_versions v on v.id = a.standard_version_id
			order by c.external_ref, s.code`
	);
	return found.map((r) => ({
		contact: String(r.contact),
		standard: String(r.standard),
		version: Number(r.version),
		status: String(r.status),
		due: String(r.due),
		clockStartOn: String(r.clock_start_on),
		margin: r.margin === null ? null : Number(r.margin)
	}));
}

describe.each(engines)('the assessment job on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let reference: Reference;

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		// Both councils, their standards (version 1 from 2020) and Christmas closure days 27–31 Dec.
		reference = await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterEach(() => database.dispose());

	async function contact(ref: string, values: Partial<typeof schema.contacts.$inferInsert> & { receivedAt: Date }) {
		const county = reference.organisation('county');
		const [row] = await db
			.insert(schema.contacts)
			.values({
				organisationId: county.id,
				serviceId: county.service('customer'),
				teamId: county.team('cc-correspondence'),
				contactType: 'email',
				source: 'test',
				externalRef: ref,
				...values
			})
			.returning({ id: schema.contacts.id });
		return row!.id;
	}

	/** A new version of a county standard from a date: the old one ends the day before. */
	async function newVersion(code: string, effectiveFrom: string, rule: Record<string, unknown>) {
		const county = reference.organisation('county');
		const [standard] = await db
			.select()
			.from(schema.standards)
			.where(and(eq(schema.standards.organisationId, county.id), eq(schema.standards.code, code)));
		const [current] = await db.select().from(schema.standardVersions).where(eq(schema.standardVersions.standardId, standard!.id));
		await db.update(schema.standardVersions).set({ effectiveTo: effectiveFrom }).where(eq(schema.standardVersions.id, current!.id));
		const { id: _id, createdAt: _createdAt, ...copy } = current!;
		await db.insert(schema.standardVersions).values({ ...copy, version: current!.version + 1, effectiveFrom, effectiveTo: null, rule, limitValue: Number(rule.days) });
	}

	it('scores each contact against the version in force at its clock start', async () => {
		await newVersion('email.reply', '2026-01-01', { kind: 'working-days', days: 5 });
		await contact('EM-OLD', { receivedAt: gmt('2025-12-31 23:30'), firstResponseAt: gmt('2026-01-06 10:00') });
		await contact('EM-NEW', { receivedAt: gmt('2026-01-01 00:30'), firstResponseAt: gmt('2026-01-06 10:00') });
		await assessments.scoreAll(db);
		expect(await stored(db)).toEqual([
			// Version 2, 5 working days from Thu 1 Jan (a bank holiday): Fri 2, Mon 5 … Thu 8 Jan.
			{ contact: 'EM-NEW', standard: 'email.reply', version: 2, status: 'met', due: '2026-01-08 23:59', clockStartOn: '2026-01-01', margin: 2 },
			// Version 1, 3 working days from Wed 31 Dec (a closure day): Fri 2, Mon 5, Tue 6 Jan.
			{ contact: 'EM-OLD', standard: 'email.reply', version: 1, status: 'met', due: '2026-01-06 23:59', clockStartOn: '2025-12-31', margin: 0 }
		]);
	});

	it('stops the clock of an unpaid FOI fee notice, closes it as lapsed after three months (s.9(2)), and counts it apart', async () => {
		const county = reference.organisation('county');
		const information = county.team('cc-information');
		const pause = async (contactId: number, at: Date, until: Date | null, detail: Record<string, unknown> = { kind: 'fee-notice' }) =>
			db.insert(schema.contactEvents).values({ organisationId: county.id, contactId, kind: 'pause', at, until, detail });
		// Scoring reads the clock only for a lapse: a request still within its three months is one yet to come.
		// Received Monday 7 January 2030 (due Mon 4 Feb without a pause); the fee notice of Mon 14 Jan, not paid yet:
		const waiting = await contact('FOI-WAIT', { contactType: 'foi', teamId: information, receivedAt: gmt('2030-01-07 10:00') });
		await pause(waiting, gmt('2030-01-14 09:00'), null);
		// A notice of Monday 6 October 2025, unpaid at the end of Monday 5 January 2026: lapsed.
		const lapsed = await contact('FOI-LAPSED', { contactType: 'foi', teamId: information, receivedAt: gmt('2025-10-01 10:00') });
		await pause(lapsed, gmt('2025-10-06 09:00'), null);
		// Paid after three months: the duty had already ended.
		const late = await contact('FOI-LATE', { contactType: 'foi', teamId: information, receivedAt: gmt('2025-10-01 10:00') });
		await pause(late, gmt('2025-10-06 09:00'), gmt('2026-01-06 09:00'));
		// A pause on an email is not the email's to have: it is scored as if unpaused.
		const email = await contact('EM-PAUSED', { receivedAt: gmt('2025-10-01 10:00') });
		await pause(email, gmt('2025-10-02 09:00'), null, { reason: 'Imported pause' });
		await assessments.scoreAll(db);
		const verdicts = (await stored(db)).map(({ contact, status, due }) => ({ contact, status, due }));
		expect(verdicts).toEqual([
			{ contact: 'EM-PAUSED', status: 'open', due: '2025-10-06 23:59' },
			{ contact: 'FOI-LAPSED', status: 'lapsed', due: 'null' },
			{ contact: 'FOI-LATE', status: 'lapsed', due: 'null' },
			{ contact: 'FOI-WAIT', status: 'open', due: 'null' }
		]);
		// Neither met nor breached: counted apart, so compliance leaves them out.
		const [days] = await rows<{ met: number; breached: number; open: number; lapsed: number }>(
			db,
			sql`select sum(met)::int as met, sum(breached)::int as breached, sum(open)::int as open, sum(lapsed)::int as lapsed
				from assessment_days d join standards s on s.id = d.standard_id where s.code = 'foi.response'`
		);
		expect(days).toEqual({ met: 0, breached: 0, open: 1, lapsed: 2 });
		// The fee is paid: the clock runs again, the paused working days added.
		// Paid Tue 22 Jan: the 7 working days 14–22 Jan do not count, so Wednesday 13 February 2030.
		await db.update(schema.contactEvents).set({ until: gmt('2030-01-22 09:00') }).where(eq(schema.contactEvents.contactId, waiting));
		await assessments.scoreAll(db);
		expect((await stored(db)).find((r) => r.contact === 'FOI-WAIT')).toMatchObject({ status: 'open', due: '2030-02-13 23:59' });
	});

	it('takes the clock start that the standard uses: information complete, or a clarification restarting FOI', async () => {
		const county = reference.organisation('county');
		const information = county.team('cc-information');
		// A SAR whose ID arrived later: sar.published starts on ID; sar.statutory restarts on it.
		await contact('SAR-1', { contactType: 'sar', teamId: information, receivedAt: gmt('2026-01-05 10:00'), clockStartAt: gmt('2026-01-12 10:00') });
		// An email's clock starts at receipt even when a later clock start is recorded.
		await contact('EM-1', { receivedAt: gmt('2026-01-05 10:00'), clockStartAt: gmt('2026-01-12 10:00') });
		await assessments.scoreAll(db);
		expect((await stored(db)).map(({ contact, standard, due, clockStartOn, status }) => ({ contact, standard, due, clockStartOn, status }))).toEqual([
			{ contact: 'EM-1', standard: 'email.reply', due: '2026-01-08 23:59', clockStartOn: '2026-01-05', status: 'open' },
			{ contact: 'SAR-1', standard: 'sar.published', due: '2026-02-21 23:59', clockStartOn: '2026-01-12', status: 'open' },
			{ contact: 'SAR-1', standard: 'sar.statutory', due: '2026-02-12 23:59', clockStartOn: '2026-01-12', status: 'open' }
		]);
	});

	it("applies the council's closure days to its own promises but never to FOI", async () => {
		const county = reference.organisation('county');
		await contact('EM-XMAS', { receivedAt: gmt('2025-12-23 10:00'), firstResponseAt: gmt('2026-01-05 16:00') });
		await contact('FOI-XMAS', { contactType: 'foi', teamId: county.team('cc-information'), receivedAt: gmt('2025-12-19 16:10'), firstResponseAt: gmt('2026-01-20 14:02') });
		await assessments.scoreAll(db);
		expect(await stored(db)).toEqual([
			// Day 1 Wed 24 Dec; 25, 26 Dec and 1 Jan bank holidays, 29–31 Dec closed; day 2 Fri 2 Jan, day 3 Mon 5 Jan.
			{ contact: 'EM-XMAS', standard: 'email.reply', version: 1, status: 'met', due: '2026-01-05 23:59', clockStartOn: '2025-12-23', margin: 0 },
			// FOIA s.10(6): the closure days are working days; 2 Jan (Scotland) is not.
			{ contact: 'FOI-XMAS', standard: 'foi.response', version: 1, status: 'met', due: '2026-01-22 23:59', clockStartOn: '2025-12-19', margin: 2 }
		]);
	});

	it('changes nothing when run again', async () => {
		await contact('EM-1', { receivedAt: gmt('2026-01-05 10:00'), firstResponseAt: gmt('2026-01-06 10:00') });
		await contact('EM-2', { receivedAt: gmt('2026-02-05 10:00') });
		await contact('CALL-1', { contactType: 'phone', receivedAt: gmt('2026-02-05 10:00'), waitSeconds: 31, abandoned: false });
		const first = await assessments.scoreAll(db, { batchSize: 2 });
		expect(first).toMatchObject({ contacts: 3, assessments: 3, changed: 3, removed: 0 });
		const before = await stored(db);
		const second = await assessments.scoreAll(db, { batchSize: 2 });
		expect(second).toMatchObject({ contacts: 3, assessments: 3, changed: 0, removed: 0 });
		expect(await stored(db)).toEqual(before);
		expect(await assessments.rescore(db)).toMatchObject({ contacts: 0, changed: 0 });
	});

	it('re-scores a changed contact when asked to', async () => {
		const id = await contact('EM-1', { receivedAt: gmt('2026-01-05 10:00') });
		await assessments.scoreContacts(db, [id]);
		expect((await stored(db))[0]).toMatchObject({ status: 'open', margin: null });
		await db.update(schema.contacts).set({ firstResponseAt: gmt('2026-01-12 09:00') }).where(eq(schema.contacts.id, id));
		expect(await assessments.scoreContacts(db, [id])).toMatchObject({ contacts: 1, changed: 1 });
		expect((await stored(db))[0]).toMatchObject({ status: 'breached', margin: -2 });
	});

	it('re-scores only the open contacts a new version affects, and closed ones only when forced', async () => {
		await contact('EM-BEFORE-OPEN', { receivedAt: gmt('2026-01-20 10:00') });
		await contact('EM-AFTER-OPEN', { receivedAt: gmt('2026-02-03 10:00') });
		await contact('EM-AFTER-CLOSED', { receivedAt: gmt('2026-02-02 10:00'), firstResponseAt: gmt('2026-02-06 10:00') });
		await assessments.scoreAll(db);
		await newVersion('email.reply', '2026-02-01', { kind: 'working-days', days: 5 });

		const plan = await assessments.loadPlan(db);
		const ids = await assessments.affectedContacts(db, plan, false);
		expect(ids).toHaveLength(1);
		expect(await assessments.rescore(db)).toMatchObject({ contacts: 1, changed: 1, removed: 1 });
		expect((await stored(db)).map(({ contact, version, status }) => `${contact} v${version} ${status}`)).toEqual([
			'EM-AFTER-CLOSED v1 breached', // history stays as scored…
			'EM-AFTER-OPEN v2 open',
			'EM-BEFORE-OPEN v1 open' // …and the old version still governs contacts started before the new one
		]);
		expect(await assessments.rescore(db)).toMatchObject({ contacts: 0 });

		expect(await assessments.rescore(db, { force: true })).toMatchObject({ contacts: 1, changed: 1, removed: 1 });
		expect((await stored(db)).map(({ contact, version, status }) => `${contact} v${version} ${status}`)).toEqual([
			'EM-AFTER-CLOSED v2 met', // 4 working days: within the new 5
			'EM-AFTER-OPEN v2 open',
			'EM-BEFORE-OPEN v1 open'
		]);
	});

	it('re-scores open contacts on calendars with closure days when a closure day is added, and not FOI', async () => {
		const county = reference.organisation('county');
		await contact('EM-OPEN', { receivedAt: gmt('2026-02-16 10:00') });
		await contact('EM-CLOSED', { receivedAt: gmt('2026-02-16 10:00'), firstResponseAt: gmt('2026-02-19 10:00') });
		await contact('FOI-OPEN', { contactType: 'foi', teamId: county.team('cc-information'), receivedAt: gmt('2026-02-16 10:00') });
		await assessments.scoreAll(db);
		await db.insert(schema.closureDays).values({ organisationId: county.id, date: '2026-02-18', reason: 'Office move' });

		expect(await assessments.rescore(db)).toMatchObject({ contacts: 1, changed: 1, removed: 0 });
		const after = await stored(db);
		expect(after.find((r) => r.contact === 'EM-OPEN')).toMatchObject({ due: '2026-02-20 23:59', status: 'open' });
		expect(after.find((r) => r.contact === 'EM-CLOSED')).toMatchObject({ due: '2026-02-19 23:59', status: 'met' });
		expect(after.find((r) => r.contact === 'FOI-OPEN')).toMatchObject({ due: '2026-03-16 23:59' });
		expect(await assessments.rescore(db, { force: true })).toMatchObject({ contacts: 1, changed: 1 });
		expect((await stored(db)).find((r) => r.contact === 'EM-CLOSED')).toMatchObject({ due: '2026-02-20 23:59', margin: 1 });
	});

	it('scores contacts that have none yet, and shows the compliance of each standard for a period on the overview', async () => {
		await contact('EM-MET', { receivedAt: gmt('2026-01-05 10:00'), firstResponseAt: gmt('2026-01-06 10:00') });
		await contact('EM-LATE', { receivedAt: gmt('2026-01-05 10:00'), firstResponseAt: gmt('2026-01-12 10:00') });
		await contact('EM-OPEN', { receivedAt: gmt('2026-02-25 10:00') });
		await contact('EM-LAST-QUARTER', { receivedAt: gmt('2025-12-01 10:00'), firstResponseAt: gmt('2025-12-02 10:00') });
		expect(await assessments.rescore(db)).toMatchObject({ contacts: 4, changed: 4 });

		const filters = { period: parseReportingPeriod('2025/26-Q4'), organisation: null, service: null, team: null };
		const result = await overview(db, filters, gmt('2026-03-04 12:00'));
		// 63 days into Q4: compared with the first 63 days of Q3, not the whole of it.
		expect(result.previous).toMatchObject({ start: '2025-10-01', end: '2025-12-02', label: 'the first 63 days of Q3 2025/26' });
		const email = result.standards.find((s) => s.organisation.code === 'county' && s.code === 'email.reply');
		expect(email).toMatchObject({
			met: 1,
			breached: 1,
			open: 1,
			overdue: 1,
			compliance: 50,
			previousCompliance: 100,
			targetPercent: 90,
			rag: 'red',
			direction: 'worsening'
		});
		expect(email!.trend.map((q) => q.label)).toEqual([
			'Q1 2024/25', 'Q2 2024/25', 'Q3 2024/25', 'Q4 2024/25', 'Q1 2025/26', 'Q2 2025/26', 'Q3 2025/26', 'Q4 2025/26 (so far)'
		]);
		expect(email!.trend.slice(-2).map((q) => q.value)).toEqual([100, 50]);
		expect(result.standards.find((s) => s.organisation.code === 'county' && s.code === 'foi.response')).toMatchObject({ met: 0, breached: 0, compliance: null, rag: null });
		expect(result.overdueNow).toBe(1);

		const borough = await overview(db, { ...filters, organisation: 'borough' }, gmt('2026-03-04 12:00'));
		expect(borough.standards.every((s) => s.organisation.code === 'borough')).toBe(true);
		expect(borough.overdueNow).toBe(0);
	});
});
