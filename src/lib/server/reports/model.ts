/**
 * The board and committee reports as data: one plain, JSON-serialisable object built from the
 * stored assessments, indicators, duties and risks. Every format (the page, the A4 print view,
 * PDF, CSV, XLSX) renders this object, and publishing stores it as it is, so a published report
 * never changes when the data underneath does.
 */
import { sql } from 'drizzle-orm';
import { localDate } from '../../engine/dates.ts';
import { compliancePercent, direction, rag, type Direction, type Rag } from '../../engine/performance.ts';
import { financialYear as financialYearOf, parseQuarter, quarter as quarterOf, type QuarterNumber } from '../../engine/periods.ts';
import { customPeriod, labelSoFar, quarterPeriod, yearPeriod, type ReportingPeriod } from '../../engine/reporting-period.ts';
import type { Filters } from '../../filters.ts';
import { rows, type Database } from '../db/client.ts';
import * as overview from '../dashboard/overview.ts';
import * as sections from './sections.ts';
import { aTarget, count as countOf, percent, whole } from '../../format.ts';

export const REPORT_KINDS = ['board', 'committee'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Bumped when the report's shape changes, so an old snapshot can still be told apart. */
export const REPORT_FORMAT = 1;

export interface ReportRequest {
	/** Organisation code, e.g. 'borough'. */
	organisation: string;
	/** Start year of the financial year: 2025 for 2025/26. */
	financialYear: number;
	quarter: QuarterNumber;
	kind: ReportKind;
}

export interface QuarterRef {
	number: QuarterNumber;
	/** 'Q2 2025/26' */
	label: string;
	start: string;
	end: string;
}

export interface Headline {
	key: string;
	label: string;
	value: number | null;
	unit: 'percent' | 'count' | 'seconds' | 'score';
	/** What the figure means, in a sentence. */
	note: string;
	rag: Rag | null;
}

export interface StandardQuarter {
	quarter: QuarterNumber;
	met: number;
	breached: number;
	compliance: number | null;
	rag: Rag | null;
}

export interface StandardLine {
	code: string;
	title: string;
	statutory: boolean;
	targetPercent: number;
	quarters: StandardQuarter[];
	/** The report's whole period (the quarter, the half year or the year). */
	period: { met: number; breached: number; compliance: number | null; rag: Rag | null };
	previousCompliance: number | null;
	direction: Direction | null;
}

export interface PhoneLine {
	/** Null for the whole period. */
	quarter: QuarterNumber | null;
	label: string;
	offered: number;
	answered: number;
	abandoned: number;
	serviceLevel: number | null;
	averageSpeedOfAnswer: number | null;
	abandonmentRate: number | null;
}

export interface Report {
	format: typeof REPORT_FORMAT;
	kind: ReportKind;
	organisation: { code: string; name: string };
	financialYear: { startYear: number; label: string };
	quarter: QuarterNumber;
	title: string;
	/** What the report covers: the quarter (board) or the half / full year (committee). */
	period: { label: string; start: string; end: string };
	/** The quarters shown in the tables: the year to date (board) or the half / full year (committee). */
	quarters: QuarterRef[];
	/** When the figures were read, and the last day of data they can include. */
	builtAt: string;
	dataTo: string;
	summary: { headlines: Headline[]; sentences: string[] };
	standards: {
		lines: StandardLine[];
		/** What the compliance chart draws: each standard's compliance for the period against its target. */
		chart: { caption: string; summary: string; bars: { label: string; value: number | null; target: number }[] };
	};
	phone: { targetPercent: number | null; lines: PhoneLine[] } | null;
	indicators: sections.IndicatorSection;
	duties: sections.DutySection;
	risks: sections.RiskSection;
	commentary: sections.CommentaryEntry[];
	/** Parts that could not be built, in words (shown on the report rather than failing it). */
	gaps: string[];
}

export class ReportRequestError extends Error {}

/**
 * '2025/26-Q2' → financial year and quarter; throws ReportRequestError with a sentence a person
 * can act on.
 */
export function parseReportQuarter(text: string): { financialYear: number; quarter: QuarterNumber } {
	try {
		const q = parseQuarter(text.replace(/^(\d{4})-(\d{2})-/, '$1/$2-'));
		return { financialYear: q.startYear, quarter: q.quarter };
	} catch {
		throw new ReportRequestError(`'${text}' is not a quarter: use the form 2025/26-Q2 (Q1 is April to June)`);
	}
}

/** The URL form of a report's quarter: '2025-26-Q2' (a slash cannot sit in a path segment). */
export function quarterSlug(financialYear: number, quarter: QuarterNumber): string {
	return `${financialYearOf(financialYear).label.replace('/', '-')}-Q${quarter}`;
}

/** Committee reports are made twice a year, at the end of Q2 (half year) and Q4 (full year). */
export function checkRequest(request: ReportRequest): void {
	if (!REPORT_KINDS.includes(request.kind)) throw new ReportRequestError(`'${String(request.kind)}' is not a report: choose board or committee`);
	if (![1, 2, 3, 4].includes(request.quarter)) throw new ReportRequestError(`Quarter ${String(request.quarter)} does not exist: choose 1 to 4`);
	if (!Number.isInteger(request.financialYear) || request.financialYear < 2000 || request.financialYear > 2100) {
		throw new ReportRequestError(`${String(request.financialYear)} is not a financial year`);
	}
	if (request.kind === 'committee' && request.quarter !== 2 && request.quarter !== 4) {
		throw new ReportRequestError('The committee report is made at the end of Q2 (half year) or Q4 (full year): choose Q2 or Q4');
	}
}

export function reportTitle(kind: ReportKind, startYear: number, quarter: QuarterNumber): string {
	const fy = financialYearOf(startYear).label;
	if (kind === 'board') return `Management Board performance report, Q${quarter} ${fy}`;
	return quarter === 2 ? `Committee half-year performance report ${fy}` : `Committee annual performance report ${fy}`;
}

/** The quarters a report's tables cover, and the whole period its headline figures are for. */
export function coverage(request: Pick<ReportRequest, 'kind' | 'financialYear' | 'quarter'>): { period: ReportingPeriod; quarters: QuarterRef[] } {
	const upTo = ([1, 2, 3, 4] as const).filter((n) => n <= request.quarter);
	const quarters = upTo.map((n) => {
		const q = quarterOf(request.financialYear, n);
		return { number: n, label: `Q${n} ${q.fy}`, start: q.start, end: q.end };
	});
	if (request.kind === 'board') return { period: quarterPeriod(quarters.at(-1)!.start), quarters };
	if (request.quarter === 4) return { period: yearPeriod(request.financialYear), quarters };
	const half = customPeriod(quarters[0]!.start, quarters.at(-1)!.end);
	return { period: { ...half, label: `April to September ${request.financialYear} (half year ${financialYearOf(request.financialYear).label})` }, quarters };
}

/**
 * Builds a report from the data as it stands. A committee report holds aggregates only: no
 * contact, name or email (commentary is shown without its author).
 */
export async function build(db: Database, request: ReportRequest, now = new Date()): Promise<Report> {
	checkRequest(request);
	const [organisation] = await rows<{ id: number; code: string; name: string }>(
		db,
		sql`select id, code, name from organisations where code = ${request.organisation}`
	);
	if (!organisation) throw new ReportRequestError(`There is no organisation '${request.organisation}'`);

	const { period, quarters } = coverage(request);
	const filtersFor = (p: ReportingPeriod): Filters => ({ period: p, organisation: organisation.code, service: null, team: null });
	const [whole, ...byQuarter] = await Promise.all([
		overview.overview(db, filtersFor(period), now),
		...quarters.map((q) => overview.overview(db, filtersFor(quarterPeriod(q.start)), now))
	]);

	const lines: StandardLine[] = whole.standards.map((s) => ({
		code: s.code,
		title: s.title,
		statutory: s.statutory,
		targetPercent: s.targetPercent,
		quarters: quarters.map((q, i) => {
			const found = byQuarter[i]!.standards.find((row) => row.code === s.code);
			const met = found?.met ?? 0;
			const breached = found?.breached ?? 0;
			const compliance = compliancePercent(met, breached);
			return { quarter: q.number, met, breached, compliance, rag: found?.rag ?? rag(compliance, s.targetPercent) };
		}),
		period: { met: s.met, breached: s.breached, compliance: s.compliance, rag: s.rag },
		previousCompliance: s.previousCompliance,
		direction: s.direction
	}));

	const phoneLines: PhoneLine[] = [];
	if (whole.phone) {
		quarters.forEach((q, i) => {
			const p = byQuarter[i]!.phone;
			phoneLines.push(phoneLine(q.number, q.label, p));
		});
		// A board report's period is its quarter: no separate line for it.
		if (request.kind === 'committee') phoneLines.push(phoneLine(null, period.label, whole.phone));
	}

	const context: sections.SectionContext = {
		organisationId: organisation.id,
		organisation: organisation.code,
		financialYear: request.financialYear,
		quarter: request.quarter,
		period,
		quarters,
		personalData: request.kind === 'board',
		now
	};
	const gaps: string[] = [];
	const [indicators, duties, risks] = await Promise.all([
		sections.indicators(db, context).catch((e: Error) => (gaps.push(`Indicators: ${e.message}`), sections.emptyIndicators)),
		sections.duties(db, context).catch((e: Error) => (gaps.push(`Duties: ${e.message}`), sections.emptyDuties)),
		sections.risks(db, context).catch((e: Error) => (gaps.push(`Risks: ${e.message}`), sections.emptyRisks))
	]);
	const commentary = sections.commentaryOf(indicators, context);
	gaps.push(...indicators.gaps, ...duties.gaps, ...risks.gaps);

	const today = localDate(now);
	const report: Report = {
		format: REPORT_FORMAT,
		kind: request.kind,
		organisation: { code: organisation.code, name: organisation.name },
		financialYear: { startYear: request.financialYear, label: financialYearOf(request.financialYear).label },
		quarter: request.quarter,
		title: reportTitle(request.kind, request.financialYear, request.quarter),
		period: { label: labelSoFar(period, today), start: period.start, end: period.end },
		quarters: quarters.map((q) => ({ ...q, label: labelSoFar(q, today) })),
		builtAt: now.toISOString(),
		dataTo: today < period.end ? today : period.end,
		summary: { headlines: [], sentences: [] },
		standards: {
			lines,
			chart: {
				caption: `Compliance by standard, ${period.label} (bars), against target (black mark)`,
				summary:
					`Compliance by standard for ${period.label} against each standard's target: ` +
					lines.map((s) => `${s.title} ${s.period.compliance === null ? 'no contacts' : pct(s.period.compliance)} (target ${s.targetPercent}%)`).join('; '),
				bars: lines.map((s) => ({ label: s.title, value: s.period.compliance, target: s.targetPercent }))
			}
		},
		phone: whole.phone ? { targetPercent: whole.phone.targetPercent, lines: phoneLines } : null,
		indicators,
		duties,
		risks,
		commentary,
		gaps
	};
	report.summary = summarise(report);
	return report;
}

function phoneLine(quarter: QuarterNumber | null, label: string, p: overview.PhoneHeadline | null): PhoneLine {
	return {
		quarter,
		label,
		offered: p?.offered ?? 0,
		answered: p?.answered ?? 0,
		abandoned: p?.abandoned ?? 0,
		serviceLevel: p?.serviceLevel ?? null,
		averageSpeedOfAnswer: p?.averageSpeedOfAnswer ?? null,
		abandonmentRate: p?.abandonmentRate ?? null
	};
}

const pct = (value: number) => percent(value);
const count = (value: number) => whole(value);
const plural = (n: number, one: string, many = `${one}s`) => countOf(n, one, many);

/** The headline figures and the sentences that say what they mean. */
export function summarise(report: Omit<Report, 'summary'>): Report['summary'] {
	const headlines: Headline[] = [];
	const sentences: string[] = [];
	const when = report.period.label;

	const judged = report.standards.lines.filter((s) => s.period.rag !== null);
	const onTarget = judged.filter((s) => s.period.rag === 'green').length;
	const red = judged.filter((s) => s.period.rag === 'red');
	const met = report.standards.lines.reduce((sum, s) => sum + s.period.met, 0);
	const breached = report.standards.lines.reduce((sum, s) => sum + s.period.breached, 0);
	const overall = compliancePercent(met, breached);
	headlines.push({
		key: 'standards.on-target',
		label: 'Standards on target',
		value: onTarget,
		unit: 'count',
		note: `of ${plural(judged.length, 'standard')} with contacts in ${when}`,
		rag: null
	});
	headlines.push({ key: 'standards.overall', label: 'Contacts answered on time', value: overall, unit: 'percent', note: `${count(met)} of ${count(met + breached)} contacts decided`, rag: null });
	if (judged.length) {
		sentences.push(
			`${count(onTarget)} of ${plural(judged.length, 'standard')} met ${judged.length === 1 ? 'its' : 'their'} target in ${when}; ` +
				`overall ${overall === null ? 'no' : pct(overall)} of contacts (${count(met)} of ${count(met + breached)}) were answered within the promised time.`
		);
		if (red.length) {
			sentences.push(`Below target by more than the tolerance: ${red.map((s) => `${s.title} (${pct(s.period.compliance!)} against ${s.targetPercent}%)`).join('; ')}.`);
		}
		const worse = judged.filter((s) => s.direction === 'worsening').length;
		const better = judged.filter((s) => s.direction === 'improving').length;
		sentences.push(`Compared with the period before, ${plural(better, 'standard')} improved and ${count(worse)} worsened.`);
	} else {
		sentences.push(`No contacts were decided in ${when}.`);
	}

	const phoneWhole = report.phone?.lines.find((l) => l.quarter === null) ?? report.phone?.lines.at(-1);
	if (report.phone && phoneWhole && phoneWhole.serviceLevel !== null) {
		const target = report.phone.targetPercent;
		headlines.push({ key: 'phone.service-level', label: 'Phone service level', value: phoneWhole.serviceLevel, unit: 'percent', note: target === null ? 'calls answered within 20 seconds' : `target ${target}%`, rag: rag(phoneWhole.serviceLevel, target) });
		sentences.push(
			`The phone service level was ${pct(phoneWhole.serviceLevel)}${target === null ? '' : ` against ${aTarget(target)}`}, ` +
				`with ${count(phoneWhole.offered)} calls offered` +
				(phoneWhole.averageSpeedOfAnswer === null ? '' : `, an average speed of answer of ${Math.round(phoneWhole.averageSpeedOfAnswer)} seconds`) +
				(phoneWhole.abandonmentRate === null ? '' : ` and ${pct(phoneWhole.abandonmentRate)} abandoned`) +
				'.'
		);
	}

	const indicators = report.indicators.rows.filter((row) => row.rag !== null);
	if (report.indicators.rows.length) {
		const green = indicators.filter((row) => row.rag === 'green').length;
		headlines.push({ key: 'indicators.on-target', label: 'Indicators on target', value: green, unit: 'count', note: `of ${plural(indicators.length, 'indicator')} with a result and a target`, rag: null });
		for (const row of report.indicators.rows.filter((r) => !r.ref.includes('.'))) {
			if (row.latest === null) continue;
			sentences.push(`${row.ref} (${row.description}): ${row.unit === 'percent' ? pct(row.latest) : count(row.latest)}${row.target === null ? '' : ` against a target of ${row.unit === 'percent' ? `${row.target}%` : count(row.target)}`}.`);
		}
	}

	if (report.duties.rows.length) {
		const { met: onTime, late, open, overdue } = report.duties.totals;
		headlines.push({ key: 'duties.late', label: 'Duties late', value: late + overdue, unit: 'count', note: `of ${plural(report.duties.rows.length, 'duty', 'duties')} due in ${when}`, rag: null });
		sentences.push(
			`Of ${plural(report.duties.rows.length, 'periodic duty', 'periodic duties')} due in ${when}, ${count(onTime)} ${onTime === 1 ? 'was' : 'were'} done on time and ${count(late)} late` +
				(overdue ? `; ${count(overdue)} ${overdue === 1 ? 'is' : 'are'} overdue` : '') +
				(open ? `; ${count(open)} ${open === 1 ? 'is' : 'are'} not yet due` : '') +
				'.'
		);
	}

	if (report.risks.register.length) {
		const top = Math.max(...report.risks.register.map((r) => r.residual.score));
		const topRisks = report.risks.register.filter((r) => r.residual.score === top);
		headlines.push({ key: 'risks.highest', label: 'Highest residual risk score', value: top, unit: 'score', note: `${topRisks[0]!.band}: ${topRisks.map((r) => r.title).join(', ')}`, rag: null });
		const moved = report.risks.register.filter((r) => r.direction && r.direction !== 'steady');
		sentences.push(
			`The risk register holds ${plural(report.risks.register.length, 'risk')}; the highest residual score is ${top} (${topRisks.map((r) => r.title).join(', ')}). ` +
				(moved.length ? `${plural(moved.length, 'risk')} moved since the last quarter.` : 'No risk moved since the last quarter.')
		);
	}
	return { headlines, sentences };
}

/**
 * The organisation a report is for when none is named: the one with a service plan (indicators),
 * else the only one. Null when that is ambiguous or there is none.
 */
export async function defaultOrganisation(db: Database): Promise<string | null> {
	const found = await rows<{ code: string; indicators: number }>(
		db,
		sql`select o.code, (select count(*) from indicators i where i.organisation_id = o.id)::int as indicators from organisations o order by o.code`
	);
	if (found.length === 1) return found[0]!.code;
	const planned = found.filter((o) => o.indicators > 0);
	return planned.length === 1 ? planned[0]!.code : null;
}

export async function organisationCodes(db: Database): Promise<string[]> {
	return (await rows<{ code: string }>(db, sql`select code from organisations order by code`)).map((o) => o.code);
}

/** A report's address: /reports/<organisation>/<kind>/<2025-26-Q2>; throws ReportRequestError. */
export function parseReportKey(params: { organisation: string; kind: string; quarter: string }): ReportRequest {
	if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(params.organisation)) throw new ReportRequestError(`'${params.organisation}' is not an organisation code`);
	if (!/^\d{4}-\d{2}-Q\d$/.test(params.quarter)) throw new ReportRequestError(`'${params.quarter}' is not a quarter: use the form 2025-26-Q2`);
	const request = { organisation: params.organisation, kind: params.kind as ReportKind, ...parseReportQuarter(params.quarter) };
	checkRequest(request);
	return request;
}

/** The page of a report. */
export function reportPath(key: Pick<ReportRequest, 'organisation' | 'kind' | 'financialYear' | 'quarter'>): string {
	return `/reports/${encodeURIComponent(key.organisation)}/${key.kind}/${quarterSlug(key.financialYear, key.quarter)}`;
}
