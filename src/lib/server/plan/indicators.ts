/**
 * The performance indicators table (Elections Service Plan style): ES01, ES02 and every published
 * standard, by quarter of a financial year, against effective-dated targets. A quarter's result is
 * stored in indicator_results the first time it is reported after the quarter has closed, with the
 * target in force then, and is never recomputed.
 */
import { and, eq, sql } from 'drizzle-orm';
import { getCalendar } from '../../engine/calendar.ts';
import { localDate } from '../../engine/dates.ts';
import { registerPublicationDue } from '../../engine/duties.ts';
import {
	es01,
	es01Routes,
	es02,
	es02For,
	indicatorDirection,
	indicatorRag,
	ratio,
	sumRatios,
	targetInForce,
	CANVASS_REFORM_YEAR,
	type CanvassCount,
	type NoticeResult,
	type Ratio,
	type Thresholds
} from '../../engine/indicators.ts';
import type { Direction, Rag } from '../../engine/performance.ts';
import { financialYear as fyOf, quarterOf, quartersOfFinancialYear, type Quarter } from '../../engine/periods.ts';
import { quarterPeriod } from '../../engine/reporting-period.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import * as overview from '../dashboard/overview.ts';

export type IndicatorKind = 'es01' | 'es02' | 'standard';

/** One manager's commentary on an indicator for a quarter. */
export interface Commentary {
	id: number;
	quarter: number;
	body: string;
	authorId: string | null;
	/** The author's name, or 'Unknown' when the account has gone. */
	author: string;
	at: Date;
}

/** An indicator's figure for one quarter, and the target it was judged against. */
export interface QuarterResult {
	quarter: 1 | 2 | 3 | 4;
	/** 'Q2 2026/27' */
	label: string;
	start: string;
	end: string;
	actual: number | null;
	numerator: number | null;
	denominator: number | null;
	target: number | null;
	rag: Rag | null;
	/** final: stored when the quarter closed; in-progress: the quarter so far; not-started: in the future; none: nothing is reported in this quarter. */
	status: 'final' | 'in-progress' | 'not-started' | 'none';
	/** What the figure is, when it needs saying: 'Canvass progress at 30 September', 'No notices in the canvass period'. */
	note: string | null;
	/** ES01 only: the canvass's progress so far, or its final return (the register has been published). */
	stage: 'progress' | 'final' | null;
	commentary: Commentary[];
}

/** A target set for a financial year, from a moment. */
export interface TargetSetting {
	target: number;
	effectiveFrom: Date;
	setBy: string | null;
}

export interface IndicatorRow {
	id: number;
	/** ES01, ES02, or the standard's code. */
	ref: string;
	description: string;
	kind: IndicatorKind;
	unit: string;
	higherIsBetter: boolean;
	amberMargin: number;
	/** Last financial year's actual (ES01: the final canvass return; others: the year's ratio). */
	lastYearActual: number | null;
	/** The target in force now for this financial year. */
	target: number | null;
	/** Every target set for the year, newest first. */
	targets: TargetSetting[];
	quarters: QuarterResult[];
	yearToDate: Ratio & { target: number | null; rag: Rag | null };
	rag: Rag | null;
	direction: Direction | null;
	/** What the direction compares, in words. */
	directionBasis: string | null;
}

/** ES02's notices in the financial year: changes included, and whether each was published on its date. */
export interface NoticeRow extends NoticeResult {
	quarter: number;
}

export interface IndicatorTable {
	organisation: { code: string; name: string };
	financialYear: number;
	/** '2026/27' */
	label: string;
	asOf: string;
	/** The quarter containing asOf, when it falls in this financial year. */
	currentQuarter: number | null;
	rows: IndicatorRow[];
	notices: NoticeRow[];
	canvass: { year: number; publicationDue: string; reason: string; routes: number[] | 'all' };
}

const NO_CANVASS = 'No canvass figure this quarter';
const ES01_NOTE = (on: string) => `Canvass progress at ${formatDate(on)}`;
const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const formatDate = (date: string) => shortDate.format(new Date(`${date}T00:00:00Z`));

interface IndicatorDef {
	id: number;
	code: string;
	description: string;
	method: string;
	unit: string;
	higherIsBetter: boolean;
	amberMargin: number;
}

