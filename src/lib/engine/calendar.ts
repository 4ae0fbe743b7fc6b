/**
 * Working-day calendars.
 *
 * - 'england-wales': Monday–Friday except England & Wales bank holidays (the council's own
 *   promises).
 * - 'foia-uk': FOIA s.10(6): any day other than Saturday, Sunday, Christmas Day, Good Friday or a
 *   bank holiday under the Banking and Financial Dealings Act 1971 in any part of the UK.
 *
 * Council closure days can be layered on either; statutory FOI/SAR limits never use them (ICO
 * LTT47) — the standards catalogue says which standards take them, the caller passes them.
 *
 * Each calendar precomputes, over 2000–2040, a working-day flag and a cumulative count per day,
 * so counting and adding working days are O(1) array look-ups.
 */
import Holidays from 'date-holidays';
import {
	fromEpochDay,
	isoWeekday,
	epochDayOf,
	toEpochDay,
	weekdayName
} from './dates.ts';
import {
	OFFICIAL_BANK_HOLIDAYS,
	OFFICIAL_FIRST_YEAR,
	OFFICIAL_LAST_YEAR,
	PRE_OFFICIAL_ADDITIONS,
	PRE_OFFICIAL_REMOVALS,
	HOLIDAY_DATA_VERSION,
	type Division
} from './holidays.ts';

export { localDate, endOfLocalDay, startOfLocalDay } from './dates.ts';

export type CalendarCode = 'england-wales' | 'foia-uk';
export const CALENDAR_CODES: readonly CalendarCode[] = ['england-wales', 'foia-uk'];

export const CALENDAR_FIRST_DATE = '2000-01-01';
export const CALENDAR_LAST_DATE = '2040-12-31';
const FIRST_DAY = toEpochDay(CALENDAR_FIRST_DATE);
const LAST_DAY = toEpochDay(CALENDAR_LAST_DATE);
const FIRST_YEAR = 2000;
const LAST_YEAR = 2040;

export interface WorkingCalendar {
	code: CalendarCode;
	/** Sorted closure days layered on this calendar ([] for none). */
	closures: readonly string[];
	/** Identifies the calendar and its closures, for caching. */
	key: string;
	/** key plus the holiday data version: store it with assessments; re-score open ones when it changes. */
	fingerprint: string;
	isWorkingDay(date: string): boolean;
	/** n >= 1: the nth working day after date (date itself never counts); 0: date; n < 0: the |n|th working day before date. */
	addWorkingDays(date: string, n: number): string;
	/** Number of working days d with from < d <= to (negative if to < from). */
	workingDaysBetween(from: string, to: string): number;
	nextWorkingDay(date: string, inclusive?: boolean): string;
	/** 'Saturday', 'Christmas Day', '2nd January (Scotland)', 'Council closure day', …; null if working. */
	nonWorkingReason(date: string): string | null;
	/** Holidays and closure days (not weekends) d with from < d <= to, for explanations. */
	holidaysBetween(from: string, to: string): { date: string; reason: string }[];

	// The same operations on epoch days (days since 1970-01-01), for the scoring hot path.
	isWorkingEpochDay(day: number): boolean;
	addWorkingEpochDays(day: number, n: number): number;
	workingEpochDaysBetween(from: number, to: number): number;
	nextWorkingEpochDay(day: number, inclusive?: boolean): number;
	nonWorkingReasonEpochDay(day: number): string | null;
}

export const CLOSURE_REASON = 'Council closure day';

// --- Bank holiday data -------------------------------------------------------------------

interface BankHoliday {
	title: string;
	divisions: Set<Division>;
}

const DATE_HOLIDAYS_STATES: Record<Division, string> = { E: 'ENG', S: 'SCT', N: 'NIR' };

/** date-holidays names in GOV.UK wording (names are for people; logic keys on dates only). */
function govukTitle(name: string): string {
	return name.replace("New Year's Day", 'New Year’s Day').replace('January 2nd', '2nd January');
}

let bankHolidayCache: Map<number, BankHoliday> | undefined;

