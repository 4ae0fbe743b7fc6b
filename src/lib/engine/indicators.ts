/**
 * The Elections Service Plan's performance indicators (docs/rules.md "Performance indicators (ES01, ES02)"):
 *
 * - ES01, annual canvass return: properties that returned a canvass response ÷ properties
 *   canvassed, for the canvass that ends with the revised register's publication. Since the 2020
 *   canvass reform only Route 2 properties (the full canvass) are asked to respond — Route 1
 *   properties were matched against national data and Route 3 are defined properties answered by a
 *   responsible person — so from the 2020 canvass ES01 is the Route 2 response rate.
 * - ES02, monthly alterations: changes determined on or before a notice's cut-off and included in
 *   that notice ÷ changes determined on or before that cut-off (and after the previous one's),
 *   with whether each notice was published on its due date.
 *
 * Pure functions over plain rows; the server counts in SQL and passes the counts here.
 */
import { direction, rag, type Direction, type Rag } from './performance.ts';
import { quarterOf } from './periods.ts';

/** The first canvass run under the reformed (three-route) process. */
export const CANVASS_REFORM_YEAR = 2020;

export interface Ratio {
	numerator: number;
	denominator: number;
	/** numerator ÷ denominator as a percentage; null when nothing was due. */
	actual: number | null;
}

export function ratio(numerator: number, denominator: number): Ratio {
	return { numerator, denominator, actual: denominator === 0 ? null : (numerator / denominator) * 100 };
}

// --- ES01 -----------------------------------------------------------------------------------

/** A canvass property as ES01 sees it. */
export interface CanvassProperty {
	/** 1 data matched, 2 full canvass, 3 defined property (0 or any value before the reform). */
	route: number;
	contactedOn: string;
	respondedOn: string | null;
}

/** Properties canvassed and responses received by a date, per route. */
export interface CanvassCount {
	route: number;
	canvassed: number;
	responded: number;
}

/** Whether a canvass year's return rate is the Route 2 response rate (reformed canvass) or every property's. */
export function es01Routes(canvassYear: number): number[] | 'all' {
	return canvassYear >= CANVASS_REFORM_YEAR ? [2] : 'all';
}

/**
 * Counts a canvass by route as it stood at the end of `on`: properties contacted by then, and of
 * them those that had responded by then (a response after the register's publication never
 * counts: pass the publication date, or an earlier date for progress).
 */
export function countCanvass(properties: readonly CanvassProperty[], on: string): CanvassCount[] {
	const byRoute = new Map<number, CanvassCount>();
	for (const p of properties) {
		if (p.contactedOn > on) continue;
		const count = byRoute.get(p.route) ?? { route: p.route, canvassed: 0, responded: 0 };
		count.canvassed++;
		if (p.respondedOn !== null && p.respondedOn <= on) count.responded++;
		byRoute.set(p.route, count);
	}
	return [...byRoute.values()].sort((a, b) => a.route - b.route);
}

/** ES01 from the counts: the Route 2 response rate from the 2020 canvass, every property before it. */
export function es01(counts: readonly CanvassCount[], canvassYear: number): Ratio {
	const routes = es01Routes(canvassYear);
	const included = routes === 'all' ? counts : counts.filter((c) => routes.includes(c.route));
	return ratio(
		included.reduce((sum, c) => sum + c.responded, 0),
		included.reduce((sum, c) => sum + c.canvassed, 0)
	);
}

/** A canvass counted by route at a date (the summary grain): `asOf` null is the final return, at the register's publication. */
export interface CanvassSummary extends CanvassCount {
	asOf: string | null;
}

/**
 * The counts of a summarised canvass as it stood at the end of `on`: per route, the latest
 * summary dated on or before it (the final return counts from the register's publication).
 * Undefined when no route has a summary by then.
 */
export function summaryCounts(summaries: readonly CanvassSummary[], on: string, publicationOn: string): CanvassCount[] | undefined {
	const latest = new Map<number, { at: string; count: CanvassCount }>();
	for (const s of summaries) {
		const at = s.asOf ?? publicationOn;
		if (at > on) continue;
		const seen = latest.get(s.route);
		if (!seen || at > seen.at) latest.set(s.route, { at, count: { route: s.route, canvassed: s.canvassed, responded: s.responded } });
	}
	if (latest.size === 0) return undefined;
	return [...latest.values()].map((v) => v.count).sort((a, b) => a.route - b.route);
}

/** ES01 at one week of the canvass, this year and the same week last year. */
export interface ProgressPoint {
	/** Week n of the canvass: the week ending n × 7 − 1 days after 1 July. */
	week: number;
	/** This canvass's date for that week, and last year's. */
	on: string;
	lastYearOn: string;
	actual: number | null;
	lastYear: number | null;
}

/** The weeks of a canvass from 1 July to the register's publication: each week's last day. */
export function canvassWeeks(canvassYear: number, publicationOn: string): { week: number; on: string }[] {
	const start = Date.UTC(canvassYear, 6, 1);
	const weeks: { week: number; on: string }[] = [];
	for (let week = 1; ; week++) {
		const on = new Date(start + (week * 7 - 1) * 86_400_000).toISOString().slice(0, 10);
		if (on >= publicationOn) {
			weeks.push({ week, on: publicationOn });
			return weeks;
		}
		weeks.push({ week, on });
	}
}

/** What a quarter's ES01 figure is: nothing, the canvass so far, or the final return. */
export type Es01Stage = 'none' | 'progress' | 'final';