interface Computed {
	actual: number | null;
	numerator: number | null;
	denominator: number | null;
	status: QuarterResult['status'];
	note: string | null;
	target: number | null;
	/** Store it: the quarter has closed and this is its first report. */
	store: boolean;
}

/** Organisation id and name for a code; throws a RangeError for an unknown code. */
async function organisationOf(db: Database, code: string) {
	const [found] = await db.select({ id: schema.organisations.id, name: schema.organisations.name }).from(schema.organisations).where(eq(schema.organisations.code, code));
	if (!found) throw new RangeError(`There is no organisation '${code}'`);
	return found;
}

/** Every published standard of the organisation is an indicator too: add any that are missing. */
export async function ensureStandardIndicators(db: Database, organisationId: number): Promise<void> {
	await db.execute(sql`insert into indicators (organisation_id, code, description, method, unit, higher_is_better, amber_margin)
		select s.organisation_id, s.code, s.title, 'standard:' || s.code, 'percent', 1,
			coalesce((select v.amber_margin_percent from standard_versions v where v.standard_id = s.id order by v.effective_from desc limit 1), 5)
		from standards s where s.organisation_id = ${organisationId}
		on conflict (organisation_id, code) do nothing`);
}

async function definitions(db: Database, organisationId: number): Promise<IndicatorDef[]> {
	await ensureStandardIndicators(db, organisationId);
	const found = await rows<{ id: number; code: string; description: string; method: string; unit: string; higher_is_better: number; amber_margin: string | number }>(
		db,
		sql`select id, code, description, method, unit, higher_is_better, amber_margin from indicators where organisation_id = ${organisationId}
			order by case when method like 'standard:%' then 1 else 0 end, code`
	);
	return found.map((r) => ({
		id: r.id,
		code: r.code,
		description: r.description,
		method: r.method,
		unit: r.unit,
		higherIsBetter: Number(r.higher_is_better) === 1,
		amberMargin: Number(r.amber_margin)
	}));
}

const kindOf = (method: string): IndicatorKind => (method === 'es01' ? 'es01' : method === 'es02' ? 'es02' : 'standard');

/** The polls held in an organisation's area (they can move the register's publication to 1 February). */
export async function polls(db: Database, organisationId: number): Promise<string[]> {
	const found = await rows<{ poll_on: string }>(db, sql`select poll_on::text from elections where organisation_id = ${organisationId} order by poll_on`);
	return found.map((r) => r.poll_on);
}

/** ES01 counts by route as the canvass stood at the end of each date. */
async function canvassCounts(db: Database, organisationId: number, canvassYear: number, dates: string[]): Promise<Map<string, CanvassCount[]>> {
	const out = new Map<string, CanvassCount[]>();
	for (const on of [...new Set(dates)]) {
		const found = await rows<{ route: number; canvassed: number; responded: number }>(
			db,
			sql`select route, count(*)::int as canvassed, count(*) filter (where responded_on <= ${on}::date)::int as responded
				from canvass_properties where organisation_id = ${organisationId} and canvass_year = ${canvassYear} and contacted_on <= ${on}::date
				group by route order by route`
		);
		out.set(on, found.map((r) => ({ route: Number(r.route), canvassed: Number(r.canvassed), responded: Number(r.responded) })));
	}
	return out;
}

