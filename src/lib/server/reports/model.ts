/**
 * The board and committee reports as data: one plain, JSON-serialisable object built from the
 * stored assessments, indicators, duties and risks. Every format (the page, the A4 print view,
 * PDF, CSV, XLSX) renders this object, and publishing stores it as it is, so a published report
 * never changes when the data underneath does.
 */
import { sql } from 'drizzle-orm';
import { localDate } from '../../engine/dates.ts';
import { comparisonQuarters, exceptionsOf, movement, movementSentence, quarterName, ragBasis, type RagBasis } from '../../engine/exceptions.ts';
import { compliancePercent, rag, type Direction, type Rag } from '../../engine/performance.ts';
import { financialYear as financialYearOf, parseQuarter, quarter as quarterOf, type QuarterNumber } from '../../engine/periods.ts';
import { customPeriod, labelSoFar, quarterPeriod, yearPeriod, type ReportingPeriod } from '../../engine/reporting-period.ts';
import type { Filters } from '../../filters.ts';
import { aTarget, count as formatCount, percent, whole } from '../../format.ts';
import { rows, type Database } from '../db/client.ts';
import * as overview from '../dashboard/overview.ts';
import * as sections from './sections.ts';
import * as feedback from '../feedback/report.ts';

export const REPORT_KINDS = ['board', 'committee'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Bumped when the report's shape changes, so an old snapshot can still be told apart. */
export const REPORT_FORMAT = 2;

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
	/** The standard's stable code: the reference in the CSV and the key of its commentary. */
	code: string;
	/** The council's own short reference ('CS01'), where an admin set one: what the paper shows. */
	ref: string | null;
	title: string;
	statutory: boolean;
	targetPercent: number;
	quarters: StandardQuarter[];
	/** The report's whole period (the quarter, the half year or the year). */
	period: { met: number; breached: number; compliance: number | null; rag: Rag | null };
	previousCompliance: number | null;
	direction: Direction | null;
	/** The report's last quarter beside the one before and the same one last year. */
	comparison: sections.Comparison;
	/** Compliance in the five quarters to the report's last, oldest first. */
	trend: sections.QuarterFigure[];
}

/** A red or amber item, with what the service says about it and will do. */
export interface ExceptionItem {
	/** Standard code or indicator reference: the key its commentary is stored under. */
	key: string;
	/** What the paper shows as its reference: the council's own (ES01, CS01), or null. */
	ref: string | null;
	name: string;
	kind: 'standard' | 'indicator';
	unit: 'percent' | 'count';
	rag: Rag;
	value: number | null;
	target: number | null;
	comparison: sections.Comparison;
	/** The latest commentary for the report's last quarter; null when none was given. */
	commentary: { body: string; author: string | null; at: string } | null;
	action: { text: string; owner: string; dueOn: string } | null;
}

/** The cover report: what the paper is for, what the board or committee is asked to do, whose it is. */
export interface Paper {
	purpose: string;
	recommendations: string[];
	/** The officer or post responsible, given when it is published; null in a draft. */
	owner: string | null;
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
	/** REPORT_FORMAT when built; an older number in a snapshot stored before the shape changed. */
	format: number;
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
	/** The cover report. */
	paper: Paper;
	/** The one period every RAG in the report is judged on, and its legend. */
	basis: RagBasis;
	summary: { headlines: Headline[]; sentences: string[] };
	/** Every red and amber standard and indicator, reds first, with commentary and corrective action. */
	exceptions: ExceptionItem[];
	standards: {
		lines: StandardLine[];
		/** What the compliance chart draws: each standard's compliance for the period against its target. */
		chart: { caption: string; summary: string; bars: { label: string; value: number | null; target: number }[] };
	};
	phone: { targetPercent: number | null; lines: PhoneLine[] } | null;
	indicators: sections.IndicatorSection;
	/** Demand and context: contacts received and calls offered by quarter (and further context measures). */
	context: sections.ContextSection;
	duties: sections.DutySection;
	risks: sections.RiskSection;
	commentary: sections.CommentaryEntry[];
	/** Customer satisfaction, complaints and "you said, we did" (absent from reports published before feedback was kept). */
	feedback?: feedback.ReportFeedback;
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

