/**
 * The performance indicators table (Elections Service Plan style): ES01, ES02 and every published
 * standard, by quarter of a financial year, against effective-dated targets, with last year,
 * year to date, RAG and direction; and the ES01 and ES02 headline cards on the overview. The
 * quarters' figures come from indicator-results.ts, commentary and targets from indicator-edits.ts.
 */
import { sql } from 'drizzle-orm';
import { addCalendarDays, localDate } from '../../engine/dates.ts';
import { registerPublicationDue } from '../../engine/duties.ts';
import { CANVASS_REFORM_YEAR, canvassWeeks, es01, es01Routes, indicatorDirection, indicatorRag, ratio, sumRatios, targetInForce, type CanvassCount, type NoticeResult, type ProgressPoint, type Ratio, type Thresholds } from '../../engine/indicators.ts';
import type { Direction, Rag } from '../../engine/performance.ts';
import { financialYear as fyOf, quarterOf } from '../../engine/periods.ts';
import { rows, type Database } from '../db/client.ts';
import * as definitions from './indicator-definitions.ts';
import * as edits from './indicator-edits.ts';
import * as results from './indicator-results.ts';

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
	status: results.QuarterStatus;
	/** What the figure is, when it needs saying: 'Canvass progress at 30 September', 'No notices in the canvass period'. */
	note: string | null;
	/** ES01 only: the canvass's progress so far, or its final return (the register has been published). */
	stage: results.Computed['stage'];
	commentary: edits.Commentary[];
}

export interface IndicatorRow {
	id: number;
	/** ES01, ES02, or the standard's code. */
	ref: string;
	description: string;
	kind: definitions.IndicatorKind;
	unit: string;
	higherIsBetter: boolean;
	amberMargin: number;
	/** Last financial year's actual (ES01: the final canvass return; others: the year's ratio). */
	lastYearActual: number | null;
	/** The target in force now for this financial year. */
	target: number | null;
	/** Every target set for the year, newest first. */
	targets: edits.TargetSetting[];
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

/** The KPI table for an organisation and financial year (start year: 2026 for 2026/27), as reported at asOf; `refs` limits it to some indicators. */
export async function table(db: Database, options: { organisation: string; financialYear: number; asOf?: Date; refs?: string[] }): Promise<IndicatorTable> {
	const asOf = options.asOf ?? new Date();
	const today = localDate(asOf);
	const startYear = options.financialYear;
	const organisation = await definitions.organisationOf(db, options.organisation);
	const org = { id: organisation.id, code: options.organisation };
	const defs = (await definitions.definitions(db, organisation.id)).filter((d) => !options.refs || options.refs.includes(d.code));
	const targets = await edits.targetRows(db, organisation.id);
	const previous = await results.yearResults(db, org, defs, targets, startYear - 1, asOf);
	const current = await results.yearResults(db, org, defs, targets, startYear, asOf);
	const commentary = await edits.commentaryFor(db, organisation.id, startYear);

	const rowsOut = defs.map((def): IndicatorRow => {
		const kind = definitions.kindOf(def.method);
		const thresholds: Thresholds = { amberMargin: def.amberMargin, higherIsBetter: def.higherIsBetter };
		const mine = targets.filter((t) => t.indicatorId === def.id);
		const inForce = targetInForce(mine, startYear, asOf);
		const quarters = current.results.get(def.id)!;
		const before = previous.results.get(def.id)!;
		const standardTarget = quarters.find((q) => q.target !== null)?.target ?? null;
		const target = inForce?.target ?? (kind === 'standard' || kind === 'satisfaction' ? standardTarget : null);
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
			// Never a quarter under way against a finished one: direction compares finished quarters only.
			const series = [...last, ...these];
			const underWay = series.at(-1)?.status === 'in-progress' ? series.at(-1) : undefined;
			const finished = series.filter((q) => q.status === 'final');
			const latest = finished.at(-1);
			const prior = finished.at(-2);
			if (latest && prior) {
				directionPair = [latest.actual, prior.actual];
				directionBasis =
					`Q${latest.quarter.quarter} ${latest.quarter.fy} compared with Q${prior.quarter.quarter} ${prior.quarter.fy}` +
					(underWay ? ` (Q${underWay.quarter.quarter} ${underWay.quarter.fy} is still under way)` : '');
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
				stage: q.stage,
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


/** ES01 through a canvass, week by week, beside the same week of last year's canvass. */
export interface CanvassProgress {
	canvassYear: number;
	publicationOn: string;
	lastYearPublicationOn: string;
	/** Every week of the canvass; this year's figure is null for the weeks still to come, so last year's line shows where it went. */
	points: ProgressPoint[];
	/** Last year's canvass was counted another way (before the 2020 reform: every property, not Route 2). */
	methodologyBreak: boolean;
}

/**
 * ES01 so far in the canvass that began in `canvassYear`, week by week from 1 July to the revised
 * register's publication, against the same week of last year's canvass: so in October the
 * Electoral Services Manager sees whether the target is still within reach. Null when neither
 * canvass has any data.
 */
export async function canvassProgress(db: Database, options: { organisation: string; canvassYear: number; asOf?: Date }): Promise<CanvassProgress | null> {
	const today = localDate(options.asOf ?? new Date());
	const year = options.canvassYear;
	const organisation = await definitions.organisationOf(db, options.organisation);
	const pollDates = await results.polls(db, organisation.id);
	const publicationOn = registerPublicationDue(year, pollDates).dueOn;
	const lastYearPublicationOn = registerPublicationDue(year - 1, pollDates).dueOn;
	const weeks = canvassWeeks(year, publicationOn);
	const lastYearWeeks = canvassWeeks(year - 1, lastYearPublicationOn);
	// The same week last year: as many days after 1 July, no later than last year's publication.
	const lastYearOf = (on: string) => {
		const shifted = addCalendarDays(`${year - 1}-07-01`, Math.round((Date.parse(`${on}T00:00:00Z`) - Date.parse(`${year}-07-01T00:00:00Z`)) / 86_400_000));
		return shifted < lastYearPublicationOn ? shifted : lastYearPublicationOn;
	};
	const thisYear = await results.canvassSeries(db, organisation.id, year, weeks.map((w) => w.on), publicationOn);
	const lastYear = await results.canvassSeries(db, organisation.id, year - 1, [...weeks.map((w) => lastYearOf(w.on)), ...lastYearWeeks.map((w) => w.on)], lastYearPublicationOn);
	const figure = (counts: CanvassCount[] | undefined, canvassYear: number) => (counts && counts.length ? es01(counts, canvassYear).actual : null);
	const all = weeks.map((w): ProgressPoint => {
		const lastYearOn = lastYearOf(w.on);
		return { week: w.week, on: w.on, lastYearOn, actual: w.on <= today ? figure(thisYear.get(w.on), year) : null, lastYear: figure(lastYear.get(lastYearOn), year - 1) };
	});
	if (all.every((p) => p.actual === null && p.lastYear === null)) return null;
	return {
		canvassYear: year,
		publicationOn,
		lastYearPublicationOn,
		points: all,
		methodologyBreak: year === CANVASS_REFORM_YEAR
	};
}
