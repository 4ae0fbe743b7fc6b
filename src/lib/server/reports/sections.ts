/**
 * The report's indicator, duty and risk sections, read through the indicators, duties and risks
 * modules and reshaped into the report's own plain types (so a stored snapshot does not depend on
 * those modules' types staying the same).
 */
import { sql } from 'drizzle-orm';
import { movement, quarterName, type ComparisonQuarters, type RagBasis } from '../../engine/exceptions.ts';
import type { Direction, Rag } from '../../engine/performance.ts';
import type { QuarterNumber } from '../../engine/periods.ts';
import { quarterPeriod, type ReportingPeriod } from '../../engine/reporting-period.ts';
import { endOfLocalDay, localDate } from '../../engine/dates.ts';
import { contactTypeNames } from '../../contact-labels.ts';
import { rows, type Database } from '../db/client.ts';
import * as phone from '../dashboard/phone.ts';
import * as dutyModule from '../plan/duties.ts';
import * as indicatorModule from '../plan/indicators.ts';
import * as riskModule from '../plan/risks.ts';

export interface SectionContext {
	organisationId: number;
	organisation: string;
	financialYear: number;
	quarter: QuarterNumber;
	period: ReportingPeriod;
	quarters: { number: QuarterNumber; label: string; start: string; end: string }[];
	/** False for committee reports: no names of people (commentary authors) in the output. */
	personalData: boolean;
	/** The one period every RAG in the report is judged on. */
	basis: RagBasis;
	/** The quarter before, the same quarter last year and the five-quarter trend. */
	comparison: ComparisonQuarters;
	now: Date;
}

/** A figure for a named quarter ('Q1 2026/27'). */
export interface QuarterFigure {
	label: string;
	value: number | null;
}

/** A result beside the quarter before and the same quarter last year, and which way it moved since the quarter before. */
export interface Comparison {
	previous: QuarterFigure;
	lastYear: QuarterFigure;
	direction: Direction | null;
}

export interface IndicatorRow {
	ref: string;
	description: string;
	/** 'plan': a service plan indicator (ES01, ES02); 'standard': a standard's compliance, also shown with the standards. */
	kind: 'plan' | 'standard';
	unit: 'percent' | 'count';
	lastYearActual: number | null;
	target: number | null;
	/** Q1–Q4 of the year; null where there is no actual yet (or the quarter is after the report's). */
	quarters: { quarter: QuarterNumber; actual: number | null }[];
	yearToDate: number | null;
	/** The latest actual in the report's quarters. */
	latest: number | null;
	/** On the report's RAG basis: the quarter (board) or the year to date (committee). */
	rag: Rag | null;
	direction: Direction | null;
	/** The report's last quarter beside the one before and the same one last year. */
	comparison: Comparison;
	/** The five quarters to the report's last, oldest first. */
	trend: QuarterFigure[];
	commentary: CommentaryEntry[];
}

export interface IndicatorSection {
	rows: IndicatorRow[];
	gaps: string[];
}

export type DutyStatus = 'met' | 'late' | 'overdue' | 'due';

export interface DutyRow {
	code: string;
	title: string;
	occurrence: string;
	dueOn: string;
	doneOn: string | null;
	status: DutyStatus;
}

export interface DutySection {
	rows: DutyRow[];
	totals: { met: number; late: number; overdue: number; open: number };
	gaps: string[];
}

export interface RiskScore {
	likelihood: number;
	impact: number;
	score: number;
	band: string;
}

export interface RiskRow {
	ref: string;
	title: string;
	owner: string;
	controls: string;
	inherent: RiskScore;
	residual: RiskScore;
	target: RiskScore;
	/** Residual position at the previous quarter's review, for movement on the matrix. */
	previous: { likelihood: number; impact: number } | null;
	direction: Direction | null;
	band: string;
	lastReviewedOn: string | null;
}

export interface MatrixCell {
	likelihood: number;
	impact: number;
	score: number;
	band: string;
	risks: { ref: string; title: string; movedFrom: { likelihood: number; impact: number } | null }[];
}

export interface RiskSection {
	register: RiskRow[];
	/** 16 cells, likelihood 4 → 1 (rows), impact 1 → 4 (columns), as the service plan lays it out. */
	matrix: MatrixCell[];
	gaps: string[];
}