	const comparison = comparisonQuarters(request.financialYear, request.quarter);
	const basis = ragBasis(request.kind, quarterName(comparison.current), period.label);
	const refs = new Map(
		(await rows<{ code: string; ref: string | null }>(db, sql`select code, ref from standards where organisation_id = ${organisation.id}`)).map((r) => [r.code, r.ref])
	);
	const lines: StandardLine[] = whole.standards.map((s) => {
		// The overview's trend is the eight quarters to the period's last: keep the last five.
		const trend = s.trend.slice(-5).map((t, i) => ({ label: quarterName(comparison.trend[i]!), value: t.value }));
		const current = trend.at(-1)!.value;
		return {
		code: s.code,
		ref: refs.get(s.code) ?? null,
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
		direction: request.kind === 'board' ? movement(current, trend[3]!.value) : s.direction,
		comparison: { previous: trend[3]!, lastYear: trend[0]!, direction: movement(current, trend[3]!.value) },
		trend
		};
	});

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
		basis,
		comparison,
		now
	};
	const gaps: string[] = [];
	const [indicators, demand, duties, risks] = await Promise.all([
		sections.indicators(db, context).catch((e: Error) => (gaps.push(`Indicators: ${e.message}`), sections.emptyIndicators)),
		sections.demand(db, context).catch((e: Error) => (gaps.push(`Demand: ${e.message}`), sections.emptyContext)),
		sections.duties(db, context).catch((e: Error) => (gaps.push(`Duties: ${e.message}`), sections.emptyDuties)),
		sections.risks(db, context).catch((e: Error) => (gaps.push(`Risks: ${e.message}`), sections.emptyRisks))
	]);
	const customerFeedback = await feedback.reportSection(db, { ...context, kind: request.kind }).catch((e: Error) => (gaps.push(`Customer feedback: ${e.message}`), undefined));
	const commentary = sections.commentaryOf(indicators, context);
	gaps.push(...indicators.gaps, ...demand.gaps, ...duties.gaps, ...risks.gaps);
	const exceptions = exceptionsFor(lines, indicators, request.quarter, context.personalData);

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
		paper: { purpose: '', recommendations: [], owner: null },
		basis,
		summary: { headlines: [], sentences: [] },
		exceptions,
		standards: {
			lines,
			chart: {
				caption: `Compliance by standard, ${basis.label} (bars), against target (black mark)`,
				summary:
					`Compliance by standard for ${period.label} against each standard's target: ` +
					lines.map((s) => `${s.title} ${s.period.compliance === null ? 'no contacts' : pct(s.period.compliance)} (target ${s.targetPercent}%)`).join('; '),
				bars: lines.map((s) => ({ label: s.title, value: s.period.compliance, target: s.targetPercent }))
			}
		},
		phone: whole.phone ? { targetPercent: whole.phone.targetPercent, lines: phoneLines } : null,
		indicators,
		context: demand,
		duties,
		risks,
		commentary,
		feedback: customerFeedback,
		gaps
	};
	report.summary = summarise(report);
	report.paper = paperOf(report, null);
	return report;
}

/** The exceptions: red and amber standards, then red and amber service plan indicators, each with its latest commentary for the quarter. */
function exceptionsFor(lines: StandardLine[], indicators: sections.IndicatorSection, quarter: QuarterNumber, personalData: boolean): ExceptionItem[] {
	const noteOf = (key: string) => {
		const entries = indicators.rows.find((r) => r.ref === key)?.commentary.filter((c) => c.quarter === quarter) ?? [];
		return entries.sort((a, b) => a.at.localeCompare(b.at)).at(-1) ?? null;
	};
	type Candidate = Omit<ExceptionItem, 'commentary' | 'action' | 'rag'> & { rag: Rag | null };
	const items: Candidate[] = [
		...lines.map((s) => ({ key: s.code, ref: s.ref, name: s.title, kind: 'standard' as const, unit: 'percent' as const, rag: s.period.rag, value: s.period.compliance, target: s.targetPercent, comparison: s.comparison })),
		...indicators.rows
			.filter((r) => r.kind === 'plan')
			.map((r) => ({ key: r.ref, ref: r.ref, name: r.description, kind: 'indicator' as const, unit: r.unit, rag: r.rag, value: r.latest, target: r.target, comparison: r.comparison }))
	];
	const judged = items.filter((i): i is Candidate & { rag: Rag } => i.rag !== null);
	return exceptionsOf(judged).map((item) => {
		const note = noteOf(item.key);
		return {
			...item,
			commentary: note ? { body: note.body, author: personalData ? note.author : null, at: note.at } : null,
			action: note?.action ?? null
		};
	});
}

