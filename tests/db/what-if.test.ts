import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLimit } from '../../src/lib/engine/limits.ts';
import { parseRule } from '../../src/lib/engine/rules.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { seedReference, type Reference } from '../../src/lib/server/seed/reference.ts';
import * as whatIf from '../../src/lib/server/standards/what-if.ts';
import { engines } from '../support/databases.ts';

const TODAY = '2026-11-24';
const DAY = 86_400_000;

/** A small deterministic generator, so every run builds the same log. */
function random(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

describe.each(engines)('what-if on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let reference: Reference;

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		reference = await seedReference(db, { from: '2024-04-01', asOf: new Date(`${TODAY}T12:00:00Z`) });
		await buildLog(db, reference);
		await assessments.scoreAll(db);
	});
	afterEach(() => database.dispose());

	/**
	 * Emails (both councils, over weekends, bank holidays and the Christmas closures), phone calls and
	 * SARs across the last eight quarters, answered after anything from an hour to a fortnight; a few never.
	 */
	async function buildLog(db: Database, reference: Reference) {
		const next = random(20261124);
		const county = reference.organisation('county');
		const borough = reference.organisation('borough');
		const start = Date.parse('2024-10-01T00:00:00Z');
		const span = Date.parse('2026-11-20T00:00:00Z') - start;
		const values: (typeof schema.contacts.$inferInsert)[] = [];
		for (let i = 0; i < 360; i++) {
			const received = start + Math.floor(next() * span);
			const inBorough = i % 4 === 0;
			const answered = next() < 0.95 ? received + Math.floor(next() * 14 * DAY) : null;
			values.push({
				organisationId: inBorough ? borough.id : county.id,
				serviceId: inBorough ? borough.service('customer') : county.service('customer'),
				teamId: inBorough ? borough.team('csc-enquiries') : county.team('cc-correspondence'),
				contactType: 'email',
				source: 'test',
				externalRef: `EM-${i}`,
				receivedAt: new Date(received),
				firstResponseAt: answered === null ? null : new Date(answered),
				status: answered === null ? 'open' : 'responded'
			});
		}
		for (let i = 0; i < 300; i++) {
			const received = start + Math.floor(next() * span);
			const wait = Math.floor(next() * 60);
			const abandoned = next() < 0.15;
			values.push({
				organisationId: county.id,
				serviceId: county.service('customer'),
				teamId: county.team('cc-contact-centre'),
				contactType: 'phone',
				source: 'test',
				externalRef: `CALL-${i}`,
				receivedAt: new Date(received),
				firstResponseAt: abandoned ? null : new Date(received + wait * 1000),
				waitSeconds: next() < 0.03 ? null : wait,
				abandoned,
				status: 'closed'
			});
		}
		for (let i = 0; i < 80; i++) {
			const received = start + Math.floor(next() * span);
			values.push({
				organisationId: county.id,
				serviceId: county.service('customer'),
				teamId: county.team('cc-information'),
				contactType: 'sar',
				source: 'test',
				externalRef: `SAR-${i}`,
				receivedAt: new Date(received),
				firstResponseAt: new Date(received + Math.floor((10 + next() * 50) * DAY)),
				extended: next() < 0.1,
				status: 'responded'
			});
		}
		await db.insert(schema.contacts).values(values);
	}

	/** Scores everything again as if every version of the standard had the new limit: the full re-score. */
	async function rescoreWithLimit(code: string, limit: number) {
		const versions = await db
			.select()
			.from(schema.standardVersions)
			.innerJoin(schema.standards, eq(schema.standards.id, schema.standardVersions.standardId))
			.where(eq(schema.standards.code, code));
		for (const { standard_versions: version } of versions) {
			const rule = withLimit(parseRule(version.rule), limit);
			await db.update(schema.standardVersions).set({ rule, limitValue: limit }).where(eq(schema.standardVersions.id, version.id));
		}
		await assessments.scoreAll(db);
	}

	const figures = (result: whatIf.WhatIfResult, which: 'published' | 'whatIf') =>
		result.quarters.map((q) => ({ quarter: q.label, met: q[which].met, breached: q[which].breached, compliance: q[which].compliance }));

	it.for([
		// Email in 2 working days instead of 3: set-based over the stored verdicts and a working-day index.
		{ code: 'email.reply', limit: 2, method: 'sql' },
		{ code: 'email.reply', limit: 5, method: 'sql' },
		// Phone answered within 30 seconds instead of 20 (and abandoned within 30 left out).
		{ code: 'phone.answer', limit: 30, method: 'sql' },
		// 40 calendar days to 30.
		{ code: 'sar.published', limit: 30, method: 'sql' },
		// One calendar month to two: re-scored by the engine contact by contact.
		{ code: 'sar.statutory', limit: 2, method: 'engine' }
	])('recomputes $code under a limit of $limit exactly as a full re-score does', async ({ code, limit, method }) => {
		const result = (await whatIf.compute(db, code, { limit }, { today: TODAY }))!;
		expect(result.method).toBe(method);
		const before = (await whatIf.compute(db, code, {}, { today: TODAY }))!;
		expect(figures(result, 'published')).toEqual(figures(before, 'published'));
		expect(result.quarters.reduce((sum, q) => sum + q.whatIf.met + q.whatIf.breached, 0)).toBeGreaterThan(20);

		await rescoreWithLimit(code, limit);
		const rescored = (await whatIf.compute(db, code, {}, { today: TODAY }))!;
		expect(figures(result, 'whatIf')).toEqual(figures(rescored, 'published'));
	});

	it('shows a new target against the same compliance, and saves nothing', async () => {
		const [{ count: before }] = (await rows<{ count: number }>(db, sql`select count(*)::int as count from assessments`)) as [{ count: number }];
		const result = (await whatIf.compute(db, 'email.reply', { target: 95 }, { today: TODAY }))!;
		expect(result.method).toBe('stored');
		for (const quarter of result.quarters) {
			expect(quarter.whatIf.compliance).toBe(quarter.published.compliance);
			expect(quarter.whatIf.targetPercent).toBe(95);
			expect(quarter.published.targetPercent).toBe(90); // the county's published target
		}
		expect(result.quarters).toHaveLength(8);
		expect(result.quarters.at(-1)!.label).toBe('Q3 2026/27');
		const [{ count: after }] = (await rows<{ count: number }>(db, sql`select count(*)::int as count from assessments`)) as [{ count: number }];
		expect(after).toBe(before);
	});

	it('refuses a limit on a standard that has none', async () => {
		await expect(whatIf.compute(db, 'phone.callback', { limit: 2 }, { today: TODAY })).rejects.toThrow(/no limit to change/);
	});

	it('refuses in a dry run exactly what publishing refuses, and a dry run writes nothing', async () => {
		const admin = { actorId: null, actor: 'admin@example.gov.uk' };
		const versions = async () => (await db.select().from(schema.standardVersions)).map((v) => [v.id, v.version, v.effectiveFrom, v.effectiveTo]).sort();
		const before = await versions();
		const refusal = async (attempt: Promise<unknown>) => attempt.then(() => null, (problem: whatIf.WhatIfError) => ({ field: problem.field, message: problem.message }));
		const refused = [
			{ code: 'email.reply', organisation: 'county', effectiveFrom: '2019-01-01', limit: 2 }, // before version 1 started
			{ code: 'email.reply', organisation: 'county', effectiveFrom: '2020-04-01', target: 95 }, // the day version 1 started
			{ code: 'email.reply', organisation: 'county', effectiveFrom: '2027-04-01' }, // nothing changes
			{ code: 'email.reply', organisation: 'nowhere', effectiveFrom: '2027-04-01', limit: 2 },
			{ code: 'phone.callback', organisation: 'county', effectiveFrom: '2027-04-01', limit: 2 }, // no limit to change
			{ code: 'email.reply', organisation: 'county', effectiveFrom: '2027-04-01', target: 120 }
		];
		const fields = ['effectiveFrom', 'effectiveFrom', 'limit', 'organisation', 'limit', 'target'];
		for (const [i, change] of refused.entries()) {
			const dry = await refusal(whatIf.publish(db, null, change, { dryRun: true }));
			expect(dry?.field, JSON.stringify(change)).toBe(fields[i]);
			expect(await refusal(whatIf.publish(db, admin, change))).toEqual(dry);
			// The forms answer the same field errors either way.
			const form = { ...change, limit: change.limit === undefined ? '' : String(change.limit), target: change.target === undefined ? '' : String(change.target) };
			const dryForm = await whatIf.publishForm(db, null, change.code, form, { dryRun: true });
			if (change.target !== 120) expect(dryForm).toEqual({ errors: [dry] });
			expect(await whatIf.publishForm(db, admin, change.code, form)).toEqual(dryForm);
		}
		expect(await versions()).toEqual(before);

		const change = { code: 'email.reply', organisation: 'county', effectiveFrom: '2027-04-01', limit: 2 };
		const planned = await whatIf.publish(db, null, change, { dryRun: true });
		expect(await versions()).toEqual(before);
		expect(await whatIf.publish(db, admin, change)).toMatchObject(planned);
		// Now version 2 starts on 2027-04-01: the same change is refused by both.
		const again = await refusal(whatIf.publish(db, null, change, { dryRun: true }));
		expect(again).toMatchObject({ field: 'effectiveFrom', message: expect.stringMatching(/must start after 2027-04-01/) });
		expect(await refusal(whatIf.publish(db, admin, change))).toEqual(again);
	});

	it('publishes a new version from a date: re-scores contacts starting on or after it and leaves history alone', async () => {
		const county = reference.organisation('county');
		const verdicts = async () =>
			rows<{ ref: string; version: number; status: string; clock_start_on: string; assessed_at: string }>(
				db,
				sql`select c.external_ref as ref, v.version, a.status, a.clock_start_on::text as clock_start_on, a.assessed_at::text as assessed_at
					from assessments a join contacts c on c.id = a.contact_id join standards s on s.id = a.standard_id
					join standard_versions v on v.id = a.standard_version_id
					where s.code = 'email.reply' and s.organisation_id = ${county.id} order by c.external_ref`
			);
		const before = await verdicts();
		const from = '2026-01-01';
		const published = await whatIf.publish(db, { actorId: null, actor: 'admin@example.gov.uk' }, { code: 'email.reply', organisation: 'county', effectiveFrom: from, limit: 2, target: 90 });
		expect(published.version).toBe(2);
		const affected = await whatIf.affectedFrom(db, published.standardId, from);
		expect(affected.count).toBe(before.filter((v) => v.clock_start_on >= from).length);
		expect(affected.sample.length).toBeGreaterThan(0);
		const summary = await whatIf.rescoreFrom(db, published.standardId, from);
		expect(summary.contacts).toBe(affected.count);

		const after = await verdicts();
		const history = before.filter((v) => v.clock_start_on < from);
		expect(after.filter((v) => v.clock_start_on < from)).toEqual(history); // not even re-written
		expect(after.filter((v) => v.clock_start_on >= from).every((v) => v.version === 2)).toBe(true);
		// The same verdicts a full re-score gives: nothing left to change.
		expect((await assessments.scoreAll(db)).changed).toBe(0);

		const [version1] = await db
			.select()
			.from(schema.standardVersions)
			.where(and(eq(schema.standardVersions.standardId, published.standardId), eq(schema.standardVersions.version, 1)));
		expect(version1).toMatchObject({ effectiveFrom: '2020-04-01', effectiveTo: from, rule: { kind: 'working-days', days: 3 } });
		const logged = await db.select().from(schema.auditLog).where(eq(schema.auditLog.entity, 'standard_version'));
		expect(logged).toHaveLength(1);
		expect(logged[0]).toMatchObject({ action: 'publish', actor: 'admin@example.gov.uk', entityId: String(published.versionId) });

		await expect(whatIf.publish(db, { actor: 'admin@example.gov.uk' }, { code: 'email.reply', organisation: 'county', effectiveFrom: '2025-06-01', limit: 4 })).rejects.toThrow(
			/must start after 2026-01-01/
		);
	});
});
