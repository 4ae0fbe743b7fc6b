import { parseFilters } from '../../src/lib/filters.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterPeriod } from '../../src/lib/engine/reporting-period.ts';
import * as alerts from '../../src/lib/server/alerts/index.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { caseScope, type Viewer } from '../../src/lib/server/auth/access.ts';
import * as people from '../../src/lib/server/auth/users.ts';
import * as audit from '../../src/lib/server/audit/record.ts';
import * as caseLog from '../../src/lib/server/cases/case-log.ts';
import * as contactPage from '../../src/lib/server/cases/contact.ts';
import * as due from '../../src/lib/server/cases/due.ts';
import * as standards from '../../src/lib/server/dashboard/standards.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as scope from '../../src/lib/server/directory/scope.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';

const now = new Date('2026-11-24T12:00:00Z');

describe.each(engines)('a manager bound to one organisation sees only its cases, on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let countyManager: Viewer;
	let unbound: Viewer;
	let county: { id: number; name: string };
	let borough: { id: number; name: string };
	/** A contact of each council, with a reference to search for. */
	const contact = {} as Record<'county' | 'borough', { id: number; reference: string }>;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await seed(db, { asOf: now, contacts: 2000, properties: 200 });
		await assessments.scoreAll(db);
		await alerts.evaluate(db, { now });
		const admin = audit.systemActor('test');
		// A manager is bound to an organisation by the team they are given there.
		const made = await people.create(db, { email: 'county.manager@example.gov.uk', role: 'manager', teamCodes: ['county/cc-correspondence'] }, admin);
		countyManager = (await people.viewer(db, made.user.id))!;
		unbound = (await people.viewer(db, (await people.list(db)).find((u) => u.role === 'manager' && u.email.endsWith('demo.yardstick.example'))!.id))!;
		const organisations = await rows<{ id: number; code: string; name: string }>(db, sql`select id, code, name from organisations`);
		county = organisations.find((o) => o.code === 'county')!;
		borough = organisations.find((o) => o.code === 'borough')!;
		for (const [code, organisation] of [['county', county], ['borough', borough]] as const) {
			// A contact with an alert and a breach, so every case query has something of each council to find.
			const [found] = await rows<{ id: number; external_ref: string }>(
				db,
				sql`select c.id, c.external_ref from contacts c where c.organisation_id = ${organisation.id}
					and exists (select 1 from assessments a where a.contact_id = c.id and a.status = 'breached') order by c.id limit 1`
			);
			contact[code] = { id: Number(found!.id), reference: found!.external_ref };
		}
	});
	afterAll(() => database?.dispose());

	const log = async (viewer: Viewer, params: string) => {
		const found = await caseLog.caseLog(db, new URLSearchParams(params), await scope.filterScope(db, { organisationId: null }), caseScope(viewer), now);
		if ('errors' in found) throw new Error(JSON.stringify(found.errors));
		return found.rows;
	};

	it('binds the manager to the organisation of their team, and an unbound manager to none', () => {
		expect(caseScope(countyManager)).toEqual({ organisationId: county.id, teams: 'all' });
		expect(caseScope(unbound)).toEqual({ organisationId: null, teams: 'all' });
	});

	it("lists only the organisation's cases in the case log, whatever the filter or search asks", async () => {
		const mine = await log(countyManager, 'period=2025/26');
		expect(mine.length).toBeGreaterThan(0);
		expect(new Set(mine.map((row) => row.organisation))).toEqual(new Set([county.name]));
		// The manager sees every team of the county, not just their own.
		expect(new Set(mine.map((row) => row.team)).size).toBeGreaterThan(1);
		expect(await log(countyManager, 'period=2025/26&organisation=borough')).toEqual([]);
		expect(await log(countyManager, 'period=2025/26&team=csc-enquiries')).toEqual([]);
		expect(await log(countyManager, `reference=${contact.borough.reference}`)).toEqual([]);
		expect(await log(countyManager, 'period=2025/26&sort=received&organisation=borough')).toEqual([]);
		expect((await log(countyManager, `reference=${contact.county.reference}`)).map((row) => row.contactId)).toContain(contact.county.id);
		// An unbound manager still sees both.
		expect((await log(unbound, 'period=2025/26&organisation=borough')).length).toBeGreaterThan(0);
		expect((await log(unbound, `reference=${contact.borough.reference}`)).map((row) => row.contactId)).toContain(contact.borough.id);
	});

	it('offers a bound manager only their organisation on the dashboards, and reads every dashboard filter as it', async () => {
		const own = await scope.filterScope(db, countyManager);
		expect(own.organisations.map((o) => o.code)).toEqual(['county']);
		expect((await scope.filterScope(db, unbound)).organisations.map((o) => o.code).sort()).toEqual(['borough', 'county']);
		// No organisation asked for: the county's figures, never "all organisations".
		expect(parseFilters(new URLSearchParams('period=2025/26'), own)).toMatchObject({ filters: { organisation: 'county' } });
		expect(parseFilters(new URLSearchParams('period=2025/26&organisation=borough'), own)).toEqual({ errors: [{ field: 'organisation', message: "There is no organisation 'borough'" }] });
		expect(parseFilters(new URLSearchParams('period=2025/26'), await scope.filterScope(db, unbound))).toMatchObject({ filters: { organisation: null } });
	});

	it("finds another organisation's contact nowhere: its page, the breaches list; the alert queue keeps to it too", async () => {
		expect(await contactPage.contact(db, contact.borough.id, caseScope(countyManager), now)).toBeNull();
		expect((await contactPage.contact(db, contact.county.id, caseScope(countyManager), now))?.reference).toBe(contact.county.reference);
		expect((await contactPage.contact(db, contact.borough.id, caseScope(unbound), now))?.reference).toBe(contact.borough.reference);

		// A standard both councils publish: the breached contacts listed are the county's only.
		const filters = { period: { ...quarterPeriod('2025-07-01') }, organisation: null, service: null, team: null };
		for (const code of ['email.reply', 'foi.response']) {
			const everything = (await standards.detail(db, code, filters, 1, caseScope(unbound)))!;
			expect(new Set(everything.breaches.rows.map((b) => b.organisation)).size).toBeGreaterThan(0);
			const listed = (await standards.detail(db, code, filters, 1, caseScope(countyManager)))!;
			expect(listed.breaches.rows.every((b) => b.organisation === 'county')).toBe(true);
			const asked = (await standards.detail(db, code, { ...filters, organisation: 'borough' }, 1, caseScope(countyManager)))!;
			expect(asked.breaches.rows).toEqual([]);
			expect(asked.breaches.total).toBe(0);
		}

		const queue = await alerts.list(db, countyManager, alerts.NO_FILTERS, now);
		const unboundQueue = await alerts.list(db, unbound, alerts.NO_FILTERS, now);
		const organisationOf = async (ids: number[]) =>
			ids.length ? (await rows<{ organisation_id: number }>(db, sql`select distinct organisation_id from contacts where id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)).map((r) => Number(r.organisation_id)) : [];
		expect(await organisationOf(queue.items.flatMap((item) => (item.contactId === null ? [] : [item.contactId])))).toEqual(queue.items.length ? [county.id] : []);
		expect(queue.total).toBeLessThanOrEqual(unboundQueue.total);
	});

	it("answers due dates for the manager's own organisation only", async () => {
		expect(await due.organisationChoices(db, caseScope(countyManager))).toEqual([{ code: 'county', name: county.name }]);
		expect((await due.organisationChoices(db, caseScope(unbound))).map((o) => o.code)).toEqual(['borough', 'county']);
		const asked = { standard: 'email.reply', received: '2026-11-02T10:00' };
		const refused = await due.lookUp(db, { ...asked, organisation: 'borough' }, caseScope(countyManager));
		expect(refused.answer).toBeNull();
		expect(refused.errors).toEqual([{ field: 'organisation', message: expect.stringMatching(/'borough' is not one of yours/) }]);
		expect((await due.lookUp(db, { ...asked, organisation: 'county' }, caseScope(countyManager))).answer?.standard).toBe('email.reply');
		expect((await due.lookUp(db, { ...asked, organisation: 'borough' }, caseScope(unbound))).answer?.standard).toBe('email.reply');
	});
});
