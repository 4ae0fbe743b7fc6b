/**
 * Local dates and Europe/London instants as integer arithmetic.
 *
 * Day-based clocks count on Europe/London calendar dates (an email at 23:30 BST belongs to that
 * day, not the UTC one). Dates are 'YYYY-MM-DD' strings at the API and epoch days (days since
 * 1970-01-01) inside, so scoring a million contacts never goes through a date library. Luxon is
 * the fallback outside the years the fast UK summer-time table covers, and the oracle in tests.
 */
import { DateTime } from 'luxon';

export const ZONE = 'Europe/London';
export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, exact for all years).
export function epochDayOf(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

export function civilOf(epochDay: number): { year: number; month: number; day: number } {
	const z = epochDay + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const DIGIT0 = 48;
function digits(s: string, from: number, to: number): number {
	let n = 0;
	for (let i = from; i < to; i++) {
		const c = s.charCodeAt(i) - DIGIT0;
		if (c < 0 || c > 9) return -1;
		n = n * 10 + c;
	}
	return n;
}

/** 'YYYY-MM-DD' -> epoch day; throws on anything else (including 2025-02-30). */
export function toEpochDay(date: string): number {
	if (date.length === 10 && date[4] === '-' && date[7] === '-') {
		const year = digits(date, 0, 4);
		const month = digits(date, 5, 7);
		const day = digits(date, 8, 10);
		if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
			return epochDayOf(year, month, day);
		}
	}
	throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

export function fromEpochDay(epochDay: number): string {
	const { year, month, day } = civilOf(epochDay);
	return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** ISO weekday: Monday 1 … Sunday 7 (1970-01-01 was a Thursday). */
export function isoWeekday(epochDay: number): number {
	return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export function addCalendarDays(date: string, days: number): string {
	return fromEpochDay(toEpochDay(date) + days);
}

// --- Europe/London offsets ---------------------------------------------------------------
// Summer Time Order 2002 (EU Directive 2000/84/EC): BST runs from 01:00 UTC on the last Sunday
// of March to 01:00 UTC on the last Sunday of October; the UK has followed that rule since 1996.
const FAST_FIRST_YEAR = 1996;
const FAST_LAST_YEAR = 2099;

function lastSunday(year: number, month: number): number {
	const last = epochDayOf(year, month, daysInMonth(year, month));
	return last - (isoWeekday(last) % 7);
}

/** Ascending instants of BST starts and ends; an odd count at or before t means BST. */
const TRANSITIONS = (() => {
	const t = new Float64Array((FAST_LAST_YEAR - FAST_FIRST_YEAR + 1) * 2);
	for (let y = FAST_FIRST_YEAR, i = 0; y <= FAST_LAST_YEAR; y++) {
		t[i++] = lastSunday(y, 3) * MS_PER_DAY + MS_PER_HOUR;
		t[i++] = lastSunday(y, 10) * MS_PER_DAY + MS_PER_HOUR;
	}
	return t;
})();
const FAST_FROM_MS = epochDayOf(FAST_FIRST_YEAR, 1, 1) * MS_PER_DAY;
const FAST_TO_MS = epochDayOf(FAST_LAST_YEAR + 1, 1, 1) * MS_PER_DAY;

/** Europe/London UTC offset in ms at an instant. */
export function londonOffsetMs(ms: number): number {
	if (ms < FAST_FROM_MS || ms >= FAST_TO_MS) {
		return DateTime.fromMillis(ms, { zone: ZONE }).offset * 60_000;
	}
	let lo = 0;
	let hi = TRANSITIONS.length; // count transitions <= ms by binary search
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if ((TRANSITIONS[mid] as number) <= ms) lo = mid + 1;
		else hi = mid;
	}
	return lo % 2 === 1 ? MS_PER_HOUR : 0;
}

/** The Europe/London calendar date of an instant, as an epoch day. */
export function localEpochDay(ms: number): number {
	return Math.floor((ms + londonOffsetMs(ms)) / MS_PER_DAY);
}

/**
 * 00:00 Europe/London on a date, as epoch ms. UK clocks change at 01:00 UTC, never at local
 * midnight, so midnight always exists and is unambiguous: it is BST iff 23:00 UTC the evening
 * before is already BST.
 */
export function startOfLocalDayMs(epochDay: number): number {
	const utcMidnight = epochDay * MS_PER_DAY;
	return utcMidnight - londonOffsetMs(utcMidnight - MS_PER_HOUR);
}

/** 23:59:59.999 Europe/London on a date, as epoch ms (DST-correct: 23 or 25 hour days). */
export function endOfLocalDayMs(epochDay: number): number {
	return startOfLocalDayMs(epochDay + 1) - 1;
}

export function localDate(instant: Date): string {
	return fromEpochDay(localEpochDay(instant.getTime()));
}

export function startOfLocalDay(date: string): Date {
	return new Date(startOfLocalDayMs(toEpochDay(date)));
}

export function endOfLocalDay(date: string): Date {
	return new Date(endOfLocalDayMs(toEpochDay(date)));
}

/** Local wall-clock minutes past midnight of an instant (for explanations). */
export function localMinuteOfDay(ms: number): number {
	const local = ms + londonOffsetMs(ms);
	return Math.floor((local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) / 60_000);
}

// --- Wording for explanations (GOV.UK style; src/lib/format.ts says them on pages) ----------
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function weekdayName(epochDay: number): string {
	return WEEKDAYS[isoWeekday(epochDay) - 1] as string;
}

/** 'April 2026' */
export function formatMonth(epochDay: number): string {
	const { year, month } = civilOf(epochDay);
	return `${MONTHS[month - 1]} ${year}`;
}

/** '19 December 2025' */
export function formatDate(epochDay: number): string {
	const { year, month, day } = civilOf(epochDay);
	return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** 'Friday 19 December 2025': where the day of the week matters (deadlines, meetings). */
export function formatDay(epochDay: number): string {
	return `${weekdayName(epochDay)} ${formatDate(epochDay)}`;
}

/** '25 December' */
export function formatDayShort(epochDay: number): string {
	const { month, day } = civilOf(epochDay);
	return `${day} ${MONTHS[month - 1]}`;
}

/** '4:10pm', '9am', 'midday', 'midnight' (Europe/London wall clock). */
export function formatLocalTime(ms: number): string {
	const minutes = localMinuteOfDay(ms);
	const hour = Math.floor(minutes / 60);
	const minute = minutes % 60;
	if (minute === 0 && hour === 0) return 'midnight';
	if (minute === 0 && hour === 12) return 'midday';
	return `${hour % 12 === 0 ? 12 : hour % 12}${minute === 0 ? '' : `:${pad2(minute)}`}${hour < 12 ? 'am' : 'pm'}`;
}

/** 'Friday 19 December 2025, 4:10pm' (Europe/London wall clock) */
export function formatInstant(ms: number): string {
	return `${formatDay(localEpochDay(ms))}, ${formatLocalTime(ms)}`;
}

/**
 * The same day of the month n months later, or the month's last day when it has no such day
 * (31 Jan + 1 month = 28/29 Feb): the ICO's "corresponding calendar date" rule.
 */
export function addMonthsClampedEpoch(epochDay: number, months: number): number {
	const { year, month, day } = civilOf(epochDay);
	const index = year * 12 + (month - 1) + months;
	const y = Math.floor(index / 12);
	const m = index - y * 12 + 1;
	return epochDayOf(y, m, Math.min(day, daysInMonth(y, m)));
}

export function addMonthsClamped(date: string, months: number): string {
	return fromEpochDay(addMonthsClampedEpoch(toEpochDay(date), months));
}
