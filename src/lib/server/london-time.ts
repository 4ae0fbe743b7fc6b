import { daysInMonth, epochDayOf, londonOffsetMs, startOfLocalDayMs, MS_PER_DAY } from '../engine/dates.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const HOUR = 3_600_000;

/**
 * An ISO 8601 date or date-time as an instant. Without an offset the time is Europe/London wall
 * clock, and a date alone means its local midnight. A wall-clock time that does not exist (the
 * spring-forward hour) or happens twice (the autumn hour) is refused, never guessed.
 */
export function parseLondonInstant(text: string): Date {
	const match = ISO.exec(text.trim());
	const fail = (why: string): never => {
		throw new RangeError(`${JSON.stringify(text)} ${why}`);
	};
	if (!match) return fail('is not an ISO date (2025-12-19) or date-time (2025-12-19T16:10)');
	const [, y, mo, d, h, mi, s, frac, offset] = match;
	const year = Number(y);
	const month = Number(mo);
	const day = Number(d);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return fail('is not a calendar date');
	const epochDay = epochDayOf(year, month, day);
	if (h === undefined) return new Date(startOfLocalDayMs(epochDay));
	const hour = Number(h);
	const minute = Number(mi);
	const second = Number(s ?? 0);
	if (hour > 23 || minute > 59 || second > 59) return fail('is not a time of day');
	const wallClock = epochDay * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + Number((frac ?? '0').padEnd(3, '0'));
	if (offset !== undefined) {
		if (offset.toUpperCase() === 'Z') return new Date(wallClock);
		const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})$/.exec(offset)!;
		return new Date(wallClock - (sign === '-' ? -1 : 1) * (Number(oh) * HOUR + Number(om) * 60_000));
	}
	// Europe/London is GMT or BST: the instants whose own offset gives back this wall-clock time.
	const candidates = [0, HOUR].map((o) => wallClock - o).filter((ms) => ms + londonOffsetMs(ms) === wallClock);
	if (candidates.length === 0) return fail('does not exist in Europe/London (the clocks go forward then): give an offset');
	if (candidates.length > 1) return fail('happens twice in Europe/London (the clocks go back then): give an offset, +01:00 or Z');
	return new Date(candidates[0]!);
}