/** ES02 for every notice due from..to (the changes are grouped by day and notice, then judged by the engine). */
export async function noticeResults(db: Database, organisationId: number, from: string, to: string, today: string): Promise<NoticeResult[]> {
	const notices = await rows<{ id: number; month: string; cut_off_on: string; due_on: string; published_on: string | null }>(
		db,
		sql`select id, month::text, cut_off_on::text, due_on::text, published_on::text from register_notices
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
		relevant.map((n) => ({ id: n.id, month: n.month, cutOffOn: n.cut_off_on, dueOn: n.due_on, publishedOn: n.published_on })),
		changes.map((c) => ({ determinedOn: c.determined_on, noticeId: c.notice_id, count: Number(c.count) })),
		today
	);
	return results.filter((r) => r.dueOn >= from && r.dueOn <= to);
}

interface TargetRow {
	indicatorId: number;
	financialYear: number;
	target: number;
	effectiveFrom: Date;
	setBy: string | null;
}

/**
 * Each indicator's quarters for a financial year as reported at `asOf`: stored results for closed
 * quarters already reported; otherwise computed now (and stored if the quarter has closed).
 */
async function yearResults(
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
	const year = fyOf(startYear);
	const notices = defs.some((d) => d.method === 'es02') ? await noticeResults(db, organisation.id, year.start, year.end < today ? year.end : today, today) : [];

	const needed = (q: Quarter) => q.start <= today;
	const closed = (q: Quarter) => q.end < today;
	const cut = (q: Quarter) => (closed(q) ? q.end : today);
	const missing = (def: IndicatorDef) => quarters.filter((q) => needed(q) && !(closed(q) && storedOf.has(`${def.id}:${q.quarter}`)));

	// ES01 counts at each quarter's cut (the publication date for the final quarter).
	const es01Def = defs.find((d) => d.method === 'es01');
	const es01Cut = (q: Quarter) => (q.label === finalQuarter.label ? (publication.dueOn < today ? publication.dueOn : today) : cut(q));
	const es01Quarters = es01Def ? missing(es01Def).filter((q) => q.quarter >= 2 && q.start <= finalQuarter.start && q.startYear === startYear) : [];
	const counts = es01Def && es01Quarters.length ? await canvassCounts(db, organisation.id, startYear, es01Quarters.map(es01Cut)) : new Map<string, CanvassCount[]>();

	// Standards' compliance per quarter, from the overview's server function.
	const standardQuarters = [...new Set(defs.filter((d) => kindOf(d.method) === 'standard').flatMap((d) => missing(d).map((q) => q.quarter)))];
	const standardRows = new Map<number, Map<string, overview.StandardRow>>();
	for (const number of standardQuarters) {
		const q = quarters[number - 1]!;
		const o = await overview.overview(db, { period: quarterPeriod(q.start), organisation: organisation.code, service: null, team: null }, asOf);
		standardRows.set(number, new Map(o.standards.map((s) => [s.code, s])));
	}

	const results = new Map<number, (Computed & { quarter: Quarter })[]>();
	for (const def of defs) {
		const kind = kindOf(def.method);
		const inForce = targetInForce(targets.filter((t) => t.indicatorId === def.id), startYear, asOf);
		const list = quarters.map((q): Computed & { quarter: Quarter } => {
			const saved = storedOf.get(`${def.id}:${q.quarter}`);
			if (saved && closed(q)) {
				return { quarter: q, status: 'final', store: false, note: noteFor(kind, q, finalQuarter, publication.dueOn, today), target: saved.target, actual: saved.actual, numerator: saved.numerator, denominator: saved.denominator };
			}
			if (!needed(q)) return { quarter: q, status: 'not-started', store: false, note: null, target: inForce?.target ?? null, ...ratio(0, 0) };
			let r: Ratio | null = null;
			let target = inForce?.target ?? null;
			if (kind === 'es01') {
				const counted = counts.get(es01Cut(q));
				r = counted ? es01(counted, startYear) : null;
			} else if (kind === 'es02') {
				const period = es02For(notices, q);
				r = period.notices > 0 ? period : null;
			} else {
				const row = standardRows.get(q.quarter)?.get(def.code);
				if (row) {
					r = ratio(row.met, row.met + row.breached);
					target ??= row.targetPercent;
				}
			}
			if (r === null) return { quarter: q, status: 'none', store: false, note: noteFor(kind, q, finalQuarter, publication.dueOn, today), target, ...ratio(0, 0), actual: null };
			return { quarter: q, status: closed(q) ? 'final' : 'in-progress', store: closed(q), note: noteFor(kind, q, finalQuarter, publication.dueOn, today), target, ...r };
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

function noteFor(kind: IndicatorKind, q: Quarter, finalQuarter: Quarter, publicationOn: string, today: string): string | null {
	if (kind === 'es01') {
		if (q.quarter === 1 || q.startYear !== finalQuarter.startYear || q.start > finalQuarter.start) return NO_CANVASS;
		if (q.label === finalQuarter.label) {
			// Final once the register is published; until then the quarter shows the canvass so far.
			return publicationOn < today ? `Final: register published ${formatDate(publicationOn)}` : `Canvass progress so far; the register is due ${formatDate(publicationOn)}`;
		}
		return ES01_NOTE(q.end);
	}
	if (kind === 'es02' && q.quarter === 3) return 'No notices in the canvass period';
	return null;
}

/** Every target set for every indicator of an organisation. */
async function targetRows(db: Database, organisationId: number): Promise<TargetRow[]> {
	const found = await rows<{ indicator_id: number; financial_year: number; target: number; effective_from: Date | string; set_by: string | null }>(
		db,
		sql`select indicator_id, financial_year, target::float8 as target, effective_from, set_by from indicator_targets where organisation_id = ${organisationId}`
	);
	return found.map((t) => ({ indicatorId: t.indicator_id, financialYear: Number(t.financial_year), target: Number(t.target), effectiveFrom: new Date(t.effective_from), setBy: t.set_by }));
}

/** The KPI table for an organisation and financial year (start year: 2026 for 2026/27), as reported at asOf; `refs` limits it to some indicators. */
export async function table(db: Database, options: { organisation: string; financialYear: number; asOf?: Date; refs?: string[] }): Promise<IndicatorTable> {
	const asOf = options.asOf ?? new Date();
	const today = localDate(asOf);
	const startYear = options.financialYear;
	const organisation = await organisationOf(db, options.organisation);
	const org = { id: organisation.id, code: options.organisation };
	const defs = (await definitions(db, organisation.id)).filter((d) => !options.refs || options.refs.includes(d.code));
	const targets = await targetRows(db, organisation.id);
	const previous = await yearResults(db, org, defs, targets, startYear - 1, asOf);
	const current = await yearResults(db, org, defs, targets, startYear, asOf);
	const commentary = await commentaryFor(db, organisation.id, startYear);

	const rowsOut = defs.map((def): IndicatorRow => {
		const kind = kindOf(def.method);
		const thresholds: Thresholds = { amberMargin: def.amberMargin, higherIsBetter: def.higherIsBetter };
		const mine = targets.filter((t) => t.indicatorId === def.id);
		const inForce = targetInForce(mine, startYear, asOf);
		const quarters = current.results.get(def.id)!;
		const before = previous.results.get(def.id)!;
		const standardTarget = quarters.find((q) => q.target !== null)?.target ?? null;
		const target = inForce?.target ?? (kind === 'standard' ? standardTarget : null);
		const withData = (list: typeof quarters) => list.filter((q) => (q.status === 'final' || q.status === 'in-progress') && q.actual !== null);

		let lastYearActual: number | null;
		let yearToDate: Ratio;
		let directionPair: [number | null, number | null] = [null, null];
		let directionBasis: string | null = null;
		if (kind === 'es01') {
			// Annual: the year's latest canvass figure; direction against last year's at the same stage.
			lastYearActual = withData(before).at(-1)?.actual ?? null;
			const latest = withData(quarters).at(-1);
			yearToDate = latest ? ratio(latest.numerator ?? 0, latest.denominator ?? 0) : ratio(0, 0);
			if (latest) {
				const same = before.find((q) => q.quarter.quarter === latest.quarter.quarter);
				directionPair = [latest.actual, same?.actual ?? null];
				directionBasis = `Compared with Q${latest.quarter.quarter} last year`;
			}
		} else {
			const last = withData(before);
			lastYearActual = last.length ? sumRatios(last.map((q) => ({ numerator: q.numerator ?? 0, denominator: q.denominator ?? 0 }))).actual : null;
			const these = withData(quarters);
			yearToDate = sumRatios(these.map((q) => ({ numerator: q.numerator ?? 0, denominator: q.denominator ?? 0 })));
			const series = [...last, ...these];
			const latest = series.at(-1);
			const prior = series.at(-2);
			if (latest && prior) {
				directionPair = [latest.actual, prior.actual];
				directionBasis = `Q${latest.quarter.quarter} ${latest.quarter.fy} compared with Q${prior.quarter.quarter} ${prior.quarter.fy}`;
			}
		}
		const ytdRag = indicatorRag(yearToDate.actual, target, thresholds);
		return {
			id: def.id,
			ref: def.code,
			description: def.description,
			kind,
			unit: def.unit,
			higherIsBetter: def.higherIsBetter,
			amberMargin: def.amberMargin,
			lastYearActual,
			target,
			targets: mine
				.filter((t) => t.financialYear === startYear)
				.sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime())
				.map((t) => ({ target: t.target, effectiveFrom: t.effectiveFrom, setBy: t.setBy })),
			quarters: quarters.map((q) => ({
				quarter: q.quarter.quarter,
				label: `Q${q.quarter.quarter} ${q.quarter.fy}`,
				start: q.quarter.start,
				end: q.quarter.end,
				actual: q.status === 'final' || q.status === 'in-progress' ? q.actual : null,
				numerator: q.status === 'final' || q.status === 'in-progress' ? q.numerator : null,
				denominator: q.status === 'final' || q.status === 'in-progress' ? q.denominator : null,
				target: q.target,
				rag: indicatorRag(q.status === 'final' || q.status === 'in-progress' ? q.actual : null, q.target, thresholds),
				status: q.status,
				note: q.note,
				stage: kind === 'es01' && q.note !== null && q.note !== NO_CANVASS ? (q.note.startsWith('Final') ? 'final' : 'progress') : null,
				commentary: commentary.filter((c) => c.indicatorId === def.id && c.quarter === q.quarter.quarter)
			})),
			yearToDate: { ...yearToDate, target, rag: ytdRag },
			rag: ytdRag,
			direction: indicatorDirection(directionPair[0], directionPair[1], thresholds),
			directionBasis
		};
	});

	const q = quarterOf(today);
	const publication = registerPublicationDue(startYear, current.polls);
	return {
		organisation: { code: options.organisation, name: organisation.name },
		financialYear: startYear,
		label: fyOf(startYear).label,
		asOf: today,
		currentQuarter: q.startYear === startYear ? q.quarter : null,
		rows: rowsOut,
		notices: current.notices.map((n) => ({ ...n, quarter: quarterOf(n.dueOn).quarter })),
		canvass: { year: startYear, publicationDue: publication.dueOn, reason: publication.reason, routes: es01Routes(startYear) }
	};
}

async function commentaryFor(db: Database, organisationId: number, startYear: number): Promise<(Commentary & { indicatorId: number })[]> {
	const found = await rows<{ id: number; indicator_id: number; quarter: number; body: string; author_id: string | null; author: string | null; created_at: Date | string }>(
		db,
		sql`select c.id, c.indicator_id, c.quarter, c.body, c.author_id, u.name as author, c.created_at
			from indicator_commentary c left join users u on u.id = c.author_id
			where c.organisation_id = ${organisationId} and c.financial_year = ${startYear}
			order by c.created_at, c.id`
	);
	return found.map((c) => ({
		id: c.id,
		indicatorId: c.indicator_id,
		quarter: Number(c.quarter),
		body: c.body,
		authorId: c.author_id,
		author: c.author ?? 'Unknown',
		at: new Date(c.created_at)
	}));
}

async function indicatorOf(db: Database, organisationId: number, ref: string) {
	await ensureStandardIndicators(db, organisationId);
	const [found] = await db
		.select({ id: schema.indicators.id, code: schema.indicators.code })
		.from(schema.indicators)
		.where(and(eq(schema.indicators.organisationId, organisationId), eq(schema.indicators.code, ref)));
	if (!found) throw new RangeError(`There is no indicator '${ref}'`);
	return found;
}

/** Adds a manager's commentary to an indicator for a quarter (saved with author and time, audited). */
export async function saveCommentary(
	db: Database,
	input: { organisation: string; indicator: string; financialYear: number; quarter: number; body: string; author: audit.Actor }
): Promise<Commentary> {
	const body = input.body.trim();
	if (!body) throw new RangeError('Enter the commentary');
	if (![1, 2, 3, 4].includes(input.quarter)) throw new RangeError('Choose a quarter from Q1 to Q4');
	return db.transaction(async (tx) => {
		const organisation = await organisationOf(tx, input.organisation);
		const indicator = await indicatorOf(tx, organisation.id, input.indicator);
		const [row] = await tx
			.insert(schema.indicatorCommentary)
			.values({ organisationId: organisation.id, indicatorId: indicator.id, financialYear: input.financialYear, quarter: input.quarter, body, authorId: audit.audited(input.author).actorId })
			.returning();
		await audit.record(tx, {
			...audit.audited(input.author),
			action: 'create',
			entity: 'indicator_commentary',
			entityId: row!.id,
			organisationId: organisation.id,
			after: { indicator: indicator.code, financialYear: input.financialYear, quarter: input.quarter, body }
		});
		return { id: row!.id, quarter: input.quarter, body, authorId: audit.audited(input.author).actorId, author: audit.actorName(input.author), at: row!.createdAt };
	});
}

/**
 * Sets an indicator's target for a financial year from now (or `effectiveFrom`): a new row, so
 * quarters already reported keep the target they were judged against. Audited.
 */
export async function setTarget(
	db: Database,
	input: { organisation: string; indicator: string; financialYear: number; target: number; actor: audit.Actor; effectiveFrom?: Date }
): Promise<TargetSetting> {
	if (!Number.isFinite(input.target) || input.target < 0 || input.target > 100) throw new RangeError('Enter a target from 0 to 100 per cent');
	return db.transaction(async (tx) => {
		const organisation = await organisationOf(tx, input.organisation);
		const indicator = await indicatorOf(tx, organisation.id, input.indicator);
		const targets = (await targetRows(tx, organisation.id)).filter((t) => t.indicatorId === indicator.id);
		const effectiveFrom = input.effectiveFrom ?? new Date();
		const before = targetInForce(targets, input.financialYear, effectiveFrom);
		const [row] = await tx
			.insert(schema.indicatorTargets)
			.values({ organisationId: organisation.id, indicatorId: indicator.id, financialYear: input.financialYear, target: input.target, effectiveFrom, setBy: audit.actorName(input.actor) })
			.returning();
		await audit.record(tx, {
			...audit.audited(input.actor),
			action: 'set target',
			entity: 'indicator_target',
			entityId: row!.id,
			organisationId: organisation.id,
			before: before ? { indicator: indicator.code, financialYear: input.financialYear, target: before.target, effectiveFrom: before.effectiveFrom } : null,
			after: { indicator: indicator.code, financialYear: input.financialYear, target: input.target, effectiveFrom }
		});
		return { target: input.target, effectiveFrom, setBy: audit.actorName(input.actor) };
	});
}

/** An indicator's latest figure, for a headline card. */
export interface IndicatorHeadline {
	organisation: { code: string; name: string };
	ref: string;
	description: string;
	actual: number | null;
	target: number | null;
	rag: Rag | null;
	direction: Direction | null;
	/** The quarter the figure is for: 'Q3 2026/27 so far'. */
	label: string | null;
	status: QuarterResult['status'] | null;
	stage: QuarterResult['stage'];
}

/**
 * The ES01 and ES02 headline figures for the overview's cards: each indicator's latest figure in
 * the financial year of the period's end (up to that end), for one organisation or every one that
 * has them.
 */
export async function headlines(db: Database, options: { organisation: string | null; periodEnd?: string; asOf?: Date }): Promise<IndicatorHeadline[]> {
	const asOf = options.asOf ?? new Date();
	const today = localDate(asOf);
	const end = options.periodEnd && options.periodEnd < today ? options.periodEnd : today;
	const startYear = quarterOf(end).startYear;
	const organisations = await rows<{ code: string }>(
		db,
		sql`select distinct o.code from indicators i join organisations o on o.id = i.organisation_id
			where i.method in ('es01', 'es02') ${options.organisation ? sql`and o.code = ${options.organisation}` : sql``} order by o.code`
	);
	const out: IndicatorHeadline[] = [];
	for (const { code } of organisations) {
		const found = await table(db, { organisation: code, financialYear: startYear, asOf, refs: ['ES01', 'ES02'] });
		for (const r of found.rows.filter((row) => row.kind !== 'standard')) {
			const latest = r.quarters.filter((q) => q.actual !== null && q.start <= end).at(-1);
			out.push({
				organisation: found.organisation,
				ref: r.ref,
				description: r.description,
				target: latest?.target ?? r.target,
				rag: latest?.rag ?? null,
				direction: r.direction,
				actual: latest?.actual ?? null,
				label: latest ? `${latest.label}${latest.status === 'in-progress' ? ' so far' : ''}` : null,
				status: latest?.status ?? null,
				stage: latest?.stage ?? null
			});
		}
	}
	return out;
}

export { CANVASS_REFORM_YEAR };
