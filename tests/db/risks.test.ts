import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import * as risks from '../../src/lib/server/plan/risks.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';
import { actorOf } from '../../src/lib/server/audit/record.ts';

const asOf = new Date('2026-11-24T12:00:00Z');
const manager = { id: 'user-risk-manager', name: 'Rita Reviewer', email: 'rita@example.test' };
const managerActor = actorOf(manager);

describe.each(engines)('the risk register on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		// A risk that was 3 × 2 in Q1 2025/26 and 2 × 2 in Q2, beside a small demo.
		await seed(db, { asOf, contacts: 3000, properties: 300 });
		await assessments.scoreAll(db);
		await db.insert(schema.users).values({ id: manager.id, name: manager.name, email: manager.email, role: 'manager' });
		const [org] = await db.insert(schema.organisations).values({ code: 'testboro', name: 'Test Borough Council' }).returning();
		const [risk] = await db
			.insert(schema.risks)
			.values({ organisationId: org!.id, ref: 'T-1', title: 'Insufficient staff', owner: 'Manager', inherentLikelihood: 3, inherentImpact: 3, residualLikelihood: 2, residualImpact: 2, targetLikelihood: 1, targetImpact: 2, lastReviewedOn: '2025-10-10' })
			.returning();
		await db.insert(schema.riskReviews).values([
			{ organisationId: org!.id, riskId: risk!.id, financialYear: 2025, quarter: 1, likelihood: 3, impact: 2, reviewedOn: '2025-07-10' },
			{ organisationId: org!.id, riskId: risk!.id, financialYear: 2025, quarter: 2, likelihood: 2, impact: 2, reviewedOn: '2025-10-10' }
		]);
	});
	afterAll(() => database?.dispose());

	it('shows each quarter’s residual score, band and movement since the quarter before', async () => {
		const q2 = await risks.register(db, { organisation: 'testboro', financialYear: 2025, quarter: 2, asOf });
		expect(q2.risks[0]).toMatchObject({
			residual: { likelihood: 2, impact: 2, score: 4, band: 'low' },
			previous: { likelihood: 3, impact: 2, score: 6, band: 'medium' },
			direction: 'improving',
			movement: { kind: 'down', text: 'Down from 3 × 2 = 6' },
			lastReviewedOn: '2025-10-10',
			reviewedThisQuarter: true
		});
		const q1 = await risks.register(db, { organisation: 'testboro', financialYear: 2025, quarter: 1, asOf });
		expect(q1.risks[0]).toMatchObject({ residual: { score: 6 }, previous: null, movement: { kind: 'new' } });
		// Q3 was not reviewed: it carries Q2's assessment forward.
		const q3 = await risks.register(db, { organisation: 'testboro', financialYear: 2025, quarter: 3, asOf });
		expect(q3.risks[0]).toMatchObject({ residual: { score: 4 }, movement: { kind: 'same' }, reviewedThisQuarter: false });
	});

	it('places each risk on the plan’s 4×4 matrix with where it came from', async () => {
		const matrix = await risks.matrix(db, { organisation: 'testboro', financialYear: 2025, quarter: 2, asOf });
		expect(matrix.rows.map((row) => row.map((c) => c.score))).toEqual([
			[4, 8, 12, 16],
			[3, 6, 9, 12],
			[2, 4, 6, 8],
			[1, 2, 3, 4]
		]);
		const placed = matrix.rows.flat().filter((c) => c.risks.length);
		expect(placed.map((c) => [c.likelihood, c.impact, c.bandLabel, c.risks[0]!.ref, c.risks[0]!.from])).toEqual([[2, 2, 'Low', 'T-1', { likelihood: 3, impact: 2 }]]);
	});

	it('seeds the plan’s five risks with its residual scores and the two single points of failure', async () => {
		const reg = await risks.register(db, { organisation: 'borough', financialYear: 2026, quarter: 3, asOf });
		const byTitle = new Map(reg.risks.map((r) => [r.title, r.residual.score]));
		expect([...byTitle.entries()].slice(0, 5)).toEqual([
			['Insufficient staff', 4],
			['Total failure of ICT systems', 6],
			['Loss of accommodation', 3],
			['Fraudulent activity', 2],
			['Failure to provide statutory elections or referenda', 3]
		]);
		expect(reg.risks.filter((r) => r.title.startsWith('Single point of failure')).map((r) => r.title)).toEqual([
			'Single point of failure: Electoral Services Manager',
			'Single point of failure: Electoral Services Officer'
		]);
	});

	it('records a review, moves the register and audits it', async () => {
		await risks.review(db, { organisation: 'testboro', ref: 'T-1', financialYear: 2025, quarter: 3, likelihood: 3, impact: 3, note: 'Two vacancies', actor: managerActor, asOf });
		const q3 = await risks.register(db, { organisation: 'testboro', financialYear: 2025, quarter: 3, asOf });
		expect(q3.risks[0]).toMatchObject({ residual: { score: 9, band: 'high' }, direction: 'worsening', reviewedBy: 'Rita Reviewer', reviewNote: 'Two vacancies' });
		const [risk] = await rows<{ residual_likelihood: number; residual_impact: number }>(db, sql`select residual_likelihood, residual_impact from risks where ref = 'T-1'`);
		expect([Number(risk!.residual_likelihood), Number(risk!.residual_impact)]).toEqual([3, 3]);
		await expect(risks.review(db, { organisation: 'testboro', ref: 'T-1', financialYear: 2025, quarter: 3, likelihood: 5, impact: 3, actor: managerActor, asOf })).rejects.toThrow(RangeError);
		const audit = await rows<{ action: string }>(db, sql`select action from audit_log where entity = 'risk_review' and actor_id = ${manager.id}`);
		expect(audit.map((a) => a.action)).toEqual(['create']);
	});

	it('suggests likelihoods from the evidence and records a manager’s decisions, who and when', async () => {
		// Find quarters in the demo where a rule suggests a change.
		const open: { financialYear: number; quarter: number; item: risks.EvidenceItem }[] = [];
		for (const financialYear of [2024, 2025, 2026]) {
			for (const quarter of [1, 2, 3, 4]) {
				if (financialYear === 2026 && quarter > 3) continue;
				for (const item of await risks.evidence(db, { organisation: 'borough', financialYear, quarter, asOf })) {
					if (item.changeSuggested) open.push({ financialYear, quarter, item });
				}
			}
		}
		expect(open.length).toBeGreaterThanOrEqual(2);
		const [first, second] = open;
		const accepted = await risks.decide(db, { organisation: 'borough', financialYear: first!.financialYear, quarter: first!.quarter, rule: first!.item.rule.code, decision: 'accepted', note: 'Agreed at the board', actor: managerActor, asOf });
		expect(accepted.suggestedLikelihood).toBe(first!.item.suggestedLikelihood);
		await risks.decide(db, { organisation: 'borough', financialYear: second!.financialYear, quarter: second!.quarter, rule: second!.item.rule.code, decision: 'rejected', actor: managerActor, asOf });

		const decisions = await rows<{ decision: string; decided_by: string; decided_by_id: string; suggested_likelihood: number; created_at: Date }>(
			db,
			sql`select decision, decided_by, decided_by_id, suggested_likelihood, created_at from risk_decisions order by id`
		);
		expect(decisions.map((d) => [d.decision, d.decided_by, d.decided_by_id])).toEqual([
			['accepted', 'Rita Reviewer', manager.id],
			['rejected', 'Rita Reviewer', manager.id]
		]);
		const review = await rows<{ likelihood: number; reviewed_by: string }>(
			db,
			sql`select v.likelihood, v.reviewed_by from risk_reviews v join risks r on r.id = v.risk_id
				where r.ref = ${first!.item.risk.ref} and v.financial_year = ${first!.financialYear} and v.quarter = ${first!.quarter}`
		);
		expect(review.map((r) => [Number(r.likelihood), r.reviewed_by])).toEqual([[first!.item.suggestedLikelihood, 'Rita Reviewer']]);
		const again = await risks.evidence(db, { organisation: 'borough', financialYear: second!.financialYear, quarter: second!.quarter, asOf });
		expect(again.find((i) => i.rule.code === second!.item.rule.code)!.decision).toMatchObject({ decision: 'rejected', by: 'Rita Reviewer' });
		const audit = await rows<{ action: string }>(db, sql`select action from audit_log where entity = 'risk_decision' order by id`);
		expect(audit.map((a) => a.action)).toEqual(['accept suggestion', 'reject suggestion']);
	});

	it('refuses a decision on a rule that suggests nothing', async () => {
		await expect(risks.decide(db, { organisation: 'borough', financialYear: 2026, quarter: 3, rule: 'no-such-rule', decision: 'accepted', actor: managerActor, asOf })).rejects.toThrow(RangeError);
	});
});