export interface CommentaryEntry {
	indicator: string;
	quarter: QuarterNumber;
	body: string;
	/** The corrective action, its owner and due date, where one was given. */
	action: { text: string; owner: string; dueOn: string } | null;
	/** The author's name; null in committee reports. */
	author: string | null;
	at: string;
}

/**
 * Demand and context: how much work came in, quarter by quarter (contacts received by type, calls
 * offered). Each row is one measure; further context measures (customer satisfaction, say) are
 * added as rows of their own.
 */
export interface ContextRow {
	ref: string;
	name: string;
	/** What is counted, for the CSV's measure column: 'received', 'offered'. */
	measure: string;
	unit: 'count' | 'percent';
	values: QuarterFigure[];
}

export interface ContextSection {
	/** The quarters shown, oldest first: the same quarter last year through the report's quarter. */
	quarters: string[];
	rows: ContextRow[];
	gaps: string[];
}

export const emptyIndicators: IndicatorSection = { rows: [], gaps: [] };
export const emptyContext: ContextSection = { quarters: [], rows: [], gaps: [] };
export const emptyDuties: DutySection = { rows: [], totals: { met: 0, late: 0, overdue: 0, open: 0 }, gaps: [] };
export const emptyRisks: RiskSection = { register: [], matrix: [], gaps: [] };

/** The day the report's figures stand at: the end of its period, or today if that is sooner. */
function asOf(context: SectionContext): Date {
	const end = endOfLocalDay(context.period.end);
	return end < context.now ? end : context.now;
}

export async function indicators(db: Database, context: SectionContext): Promise<IndicatorSection> {
	const [table, lastYear] = await Promise.all([
		indicatorModule.table(db, { organisation: context.organisation, financialYear: context.financialYear, asOf: asOf(context) }),
		indicatorModule.table(db, { organisation: context.organisation, financialYear: context.financialYear - 1, asOf: asOf(context) })
	]);
	const covered = new Set(context.quarters.map((q) => q.number));
	const reportQuarter = context.comparison.current.quarter;
	return {
		gaps: [],
		rows: table.rows.map((row): IndicatorRow => {
			const quarters = row.quarters.map((q) => ({ quarter: q.quarter, actual: covered.has(q.quarter) ? q.actual : null }));
			const before = lastYear.rows.find((r) => r.ref === row.ref);
			const actualOf = (fy: number, n: QuarterNumber) =>
				fy === context.financialYear ? (quarters.find((q) => q.quarter === n)?.actual ?? null) : fy === context.financialYear - 1 ? (before?.quarters.find((q) => q.quarter === n)?.actual ?? null) : null;
			const figure = (q: { startYear: number; quarter: QuarterNumber; fy: string }): QuarterFigure => ({ label: quarterName(q), value: actualOf(q.startYear, q.quarter) });
			const current = actualOf(context.financialYear, reportQuarter);
			const previous = figure(context.comparison.previous);
			const basisRag = context.basis.basis === 'quarter' ? (row.quarters.find((q) => q.quarter === reportQuarter)?.rag ?? null) : row.yearToDate.rag;
			return {
				ref: row.ref,
				description: row.description,
				kind: row.kind === 'standard' ? 'standard' : 'plan',
				unit: row.unit === 'percent' ? 'percent' : 'count',
				lastYearActual: row.lastYearActual,
				target: row.target,
				quarters,
				yearToDate: row.yearToDate.actual,
				latest: quarters.filter((q) => q.actual !== null).at(-1)?.actual ?? null,
				rag: covered.has(reportQuarter) ? basisRag : null,
				direction: row.kind === 'es01' ? row.direction : movement(current, previous.value, row.higherIsBetter),
				comparison: { previous, lastYear: figure(context.comparison.sameLastYear), direction: movement(current, previous.value, row.higherIsBetter) },
				trend: context.comparison.trend.map(figure),
				commentary: row.quarters.flatMap((q) =>
					q.commentary.map((c) => ({
						indicator: row.ref,
						quarter: q.quarter,
						body: c.body,
						action: c.action,
						author: context.personalData ? c.author : null,
						at: new Date(c.at).toISOString()
					}))
				)
			};
		})
	};
}

