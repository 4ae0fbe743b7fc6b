/** How figures read on every page (en-GB). */

const wholeNumber = new Intl.NumberFormat('en-GB');

/** 12,345 */
export const whole = (value: number) => wholeNumber.format(value);

/** 87.5%, or a dash when there is nothing to show. */
export const percent = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}%`);

/** 9 seconds (or "9 s" when short), or a dash. */
export const seconds = (value: number | null, short = false) => (value === null ? '–' : `${Math.round(value)}${short ? ' s' : ' seconds'}`);

const londonDateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
const calendarDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** 24 Nov 2026, 14:30 (UK time), for an instant; a dash for none. */
export const dateTime = (at: Date | string | null) => (at === null ? '–' : londonDateTime.format(new Date(at)));

/** 24 Nov 2026, for a calendar date ('2026-11-24'); a dash for none. */
export const day = (date: string | null) => (date === null ? '–' : calendarDay.format(new Date(`${date.slice(0, 10)}T00:00:00Z`)));
