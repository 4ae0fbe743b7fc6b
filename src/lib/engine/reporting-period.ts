/**
 * The period a dashboard reports on, as it travels in a URL: a month ('2025-07'), a quarter
 * ('2025/26-Q2'), a financial year ('2025/26') or a custom range of local dates.
 */
import { addCalendarDays, formatDate as sayDate, toEpochDay } from './dates.ts';
import { financialYear, monthOf, parseFinancialYear, parseQuarter, previousQuarter, quarterOf } from './periods.ts';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'custom';

export interface ReportingPeriod {
	kind: PeriodKind;
	/** The URL value: '2025-07', '2025/26-Q2', '2025/26' or 'custom'. */
	param: string;
	/** For people: 'July 2025', 'Q2 2025/26', '2025/26', '1 July 2025 to 15 August 2025'. */
	label: string;
	start: string;
	end: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const formatDate = (date: string) => sayDate(toEpochDay(date));

function validDate(text: string): boolean {
	if (!isoDate.test(text)) return false;
	try {
		toEpochDay(text);
		return new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
	} catch {
		return false;
	}
}

export function monthPeriod(date: string): ReportingPeriod {
	const m = monthOf(date);
	return { kind: 'month', param: m.label, label: m.name, start: m.start, end: m.end };
}

export function quarterPeriod(date: string): ReportingPeriod {
	const q = quarterOf(date);
	return { kind: 'quarter', param: q.label, label: `Q${q.quarter} ${q.fy}`, start: q.start, end: q.end };
}

export function yearPeriod(startYear: number): ReportingPeriod {
	const fy = financialYear(startYear);
	return { kind: 'year', param: fy.label, label: fy.label, start: fy.start, end: fy.end };
}

export function customPeriod(from: string, to: string): ReportingPeriod {
	return { kind: 'custom', param: 'custom', label: `${formatDate(from)} to ${formatDate(to)}`, start: from, end: to };
}

/**
 * Reads a period from its URL form; throws a RangeError with a sentence a person can act on.
 * A custom range needs from and to (inclusive local dates), at most ten years long.
 */
export function parseReportingPeriod(param: string, range: { from?: string | null; to?: string | null } = {}): ReportingPeriod {
	if (/^\d{4}-\d{2}$/.test(param)) {
		const month = Number(param.slice(5));
		if (month < 1 || month > 12) throw new RangeError(`'${param}' is not a month: use the form 2025-07`);
		return monthPeriod(`${param}-01`);
	}
	if (/^\d{4}\/\d{2}-Q\d$/.test(param)) {
		try {
			return quarterPeriod(parseQuarter(param).start);
		} catch {
			throw new RangeError(`'${param}' is not a quarter: use the form 2025/26-Q2 (Q1 is April to June)`);
		}
	}
	if (/^\d{4}\/\d{2}$/.test(param)) {
		try {
			return yearPeriod(parseFinancialYear(param).startYear);
		} catch {
			throw new RangeError(`'${param}' is not a financial year: use the form 2025/26`);
		}
	}
	if (param === 'custom') {
		const { from, to } = range;
		if (!from || !validDate(from)) throw new RangeError(`Enter the start of the custom period as a real date, like 2025-07-01`);
		if (!to || !validDate(to)) throw new RangeError(`Enter the end of the custom period as a real date, like 2025-09-30`);
		if (to < from) throw new RangeError('The end of the custom period must be on or after its start');
		if (toEpochDay(to) - toEpochDay(from) > 3660) throw new RangeError('A custom period can be at most ten years long');
		return customPeriod(from, to);
	}
	throw new RangeError(`'${param}' is not a period: choose a month (2025-07), a quarter (2025/26-Q2), a financial year (2025/26) or a custom range`);
}

/** The period before, for direction of travel: the previous month, quarter or year, or the same length of days. */
export function previousReportingPeriod(period: ReportingPeriod): ReportingPeriod {
	switch (period.kind) {
		case 'month':
			return monthPeriod(addCalendarDays(period.start, -1));
		case 'quarter':
			return quarterPeriod(previousQuarter(quarterOf(period.start)).start);
		case 'year':
			return yearPeriod(Number(period.start.slice(0, 4)) - 1);
		case 'custom': {
			const days = toEpochDay(period.end) - toEpochDay(period.start);
			const end = addCalendarDays(period.start, -1);
			return customPeriod(addCalendarDays(end, -days), end);
		}
	}
}

export interface PeriodChoiceGroup {
	group: string;
	options: { param: string; label: string }[];
}

/**
 * The periods offered in the filter bar, newest first: the current and previous eight quarters,
 * the financial years back to the first one with data, and the last thirteen months.
 */
export function periodChoices(today: string, earliest: string): PeriodChoiceGroup[] {
	const quarters: ReportingPeriod[] = [quarterPeriod(today)];
	while (quarters.length < 9) quarters.push(previousReportingPeriod(quarters.at(-1)!));
	const years: ReportingPeriod[] = [yearPeriod(Number(quarterPeriod(today).param.slice(0, 4)))];
	while (years.at(-1)!.start > earliest) years.push(previousReportingPeriod(years.at(-1)!));
	const months: ReportingPeriod[] = [monthPeriod(today)];
	while (months.length < 13) months.push(previousReportingPeriod(months.at(-1)!));
	const options = (periods: ReportingPeriod[]) => periods.map(({ param, label }) => ({ param, label }));
	return [
		{ group: 'Quarters', options: options(quarters) },
		{ group: 'Financial years', options: options(years) },
		{ group: 'Months', options: options(months) }
	];
}

/** Fewer days than this into a period, its direction of travel is 'too early' to say. */
export const DAYS_BEFORE_DIRECTION = 14;

/** How far a period has run on a day: finished, under way (partial) or not begun. */
export interface PeriodProgress {
	/** The period's last day has passed: its figures are final (bar late data). */
	finished: boolean;
	/** Days of the period up to and including today (all of them once finished; 0 before it starts). */
	elapsedDays: number;
	totalDays: number;
}

export function progress(period: { start: string; end: string }, today: string): PeriodProgress {
	const start = toEpochDay(period.start);
	const end = toEpochDay(period.end);
	const day = toEpochDay(today);
	const totalDays = end - start + 1;
	const elapsedDays = Math.max(0, Math.min(totalDays, day - start + 1));
	return { finished: day > end, elapsedDays, totalDays };
}

const SO_FAR = ' (so far)';

/** The period's name, marked 'so far' while it is under way: 'Q3 2026/27 (so far)', 'December 2026 (so far)'. */
export function labelSoFar(period: { label: string; start: string; end: string }, today: string): string {
	const { finished, elapsedDays } = progress(period, today);
	return finished || elapsedDays === 0 ? period.label : `${period.label}${SO_FAR}`;
}

/** A label without its 'so far' mark: the period's own name, as machine-read files key it. */
export const periodName = (label: string): string => (label.endsWith(SO_FAR) ? label.slice(0, -SO_FAR.length) : label);

/**
 * What a period's direction of travel compares, on a day. A finished period compares with the whole
 * period before. One under way compares its days so far with the same number of days at the start
 * of the period before (the first 20 days of Q3 with the first 20 of Q2), never a part with a whole;
 * fewer than DAYS_BEFORE_DIRECTION days in, it is too early to say.
 */
export interface Comparison {
	/** The days of the period counted: all of it, or its start up to today. */
	current: { start: string; end: string };
	/** The same stretch of the period before. */
	previous: ReportingPeriod;
	/** The period is under way: its figures are 'so far'. */
	partial: boolean;
	/** Too few days in to say whether it is better or worse. */
	tooEarly: boolean;
	elapsedDays: number;
}

export function comparison(period: ReportingPeriod, today: string): Comparison {
	const before = previousReportingPeriod(period);
	const { finished, elapsedDays } = progress(period, today);
	if (finished) return { current: { start: period.start, end: period.end }, previous: before, partial: false, tooEarly: false, elapsedDays };
	const last = Math.min(toEpochDay(before.end), toEpochDay(before.start) + Math.max(elapsedDays, 1) - 1);
	const end = addCalendarDays(before.start, last - toEpochDay(before.start));
	return {
		current: { start: period.start, end: elapsedDays === 0 ? period.start : addCalendarDays(period.start, elapsedDays - 1) },
		previous: { ...before, kind: 'custom', param: 'custom', label: `the first ${elapsedDays <= 1 ? 'day' : `${elapsedDays} days`} of ${before.label}`, end },
		partial: true,
		tooEarly: elapsedDays < DAYS_BEFORE_DIRECTION,
		elapsedDays
	};
}
