/**
 * How dates, figures and amounts read on every page, report, spreadsheet and e-mail (en-GB, GOV.UK
 * style): '1 April 2026', 'Tuesday 1 April 2026', '2:30pm', '1 April to 30 June 2026',
 * '12,345 contacts', '3 working days', '4 minutes 57 seconds', 'an 85% target'. Only saying things:
 * what a limit is (a SAR's is one month) comes from the engine's rule.
 */
import { limitOf, limitUnitOf, type LimitUnit } from './engine/limits.ts';
import type { DeadlineRule } from './engine/rules.ts';

const DASH = '–';
const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** 12,345 (rounded to a whole number). */
export const whole = (value: number) => wholeNumber.format(value);

/** 87.5% (one decimal place unless told otherwise), or a dash when there is nothing to show. */
export const percent = (value: number | null, decimals = 1) => (value === null || !Number.isFinite(value) ? DASH : `${value.toFixed(decimals)}%`);

/** '1 contact', '12,345 contacts'; the plural is the singular with an s unless given. */
export const count = (n: number, one: string, many = `${one}s`) => `${whole(n)} ${Math.round(n) === 1 ? one : many}`;

const UNIT_WORDS: Record<LimitUnit | 'minutes' | 'days', [string, string]> = {
	seconds: ['second', 'seconds'],
	minutes: ['minute', 'minutes'],
	hours: ['hour', 'hours'],
	'working-days': ['working day', 'working days'],
	'clear-working-days': ['clear working day', 'clear working days'],
	'calendar-days': ['calendar day', 'calendar days'],
	days: ['day', 'days'],
	months: ['month', 'months']
};
export type DurationUnit = keyof typeof UNIT_WORDS;

/** '1 working day', '3 working days', '1 month', '20 seconds'. */
export const duration = (n: number, unit: DurationUnit) => count(n, ...UNIT_WORDS[unit]);

/** A standard's headline limit as the rule says it: '20 seconds', '3 working days', '1 month'. */
export function limit(rule: DeadlineRule): string {
	const n = limitOf(rule);
	const unit = limitUnitOf(rule);
	return n === null || unit === null ? 'the same or next working day' : duration(n, unit);
}

/** A time taken, for handle times and waits: '45 seconds', '4 minutes 57 seconds', '1 hour 2 minutes'; a dash for none. */
export function seconds(value: number | null): string {
	if (value === null || !Number.isFinite(value)) return DASH;
	const total = Math.round(value);
	if (total < 60) return duration(total, 'seconds');
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const rest = total % 60;
	if (hours > 0) return minutes > 0 ? `${duration(hours, 'hours')} ${duration(minutes, 'minutes')}` : duration(hours, 'hours');
	return rest > 0 ? `${duration(minutes, 'minutes')} ${duration(rest, 'seconds')}` : duration(minutes, 'minutes');
}

/**
 * 'a' or 'an' before a number, by how it is said: eight, eleven, eighteen, eighty-…, eight hundred,
 * eleven thousand take 'an'.
 */
export function article(n: number): 'a' | 'an' {
	const digits = String(Math.floor(Math.abs(n)));
	if (digits.startsWith('8')) return 'an';
	// 11 and 18 are said as one word only when they lead a group of three: 11, 11,000, 18,000,000.
	return digits.length % 3 === 2 && (digits.startsWith('11') || digits.startsWith('18')) ? 'an' : 'a';
}

/** 'an 85% target', 'a 90% target', 'an 87.5% target'. */
export const aTarget = (target: number) => `${article(target)} ${Number.isInteger(target) ? target : target.toFixed(1)}% target`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const londonParts = new Intl.DateTimeFormat('en-GB', {
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	hourCycle: 'h23',
	timeZone: 'Europe/London'
});

interface Parts {
	year: number;
	month: number; // 1–12
	day: number;
	hour: number;
	minute: number;
}

/** A calendar date ('2026-04-01') or an instant (a Date or a timestamp string), as its UK calendar parts. */
function partsOf(value: Date | string): Parts {
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
		return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)), day: Number(value.slice(8, 10)), hour: 0, minute: 0 };
	}
	const at = new Date(value);
	if (Number.isNaN(at.getTime())) throw new RangeError(`not a date: ${String(value)}`);
	const parts = Object.fromEntries(londonParts.formatToParts(at).map((p) => [p.type, p.value]));
	return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

const weekdayOf = (p: Parts) => WEEKDAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()];

/** '1 April 2026' for a calendar date ('2026-04-01') or an instant (its UK date); a dash for none. */
export function day(date: Date | string | null | undefined): string {
	if (date === null || date === undefined || date === '') return DASH;
	const p = partsOf(date);
	return `${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}

/** 'Tuesday 1 April 2026', where the day of the week matters; a dash for none. */
export function weekday(date: Date | string | null | undefined): string {
	if (date === null || date === undefined || date === '') return DASH;
	return `${weekdayOf(partsOf(date))} ${day(date)}`;
}

/** '1 April', for chart axes where the year is said elsewhere. */
export function dayMonth(date: Date | string): string {
	const p = partsOf(date);
	return `${p.day} ${MONTHS[p.month - 1]}`;
}

/** 'April 2026' for a month ('2026-04', '2026-04-01') or an instant. */
export function month(value: Date | string): string {
	const p = partsOf(typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value);
	return `${MONTHS[p.month - 1]} ${p.year}`;
}

/** UK time of day, GOV.UK style: '9am', '2:30pm', 'midday', 'midnight'. */
export function time(at: Date | string): string {
	const { hour, minute } = partsOf(at);
	if (minute === 0 && hour === 0) return 'midnight';
	if (minute === 0 && hour === 12) return 'midday';
	const h = hour % 12 === 0 ? 12 : hour % 12;
	return `${h}${minute === 0 ? '' : `:${String(minute).padStart(2, '0')}`}${hour < 12 ? 'am' : 'pm'}`;
}

/** '1 April 2026, 2:30pm' (UK time) for an instant; a dash for none. */
export function dateTime(at: Date | string | null | undefined): string {
	if (at === null || at === undefined || at === '') return DASH;
	const instant = new Date(at);
	if (Number.isNaN(instant.getTime())) throw new RangeError(`not a date: ${String(at)}`);
	return `${day(instant)}, ${time(instant)}`;
}

/**
 * '1 April to 30 June 2026', '1 to 30 April 2026', '1 January 2026 to 31 March 2027': GOV.UK 'to',
 * the year (and month) said once when they are the same.
 */
export function dayRange(from: Date | string, to: Date | string): string {
	const a = partsOf(from);
	const b = partsOf(to);
	if (a.year !== b.year) return `${day(from)} to ${day(to)}`;
	if (a.month !== b.month) return `${a.day} ${MONTHS[a.month - 1]} to ${day(to)}`;
	if (a.day !== b.day) return `${a.day} to ${day(to)}`;
	return day(to);
}
