import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { actorOf } from '../../src/lib/server/audit/record.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import * as reports from '../../src/lib/server/reports/index.ts';
import * as indicators from '../../src/lib/server/plan/indicators.ts';
import * as risks from '../../src/lib/server/plan/risks.ts';
import * as records from '../../src/lib/server/feedback/records.ts';
import * as summary from '../../src/lib/server/feedback/summary.ts';
import * as survey from '../../src/lib/server/feedback/survey.ts';
import { quarter } from '../../src/lib/engine/periods.ts';
import { quarterPeriod } from '../../src/lib/engine/reporting-period.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';

const asOf = new Date('2026-11-24T12:00:00Z');
const officer = actorOf({ id: 'user-fb', name: 'Fran Feedback', email: 'fran@example.test' });

describe.each(engines)('customer feedback on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let orgId: number;
	let serviceId: number;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await seed(db, { asOf, contacts: 3000, properties: 200 });
		await assessments.scoreAll(db);
		// A council of our own whose answers we count by hand.
		const [org] = await db.insert(schema.organisations).values({ code: 'fbtest', name: 'Feedback Test Council' }).returning();
		orgId = org!.id;
		const [service] = await db.insert(schema.services).values({ organisationId: orgId, code: 'help', name: 'Helpdesk' }).returning();
		serviceId = service!.id;
	});
	afterAll(() => database?.dispose());

	it('gives the demo survey answers for a share of contacts, those answered late less satisfied, and complaints with themes and outcomes', async () => {
		const page = await summary.summary(db, { organisation: null, service: null, team: null }, { kind: 'year', param: '2025/26', label: '2025/26', start: '2025-04-01', end: '2026-03-31' }, asOf);
		expect(page.speed.onTime.answered).toBeGreaterThan(20);
		expect(page.speed.late.answered).toBeGreaterThan(3);
		expect(page.speed.gap!).toBeGreaterThan(20);
		const [counts] = await rows<{ complaints: number; themed: number; decided: number; actions: number; surveys: number; contacts: number }>(
			db,
			sql`select (select count(*)::int from feedback where kind = 'complaint') as complaints, (select count(*)::int from feedback where kind = 'complaint' and theme_id is not null) as themed,
				(select count(*)::int from feedback where kind = 'complaint' and outcome is not null) as decided, (select count(*)::int from feedback_actions) as actions,
				(select count(*)::int from feedback where kind = 'survey') as surveys, (select count(*)::int from contacts) as contacts`
		);
		expect(counts!.complaints).toBeGreaterThan(0);
		expect(counts!.themed).toBe(counts!.complaints);
		expect(counts!.decided).toBe(counts!.complaints);
		expect(counts!.actions).toBe(5);
		expect(counts!.surveys / counts!.contacts).toBeGreaterThan(0.01);
	});

	it('counts satisfaction per quarter as satisfied or very satisfied over everyone who answered', async () => {
		// Q1 2026/27: 5, 4, 4, 3, 1 → 3 of 5; Q2: 5, 2 → 1 of 2; Q3 nobody. A comment without a score counts in neither.
		const answers: [string, number | null][] = [
			['2026-04-01', 5], ['2026-05-10', 4], ['2026-06-30', 4], ['2026-06-30', 3], ['2026-05-02', 1],
			['2026-07-01', 5], ['2026-09-30', 2], ['2026-08-08', null]
		];
		await db.insert(schema.feedback).values(
			answers.map(([givenOn, satisfaction], i) => ({ organisationId: orgId, serviceId, kind: satisfaction === null ? ('comment' as const) : ('survey' as const), satisfaction, givenOn, source: 'hand', externalRef: `h${i}` }))
		);
		const quarters = [quarter(2026, 1), quarter(2026, 2), quarter(2026, 3)];
		const found = await summary.quarterly(db, { organisation: 'fbtest', service: null, team: null }, quarters, asOf);
		expect(found.map((q) => [q.label, q.satisfied, q.answered, q.percent, q.target])).toEqual([
			['Q1 2026/27', 3, 5, 60, 85],
			['Q2 2026/27', 1, 2, 50, 85],
			['Q3 2026/27', 0, 0, null, 85]
		]);
		const page = await summary.summary(db, { organisation: 'fbtest', service: null, team: null }, quarterPeriod('2026-05-01'), asOf);
		expect(page.satisfaction).toMatchObject({ answered: 5, satisfied: 3, percent: 60, rag: 'red' });
		expect(page.distribution.map((d) => d.count)).toEqual([1, 2, 1, 0, 1]);
	});

	it('shows satisfaction as the CS01 indicator against 85%, and suggests raising a reputational risk after two quarters below it', async () => {
		const table = await indicators.table(db, { organisation: 'fbtest', financialYear: 2026, asOf });
		const cs01 = table.rows.find((r) => r.ref === 'CS01')!;
		expect(cs01).toMatchObject({ kind: 'satisfaction', target: 85 });
		expect(cs01.quarters.slice(0, 3).map((q) => [q.actual, q.numerator, q.denominator, q.rag])).toEqual([
			[60, 3, 5, 'red'],
			[50, 1, 2, 'red'],
			[null, null, null, null]
		]);
		await db.insert(schema.risks).values({ organisationId: orgId, ref: 'ES-R8', title: 'Damage to reputation', owner: 'Manager', inherentLikelihood: 3, inherentImpact: 2, residualLikelihood: 2, residualImpact: 2, targetLikelihood: 1, targetImpact: 2 });
		const evidence = await risks.evidence(db, { organisation: 'fbtest', financialYear: 2026, quarter: 2, asOf });
		const rule = evidence.find((e) => e.rule.code === 'satisfaction-reputation')!;
		expect(rule).toMatchObject({ triggered: true, currentLikelihood: 2, suggestedLikelihood: 3 });
		expect(rule.reason).toContain('CS01');
	});

	it('opens a survey link once, one question at a time, and never after it expires', async () => {
		const [contact] = await rows<{ id: number; organisation_id: number }>(db, sql`select id, organisation_id from contacts where contact_type = 'email' order by id limit 1`);
		const link = await survey.createLink(db, { contactId: contact!.id, actor: officer, now: asOf });
		expect(link.token).toMatch(survey.TOKEN_PATTERN);
		const open = await survey.state(db, link.token, asOf);
		expect(open).toMatchObject({ kind: 'open', satisfaction: null, resolved: null });
		// Nothing on it names the person who wrote in.
		expect(Object.keys(open).sort()).toEqual(['id', 'kind', 'organisation', 'resolved', 'satisfaction', 'service']);

		// An altered signature or id is refused without a row.
		const [id, expiry, signature] = link.token.split('.');
		expect((await survey.state(db, `${id}.${expiry}.${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`, asOf)).kind).toBe('invalid');
		expect((await survey.state(db, `${id}.${(parseInt(expiry!, 36) + 86400).toString(36)}.${signature}`, asOf)).kind).toBe('invalid');

		await survey.answer(db, link.token, { question: 'satisfaction', value: 4 }, asOf);
		await survey.answer(db, link.token, { question: 'resolved', value: true }, asOf);
		expect(await survey.state(db, link.token, asOf)).toMatchObject({ kind: 'open', satisfaction: 4, resolved: true });
		expect((await survey.answer(db, link.token, { question: 'comment', value: '  Quick and clear =HYPERLINK("x")  ' }, asOf)).kind).toBe('answered');
		const stored = await rows<{ kind: string; satisfaction: number; resolved: boolean; comment: string; contact_id: number; channel: string }>(
			db,
			sql`select kind, satisfaction, resolved, comment, contact_id, channel from feedback where source = 'survey-link'`
		);
		expect(stored).toEqual([{ kind: 'survey', satisfaction: 4, resolved: true, comment: 'Quick and clear =HYPERLINK("x")', contact_id: contact!.id, channel: 'email' }]);

		// A second answer is refused and changes nothing.
		expect((await survey.answer(db, link.token, { question: 'satisfaction', value: 1 }, asOf)).kind).toBe('answered');
		expect((await survey.answer(db, link.token, { question: 'comment', value: 'again' }, asOf)).kind).toBe('answered');
		expect(await rows(db, sql`select 1 from feedback where source = 'survey-link'`)).toHaveLength(1);

		// A link past its expiry is refused.
		const old = await survey.createLink(db, { contactId: contact!.id, actor: officer, now: new Date('2026-01-01T00:00:00Z') });
		expect((await survey.state(db, old.token, asOf)).kind).toBe('expired');
		expect((await survey.answer(db, old.token, { question: 'satisfaction', value: 5 }, asOf)).kind).toBe('expired');
	});

	it('compares the satisfaction of contacts answered on time with late ones, by hand', async () => {
		const met = await rows<{ id: number }>(db, sql`select c.id from contacts c where c.organisation_id = (select id from organisations where code = 'county')
			and exists (select 1 from assessments a where a.contact_id = c.id and a.status = 'met') and not exists (select 1 from assessments a where a.contact_id = c.id and a.status <> 'met')
			and c.received_at >= '2026-04-01' and c.received_at < '2026-07-01' order by c.id limit 4`);
		const late = await rows<{ id: number }>(db, sql`select c.id from contacts c where c.organisation_id = (select id from organisations where code = 'county')
			and exists (select 1 from assessments a where a.contact_id = c.id and a.status = 'breached')
			and c.received_at >= '2026-04-01' and c.received_at < '2026-07-01' order by c.id limit 3`);
		expect(met).toHaveLength(4);
		expect(late).toHaveLength(3);
		const give = async (contactId: number, score: number, on: Date) => {
			const link = await survey.createLink(db, { contactId, actor: officer, now: on });
			await survey.answer(db, link.token, { question: 'satisfaction', value: score }, on);
			await survey.answer(db, link.token, { question: 'comment', value: '' }, on);
		};
		const on = new Date('2026-06-15T10:00:00Z');
		const before = (await summary.summary(db, { organisation: 'county', service: null, team: null }, quarterPeriod('2026-06-15'), asOf)).speed;
		for (const [i, c] of met.entries()) await give(c.id, [5, 5, 4, 2][i]!, on);
		for (const [i, c] of late.entries()) await give(c.id, [1, 4, 2][i]!, on);
		const page = await summary.summary(db, { organisation: 'county', service: null, team: null }, quarterPeriod('2026-06-15'), asOf);
		// Four more on time (three satisfied), three more late (one satisfied), beside the demo's answers.
		expect(page.speed.onTime.answered - before.onTime.answered).toBe(4);
		expect(page.speed.onTime.satisfied - before.onTime.satisfied).toBe(3);
		expect(page.speed.late.answered - before.late.answered).toBe(3);
		expect(page.speed.late.satisfied - before.late.satisfied).toBe(1);
		const percentOf = (g: { satisfied: number; answered: number }) => (g.satisfied / g.answered) * 100;
		expect(page.speed.onTime.percent).toBeCloseTo(percentOf(page.speed.onTime), 9);
		expect(page.speed.gap).toBeCloseTo(percentOf(page.speed.onTime) - percentOf(page.speed.late), 9);
	});

	it('keeps a complaint’s stage, outcome and theme, and the actions that answer them', async () => {
		const [complaint] = await rows<{ id: number }>(db, sql`select id from contacts where contact_type = 'complaint' and organisation_id = (select id from organisations where code = 'county') and received_at >= '2026-04-01' order by id limit 1`);
		const theme = await records.addTheme(db, 'county', 'Parking permits', officer);
		await expect(records.addTheme(db, 'county', 'Parking permits', officer)).rejects.toThrow(/already a theme/);
		await records.recordComplaint(db, { contactId: complaint!.id, stage: 'stage-1', outcome: 'partly-upheld', theme: theme.id, actor: officer });
		await records.recordComplaint(db, { contactId: complaint!.id, stage: 'stage-2', outcome: 'upheld', theme: theme.id, actor: officer });
		expect(await records.complaintOf(db, complaint!.id)).toEqual({ stage: 'stage-2', outcome: 'upheld', themeId: theme.id });
		const [email] = await rows<{ id: number }>(db, sql`select id from contacts where contact_type = 'email' order by id limit 1`);
		await expect(records.recordComplaint(db, { contactId: email!.id, stage: 'informal', actor: officer })).rejects.toThrow(/Only a complaint/);

		const [feedbackId] = await rows<{ id: number }>(db, sql`select id from feedback where contact_id = ${complaint!.id} and kind = 'complaint'`);
		const id = await records.addAction(db, 'county', { theme: theme.id, youSaid: 'You waited too long for a reply', weDid: 'We added a second person to the inbox', owner: 'Customer Services Manager', dueOn: '2026-12-31', status: 'in-progress', complaints: [feedbackId!.id] }, officer);
		await expect(records.addAction(db, 'county', { youSaid: 'x', weDid: 'y', owner: 'z', dueOn: '2026-12-31', status: 'planned', complaints: [] }, officer)).rejects.toThrow(/theme or the complaints/);
		await records.setActionStatus(db, 'county', { id, status: 'done' }, officer);
		await expect(records.setActionStatus(db, 'borough', { id, status: 'planned' }, officer)).rejects.toThrow(/no such action/);
		const list = await summary.actions(db, { organisation: 'county', service: null }, quarterPeriod('2026-11-01'), { withOwner: false, asOf });
		expect(list.find((a) => a.id === id)).toMatchObject({ theme: 'Parking permits', status: 'done', owner: null, complaints: 1 });
	});

	it('puts satisfaction and the actions in both reports, the committee’s without owners or anything a customer wrote', async () => {
		const board = await reports.build(db, { organisation: 'county', kind: 'board', financialYear: 2026, quarter: 2 }, asOf);
		const committee = await reports.build(db, { organisation: 'county', kind: 'committee', financialYear: 2026, quarter: 2 }, asOf);
		const cs01 = board.indicators.rows.find((r) => r.ref === 'CS01')!;
		const direct = await summary.quarterly(db, { organisation: 'county', service: null, team: null }, [quarter(2026, 1), quarter(2026, 2)], asOf);
		expect(cs01.quarters.slice(0, 2).map((q) => q.actual)).toEqual(direct.map((q) => q.percent));
		expect(board.feedback!.quarters.map((q) => [q.label, q.percent])).toEqual(direct.map((q) => [q.label, q.percent]));
		// The board's exceptions: open actions only, with their owners; the committee's: the period's actions, no owner.
		expect(board.feedback!.actions.every((a) => a.status !== 'Done' && a.owner)).toBe(true);
		expect(committee.feedback!.actions.length).toBeGreaterThan(0);
		expect(committee.feedback!.actions.every((a) => a.owner === null)).toBe(true);
		const comments = await rows<{ comment: string }>(db, sql`select distinct comment from feedback where comment is not null and organisation_id = (select id from organisations where code = 'county')`);
		const html = reports.sections(committee);
		expect(html).toContain('Customer feedback');
		expect(comments.length).toBeGreaterThan(0);
		for (const c of comments) {
			expect(JSON.stringify(committee)).not.toContain(c.comment);
			expect(html).not.toContain(c.comment);
		}
	});
});
