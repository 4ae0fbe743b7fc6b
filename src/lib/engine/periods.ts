/**
 * Reporting periods: the UK local-government financial year (1 April – 31 March, labelled
 * '2025/26'), its quarters (Q1 Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec, Q4 Jan–Mar), the half years the
 * committee sees (reports at the end of Q2 and Q4), and calendar months. All dates are
 * 'YYYY-MM-DD' local dates; every period is inclusive of its start and end.
 */
import { addMonthsClamped, civilOf, daysInMonth, epochDayOf, fromEpochDay, toEpochDay } from './dates.ts';

export { addMonthsClamped } from './dates.ts';

export interface FinancialYear {
	/** '2025/26' */
	label: string;
	start: string;
	end: string;
	startYear: number;
}

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface Quarter {
	/** The financial year's label, '2025/26' */
	fy: string;
	quarter: QuarterNumber;
	/** '2025/26-Q2' */
	label: string;
	start: string;
	end: string;
	startYear: number;
}

export interface HalfYear {
	fy: string;
	half: 1 | 2;
	/** '2025/26-H1' (Q1–Q2, reported after Q2) or '2025/26-H2' (Q3–Q4) */
	label: string;
	start: string;
	end: string;
	startYear: number;
}

export interface Month {
	/** '2025-07' */
	label: string;
	/** 'July 2025' */
	name: string;
	start: string;
	end: string;
	year: number;
	month: number;
}

const MONTH_NAMES = [
	'January', 'February', 'March', 'April', 'May', 'June',
	'July', 'August', 'September', 'October', 'November', 'December'
];

const pad2 = (n: number) => String(n).padStart(2, '0');
const isoDate = (year: number, month: number, day: number) => fromEpochDay(epochDayOf(year, month, day));
const lastOfMonth = (year: number, month: number) => isoDate(year, month, daysInMonth(year, month));

function fyLabel(startYear: number): string {
	return `${startYear}/${pad2((startYear + 1) % 100)}`;
}

export function financialYear(startYear: number): FinancialYear {
	return { label: fyLabel(startYear), start: isoDate(startYear, 4, 1), end: isoDate(startYear + 1, 3, 31), startYear };
}

/** The financial year a date falls in: 2026-03-31 is in 2025/26, 2026-04-01 in 2026/27. */
export function financialYearOf(date: string): FinancialYear {
	const { year, month } = civilOf(toEpochDay(date));
	return financialYear(month >= 4 ? year : year - 1);
}

/** '2025/26' -> the financial year; throws unless the second year follows the first. */
export function parseFinancialYear(label: string): FinancialYear {
	const match = /^(\d{4})\/(\d{2})$/.exec(label);
	const startYear = Number(match?.[1]);
	if (!match || Number(match[2]) !== (startYear + 1) % 100) {
		throw new RangeError(`Not a financial year (e.g. 2025/26): ${JSON.stringify(label)}`);
	}
	return financialYear(startYear);
}

export function quarter(startYear: number, number: QuarterNumber): Quarter {
	const year = number === 4 ? startYear + 1 : startYear;
	const firstMonth = number === 4 ? 1 : number * 3 + 1; // Q1 April, Q2 July, Q3 October, Q4 January
	const fy = fyLabel(startYear);
	return {
		fy,
		quarter: number,
		label: `${fy}-Q${number}`,
		start: isoDate(year, firstMonth, 1),
		end: lastOfMonth(year, firstMonth + 2),
		startYear
	};
}

export function quarterOf(date: string): Quarter {
	const { year, month } = civilOf(toEpochDay(date));
	if (month <= 3) return quarter(year - 1, 4);
	return quarter(year, (Math.floor((month - 4) / 3) + 1) as QuarterNumber);
}

/** '2025/26-Q2' -> the quarter (1 July – 30 September 2025). */
export function parseQuarter(label: string): Quarter {
	const match = /^(\d{4}\/\d{2})-Q([1-4])$/.exec(label);
	if (!match) throw new RangeError(`Not a quarter (e.g. 2025/26-Q2): ${JSON.stringify(label)}`);
	return quarter(parseFinancialYear(match[1] as string).startYear, Number(match[2]) as QuarterNumber);
}

export function nextQuarter(q: Quarter): Quarter {
	return q.quarter === 4 ? quarter(q.startYear + 1, 1) : quarter(q.startYear, (q.quarter + 1) as QuarterNumber);
}

export function previousQuarter(q: Quarter): Quarter {
	return q.quarter === 1 ? quarter(q.startYear - 1, 4) : quarter(q.startYear, (q.quarter - 1) as QuarterNumber);
}

/** Every quarter overlapping from..to, in order (from's quarter through to's); [] if to < from. */
export function quartersBetween(from: string, to: string): Quarter[] {
	const out: Quarter[] = [];
	if (to < from) return out;
	for (let q = quarterOf(from); q.start <= to; q = nextQuarter(q)) out.push(q);
	return out;
}

export function quartersOfFinancialYear(startYear: number): Quarter[] {
	return ([1, 2, 3, 4] as const).map((n) => quarter(startYear, n));
}

export function halfYearOf(date: string): HalfYear {
	const q = quarterOf(date);
	const half = q.quarter <= 2 ? 1 : 2;
	const fy = financialYear(q.startYear);
	return {
		fy: fy.label,
		half,
		label: `${fy.label}-H${half}`,
		start: half === 1 ? fy.start : quarter(q.startYear, 3).start,
		end: half === 1 ? quarter(q.startYear, 2).end : fy.end,
		startYear: q.startYear
	};
}

export function monthOf(date: string): Month {
	const { year, month } = civilOf(toEpochDay(date));
	return {
		label: `${year}-${pad2(month)}`,
		name: `${MONTH_NAMES[month - 1]} ${year}`,
		start: isoDate(year, month, 1),
		end: lastOfMonth(year, month),
		year,
		month
	};
}

/** Every calendar month overlapping from..to, in order; [] if to < from. */
export function monthsBetween(from: string, to: string): Month[] {
	const out: Month[] = [];
	if (to < from) return out;
	for (let m = monthOf(from); m.start <= to; m = monthOf(addMonthsClamped(m.start, 1))) out.push(m);
	return out;
}

/** Whether a date lies within a period (inclusive at both ends). */
export function contains(period: { start: string; end: string }, date: string): boolean {
	return date >= period.start && date <= period.end;
}
