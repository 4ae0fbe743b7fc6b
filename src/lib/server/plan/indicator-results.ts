/**
 * Each indicator's figure for each quarter of a financial year, as reported at a moment: counted
 * live for the quarter under way, and frozen into indicator_results the first time a closed
 * quarter is reported, with the target in force then, never to be recomputed. ES01 from the
 * canvass (its stage from the engine), ES02 from the notices of alteration, a standard's from the
 * overview.
 */
import { sql } from 'drizzle-orm';
import { localDate } from '../../engine/dates.ts';
import { canvassPeriod, registerPublicationDue } from '../../engine/duties.ts';
import { es01, es01Stage, summaryCounts, es02, es02For, ratio, targetInForce, type CanvassCount, type Es01Stage, type NoticeResult, type Ratio } from '../../engine/indicators.ts';
import { financialYear as fyOf, quarterOf, quartersOfFinancialYear, type Quarter } from '../../engine/periods.ts';
import { quarterPeriod } from '../../engine/reporting-period.ts';
import * as overview from '../dashboard/overview.ts';
import * as feedback from '../feedback/summary.ts';
import { DEFAULT_SATISFACTION_TARGET } from '../../engine/satisfaction.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { kindOf, type IndicatorDef, type IndicatorKind } from './indicator-definitions.ts';
import type { TargetRow } from './indicator-edits.ts';
import { day } from '../../format.ts';

/** final: stored when the quarter closed; in-progress: the quarter so far; not-started: in the future; none: nothing is reported in this quarter. */
export type QuarterStatus = 'final' | 'in-progress' | 'not-started' | 'none';

const NO_CANVASS = 'No canvass figure this quarter';
const ES01_NOTE = (on: string) => `Canvass progress at ${formatDate(on)}`;
const formatDate = (date: string) => day(date);

/** A quarter's figure as computed or read back. */
export interface Computed {
	actual: number | null;
	numerator: number | null;
	denominator: number | null;
	status: QuarterStatus;
	note: string | null;
	/** ES01 only: the canvass's progress so far, or its final return (the register has been published). */
	stage: Exclude<Es01Stage, 'none'> | null;
	target: number | null;
	/** Store it: the quarter has closed and this is its first report. */
	store: boolean;
}

/** The polls held in an organisation's area (they can move the register's publication to 1 February). */
export async function polls(db: Database, organisationId: number): Promise<string[]> {
	const found = await rows<{ poll_on: string }>(db, sql`select poll_on::text from elections where organisation_id = ${organisationId} order by poll_on`);
	return found.map((r) => r.poll_on);
}

/**
 * ES01 counts by route as the canvass stood at the end of each date: from its properties (a
 * property imported without a contact date counts from the canvass's start, 1 July), or, for a
 * canvass imported as counts by route, from the latest counts dated on or before it.
 */
export async function canvassCounts(db: Database, organisationId: number, canvassYear: number, dates: string[], publicationOn: string): Promise<Map<string, CanvassCount[]>> {
	const out = new Map<string, CanvassCount[]>();
	const start = canvassPeriod(canvassYear).start;
	const [has] = await rows<{ any: boolean }>(db, sql`select exists (select 1 from canvass_properties where organisation_id = ${organisationId} and canvass_year = ${canvassYear}) as any`);
	if (!has?.any) {
		const summaries = await rows<{ route: number; as_of: string | null; properties: number; responses: number }>(
			db,
			sql`select route, as_of::text, properties, responses from canvass_counts where organisation_id = ${organisationId} and canvass_year = ${canvassYear}`
		);
		const list = summaries.map((s) => ({ route: Number(s.route), asOf: s.as_of, canvassed: Number(s.properties), responded: Number(s.responses) }));
		for (const on of new Set(dates)) {
			const counted = summaryCounts(list, on, publicationOn);
			if (counted) out.set(on, counted);
		}
		return out;
	}
	for (const on of [...new Set(dates)]) {
		const found = await rows<{ route: number; canvassed: number; responded: number }>(
			db,
			sql`select route, count(*)::int as canvassed, count(*) filter (where responded_on <= ${on}::date)::int as responded
				from canvass_properties where organisation_id = ${organisationId} and canvass_year = ${canvassYear} and coalesce(contacted_on, ${start}::date) <= ${on}::date
				group by route order by route`
		);
		out.set(on, found.map((r) => ({ route: Number(r.route), canvassed: Number(r.canvassed), responded: Number(r.responded) })));
	}
	return out;
}

/**
 * ES01 counts by route at many dates of one canvass in two queries (properties contacted, and
 * responses, per route and day, summed up to each date); a summarised canvass from its counts.
 */
