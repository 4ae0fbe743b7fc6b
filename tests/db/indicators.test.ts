import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import * as indicatorEdits from '../../src/lib/server/plan/indicator-edits.ts';
import * as indicators from '../../src/lib/server/plan/indicators.ts';
import { engines } from '../support/databases.ts';
import { actorOf } from '../../src/lib/server/audit/record.ts';

/** FY 2025/26 has closed by this date, so every quarter is final. */
const asOf = new Date('2026-05-01T12:00:00Z');
const manager = { id: 'user-manager', name: 'Morgan Manager', email: 'manager@example.test' };
const managerActor = actorOf(manager);

/**
 * A borough with only ES01 and ES02 (no standards), and data whose figures are easy to work out:
 * - canvass 2025: 10 Route 2 properties (6 responded by 30 Sep, 2 more by 1 Dec, 1 after, 1 never)
 *   and 5 Route 1 properties (none responded): Q2 progress 6/10 = 60%, final 8/10 = 80%.
 * - notices: July 2025 (5 changes, all included) → Q2 100%; January 2026 (4 of 4) and February
 *   2026 (2 of 3, published a day late) → Q4 6/7 = 85.7%; year 11/12 = 91.7%.
 */
async function build(db: Database) {
	const [org] = await db.insert(schema.organisations).values({ code: 'testboro', name: 'Test Borough Council' }).returning();
	const organisationId = org!.id;
	await db.insert(schema.services).values({ organisationId, code: 'electoral', name: 'Electoral Services' });
	await db.insert(schema.users).values({ id: manager.id, name: manager.name, email: manager.email, role: 'manager' });
	const [es01, es02] = await db
		.insert(schema.indicators)
		.values([
			{ organisationId, code: 'ES01', description: 'Annual canvass return', method: 'es01', amberMargin: 2.5 },
			{ organisationId, code: 'ES02', description: 'Monthly alterations', method: 'es02', amberMargin: 1 }
		])
		.returning();
	await db.insert(schema.indicatorTargets).values([
		{ organisationId, indicatorId: es01!.id, financialYear: 2025, target: 90, effectiveFrom: new Date('2025-03-01T00:00:00Z') },
		{ organisationId, indicatorId: es02!.id, financialYear: 2025, target: 100, effectiveFrom: new Date('2025-03-01T00:00:00Z') }
	]);
	const property = (i: number, route: number, respondedOn: string | null) => ({
		organisationId,
		canvassYear: 2025,
		propertyRef: `P${i}`,
		pollingDistrict: 'AA',
		route,
		contactedOn: '2025-07-14',
		respondedOn
	});
	await db.insert(schema.canvassProperties).values([
		...Array.from({ length: 6 }, (_, i) => property(i, 2, '2025-09-20')),
		property(6, 2, '2025-11-10'),
		property(7, 2, '2025-12-01'),
		property(8, 2, '2025-12-10'),
		property(9, 2, null),
		...Array.from({ length: 5 }, (_, i) => property(10 + i, 1, null))
	]);
	const notices = await db
		.insert(schema.registerNotices)
		.values([
			{ organisationId, month: '2025-07-01', cutOffOn: '2025-06-19', dueOn: '2025-07-01', publishedOn: '2025-07-01' },
			{ organisationId, month: '2026-01-01', cutOffOn: '2025-12-19', dueOn: '2026-01-02', publishedOn: '2026-01-02' },
			{ organisationId, month: '2026-02-01', cutOffOn: '2026-01-21', dueOn: '2026-02-02', publishedOn: '2026-02-03' }
		])
		.returning();
	const [july, january, february] = notices;
	let n = 0;
	const change = (determinedOn: string, noticeId: number | null) => ({ organisationId, changeRef: `C${++n}`, kind: 'addition' as const, determinedOn, noticeId });
	await db.insert(schema.registerChanges).values([
		...Array.from({ length: 5 }, () => change('2025-06-10', july!.id)),
		...Array.from({ length: 4 }, () => change('2025-12-10', january!.id)),
		change('2026-01-05', february!.id),
		change('2026-01-06', february!.id),
		change('2026-01-21', null)
	]);
	return { organisationId };
}

