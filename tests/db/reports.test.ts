import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterPeriod } from '../../src/lib/engine/reporting-period.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { rows, type Database } from '../../src/lib/server/db/client.ts';
import * as indicatorEdits from '../../src/lib/server/plan/indicator-edits.ts';
import * as indicators from '../../src/lib/server/plan/indicators.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as overview from '../../src/lib/server/dashboard/overview.ts';
import * as reports from '../../src/lib/server/reports/index.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import * as standards from '../../src/lib/server/dashboard/standards.ts';
import { engines } from '../support/databases.ts';
import { actorOf, systemActor } from '../../src/lib/server/audit/record.ts';
import * as adoption from '../../src/lib/server/standards/adoption.ts';

const now = new Date('2026-11-24T12:00:00Z');
const board: reports.ReportRequest = { organisation: 'borough', kind: 'board', financialYear: 2025, quarter: 2 };
const committee: reports.ReportRequest = { organisation: 'borough', kind: 'committee', financialYear: 2025, quarter: 2 };

describe.each(engines)('board and committee reports on $name', (engine) => {
	let database: Awaited<ReturnType<typeof engine.open>>;
	let db: Database;
	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await seed(db, { asOf: now, contacts: 4000, properties: 300 });
		await assessments.scoreAll(db, { concurrency: 1 });
	}, 240_000);
	afterAll(() => database?.dispose());

	it('shows the same standard and indicator figures as the overview, standard and indicator pages', async () => {
		const report = await reports.build(db, board, now);
		const page = await overview.overview(db, { period: quarterPeriod('2025-07-01'), organisation: 'borough', service: null, team: null }, now);
		expect(report.standards.lines.length).toBeGreaterThan(5);
		for (const line of report.standards.lines) {
			const shown = page.standards.find((s) => s.code === line.code)!;
			expect({ met: line.period.met, breached: line.period.breached, compliance: line.period.compliance, rag: line.period.rag }).toEqual({
				met: shown.met,
				breached: shown.breached,
				compliance: shown.compliance,
				rag: shown.rag
			});
			// The standard's own page counts its quarters with a different query: the figures must agree.
			const detail = await standards.detail(db, line.code, { period: quarterPeriod('2025-07-01'), organisation: 'borough', service: null, team: null });
			for (const q of line.quarters) {
				const bucket = detail!.quarters.find((b) => b.label === `Q${q.quarter} 2025/26`)!;
				expect([q.met, q.breached]).toEqual([bucket.met, bucket.breached]);
			}
		}
		const table = await indicators.table(db, { organisation: 'borough', financialYear: 2025, asOf: new Date('2025-09-30T22:59:59.999Z') });
		expect(report.indicators.rows.map((r) => r.ref)).toEqual(table.rows.map((r) => r.ref));
		for (const row of report.indicators.rows) {
			const shown = table.rows.find((r) => r.ref === row.ref)!;
			expect(row.quarters.slice(0, 2).map((q) => q.actual)).toEqual(shown.quarters.slice(0, 2).map((q) => q.actual));
			expect(row.target).toBe(shown.target);
		}
		expect(report.summary.sentences.join(' ')).toMatch(/standards? met (its|their) target in Q2 2025\/26/);
		expect(report.risks.matrix).toHaveLength(16);
		expect(report.duties.rows.length).toBeGreaterThan(0);
		expect(report.gaps).toEqual([]);
	});

	it('covers the half year to the end of Q2 in a committee report, and refuses a committee report for Q1 or Q3', async () => {
		const report = await reports.build(db, committee, now);
		expect(report.period).toMatchObject({ start: '2025-04-01', end: '2025-09-30' });
		expect(report.quarters.map((q) => q.label)).toEqual(['Q1 2025/26', 'Q2 2025/26']);
		for (const line of report.standards.lines) {
			expect(line.period.met).toBe(line.quarters.reduce((sum, q) => sum + q.met, 0));
		}
		const year = await reports.build(db, { ...committee, quarter: 4 }, now);
		expect(year.period).toMatchObject({ start: '2025-04-01', end: '2026-03-31' });
		await expect(reports.build(db, { ...committee, quarter: 3 }, now)).rejects.toThrow(/Q2 \(half year\) or Q4 \(full year\)/);
		await expect(reports.build(db, { ...board, organisation: 'nowhere' }, now)).rejects.toThrow(/no organisation 'nowhere'/);
	});

	it("holds no personal data in a committee report: no contact's name or reference, no user's name or email", async () => {
		const [manager] = await rows<{ id: string; name: string; email: string }>(db, sql`select id, name, email from users where role = 'manager'`);
		await indicatorEdits.saveCommentary(db, {
			organisation: 'borough',
			indicator: 'ES01',
			financialYear: 2025,
			quarter: 2,
			body: 'Canvass returns are behind last year; a second reminder goes out in October.',
			author: actorOf(manager!)
		});
		const report = await reports.build(db, committee, now);
		expect(report.commentary.map((c) => c.body)).toContain('Canvass returns are behind last year; a second reminder goes out in October.');
		const outputs = [JSON.stringify(report), reports.printDocument(report, { version: 1, publishedAt: now.toISOString(), publishedBy: null, contentHash: 'x' }), reports.reportCsv(report)];

		const people = await rows<{ value: string }>(
			db,
			sql`select distinct requester as value from contacts where requester is not null and length(requester) > 3
				union select name from users union select email from users`
		);
		const references = await rows<{ value: string }>(db, sql`select distinct external_ref as value from contacts where organisation_id = (select id from organisations where code = 'borough') and length(external_ref) >= 6`);
		expect(people.length).toBeGreaterThan(10);
		expect(references.length).toBeGreaterThan(100);
		for (const text of outputs) {
			const found = [...people, ...references].map((p) => p.value).filter((value) => text.includes(value));
			expect(found).toEqual([]);
		}
		// The board report, for managers, does say who wrote the commentary.
		const boardReport = await reports.build(db, board, now);
		expect(boardReport.commentary.find((c) => c.indicator === 'ES01')?.author).toBe(manager!.name);
	});

	it('lists every red and amber item as an exception, with its commentary and corrective action, or "No commentary given"', async () => {
		const before = await reports.build(db, board, now);
		const expected = [
			...before.standards.lines.map((s) => ({ key: s.code, rag: s.period.rag })),
			...before.indicators.rows.filter((r) => r.kind === 'plan').map((r) => ({ key: r.ref, rag: r.rag }))
		];
		const reds = expected.filter((e) => e.rag === 'red').map((e) => e.key);
		const ambers = expected.filter((e) => e.rag === 'amber').map((e) => e.key);
		expect(reds.length + ambers.length).toBeGreaterThan(1);
		expect(before.exceptions.map((e) => e.key)).toEqual([...reds, ...ambers]);
		// One RAG basis: the board report judges every item on its quarter.
		expect(before.basis).toMatchObject({ basis: 'quarter', label: 'Q2 2025/26' });
		for (const e of before.exceptions) expect(e.rag).toBe(expected.find((x) => x.key === e.key)!.rag);

		const [manager] = await rows<{ id: string; name: string; email: string }>(db, sql`select id, name, email from users where role = 'manager'`);
		const first = before.exceptions[0]!;
		await indicatorEdits.saveCommentary(db, {
			organisation: 'borough',
			indicator: first.key,
			financialYear: 2025,
			quarter: 2,
			body: 'Two long-term absences in the team over the summer.',
			action: indicatorEdits.correctiveAction({ action: 'Agency cover booked for the canvass peak.', owner: 'Electoral Services Manager', dueOn: '2025-10-31' }),
			author: actorOf(manager!)
		});
		const after = await reports.build(db, board, now);
		const noted = after.exceptions.find((e) => e.key === first.key)!;
		expect(noted.commentary).toMatchObject({ body: 'Two long-term absences in the team over the summer.', author: manager!.name });
		expect(noted.action).toEqual({ text: 'Agency cover booked for the canvass peak.', owner: 'Electoral Services Manager', dueOn: '2025-10-31' });
		const html = reports.printDocument(after, { version: null, publishedAt: null, publishedBy: null, contentHash: null });
		const exceptions = html.slice(html.indexOf('id="report-exceptions"'), html.indexOf('id="report-standards"'));
		expect(exceptions).toContain('Agency cover booked for the canvass peak.');
		expect(exceptions).toContain('Owner: Electoral Services Manager. Due 31 October 2025.');
		expect(exceptions.match(/No commentary given/g) ?? []).toHaveLength(after.exceptions.filter((e) => e.commentary === null).length);
		const silent = before.exceptions.filter((e) => e.commentary === null).length - (first.commentary === null ? 1 : 0);
		expect(after.exceptions.filter((e) => e.commentary === null)).toHaveLength(silent);
		if (silent > 1) expect(after.paper.recommendations.join(' ')).toContain(`${silent} items have no commentary yet`);

		// A corrective action is all three parts or none.
		expect(() => indicatorEdits.correctiveAction({ action: 'Something', owner: '', dueOn: '2025-10-31' })).toThrow(/who owns/);
		expect(() => indicatorEdits.correctiveAction({ action: 'Something', owner: 'Head of service', dueOn: '2025-02-30' })).toThrow(/real date/);
		expect(indicatorEdits.correctiveAction({ action: '', owner: ' ', dueOn: '' })).toBeNull();
	});

	it("puts each standard's quarter beside the quarter before and the same quarter last year, as counted from the assessments", async () => {
		const report = await reports.build(db, board, now);
		const counted = await rows<{ code: string; quarter: string; met: number; breached: number }>(
			db,
			sql`select s.code, to_char(date_trunc('quarter', a.clock_start_on), 'YYYY-MM-DD') as quarter,
					count(*) filter (where a.status = 'met')::int as met, count(*) filter (where a.status = 'breached')::int as breached
				from assessments a join standards s on s.id = a.standard_id join organisations o on o.id = a.organisation_id
				where o.code = 'borough' and a.clock_start_on between '2024-07-01' and '2025-09-30'
				group by 1, 2`
		);
		const percent = (code: string, quarter: string) => {
			const found = counted.find((c) => c.code === code && c.quarter === quarter);
			return found && found.met + found.breached > 0 ? (found.met / (found.met + found.breached)) * 100 : null;
		};
		let compared = 0;
		for (const line of report.standards.lines) {
			expect(line.comparison.lastYear.label).toBe('Q2 2024/25');
			expect(line.comparison.previous.label).toBe('Q1 2025/26');
			const lastYear = percent(line.code, '2024-07-01');
			const previous = percent(line.code, '2025-04-01');
			if (lastYear === null) expect(line.comparison.lastYear.value).toBeNull();
			else expect(line.comparison.lastYear.value).toBeCloseTo(lastYear, 6);
			if (previous === null) expect(line.comparison.previous.value).toBeNull();
			else expect(line.comparison.previous.value).toBeCloseTo(previous, 6);
			expect(line.trend.map((t) => t.label)).toEqual(['Q2 2024/25', 'Q3 2024/25', 'Q4 2024/25', 'Q1 2025/26', 'Q2 2025/26']);
			if (lastYear !== null) compared++;
		}
		expect(compared).toBeGreaterThan(3);
		expect(report.summary.sentences.join(' ')).toMatch(/Compared with Q1 2025\/26, \d+ standards? improved/);
	});

	it('shows the duties as exceptions with a count of those met, demand by quarter, and the council\'s own references; the CSV keeps its long format', async () => {
		await db.transaction((tx) => adoption.setRef(tx, systemActor('Test Admin'), { organisation: 'borough', code: 'es.email', ref: 'ES-E1' }));
		await expect(db.transaction((tx) => adoption.setRef(tx, systemActor('Test Admin'), { organisation: 'borough', code: 'ds.enquiry', ref: 'ES-E1' }))).rejects.toThrow(/already the reference of es.email/);
		const report = await reports.build(db, board, now);
		const html = reports.sections(report);

		const { totals, rows: dutyRows } = report.duties;
		expect(totals.met).toBe(dutyRows.filter((d) => d.status === 'met').length);
		const duties = html.slice(html.indexOf('id="report-duties"'));
		expect(duties).toContain(`${totals.met} of ${dutyRows.length} periodic duties due in Q2 2025/26 were done on time`);
		expect(duties.slice(0, duties.indexOf('id="report-risks"'))).not.toContain('>Met<');

		// Demand: contacts received in each quarter, as counted from the contact log.
		const emails = report.context.rows.find((r) => r.ref === 'received:email')!;
		const [counted] = await rows<{ n: number }>(
			db,
			sql`select count(*)::int as n from contacts c join organisations o on o.id = c.organisation_id
				where o.code = 'borough' and c.contact_type = 'email' and c.received_at >= '2025-07-01T00:00:00+01:00' and c.received_at < '2025-10-01T00:00:00+01:00'`
		);
		expect(emails.values.at(-1)).toEqual({ label: 'Q2 2025/26', value: counted!.n });
		expect(report.context.quarters).toEqual(['Q2 2024/25', 'Q3 2024/25', 'Q4 2024/25', 'Q1 2025/26', 'Q2 2025/26']);

		// Names for everything; the council's own reference beside the name; no internal code in the paper.
		const line = report.standards.lines.find((s) => s.code === 'es.email')!;
		expect(line.ref).toBe('ES-E1');
		expect(html).toContain(`${line.title} <span class="app-report__ref">ES-E1</span>`);
		expect(html).not.toMatch(/>es\.email</);
		expect(report.standards.chart.bars.map((b) => b.label)).toEqual(report.standards.lines.map((s) => s.title));

		// The CSV: its long machine format, the standard's code as the reference.
		const csv = reports.reportCsv(report);
		const [header, ...records] = csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
		expect(header).toBe('section,reference,name,period,measure,value,unit');
		expect(records).toContain(`Standards,es.email,${line.title},Q2 2025/26,compliance,${Math.round(line.quarters.at(-1)!.compliance! * 1e6) / 1e6},percent`);
		expect(records.some((r) => r.includes('ES-E1'))).toBe(false);
	});

	it('never changes a published report when new contacts arrive, and lists what changed since publication', async () => {
		const before = await reports.build(db, board, now);
		const published = await reports.publish(db, before, systemActor('Test Manager'));
		expect(published.version).toBe(1);

		// Late records for Q2 2025/26: e-mails to Electoral Services answered well after 4 working days.
		const result = await ingest.importRecords(
			db,
			Array.from({ length: 5 }, (_, i) => ({
				reference: `LATE-${i}`,
				organisation: 'borough',
				service: 'electoral',
				type: 'email',
				received: `2025-08-1${i}T10:00:00+01:00`,
				responded: `2025-09-2${i}T10:00:00+01:00`
			})),
			{ source: 'late-batch' }
		);
		expect(result.accepted).toBe(5);

		const view = await reports.view(db, board, { now });
		expect(view!.status.version).toBe(1);
		expect(view!.intact).toBe(true);
		expect(view!.report).toEqual(before);
		const fresh = await reports.build(db, board, now);
		const frozen = before.standards.lines.find((s) => s.code === 'es.email')!;
		const moved = fresh.standards.lines.find((s) => s.code === 'es.email')!;
		expect(moved.period.breached).toBe(frozen.period.breached + 5);
		// Each figure is listed once (a board report's period is its quarter).
		expect(new Set(view!.changes!.map((c) => `${c.section}|${c.name}|${c.period}|${c.measure}`)).size).toBe(view!.changes!.length);
		expect(view!.changes).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ key: 'standard:es.email:Q2:breached', published: frozen.period.breached, now: frozen.period.breached + 5 }),
				expect.objectContaining({ key: 'standard:es.email:Q2:compliance', published: frozen.period.compliance, now: moved.period.compliance })
			])
		);

		// Publishing again is a new version; the first stays as it was.
		const second = await reports.publish(db, fresh, systemActor('Test Manager'));
		expect(second.version).toBe(2);
		expect((await reports.get(db, board, 1))!.report).toEqual(before);
		expect((await reports.view(db, board, { now }))!.changes).toEqual([]);
		const audited = await rows<{ action: string; entity: string }>(db, sql`select action, entity from audit_log where entity = 'report' order by id`);
		expect(audited).toEqual([
			{ action: 'publish', entity: 'report' },
			{ action: 'publish', entity: 'report' }
		]);
	});

	it('shows committee viewers published committee reports only', async () => {
		const viewer = { id: 'c', name: 'Cora', email: 'c@example.org', role: 'committee' as const, organisationId: null, teamIds: [] };
		expect(await reports.viewFor(db, committee, viewer, { now })).toBeNull();
		expect(await reports.viewFor(db, board, viewer, { now })).toBeNull();
		await reports.publish(db, await reports.build(db, committee, now), systemActor('Test Manager'));
		const seen = await reports.viewFor(db, committee, viewer, { now, live: true });
		expect(seen!.status.version).toBe(1);
		expect(seen!.status.publishedBy).toBeNull();
		// Not the name in the versions list nor in the list of published reports either: not sent at all.
		expect(seen!.versions.map((v) => v.publishedBy)).toEqual([null]);
		expect(JSON.stringify(seen)).not.toContain('Test Manager');
		const listed = await reports.publishedFor(db, viewer);
		expect(listed.map((p) => p.kind)).toEqual(['committee']);
		expect(JSON.stringify(listed)).not.toContain('Test Manager');
	});

	it('still shows a report published before the board paper (format 1): intact, with the parts it lacks left empty', async () => {
		const current = await reports.build(db, { ...committee, quarter: 4 }, now);
		const { paper: _paper, basis: _basis, exceptions: _exceptions, context: _context, ...rest } = current;
		const legacy = {
			...rest,
			format: 1,
			standards: { ...rest.standards, lines: rest.standards.lines.map(({ ref: _r, comparison: _c, trend: _t, ...line }) => line) },
			indicators: { ...rest.indicators, rows: rest.indicators.rows.map(({ kind: _k, comparison: _c, trend: _t, ...row }) => row) },
			commentary: rest.commentary.map(({ action: _a, ...c }) => c)
		} as unknown as reports.Report;
		await reports.publish(db, legacy, systemActor('Test Manager'));
		const stored = await reports.get(db, { ...committee, quarter: 4 });
		expect(stored!.intact).toBe(true);
		// Its red and amber items as its own ratings had them.
		expect(stored!.report.exceptions.map((e) => [e.key, e.rag])).toEqual(current.exceptions.map((e) => [e.key, e.rag]));
		expect(stored!.report.basis.basis).toBe('period');
		const html = reports.printDocument(stored!.report, { version: stored!.version, publishedAt: stored!.publishedAt, publishedBy: null, contentHash: stored!.contentHash });
		expect(html).toContain('Exceptions: red and amber items');
		expect(reports.reportCsv(stored!.report).split('\r\n')[0]).toBe('\uFEFFsection,reference,name,period,measure,value,unit');
	});
});