export async function canvassSeries(db: Database, organisationId: number, canvassYear: number, dates: string[], publicationOn: string): Promise<Map<string, CanvassCount[]>> {
	const start = canvassPeriod(canvassYear).start;
	const byDay = await rows<{ route: number; on: string; canvassed: number; responded: number }>(
		db,
		sql`select route, on_date::text as on, sum(canvassed)::int as canvassed, sum(responded)::int as responded from (
				select route, coalesce(contacted_on, ${start}::date) as on_date, count(*) as canvassed, 0 as responded
				from canvass_properties where organisation_id = ${organisationId} and canvass_year = ${canvassYear} group by 1, 2
				union all
				select route, responded_on, 0, count(*) from canvass_properties
				where organisation_id = ${organisationId} and canvass_year = ${canvassYear} and responded_on is not null group by 1, 2
			) d group by 1, 2 order by 2`
	);
	if (byDay.length === 0) return canvassCounts(db, organisationId, canvassYear, dates, publicationOn);
	const out = new Map<string, CanvassCount[]>();
	for (const on of new Set(dates)) {
		const totals = new Map<number, CanvassCount>();
		for (const d of byDay) {
			if (d.on > on) continue;
			const route = Number(d.route);
			const count = totals.get(route) ?? { route, canvassed: 0, responded: 0 };
			count.canvassed += Number(d.canvassed);
			count.responded += Number(d.responded);
			totals.set(route, count);
		}
		out.set(on, [...totals.values()].sort((a, b) => a.route - b.route));
	}
	return out;
}

/** ES02 for every notice due from..to (the changes are grouped by day and notice, then judged by the engine). */
export async function noticeResults(db: Database, organisationId: number, from: string, to: string, today: string): Promise<NoticeResult[]> {
	const notices = await rows<{ id: number; month: string; cut_off_on: string; due_on: string; published_on: string | null; determined_count: number | null; included_count: number | null }>(
		db,
		sql`select id, month::text, cut_off_on::text, due_on::text, published_on::text, determined_count, included_count from register_notices
			where organisation_id = ${organisationId} and due_on <= ${to}::date order by cut_off_on`
	);
	if (notices.length === 0) return [];
	// Only the notices in range and the one before the first (its cut-off bounds the first window).
	const firstIndex = Math.max(0, notices.findIndex((n) => n.due_on >= from) - 1);
	const relevant = notices.slice(firstIndex === -1 ? notices.length : firstIndex);
	if (relevant.length === 0) return [];
	const windowStart = relevant[0]!.cut_off_on;
	const changes = await rows<{ determined_on: string; notice_id: number | null; count: number }>(
		db,
		sql`select determined_on::text, notice_id, count(*)::int as count from register_changes
			where organisation_id = ${organisationId} and determined_on > ${windowStart}::date - 400 and determined_on <= ${relevant.at(-1)!.cut_off_on}::date
			group by 1, 2`
	);
	const results = es02(
		relevant.map((n) => ({
			id: n.id,
			month: n.month,
			cutOffOn: n.cut_off_on,
			dueOn: n.due_on,
			publishedOn: n.published_on,
			counted: n.determined_count === null || n.included_count === null ? null : { determinedBeforeCutOff: Number(n.determined_count), included: Number(n.included_count) }
		})),
		changes.map((c) => ({ determinedOn: c.determined_on, noticeId: c.notice_id, count: Number(c.count) })),
		today
	);
	return results.filter((r) => r.dueOn >= from && r.dueOn <= to);
}

/**
 * Each indicator's quarters for a financial year as reported at `asOf`: stored results for closed
 * quarters already reported; otherwise computed now (and stored if the quarter has closed).
 */
