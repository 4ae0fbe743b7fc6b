/**
 * The dates a council's export may hold (DESIGN.md "The generic contact log"): ISO 8601 with or
 * without an offset, dd/mm/yyyy, dd/mm/yyyy hh:mm[:ss], or an Excel serial day number. Times
 * without an offset are Europe/London wall clock; one that never happened (the spring-forward
 * hour) or happened twice (the autumn hour) is refused, never guessed. Pure: no I/O.
 */
import { DateTime } from 'luxon';
import { daysInMonth, epochDayOf, londonOffsetMs, MS_PER_DAY, ZONE } from '../../engine/dates.ts';

export type ParsedInstant = { ms: number } | { reason: string };

const HOUR = 3_600_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;
/** Excel day 0 is 1899-12-30 (so that its fictitious 29 Feb 1900 lands right from day 61 on). */
const EXCEL_EPOCH_DAY = epochDayOf(1899, 12, 30);
const FIRST_RELIABLE_SERIAL = 61;
const LAST_SERIAL = 2_958_465; // 9999-12-31

const NOT_A_DATE = { reason: 'is not a date' } as const;
const BEFORE_1900 = { reason: 'is before 1900 (is the year right?)' } as const;

/** A cell as an instant, or why it is not one (completed by the caller: "received '…' <reason>"). */
export function parseInstant(text: string): ParsedInstant {
	const value = text.trim();
	let match = ISO.exec(value);
	if (match) {
		const [, y, mo, d, h, mi, s, fraction, offset] = match;
		const millis = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
		return fromParts(Number(y), Number(mo), Number(d), h, mi, s, millis, offset);
	}
	match = UK.exec(value);
	if (match) {
		const [, d, mo, y, h, mi, s] = match;
		return fromParts(Number(y), Number(mo), Number(d), h, mi, s, 0, undefined);
	}
	if (SERIAL.test(value)) return fromExcelSerial(Number(value));
	return NOT_A_DATE;
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
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NOT_A_DATE;
	// No council log goes back that far; year 0 cannot even be stored (PostgreSQL has no year 0).
	if (year < 1900) return BEFORE_1900;
	const hour = Number(h ?? 0);
	const minute = Number(mi ?? 0);
	const second = Number(s ?? 0);
	if (hour > 23 || minute > 59 || second > 59) return { reason: 'is not a time of day' };
	const wallClock = epochDayOf(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
	if (offset === undefined) return fromLondonWallClock(wallClock);
	if (offset.toUpperCase() === 'Z') return { ms: wallClock };
	const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
	const offsetMs = Number(oh) * HOUR + Number(om ?? 0) * 60_000;
	if (offsetMs > 14 * HOUR) return { reason: 'has an offset that no time zone uses' };
	return { ms: wallClock - (sign === '-' ? -offsetMs : offsetMs) };
}

/** Excel serial day number: whole days since 1899-12-30, the fraction a time of day (Europe/London). */
export function fromExcelSerial(serial: number): ParsedInstant {
	if (!Number.isFinite(serial) || serial > LAST_SERIAL) return NOT_A_DATE;
	// Excel counts a 29 February 1900 that never was: earlier serials are a day out.
	if (serial < FIRST_RELIABLE_SERIAL) return { reason: 'is an Excel date before 1 March 1900' };
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
		return { reason: `is not a time in Europe/London: the clocks went forward an hour on the night of ${night}; give an offset (+00:00 or +01:00)` };
	}
	return { reason: `happened twice in Europe/London: the clocks went back an hour on the night of ${night}; give an offset (+01:00 for the first, +00:00 for the second)` };
}

/** An instant as the Europe/London wall clock, for messages and the rejected-rows file. */
export function londonText(ms: number): string {
	return DateTime.fromMillis(ms, { zone: ZONE }).toFormat('dd/MM/yyyy HH:mm:ss');
}

/** yes / no / true / false / 1 / 0 (any case); empty is null. */
export function parseFlag(text: string): boolean | null | undefined {
	switch (text.trim().toLowerCase()) {
		case '':
			return null;
		case 'yes':
		case 'y':
		case 'true':
		case '1':
			return true;
		case 'no':
		case 'n':
		case 'false':
		case '0':
			return false;
		default:
			return undefined;
	}
}

/** A whole, non-negative number of seconds ('12', '12.0'); undefined when it is not one. */
export function parseSeconds(text: string): number | undefined {
	const value = text.trim();
	if (!/^\d+(?:\.0+)?$/.test(value)) return undefined;
	const seconds = Number(value);
	return Number.isSafeInteger(seconds) && seconds <= 2_147_483_647 ? seconds : undefined;
}
