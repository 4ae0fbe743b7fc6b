/**
 * The report's indicator, duty and risk sections, read through the indicators, duties and risks
 * modules and reshaped into the report's own plain types (so a stored snapshot does not depend on
 * those modules' types staying the same).
 */
import type { Direction, Rag } from '../../engine/performance.ts';
import type { QuarterNumber } from '../../engine/periods.ts';
import type { ReportingPeriod } from '../../engine/reporting-period.ts';
import { endOfLocalDay, localDate } from '../../engine/dates.ts';
import type { Database } from '../db/client.ts';
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
	now: Date;
}

export interface IndicatorRow {
	ref: string;
	description: string;
	unit: 'percent' | 'count';
	lastYearActual: number | null;
	target: number | null;
	/** Q1–Q4 of the year; null where there is no actual yet (or the quarter is after the report's). */
	quarters: { quarter: QuarterNumber; actual: number | null }[];
	yearToDate: number | null;
	/** The latest actual in the report's quarters. */
	latest: number | null;
	rag: Rag | null;
	direction: Direction | null;
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
	/** The author's name; null in committee reports. */
	author: string | null;
	at: string;
}

export const emptyIndicators: IndicatorSection = { rows: [], gaps: [] };
export const emptyDuties: DutySection = { rows: [], totals: { met: 0, late: 0, overdue: 0, open: 0 }, gaps: [] };
export const emptyRisks: RiskSection = { register: [], matrix: [], gaps: [] };

/** The day the report's figures stand at: the end of its period, or today if that is sooner. */
function asOf(context: SectionContext): Date {
	const end = endOfLocalDay(context.period.end);
	return end < context.now ? end : context.now;
}

export async function indicators(db: Database, context: SectionContext): Promise<IndicatorSection> {
	const table = await indicatorModule.table(db, { organisation: context.organisation, financialYear: context.financialYear, asOf: asOf(context) });
	const covered = new Set(context.quarters.map((q) => q.number));
	return {
		gaps: [],
		rows: table.rows.map((row): IndicatorRow => {
			const quarters = row.quarters.map((q) => ({ quarter: q.quarter, actual: covered.has(q.quarter) ? q.actual : null }));
			return {
				ref: row.ref,
				description: row.description,
				unit: row.unit === 'percent' ? 'percent' : 'count',
				lastYearActual: row.lastYearActual,
				target: row.target,
				quarters,
				yearToDate: row.yearToDate.actual,
				latest: quarters.filter((q) => q.actual !== null).at(-1)?.actual ?? null,
				rag: row.rag,
				direction: row.direction,
				commentary: row.quarters.flatMap((q) =>
					q.commentary.map((c) => ({ indicator: row.ref, quarter: q.quarter, body: c.body, author: context.personalData ? c.author : null, at: new Date(c.at).toISOString() }))
				)
			};
		})
	};
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