/** Contacts received by type, and calls offered, in each of the five quarters to the report's. */
export async function demand(db: Database, context: SectionContext): Promise<ContextSection> {
	const trend = context.comparison.trend;
	const first = trend[0]!;
	const last = trend.at(-1)!;
	const received = await rows<{ type: string; name: string | null; quarter: string; received: number }>(
		db,
		sql`select c.contact_type as type, max(t.name) as name,
				to_char(date_trunc('quarter', c.received_at at time zone 'Europe/London'), 'YYYY-MM-DD') as quarter, count(*)::int as received
			from contacts c left join contact_types t on t.organisation_id = c.organisation_id and t.code = c.contact_type
			where c.organisation_id = ${context.organisationId}
				and c.received_at >= (${first.start}::date::timestamp at time zone 'Europe/London')
				and c.received_at < ((${last.end}::date + 1)::timestamp at time zone 'Europe/London')
				and c.contact_type <> 'phone'
			group by 1, 3`
	);
	const calls = await Promise.all(
		trend.map((q) => phone.totals(db, { period: quarterPeriod(q.start), organisation: context.organisation, service: null, team: null }))
	);
	const out: ContextRow[] = [];
	if (calls.some((c) => c.offered > 0)) {
		out.push({ ref: 'calls-offered', name: 'Telephone calls offered', measure: 'offered', unit: 'count', values: trend.map((q, i) => ({ label: quarterName(q), value: calls[i]!.offered })) });
	}
	const types = [...new Set(received.map((r) => r.type))].sort((a, b) => (contactTypeNames[a] ?? a).localeCompare(contactTypeNames[b] ?? b));
	for (const type of types) {
		const mine = received.filter((r) => r.type === type);
		out.push({
			ref: `received:${type}`,
			name: mine[0]!.name ?? contactTypeNames[type] ?? type,
			measure: 'received',
			unit: 'count',
			values: trend.map((q) => ({ label: quarterName(q), value: mine.find((r) => r.quarter === q.start)?.received ?? 0 }))
		});
	}
	return { quarters: trend.map(quarterName), rows: out, gaps: [] };
}

export async function duties(db: Database, context: SectionContext): Promise<DutySection> {
	const found = await dutyModule.list(db, { organisation: context.organisation, from: context.period.start, to: context.period.end, today: localDate(context.now) });
	const rows: DutyRow[] = found.map((d) => ({ code: d.code, title: d.duty, occurrence: d.occurrence, dueOn: d.dueOn, doneOn: d.doneOn, status: d.status }));
	const count = (status: DutyStatus) => rows.filter((d) => d.status === status).length;
	return { rows, totals: { met: count('met'), late: count('late'), overdue: count('overdue'), open: count('due') }, gaps: [] };
}

export async function risks(db: Database, context: SectionContext): Promise<RiskSection> {
	const register = await riskModule.register(db, { organisation: context.organisation, financialYear: context.financialYear, quarter: context.quarter, asOf: context.now });
	const placed = riskModule.placement(register);
	const score = (a: riskModule.RiskAssessment): RiskScore => ({ likelihood: a.likelihood, impact: a.impact, score: a.score, band: a.bandLabel });
	return {
		gaps: [],
		register: register.risks.map((r) => ({
			ref: r.ref,
			title: r.title,
			owner: r.owner,
			controls: r.controls,
			inherent: score(r.inherent),
			residual: score(r.residual),
			target: score(r.target),
			previous: r.previous ? { likelihood: r.previous.likelihood, impact: r.previous.impact } : null,
			direction: r.direction,
			band: r.residual.bandLabel,
			lastReviewedOn: r.lastReviewedOn
		})),
		matrix: placed.rows.flat().map((cell) => ({
			likelihood: cell.likelihood,
			impact: cell.impact,
			score: cell.score,
			band: cell.bandLabel,
			risks: cell.risks.map((r) => ({ ref: r.ref, title: r.title, movedFrom: r.from }))
		}))
	};
}

/** Commentary for the report's quarters, newest quarter first. */
export function commentaryOf(section: IndicatorSection, context: SectionContext): CommentaryEntry[] {
	const covered = new Set(context.quarters.map((q) => q.number));
	return section.rows
		.flatMap((row) => row.commentary)
		.filter((entry) => covered.has(entry.quarter))
		.map((entry) => ({ ...entry, author: context.personalData ? entry.author : null }))
		.sort((a, b) => b.quarter - a.quarter || a.indicator.localeCompare(b.indicator));
}