/** Every UK bank holiday 2000–2040 on a weekday, by epoch day, with the divisions keeping it. */
export function ukBankHolidays(): ReadonlyMap<number, { title: string; divisions: ReadonlySet<Division> }> {
	if (bankHolidayCache) return bankHolidayCache;
	const map = new Map<number, BankHoliday>();
	const add = (date: string, division: Division, title: string) => {
		const day = toEpochDay(date);
		if (isoWeekday(day) >= 6) return; // the weekend date itself; its substitute day is listed
		const entry = map.get(day);
		if (entry) entry.divisions.add(division);
		else map.set(day, { title, divisions: new Set([division]) });
	};
	// Official GOV.UK list where published; it wins over date-holidays (docs/rules.md "Bank holiday data").
	for (const [date, divisions, title] of OFFICIAL_BANK_HOLIDAYS) {
		for (const d of divisions) add(date, d as Division, title);
	}
	const removals = new Set(PRE_OFFICIAL_REMOVALS);
	for (const division of ['E', 'S', 'N'] as const) {
		const source = new Holidays('GB', DATE_HOLIDAYS_STATES[division], { types: ['public'] });
		for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
			if (year >= OFFICIAL_FIRST_YEAR && year <= OFFICIAL_LAST_YEAR) continue;
			for (const h of source.getHolidays(year)) {
				const date = h.date.slice(0, 10); // local date; h.start is a UTC instant
				if (!removals.has(date)) add(date, division, govukTitle(h.name));
			}
		}
	}
	for (const [date, divisions, title] of PRE_OFFICIAL_ADDITIONS) {
		for (const d of divisions) add(date, d as Division, title);
	}
	bankHolidayCache = map;
	return map;
}

/** Easter Sunday (anonymous Gregorian algorithm), as an epoch day. */
function easterSunday(year: number): number {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return epochDayOf(year, month, day);
}

function divisionSuffix(divisions: ReadonlySet<Division>): string {
	const s = divisions.has('S');
	const n = divisions.has('N');
	return s && n ? ' (Scotland and Northern Ireland)' : s ? ' (Scotland)' : ' (Northern Ireland)';
}

/** Non-weekend non-working days of a calendar (without closures), by epoch day. */
function holidayReasons(code: CalendarCode): Map<number, string> {
	const reasons = new Map<number, string>();
	for (const [day, h] of ukBankHolidays()) {
		if (h.divisions.has('E')) reasons.set(day, h.title);
		// FOIA s.10(6): a bank holiday "in any part of the United Kingdom".
		else if (code === 'foia-uk') reasons.set(day, h.title + divisionSuffix(h.divisions));
	}
	if (code === 'foia-uk') {
		// FOIA s.10(6) names Christmas Day and Good Friday (common-law holidays) in its own right.
		for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
			const christmas = epochDayOf(year, 12, 25);
			if (isoWeekday(christmas) < 6 && !reasons.has(christmas)) reasons.set(christmas, 'Christmas Day');
			const goodFriday = easterSunday(year) - 2;
			if (!reasons.has(goodFriday)) reasons.set(goodFriday, 'Good Friday');
		}
	}
	return reasons;
}

// --- Calendars -----------------------------------------------------------------------------

function outOfRange(what: string): never {
	throw new RangeError(`${what} is outside the working-day calendar (${CALENDAR_FIRST_DATE} to ${CALENDAR_LAST_DATE})`);
}

