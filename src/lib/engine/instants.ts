/**
 * One reading of a date or instant typed by a person or held in a council's export (docs/interfaces.md
 * "The generic contact log"; `yardstick due`; the /due page): ISO 8601 with or without an offset,
 * dd/mm/yyyy, dd/mm/yyyy hh:mm[:ss], or an Excel serial day number. Times without an offset are
 * Europe/London wall clock, and a date alone is its local midnight; a date that does not exist
 * (31/02/2025), or a time that never happened (the spring-forward hour) or happened twice (the
 * autumn hour), is refused, never guessed. Imports read millions of cells through parseInstant:
 * regular expressions and integer arithmetic, a date library only to word a refusal.
 */
import { DateTime } from 'luxon';
import { daysInMonth, epochDayOf, londonOffsetMs, MS_PER_DAY } from './dates.ts';

/** Why a text is not an instant, for callers that word it their own way (the `due` command). */
export type InstantProblem = 'unreadable' | 'no-such-date' | 'no-such-time' | 'offset' | 'too-early' | 'skipped-hour' | 'repeated-hour';

/** An instant (epoch ms), or why the text is not one: `reason` completes "received '…' <reason>". */
export type ParsedInstant = { ms: number } | { reason: string; problem: InstantProblem };

const HOUR = 3_600_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;
/** Excel day 0 is 1899-12-30 (so that its fictitious 29 Feb 1900 lands right from day 61 on). */
const EXCEL_EPOCH_DAY = epochDayOf(1899, 12, 30);
const FIRST_RELIABLE_SERIAL = 61;
const LAST_SERIAL = 2_958_465; // 9999-12-31

const UNREADABLE = { reason: 'is not a date', problem: 'unreadable' } as const;
const NO_SUCH_DATE = { reason: 'is not a date', problem: 'no-such-date' } as const;
const NO_SUCH_TIME = { reason: 'is not a time of day', problem: 'no-such-time' } as const;
const BEFORE_1900 = { reason: 'is before 1900 (is the year right?)', problem: 'too-early' } as const;

/**
 * A cell or a typed date as an instant, or why it is not one. `withoutOffset: 'UTC'` reads a time
 * without an offset as UTC, for systems that write UTC without saying so (Amazon Connect).
 */
export function parseInstant(text: string, withoutOffset: 'Europe/London' | 'UTC' = 'Europe/London'): ParsedInstant {
	const value = text.trim();
	let match = ISO.exec(value);
	if (match) {
		const [, y, mo, d, h, mi, s, fraction, offset] = match;
		const millis = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
		return fromParts(Number(y), Number(mo), Number(d), h, mi, s, millis, offset ?? (withoutOffset === 'UTC' ? 'Z' : undefined));
	}
	match = UK.exec(value);
	if (match) {
		const [, d, mo, y, h, mi, s] = match;
		return fromParts(Number(y), Number(mo), Number(d), h, mi, s, 0, undefined);
	}
	if (SERIAL.test(value)) return fromExcelSerial(Number(value));
	return UNREADABLE;
}

function fromParts(
	year: number,
	month: number,
	day: number,
	h: string | undefined,
	mi: string | undefined,
	s: string | undefined,
	millis: number,
	offset: string | undefined
): ParsedInstant {
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NO_SUCH_DATE;
	// No council log goes back that far; year 0 cannot even be stored (PostgreSQL has no year 0).
	if (year < 1900) return BEFORE_1900;
	const hour = Number(h ?? 0);
	const minute = Number(mi ?? 0);
	const second = Number(s ?? 0);
	if (hour > 23 || minute > 59 || second > 59) return NO_SUCH_TIME;
	const wallClock = epochDayOf(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
	if (offset === undefined) return fromLondonWallClock(wallClock);
	if (offset.toUpperCase() === 'Z') return { ms: wallClock };
	const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
	const offsetMs = Number(oh) * HOUR + Number(om ?? 0) * 60_000;
	if (offsetMs > 14 * HOUR) return { reason: 'has an offset that no time zone uses', problem: 'offset' };
	return { ms: wallClock - (sign === '-' ? -offsetMs : offsetMs) };
}

/** Excel serial day number: whole days since 1899-12-30, the fraction a time of day (Europe/London). */
export function fromExcelSerial(serial: number): ParsedInstant {
	if (!Number.isFinite(serial) || serial > LAST_SERIAL) return NO_SUCH_DATE;
	// Excel counts a 29 February 1900 that never was: earlier serials are a day out.
	if (serial < FIRST_RELIABLE_SERIAL) return { reason: 'is an Excel date before 1 March 1900', problem: 'too-early' };
	const day = Math.floor(serial);
	// Excel keeps times as binary fractions: round to the second it displays.
	const seconds = Math.round((serial - day) * 86_400);
	return fromLondonWallClock((EXCEL_EPOCH_DAY + day) * MS_PER_DAY + seconds * 1000);
}

/**
 * The instant a Europe/London wall-clock time names. The UK is GMT or BST, so the candidates are
 * the wall clock read as UTC and an hour earlier; those whose own offset gives back the wall clock.
 */
export function fromLondonWallClock(wallClock: number): ParsedInstant {
	const candidates = [wallClock, wallClock - HOUR].filter((ms) => ms + londonOffsetMs(ms) === wallClock);
	if (candidates.length === 1) return { ms: candidates[0]! };
	const night = DateTime.fromMillis(wallClock, { zone: 'UTC' }).toFormat('d MMMM yyyy');
	if (candidates.length === 0) {
		return { reason: `is not a time in Europe/London: the clocks went forward an hour on the night of ${night}; give an offset (+00:00 or +01:00)`, problem: 'skipped-hour' };
	}
	return { reason: `happened twice in Europe/London: the clocks went back an hour on the night of ${night}; give an offset (+01:00 for the first, +00:00 for the second)`, problem: 'repeated-hour' };
}
