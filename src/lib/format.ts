/**
 * How dates, figures and amounts read on every page, report, spreadsheet and e-mail (en-GB, GOV.UK
 * style): '1 April 2026', 'Tuesday 1 April 2026', '2:30pm', '1 April to 30 June 2026',
 * '12,345 contacts', '3 working days', '4 minutes 57 seconds', 'an 85% target'. Only saying things:
 * what a limit is (a SAR's is one month) comes from the engine's rule.
 */
import { limitOf, limitUnitOf, type LimitUnit } from './engine/limits.ts';
import type { DeadlineRule, MeasureUnit } from './engine/rules.ts';
import { civilOf, formatDate, formatDay, formatDayShort, formatInstant, formatLocalTime, formatMonth, localEpochDay, startOfLocalDayMs, toEpochDay } from './engine/dates.ts';

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

const tenths = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** '1 working day', '3 working days', '1 month', '20 seconds', '2.5 hours' (to a tenth); a dash for none. */
export function duration(n: number | null, unit: DurationUnit | MeasureUnit): string {
	if (n === null || !Number.isFinite(n)) return DASH;
	const [one, many] = UNIT_WORDS[unit === 'calendar-days' ? 'days' : unit];
	const said = tenths.format(n);
	return `${said} ${said === '1' ? one : many}`;
}

/** A standard's headline limit as the rule says it: '20 seconds', '3 working days', '1 month'. */
export function limit(rule: DeadlineRule): string {
	const n = limitOf(rule);
	const unit = limitUnitOf(rule);
	if (n === null || unit === null) return 'the same or next working day';
	return unit === 'calendar-days' ? count(n, 'calendar day') : duration(n, unit);
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

interface Civil {
	epochDay: number;
	/** The instant, when one was given (a time of day to say). */
	ms: number | null;
}

/** A calendar date ('2026-04-01') or an instant (a Date or a timestamp string), as its UK calendar day. */
function civil(value: Date | string): Civil {
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { epochDay: toEpochDay(value), ms: null };
	const ms = new Date(value).getTime();
	if (Number.isNaN(ms)) throw new RangeError(`not a date: ${String(value)}`);
	return { epochDay: localEpochDay(ms), ms };
}

const none = (value: unknown): value is null | undefined | '' => value === null || value === undefined || value === '';

/** '1 April 2026' for a calendar date ('2026-04-01') or an instant (its UK date); a dash for none. */
export const day = (date: Date | string | null | undefined): string => (none(date) ? DASH : formatDate(civil(date).epochDay));

/** 'Tuesday 1 April 2026', where the day of the week matters; a dash for none. */
export const weekday = (date: Date | string | null | undefined): string => (none(date) ? DASH : formatDay(civil(date).epochDay));

/** '1 April', for chart axes where the year is said elsewhere. */
export const dayMonth = (date: Date | string): string => formatDayShort(civil(date).epochDay);

/** 'April 2026' for a month ('2026-04', '2026-04-01') or an instant. */
export const month = (value: Date | string): string => formatMonth(civil(typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value).epochDay);

/** UK time of day, GOV.UK style: '9am', '2:30pm', 'midday', 'midnight'. */
export const time = (at: Date | string): string => formatLocalTime(civil(at).ms ?? startOfLocalDayMs(civil(at).epochDay));

/** '1 April 2026, 2:30pm' (UK time) for an instant; a dash for none. */
export function dateTime(at: Date | string | null | undefined): string {
	if (none(at)) return DASH;
	const ms = new Date(at).getTime();
	if (Number.isNaN(ms)) throw new RangeError(`not a date: ${String(at)}`);
	return `${formatDate(localEpochDay(ms))}, ${formatLocalTime(ms)}`;
}

/**
 * '1 April to 30 June 2026', '1 to 30 April 2026', '1 January 2026 to 31 March 2027': GOV.UK 'to',
 * the year (and month) said once when they are the same.
 */
export function dayRange(from: Date | string, to: Date | string): string {
	const a = civilOf(civil(from).epochDay);
	const b = civilOf(civil(to).epochDay);
	const whole = day(to);
	if (a.year !== b.year) return `${day(from)} to ${whole}`;
	if (a.month !== b.month) return `${formatDayShort(civil(from).epochDay)} to ${whole}`;
	if (a.day !== b.day) return `${a.day} to ${whole}`;
	return whole;
}

/** A duty's occurrence as stored ('Cabinet 2026-06-16', '2026/27 canvass') with its date said: 'Cabinet, 16 June 2026'. */
export const occurrence = (text: string): string => text.replace(/ (\d{4}-\d{2}-\d{2})$/, (_, date: string) => `, ${day(date)}`);

/** 'Tuesday 1 April 2026, 2:30pm' (UK time), where the day of the week matters (a deadline, a contact's history); a dash for none. */
export function weekdayTime(at: Date | string | null | undefined): string {
	if (none(at)) return DASH;
	const ms = new Date(at).getTime();
	if (Number.isNaN(ms)) throw new RangeError(`not a date: ${String(at)}`);
	return formatInstant(ms);
}
