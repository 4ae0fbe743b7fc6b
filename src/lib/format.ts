/** How figures read on every page (en-GB). */

const wholeNumber = new Intl.NumberFormat('en-GB');

/** 12,345 */
export const whole = (value: number) => wholeNumber.format(value);

/** 87.5%, or a dash when there is nothing to show. */
export const percent = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}%`);

/** 9 seconds (or "9 s" when short), or a dash. */
export const seconds = (value: number | null, short = false) => (value === null ? '–' : `${Math.round(value)}${short ? ' s' : ' seconds'}`);
