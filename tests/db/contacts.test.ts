import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../../src/lib/engine/assess.ts';
import type { FilterScope } from '../../src/lib/filters.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import * as caseLog from '../../src/lib/server/cases/case-log.ts';
import * as contactPage from '../../src/lib/server/cases/contact.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as scope from '../../src/lib/server/directory/scope.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';

const now = new Date('2026-11-24T12:00:00Z');
/** An admin or manager bound to no organisation. */
const everyCase = { organisationId: null, teams: 'all' } as const;

describe.each(engines)('the case log on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let filterScope: FilterScope;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await seed(db, { asOf: now, contacts: 3000, properties: 300 });
		await assessments.scoreAll(db);
		filterScope = await scope.filterScope(db, { organisationId: null });
	});
	afterAll(() => database?.dispose());

	async function log(params: string) {
		const found = await caseLog.caseLog(db, new URLSearchParams(params), filterScope, everyCase, now);
		if ('errors' in found) throw new Error(`unexpected errors: ${JSON.stringify(found.errors)}`);
		return found;
	}

	/** Every page, following the next links from the first. */
	async function everyPage(params: string) {
		const pages = [await log(params)];
		while (pages.at(-1)!.next && pages.length < 200) pages.push(await log(`${params}&after=${encodeURIComponent(pages.at(-1)!.next!)}`));
		return pages;
	}

	/** The assessment ids the log should list, straight from the table. */
	async function expected(where: ReturnType<typeof sql>) {
		const found = await rows<{ id: string | number }>(
			db,
			sql`select a.id from assessments a join contacts c on c.id = a.contact_id join standards s on s.id = a.standard_id
				left join teams t on t.id = a.team_id where ${where}`
		);
		return found.map((row) => Number(row.id)).sort((a, b) => a - b);
	}
	const ids = (pages: Awaited<ReturnType<typeof everyPage>>) => pages.flatMap((p) => p.rows.map((r) => r.id));

	it('pages through a financial year by due date with no row missed, none twice, and a stable order', async () => {
		const pages = await everyPage('period=2025/26');
		expect(pages.length).toBeGreaterThan(3);
		expect(pages.slice(0, -1).every((p) => p.rows.length === caseLog.PAGE_SIZE)).toBe(true);
		const listed = ids(pages);
		expect(new Set(listed).size).toBe(listed.length);
		expect([...listed].sort((a, b) => a - b)).toEqual(await expected(sql`a.clock_start_on between '2025-04-01' and '2026-03-31'`));
		const due = pages.flatMap((p) => p.rows.map((r) => r.dueAt?.getTime() ?? Infinity));
		expect(due).toEqual([...due].sort((a, b) => a - b));
		// Asking again gives the same pages.
		expect(ids(await everyPage('period=2025/26'))).toEqual(listed);
	});

	it('walks back with the previous links to the same pages, and says when it is on the first', async () => {
		const pages = await everyPage('period=2025/26');
		expect(pages[0]!.previous).toBeNull();
		let back = pages.at(-1)!;
		for (let i = pages.length - 2; i >= 0; i--) {
			expect(back.previous).not.toBeNull();
			back = await log(`period=2025/26&before=${encodeURIComponent(back.previous!)}`);
			expect(back.rows.map((r) => r.id)).toEqual(pages[i]!.rows.map((r) => r.id));
		}
		expect(back.previous).toBeNull();
		expect(back.next).toBe(pages[0]!.next);
	});

	it('pages by date received the same way, including contacts whose clock started after the period began', async () => {
		const pages = await everyPage('period=2025/26&sort=received');
		const listed = ids(pages);
		expect(new Set(listed).size).toBe(listed.length);
		expect([...listed].sort((a, b) => a - b)).toEqual(await expected(sql`a.clock_start_on between '2025-04-01' and '2026-03-31'`));
		const received = pages.flatMap((p) => p.rows.map((r) => r.receivedAt.getTime()));
		expect(received).toEqual([...received].sort((a, b) => a - b));
		// e.g. a registration received in March whose information was complete in April.
		expect(received.filter((ms) => ms < Date.parse('2025-03-31T23:00:00Z')).length).toBeGreaterThan(0);
	});

	it('filters by status, standard and team, and keeps what the filter bar says', async () => {
		const breached = ids(await everyPage('period=2025/26&status=breached'));
		expect(breached.length).toBeGreaterThan(0);
		expect(breached.sort((a, b) => a - b)).toEqual(await expected(sql`a.clock_start_on between '2025-04-01' and '2026-03-31' and a.status = 'breached'`));

		const foi = await everyPage('period=2025/26&standard=foi.response&organisation=county');
		expect(foi.flatMap((p) => p.rows).every((r) => r.standard.code === 'foi.response' && r.organisation === 'Lindenshire County Council')).toBe(true);
		expect(ids(foi).sort((a, b) => a - b)).toEqual(
			await expected(sql`a.clock_start_on between '2025-04-01' and '2026-03-31' and s.code = 'foi.response' and a.organisation_id = (select id from organisations where code = 'county')`)
		);

		const team = ids(await everyPage('period=2025/26&team=cc-complaints&status=met'));
		expect(team.sort((a, b) => a - b)).toEqual(
			await expected(sql`a.clock_start_on between '2025-04-01' and '2026-03-31' and t.code = 'cc-complaints' and a.status = 'met'`)
		);
	});

	it('tells overdue contacts from open ones by the time of asking', async () => {
		const quarter = 'period=2026/27-Q3';
		const open = (await everyPage(`${quarter}&status=open`)).flatMap((p) => p.rows);
		const overdue = (await everyPage(`${quarter}&status=overdue`)).flatMap((p) => p.rows);
		expect(open.length).toBeGreaterThan(0);
		expect(overdue.every((r) => r.status === 'overdue' && r.dueAt!.getTime() < now.getTime())).toBe(true);
		expect(open.filter((r) => r.status === 'overdue').map((r) => r.id)).toEqual(overdue.map((r) => r.id));
		expect(open.filter((r) => r.status !== 'overdue').every((r) => ['open', 'due-today'].includes(r.status) && r.dueAt!.getTime() >= now.getTime())).toBe(true);
	});

	it('finds a contact by its whole reference or its start, in any case and any period', async () => {
		const [sample] = await rows<{ external_ref: string; id: string | number }>(
			db,
			sql`select external_ref, id from contacts where contact_type = 'sar' and received_at < '2025-01-01' order by id limit 1`
		);
		const exact = await log(`period=2026/27&reference=${sample!.external_ref.toLowerCase()}`);
		expect(exact.rows.map((r) => r.contactId)).toEqual([Number(sample!.id), Number(sample!.id)]);
		expect(exact.rows.map((r) => r.standard.code).sort()).toEqual(['sar.published', 'sar.statutory']);
		expect(exact.rows[0]!.otherStandards).toHaveLength(1);

		const prefix = sample!.external_ref.slice(0, -1);
		const found = (await everyPage(`reference=${prefix}`)).flatMap((p) => p.rows);
		expect(found.length).toBeGreaterThanOrEqual(2);
		expect(found.every((r) => r.reference.startsWith(prefix))).toBe(true);
	});

	it('answers bad values with messages for the error summary, never an exception', async () => {
		const bad = await caseLog.caseLog(db, new URLSearchParams('status=lost&sort=size&after=yesterday&period=2025/27'), filterScope, everyCase, now);
		expect('errors' in bad && bad.errors.map((e) => e.field).sort()).toEqual(['after', 'period', 'sort', 'status']);
		const unknown = await caseLog.caseLog(db, new URLSearchParams('standard=tea.making'), filterScope, everyCase, now);
		expect(unknown).toEqual({ errors: [{ field: 'standard', message: "There is no standard 'tea.making'" }] });
		const wildcard = await caseLog.caseLog(db, new URLSearchParams('reference=%25'), filterScope, everyCase, now);
		expect('errors' in wildcard && wildcard.errors[0]!.field).toBe('reference');
		const impossible = await caseLog.caseLog(db, new URLSearchParams('after=2025-02-31T00:00:00.000000Z|1'), filterScope, everyCase, now);
		expect('errors' in impossible && impossible.errors[0]!.field).toBe('after');
		const mixed = await caseLog.caseLog(db, new URLSearchParams('sort=received&after=2025-02-01T00:00:00.000000Z|1'), filterScope, everyCase, now);
		expect('errors' in mixed && mixed.errors[0]!.message).toMatch(/does not belong to the list sorted by date received/);
	});

	it("explains each of a contact's verdicts with the engine, as the job scored them", async () => {
		const [foi] = await rows<{ id: string | number }>(
			db,
			sql`select c.id from contacts c where c.contact_type = 'foi' and c.first_response_at is not null
				and exists (select 1 from contact_events e where e.contact_id = c.id and e.kind = 'restart') order by c.id limit 1`
		);
		const page = (await contactPage.contact(db, Number(foi!.id), everyCase, now))!;
		expect(page.timeline.map((e) => e.what)).toEqual(expect.arrayContaining(['Received', 'Clock restarted', 'Responded']));
		expect(page.timeline.map((e) => e.at.getTime())).toEqual([...page.timeline.map((e) => e.at.getTime())].sort((a, b) => a - b));

		const [stored] = await rows<{ status: string; due_ms: number; margin: number }>(
			db,
			sql`select status, (extract(epoch from due_at) * 1000)::float8 as due_ms, margin::float8 as margin from assessments where contact_id = ${Number(foi!.id)}`
		);
		expect(page.assessments).toHaveLength(1);
		const [verdict] = page.assessments;
		expect(verdict!.standard.code).toBe('foi.response');
		expect(verdict!.version.wording.length).toBeGreaterThan(10);
		expect(verdict!.status).toBe(stored!.status);
		expect(verdict!.staleStatus).toBeNull();
		expect(verdict!.dueAt!.getTime()).toBe(Number(stored!.due_ms));
		expect(verdict!.margin).toBe(Number(stored!.margin));
		expect(verdict!.unit).toBe('working-days');
		expect(verdict!.explanation[0]).toMatch(/^Received /);
		expect(verdict!.explanation.join('\n')).toMatch(/Clock restarted .*: clarification received: the 20 working days start afresh\./);
		expect(verdict!.explanation.at(-1)).toMatch(/^Responded .*: (met|late)/);

		// The same words the engine gives when asked directly with the job's plan.
		const plan = await assessments.loadPlan(db);
		const record = (await assessments.loadContactRecord(db, Number(foi!.id)))!;
		const planned = plan.standardsFor(record.organisationId, record.serviceId, record.contactType)[0]!.versions[0]!;
		expect(assess(assessments.contactFacts(record), planned.standard, { now, explain: true }).explanation).toEqual(verdict!.explanation);
	});

	it('shows an unanswered contact as overdue now, and finds no contact for an unknown id', async () => {
		// An email to the county three weeks ago, never answered (email.reply: 3 working days).
		const [created] = await rows<{ id: string | number }>(
			db,
			sql`insert into contacts (organisation_id, service_id, team_id, contact_type, source, external_ref, received_at)
				select o.id, s.id, t.id, 'email', 'test', 'TEST-OVERDUE-1', '2026-11-02T10:00:00Z'
				from organisations o join services s on s.organisation_id = o.id and s.code = 'customer'
				join teams t on t.organisation_id = o.id and t.code = 'cc-correspondence' where o.code = 'county'
				returning id`
		);
		const id = Number(created!.id);
		await assessments.scoreContacts(db, [id]);
		const page = (await contactPage.contact(db, id, everyCase, now))!;
		expect(page.assessments.map((a) => [a.standard.code, a.status])).toEqual([['email.reply', 'overdue']]);
		expect(page.assessments[0]!.margin).toBeLessThan(0);
		expect(page.assessments[0]!.explanation.at(-1)).toMatch(/^Not yet responded at .*: overdue by \d+ working days\.$/);
		const listed = await log('reference=TEST-OVERDUE-1&status=overdue');
		expect(listed.rows.map((r) => [r.contactId, r.status])).toEqual([[id, 'overdue']]);
		expect(await contactPage.contact(db, 987_654_321, everyCase, now)).toBeNull();
	});

	it('shows a FOI request whose fee notice went unpaid for three months as lapsed (s.9(2)), neither met nor breached', async () => {
		// Received Monday 1 June 2026; a fee notice on Wed 3 Jun, never paid: it lapsed at the end of Wednesday 2 September 2026.
		const [created] = await rows<{ id: string | number; organisation_id: number }>(
			db,
			sql`insert into contacts (organisation_id, service_id, team_id, contact_type, source, external_ref, received_at)
				select o.id, s.id, t.id, 'foi', 'test', 'TEST-LAPSED-1', '2026-06-01T09:00:00Z'
				from organisations o join services s on s.organisation_id = o.id and s.code = 'customer'
				join teams t on t.organisation_id = o.id and t.code = 'cc-information' where o.code = 'county'
				returning id, organisation_id`
		);
		const id = Number(created!.id);
		await db.execute(sql`insert into contact_events (organisation_id, contact_id, kind, at, until, detail)
			values (${created!.organisation_id}, ${id}, 'pause', '2026-06-03T09:00:00Z', null, '{"kind": "fee-notice", "reason": "Fee notice issued"}'::jsonb)`);
		await assessments.scoreContacts(db, [id]);
		const page = (await contactPage.contact(db, id, everyCase, now))!;
		expect(page.assessments.map((a) => [a.standard.code, a.status, a.dueAt])).toEqual([['foi.response', 'lapsed', null]]);
		expect(page.assessments[0]!.staleStatus).toBeNull();
		expect(page.assessments[0]!.explanation.at(-1)).toBe(
			'Fee notice given Wednesday 3 June 2026 and not paid by the end of Wednesday 2 September 2026: the duty to comply ended then (FOIA s.9(2): a fee notice unpaid within three months of the day it is given ends the duty to comply). Lapsed: neither met nor breached.'
		);
		expect(page.timeline.map((e) => e.what)).toContain('Clock paused (not yet resumed: fee notice not yet paid)');
		const listed = await log('reference=TEST-LAPSED-1&status=lapsed');
		expect(listed.rows.map((r) => [r.contactId, r.status])).toEqual([[id, 'lapsed']]);
	});
});
