/**
 * Deadline rules as plain, JSON-serialisable data (stored as jsonb on each standard version).
 * One kind per clock; docs/rules.md "The published standards" says which standard uses which.
 */

export type DeadlineRule =
	/** A real-time limit on an instant measure (phone answered within 20 s). No calendar. */
	| { kind: 'seconds'; seconds: number }
	/**
	 * Due at the end of the Nth working day after the day the clock starts (that day is day 0).
	 * extensionDays: working days added when the contact is extended (FOIA s.10(3) public
	 * interest, ICO practice up to 20); the contact may carry its own number instead.
	 */
	| { kind: 'working-days'; days: number; extensionDays?: number }
	/** Due at the end of the start date + N calendar days; moved past non-working days only if rollForward. */
	| { kind: 'calendar-days'; days: number; rollForward?: boolean }
	/**
	 * UK GDPR Art. 12(3), ICO: the corresponding date N months on (last day of the month if none),
	 * then the next working day if that is not one. Extended: extendedMonths from the same start.
	 */
	| { kind: 'calendar-months'; months: number; extendedMonths?: number }
	/** Same day, else by the end of the next working day (phone callbacks). */
	| { kind: 'same-or-next-working-day' }
	/** Within N hours; if that ends on a non-working day, by the end of the next working day. */
	| { kind: 'hours-or-next-working-day'; hours: number }
	/**
	 * Published with at least N clear working days before the event (LGA 1972 s.100B: clear days
	 * exclude the day of publication and the day of the meeting). The clock "start" is the meeting.
	 */
	| { kind: 'clear-working-days-before'; days: number };

export type DeadlineRuleKind = DeadlineRule['kind'];

export const RULE_KINDS: readonly DeadlineRuleKind[] = [
	'seconds',
	'working-days',
	'calendar-days',
	'calendar-months',
	'same-or-next-working-day',
	'hours-or-next-working-day',
	'clear-working-days-before'
];

/** The unit margins and elapsed time are reported in. */
export type MeasureUnit = 'seconds' | 'working-days' | 'calendar-days' | 'hours';

export function unitOf(rule: DeadlineRule): MeasureUnit {
	switch (rule.kind) {
		case 'seconds':
			return 'seconds';
		case 'working-days':
		case 'same-or-next-working-day':
		case 'clear-working-days-before':
			return 'working-days';
		case 'calendar-days':
		case 'calendar-months':
			return 'calendar-days';
		case 'hours-or-next-working-day':
			return 'hours';
	}
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

const UNIT_WORDS: Record<MeasureUnit, string> = {
	seconds: 'second',
	'working-days': 'working day',
	'calendar-days': 'day',
	hours: 'hour'
};

/** An amount in a unit, for explanations and alerts: '1 working day', '3 days', '20 seconds'. */
export const amount = (n: number, unit: MeasureUnit): string => plural(n, UNIT_WORDS[unit]);

/** The rule in a phrase, for pages and explanations: '20 working days', '1 calendar month (3 if extended)'. */
export function describeRule(rule: DeadlineRule): string {
	switch (rule.kind) {
		case 'seconds':
			return `within ${plural(rule.seconds, 'second')}`;
		case 'working-days':
			return plural(rule.days, 'working day') + (rule.extensionDays ? ` (+${rule.extensionDays} if extended)` : '');
		case 'calendar-days':
			return plural(rule.days, 'calendar day');
		case 'calendar-months':
			return plural(rule.months, 'calendar month') + (rule.extendedMonths ? ` (${rule.extendedMonths} if extended)` : '');
		case 'same-or-next-working-day':
			return 'the same day, or by the end of the next working day';
		case 'hours-or-next-working-day':
			return `within ${plural(rule.hours, 'hour')}, or by the end of the next working day`;
		case 'clear-working-days-before':
			return `at least ${plural(rule.days, 'clear working day')} before`;
	}
}

const isCount = (v: unknown, min = 1): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 10_000;
const isOptionalCount = (v: unknown, min = 1) => v === undefined || isCount(v, min);

/**
 * Checks a rule read back from the database (or typed by an admin) and returns it typed, or
 * throws a RangeError saying what is wrong. Unknown properties are dropped.
 */
export function parseRule(value: unknown): DeadlineRule {
	const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
	const fail = (why: string): never => {
		throw new RangeError(`Invalid deadline rule ${JSON.stringify(value)}: ${why}`);
	};
	switch (v.kind) {
		case 'seconds':
			return isCount(v.seconds) ? { kind: v.kind, seconds: v.seconds } : fail('seconds must be a positive whole number');
		case 'working-days':
			if (!isCount(v.days) || !isOptionalCount(v.extensionDays)) fail('days (and extensionDays) must be positive whole numbers');
			return v.extensionDays === undefined
				? { kind: v.kind, days: v.days as number }
				: { kind: v.kind, days: v.days as number, extensionDays: v.extensionDays as number };
		case 'calendar-days':
			if (!isCount(v.days) || !(v.rollForward === undefined || typeof v.rollForward === 'boolean')) fail('days must be a positive whole number');
			return v.rollForward === undefined
				? { kind: v.kind, days: v.days as number }
				: { kind: v.kind, days: v.days as number, rollForward: v.rollForward as boolean };
		case 'calendar-months':
			if (!isCount(v.months) || !isOptionalCount(v.extendedMonths)) fail('months (and extendedMonths) must be positive whole numbers');
			if (typeof v.extendedMonths === 'number' && v.extendedMonths <= (v.months as number)) fail('extendedMonths must exceed months');
			return v.extendedMonths === undefined
				? { kind: v.kind, months: v.months as number }
				: { kind: v.kind, months: v.months as number, extendedMonths: v.extendedMonths as number };
		case 'same-or-next-working-day':
			return { kind: v.kind };
		case 'hours-or-next-working-day':
			return isCount(v.hours) ? { kind: v.kind, hours: v.hours } : fail('hours must be a positive whole number');
		case 'clear-working-days-before':
			return isCount(v.days) ? { kind: v.kind, days: v.days } : fail('days must be a positive whole number');
		default:
			return fail(`kind '${String(v.kind)}' is not one of ${RULE_KINDS.join(', ')}`);
	}
}