export async function yearResults(
	db: Database,
	organisation: { id: number; code: string },
	defs: IndicatorDef[],
	targets: TargetRow[],
	startYear: number,
	asOf: Date
): Promise<{ results: Map<number, (Computed & { quarter: Quarter })[]>; notices: NoticeResult[]; polls: string[] }> {
	const today = localDate(asOf);
	const quarters = quartersOfFinancialYear(startYear);
	const stored = await rows<{ indicator_id: number; quarter: number; actual: number | null; numerator: number | null; denominator: number | null; target: number | null }>(
		db,
		sql`select r.indicator_id, r.quarter, r.actual::float8 as actual, r.numerator, r.denominator, r.target::float8 as target
			from indicator_results r where r.organisation_id = ${organisation.id} and r.financial_year = ${startYear}`
	);
	const storedOf = new Map(stored.map((r) => [`${r.indicator_id}:${r.quarter}`, r]));
	const pollDates = await polls(db, organisation.id);
	const publication = registerPublicationDue(startYear, pollDates);
	const finalQuarter = quarterOf(publication.dueOn);
	const stageOf = (q: Quarter) => es01Stage({ canvassYear: startYear, quarter: q.quarter, publicationOn: publication.dueOn, today });
	const year = fyOf(startYear);
	const notices = defs.some((d) => d.method === 'es02') ? await noticeResults(db, organisation.id, year.start, year.end < today ? year.end : today, today) : [];

	const needed = (q: Quarter) => q.start <= today;
	const closed = (q: Quarter) => q.end < today;
	const cut = (q: Quarter) => (closed(q) ? q.end : today);
	const missing = (def: IndicatorDef) => quarters.filter((q) => needed(q) && !(closed(q) && storedOf.has(`${def.id}:${q.quarter}`)));

	// ES01 counts at each quarter's cut (the publication date for the final quarter).
	const es01Def = defs.find((d) => d.method === 'es01');
	const es01Cut = (q: Quarter) => (q.label === finalQuarter.label ? (publication.dueOn < today ? publication.dueOn : today) : cut(q));
	const es01Quarters = es01Def ? missing(es01Def).filter((q) => stageOf(q) !== 'none') : [];
	const counts = es01Def && es01Quarters.length ? await canvassCounts(db, organisation.id, startYear, es01Quarters.map(es01Cut), publication.dueOn) : new Map<string, CanvassCount[]>();

	// Standards' compliance per quarter, from the overview's server function.
	const standardQuarters = [...new Set(defs.filter((d) => kindOf(d.method) === 'standard').flatMap((d) => missing(d).map((q) => q.quarter)))];
	const standardRows = new Map<number, Map<string, overview.StandardRow>>();
	for (const number of standardQuarters) {
		const q = quarters[number - 1]!;
		const o = await overview.overview(db, { period: quarterPeriod(q.start), organisation: organisation.code, service: null, team: null }, asOf);
		standardRows.set(number, new Map(o.standards.map((s) => [s.code, s])));
	}

	// Customer satisfaction per quarter: satisfied or very satisfied ÷ answered (engine/satisfaction.ts).
	const satisfactionDef = defs.find((d) => d.method === 'satisfaction');
	const satisfactionQuarters = satisfactionDef ? missing(satisfactionDef) : [];
	const satisfaction = new Map(
		(satisfactionQuarters.length ? await feedback.quarterly(db, { organisation: organisation.code, service: null, team: null }, satisfactionQuarters, asOf) : []).map((q) => [q.quarter.quarter, q])
	);

	const results = new Map<number, (Computed & { quarter: Quarter })[]>();
	for (const def of defs) {
		const kind = kindOf(def.method);
		const inForce = targetInForce(targets.filter((t) => t.indicatorId === def.id), startYear, asOf);
		const list = quarters.map((q): Computed & { quarter: Quarter } => {
			const stage = kind === 'es01' ? stageOf(q) : 'none';
			const described = { note: noteFor(kind, q, stage, publication.dueOn), stage: stage === 'none' ? null : stage };
			const saved = storedOf.get(`${def.id}:${q.quarter}`);
			if (saved && closed(q)) {
				return { quarter: q, status: 'final', store: false, ...described, target: saved.target, actual: saved.actual, numerator: saved.numerator, denominator: saved.denominator };
			}
			if (!needed(q)) return { quarter: q, status: 'not-started', store: false, note: null, stage: null, target: inForce?.target ?? null, ...ratio(0, 0) };
			let r: Ratio | null = null;
			let target = inForce?.target ?? null;
			if (kind === 'es01') {
				const counted = counts.get(es01Cut(q));
				r = counted ? es01(counted, startYear) : null;
			} else if (kind === 'es02') {
				const period = es02For(notices, q);
				r = period.notices > 0 ? period : null;
			} else if (kind === 'satisfaction') {
				const found = satisfaction.get(q.quarter);
				if (found && found.answered > 0) r = ratio(found.satisfied, found.answered);
				target ??= DEFAULT_SATISFACTION_TARGET;
			} else {
				const row = standardRows.get(q.quarter)?.get(def.code);
				if (row) {
					r = ratio(row.met, row.met + row.breached);
					target ??= row.targetPercent;
				}
			}
			if (r === null) return { quarter: q, status: 'none', store: false, ...described, target, ...ratio(0, 0), actual: null };
			return { quarter: q, status: closed(q) ? 'final' : 'in-progress', store: closed(q), ...described, target, ...r };
		});
		results.set(def.id, list);
	}

	// Store each closed quarter's first report with the target it was judged against.
	const toStore = defs.flatMap((def) =>
		results.get(def.id)!.filter((r) => r.store).map((r) => ({
			organisationId: organisation.id,
			indicatorId: def.id,
			financialYear: startYear,
			quarter: r.quarter.quarter,
			actual: r.actual,
			numerator: r.numerator,
			denominator: r.denominator,
			target: r.target
		}))
	);
	if (toStore.length) await db.insert(schema.indicatorResults).values(toStore).onConflictDoNothing();
	return { results, notices, polls: pollDates };
}

/** What the figure is, in words, when it needs saying; ES01's follows its stage. */
function noteFor(kind: IndicatorKind, q: Quarter, stage: Es01Stage, publicationOn: string): string | null {
	if (kind === 'es01') {
		if (stage === 'none') return NO_CANVASS;
		if (stage === 'final') return `Final: register published ${formatDate(publicationOn)}`;
		// Progress: at the quarter's end, or so far in the quarter the register is due.
		return q.label === quarterOf(publicationOn).label ? `Canvass progress so far; the register is due ${formatDate(publicationOn)}` : ES01_NOTE(q.end);
	}
	if (kind === 'es02' && q.quarter === 3) return 'No notices in the canvass period';
	return null;
}