/**
 * The cover report's words, from the figures: what the paper is for and what the board or
 * committee is asked to do. The owner is given when the report is published.
 */
export function paperOf(report: Omit<Report, 'paper'>, owner: string | null): Paper {
	const audience = report.kind === 'board' ? 'the Management Board' : 'the Committee';
	const asked = report.kind === 'board' ? 'The Board is asked to' : 'The Committee is asked to';
	const reds = report.exceptions.filter((e) => e.rag === 'red').length;
	const ambers = report.exceptions.length - reds;
	const missing = report.exceptions.filter((e) => e.commentary === null).length;
	const recommendations = [
		`${asked} note performance against the customer service standards${report.indicators.rows.some((r) => r.kind === 'plan') ? ' and the service plan indicators' : ''} for ${report.basis.label}.`
	];
	if (report.exceptions.length) {
		recommendations.push(
			`${asked} note the ${plural(reds, 'red item')} and ${plural(ambers, 'amber item')} in the exceptions section, and agree the corrective actions set out there` +
				(missing ? ` (${plural(missing, 'item has', 'items have')} no commentary yet).` : '.')
		);
	} else {
		recommendations.push(`${asked} note that no standard or indicator is red or amber for ${report.basis.label}.`);
	}
	if (report.duties.totals.late + report.duties.totals.overdue > 0) recommendations.push(`${asked} note the periodic duties done late or overdue.`);
	if (report.risks.register.length) recommendations.push(`${asked} note the risk register as reviewed for ${report.quarters.at(-1)!.label}.`);
	return {
		purpose: `To report ${report.organisation.name}'s performance against its published customer service standards for ${report.period.label} to ${audience}: the exceptions first, then the figures behind them, the demand the services met, and the periodic duties and risks.`,
		recommendations,
		owner
	};
}

/** A stored snapshot of an earlier format, given the parts it lacks (empty), so every version still renders. */
export function upgrade(report: Report): Report {
	if (report.format === REPORT_FORMAT) return report;
	const lastQuarter = report.quarters.at(-1)!;
	const basis = ragBasis(report.kind, lastQuarter.label, report.period.label);
	const blank: sections.Comparison = { previous: { label: '', value: null }, lastYear: { label: '', value: null }, direction: null };
	const lines = report.standards.lines.map((l) => ({ ...l, ref: null, comparison: blank, trend: [] }));
	const indicators = {
		...report.indicators,
		rows: report.indicators.rows.map((r) => ({
			...r,
			kind: r.ref.includes('.') ? ('standard' as const) : ('plan' as const),
			comparison: blank,
			trend: [],
			commentary: r.commentary.map((c) => ({ ...c, action: null }))
		}))
	};
	const upgraded = {
		...report,
		basis,
		// Its red and amber items, as its own ratings had them, with the commentary it held.
		exceptions: exceptionsFor(lines, indicators, report.quarter, report.kind === 'board'),
		context: sections.emptyContext,
		standards: { ...report.standards, lines },
		indicators,
		commentary: report.commentary.map((c) => ({ ...c, action: null }))
	} as Report;
	return { ...upgraded, paper: paperOf(upgraded, null) };
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
const plural = formatCount;

/** The headline figures and the sentences that say what they mean. */
export function summarise(report: Omit<Report, 'summary' | 'paper'>): Report['summary'] {
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
		const against = report.kind === 'board' ? report.standards.lines[0]?.comparison.previous.label || 'the quarter before' : 'the period before';
		sentences.push(movementSentence(judged.map((s) => s.direction), against, { one: 'standard', many: 'standards' }));
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

	// The service plan's own indicators (ES01, ES02): the standards are counted above.
	const plan = report.indicators.rows.filter((row) => row.kind === 'plan');
	const indicators = plan.filter((row) => row.rag !== null);
	if (plan.length) {
		const green = indicators.filter((row) => row.rag === 'green').length;
		headlines.push({ key: 'indicators.on-target', label: 'Service plan indicators on target', value: green, unit: 'count', note: `of ${plural(indicators.length, 'indicator')} with a result and a target in ${when}`, rag: null });
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