describe.each(engines)('the indicators table on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await build(db);
	});
	afterAll(() => database?.dispose());

	const row = async (ref: string, at = asOf) => (await indicators.table(db, { organisation: 'testboro', financialYear: 2025, asOf: at })).rows.find((r) => r.ref === ref)!;

	it('reports ES01 as the Route 2 return: progress at the end of Q2, final in Q3', async () => {
		const es01 = await row('ES01');
		expect(es01.quarters.map((q) => [q.actual, q.numerator, q.denominator, q.stage])).toEqual([
			[null, null, null, null],
			[60, 6, 10, 'progress'],
			[80, 8, 10, 'final'],
			[null, null, null, null]
		]);
		expect(es01.quarters[2]!.rag).toBe('red');
		expect(es01.yearToDate.actual).toBe(80);
		expect(es01.target).toBe(90);
	});

	it('reports ES02 by quarter from the notices, and lists each notice with whether it was on time', async () => {
		const es02 = await row('ES02');
		expect(es02.quarters.map((q) => q.actual === null ? null : Number(q.actual.toFixed(3)))).toEqual([null, 100, null, 85.714]);
		expect(es02.quarters.map((q) => q.status)).toEqual(['none', 'final', 'none', 'final']);
		expect(es02.quarters[2]!.note).toBe('No notices in the canvass period');
		expect(es02.yearToDate).toMatchObject({ numerator: 11, denominator: 12 });
		expect(es02.rag).toBe('red');
		expect(es02.direction).toBe('worsening');
		const table = await indicators.table(db, { organisation: 'testboro', financialYear: 2025, asOf });
		expect(table.notices.map((n) => [n.month, n.numerator, n.denominator, n.publishedOnTime])).toEqual([
			['2025-07-01', 5, 5, true],
			['2026-01-01', 4, 4, true],
			['2026-02-01', 2, 3, false]
		]);
	});

	it('stores each closed quarter with the target it was judged against', async () => {
		const stored = await rows<{ quarter: number; actual: number; target: number }>(
			db,
			sql`select r.quarter, r.actual::float8 as actual, r.target::float8 as target from indicator_results r
				join indicators i on i.id = r.indicator_id where i.code = 'ES01' and r.financial_year = 2025 order by r.quarter`
		);
		expect(stored.map((r) => [Number(r.quarter), r.actual, r.target])).toEqual([
			[2, 60, 90],
			[3, 80, 90]
		]);
	});

	it('never re-judges or recomputes a reported quarter: a new target and late data leave it as reported', async () => {
		await indicatorEdits.setTarget(db, { organisation: 'testboro', indicator: 'ES01', financialYear: 2025, target: 95, actor: managerActor, effectiveFrom: new Date('2026-05-02T00:00:00Z') });
		// A late-recorded response for the 2025 canvass, dated before publication.
		await db.execute(sql`update canvass_properties set responded_on = '2025-11-30' where property_ref = 'P9'`);
		const later = new Date('2026-05-03T12:00:00Z');
		const es01 = await row('ES01', later);
		expect(es01.target).toBe(95);
		expect(es01.quarters[2]).toMatchObject({ actual: 80, numerator: 8, target: 90, rag: 'red' });
		expect(es01.targets.map((t) => t.target)).toEqual([95, 90]);
		const audit = await rows<{ action: string; actor: string; after: { target: number } }>(db, sql`select action, actor, after from audit_log where entity = 'indicator_target'`);
		expect(audit).toEqual([{ action: 'set target', actor: manager.email, after: expect.objectContaining({ target: 95 }) }]);
	});

	it('saves commentary with its author and time, and audits it', async () => {
		const saved = await indicatorEdits.saveCommentary(db, { organisation: 'testboro', indicator: 'ES02', financialYear: 2025, quarter: 4, body: '  February missed one change.  ', author: managerActor });
		expect(saved).toMatchObject({ body: 'February missed one change.', author: 'Morgan Manager', authorId: manager.id });
		const es02 = await row('ES02');
		expect(es02.quarters[3]!.commentary).toEqual([expect.objectContaining({ body: 'February missed one change.', author: 'Morgan Manager' })]);
		expect(es02.quarters[3]!.commentary[0]!.at).toBeInstanceOf(Date);
		const audit = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where entity = 'indicator_commentary' and actor_id = ${manager.id}`);
		expect(Number(audit[0]!.n)).toBe(1);
	});

	it('refuses empty commentary and an impossible target without storing anything', async () => {
		await expect(indicatorEdits.saveCommentary(db, { organisation: 'testboro', indicator: 'ES02', financialYear: 2025, quarter: 4, body: '   ', author: managerActor })).rejects.toThrow('Enter the commentary');
		await expect(indicatorEdits.setTarget(db, { organisation: 'testboro', indicator: 'ES02', financialYear: 2025, target: 120, actor: managerActor })).rejects.toThrow(RangeError);
		await expect(indicatorEdits.saveCommentary(db, { organisation: 'testboro', indicator: 'ES99', financialYear: 2025, quarter: 1, body: 'x', author: managerActor })).rejects.toThrow("There is no indicator 'ES99'");
		const count = await rows<{ n: number }>(db, sql`select count(*)::int as n from indicator_commentary`);
		expect(Number(count[0]!.n)).toBe(1);
	});

	it('gives last year’s actual from the year before', async () => {
		const next = (await indicators.table(db, { organisation: 'testboro', financialYear: 2026, asOf: new Date('2026-05-03T12:00:00Z') })).rows;
		expect(next.find((r) => r.ref === 'ES01')!.lastYearActual).toBe(80);
		expect(next.find((r) => r.ref === 'ES02')!.lastYearActual).toBeCloseTo(91.667, 3);
	});
});