/**
 * The stage of ES01 for a quarter of the canvass year's financial year (the canvass runs from
 * July to the revised register's publication): nothing in Q1, before the canvass starts;
 * progress at the end of each quarter before the one the register is published in (Q2, and Q3
 * as well when a poll moved publication to 1 February); in the publication quarter the final
 * return once the register is out (publication before `today`), the canvass so far until then;
 * nothing after it (Q4 when the register came out on 1 December).
 */
export function es01Stage(at: { canvassYear: number; quarter: number; publicationOn: string; today: string }): Es01Stage {
	const publicationQuarter = quarterOf(at.publicationOn);
	if (publicationQuarter.startYear !== at.canvassYear) throw new RangeError(`The ${at.canvassYear} register cannot be published on ${at.publicationOn}`);
	if (at.quarter === 1 || at.quarter > publicationQuarter.quarter) return 'none';
	if (at.quarter < publicationQuarter.quarter) return 'progress';
	return at.publicationOn < at.today ? 'final' : 'progress';
}

// --- ES02 -----------------------------------------------------------------------------------

export interface Notice {
	id: number;
	/** First day of the month the notice is for. */
	month: string;
	cutOffOn: string;
	dueOn: string;
	publishedOn: string | null;
	/** Counts recorded for the notice as a whole (an imported per-notice summary): they are its figures, whatever changes are recorded. */
	counted?: { determinedBeforeCutOff: number; included: number } | null;
}

/** Register changes determined on one day, and which notice (if any) included them. */
export interface ChangeCount {
	determinedOn: string;
	noticeId: number | null;
	count: number;
}

export interface NoticeResult extends Notice, Ratio {
	/** Changes that belonged in this notice but were left out (or went into a later one). */
	missed: number;
	/** Published on or before its due date; null while not yet due and unpublished. */
	publishedOnTime: boolean | null;
}

/**
 * Each notice's changes: a change belongs in the first notice whose cut-off is on or after the day
 * it was determined; it counts as included only when that notice included it. Changes determined
 * after the last cut-off belong to no notice yet.
 */
export function es02(notices: readonly Notice[], changes: readonly ChangeCount[], today: string): NoticeResult[] {
	const ordered = [...notices].sort((a, b) => a.cutOffOn.localeCompare(b.cutOffOn));
	const due = new Map<number, number>();
	const included = new Map<number, number>();
	for (const change of changes) {
		const owner = ordered.find((n) => n.cutOffOn >= change.determinedOn);
		if (!owner) continue;
		due.set(owner.id, (due.get(owner.id) ?? 0) + change.count);
		if (change.noticeId === owner.id) included.set(owner.id, (included.get(owner.id) ?? 0) + change.count);
	}
	return ordered.map((notice) => {
		const r = notice.counted ? ratio(notice.counted.included, notice.counted.determinedBeforeCutOff) : ratio(included.get(notice.id) ?? 0, due.get(notice.id) ?? 0);
		return {
			...notice,
			...r,
			missed: r.denominator - r.numerator,
			publishedOnTime: notice.publishedOn !== null ? notice.publishedOn <= notice.dueOn : notice.dueOn < today ? false : null
		};
	});
}

/** The notices due in a period, summed: the period's ES02. */
export function es02For(results: readonly NoticeResult[], period: { start: string; end: string }): Ratio & { notices: number; late: number } {
	const inPeriod = results.filter((r) => r.dueOn >= period.start && r.dueOn <= period.end);
	return {
		...ratio(
			inPeriod.reduce((sum, r) => sum + r.numerator, 0),
			inPeriod.reduce((sum, r) => sum + r.denominator, 0)
		),
		notices: inPeriod.length,
		late: inPeriod.filter((r) => r.publishedOnTime === false).length
	};
}

// --- Judging --------------------------------------------------------------------------------

export interface Thresholds {
	/** Amber when below target by at most this many percentage points. */
	amberMargin: number;
	higherIsBetter: boolean;
}

/** RAG against the target with the indicator's own amber margin. */
export function indicatorRag(actual: number | null, target: number | null, thresholds: Thresholds): Rag | null {
	if (actual === null || target === null) return null;
	// For a measure where lower is better, mirror both around zero so "at or above" still means good.
	return thresholds.higherIsBetter ? rag(actual, target, thresholds.amberMargin) : rag(-actual, -target, thresholds.amberMargin);
}

/** Direction of travel between two figures of an indicator. */
export function indicatorDirection(current: number | null, previous: number | null, thresholds: Pick<Thresholds, 'higherIsBetter'>): Direction | null {
	return direction(current, previous, { higherIsBetter: thresholds.higherIsBetter });
}

/** Sums quarters into a year to date (ratios add by numerator and denominator, never by averaging percentages). */
export function sumRatios(parts: readonly Pick<Ratio, 'numerator' | 'denominator'>[]): Ratio {
	return ratio(
		parts.reduce((sum, p) => sum + p.numerator, 0),
		parts.reduce((sum, p) => sum + p.denominator, 0)
	);
}

/**
 * The target in force at an instant for a financial year: the latest target set effective on or
 * before it. Targets are effective-dated so a reported actual keeps the target it was judged against.
 */
export function targetInForce<T extends { financialYear: number; effectiveFrom: Date; target: number }>(targets: readonly T[], financialYear: number, at: Date): T | null {
	let found: T | null = null;
	for (const t of targets) {
		if (t.financialYear !== financialYear || t.effectiveFrom.getTime() > at.getTime()) continue;
		if (!found || t.effectiveFrom.getTime() >= found.effectiveFrom.getTime()) found = t;
	}
	return found;
}