function buildCalendar(code: CalendarCode, closures: readonly string[], key: string): WorkingCalendar {
	const size = LAST_DAY - FIRST_DAY + 1;
	const reasons = holidayReasons(code);
	for (const date of closures) {
		const day = toEpochDay(date);
		if (isoWeekday(day) < 6 && !reasons.has(day)) reasons.set(day, CLOSURE_REASON);
	}
	const working = new Uint8Array(size);
	// cumulative[i]: working days in [FIRST_DAY, FIRST_DAY + i]
	const cumulative = new Int32Array(size);
	let count = 0;
	for (let i = 0; i < size; i++) {
		const day = FIRST_DAY + i;
		if (isoWeekday(day) < 6 && !reasons.has(day)) {
			working[i] = 1;
			count++;
		}
		cumulative[i] = count;
	}
	// workingDays[r - 1]: the epoch day of the rth working day in range
	const workingDays = new Int32Array(count);
	for (let i = 0, r = 0; i < size; i++) if (working[i]) workingDays[r++] = FIRST_DAY + i;

	const index = (day: number): number => {
		if (!(day >= FIRST_DAY && day <= LAST_DAY)) outOfRange(Number.isFinite(day) ? fromEpochDay(day) : String(day));
		return day - FIRST_DAY;
	};
	// Working days up to and including day; day may be the day before the range starts.
	const rank = (day: number): number => (day === FIRST_DAY - 1 ? 0 : (cumulative[index(day)] as number));
	const atRank = (r: number, from: number): number => {
		if (r < 1 || r > count) outOfRange(`The working day ${r < 1 ? 'before' : 'after'} ${fromEpochDay(from)}`);
		return workingDays[r - 1] as number;
	};

	const isWorkingEpochDay = (day: number) => working[index(day)] === 1;
	const addWorkingEpochDays = (day: number, n: number): number => {
		if (!Number.isInteger(n)) throw new RangeError(`Working days must be a whole number: ${n}`);
		if (n === 0) return day;
		return n > 0 ? atRank(rank(day) + n, day) : atRank(rank(day - 1) + n + 1, day);
	};
	const workingEpochDaysBetween = (from: number, to: number) => rank(to) - rank(from);
	const nextWorkingEpochDay = (day: number, inclusive = false) =>
		inclusive && isWorkingEpochDay(day) ? day : addWorkingEpochDays(day, 1);
	const nonWorkingReasonEpochDay = (day: number): string | null => {
		if (isWorkingEpochDay(day)) return null;
		return isoWeekday(day) >= 6 ? weekdayName(day) : (reasons.get(day) ?? null);
	};

	return {
		code,
		closures,
		key,
		fingerprint: `${key}@${HOLIDAY_DATA_VERSION}`,
		isWorkingEpochDay,
		addWorkingEpochDays,
		workingEpochDaysBetween,
		nextWorkingEpochDay,
		nonWorkingReasonEpochDay,
		isWorkingDay: (date) => isWorkingEpochDay(toEpochDay(date)),
		addWorkingDays: (date, n) => fromEpochDay(addWorkingEpochDays(toEpochDay(date), n)),
		workingDaysBetween: (from, to) => workingEpochDaysBetween(toEpochDay(from), toEpochDay(to)),
		nextWorkingDay: (date, inclusive) => fromEpochDay(nextWorkingEpochDay(toEpochDay(date), inclusive)),
		nonWorkingReason: (date) => nonWorkingReasonEpochDay(toEpochDay(date)),
		holidaysBetween(from, to) {
			const out: { date: string; reason: string }[] = [];
			const end = toEpochDay(to);
			for (let day = toEpochDay(from) + 1; day <= end; day++) {
				const reason = isoWeekday(day) < 6 ? reasons.get(day) : undefined;
				if (reason !== undefined) out.push({ date: fromEpochDay(day), reason });
			}
			return out;
		}
	};
}

const calendars = new Map<string, WorkingCalendar>();

/**
 * The working-day calendar for a code, optionally with the organisation's closure days
 * (ISO dates). Calendars are built once per (code, closures) and cached.
 */
export function getCalendar(code: CalendarCode, options?: { closures?: readonly string[] }): WorkingCalendar {
	if (!CALENDAR_CODES.includes(code)) throw new RangeError(`Unknown calendar: ${String(code)}`);
	const closures = [...new Set(options?.closures ?? [])].sort();
	for (const date of closures) toEpochDay(date); // reject malformed dates before caching
	const key = closures.length ? `${code}+${closures.join(',')}` : code;
	let calendar = calendars.get(key);
	if (!calendar) {
		calendar = buildCalendar(code, Object.freeze(closures), key);
		calendars.set(key, calendar);
	}
	return calendar;
}

