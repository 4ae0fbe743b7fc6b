/**
 * A standard's headline limit (20 seconds, 3 working days, 40 days, 1 month) and the same rule with
 * a different one, for what-if questions and new versions ("email within 2 working days").
 */
import { unitOf, type DeadlineRule } from './rules.ts';

/** The rule's headline number, in its unit; null when it has none to change (same day or next working day). */
export function limitOf(rule: DeadlineRule): number | null {
	switch (rule.kind) {
		case 'seconds':
			return rule.seconds;
		case 'working-days':
		case 'calendar-days':
		case 'clear-working-days-before':
			return rule.days;
		case 'calendar-months':
			return rule.months;
		case 'hours-or-next-working-day':
			return rule.hours;
		case 'same-or-next-working-day':
			return null;
	}
}

/** What the limit counts, for labels: 'seconds', 'working days', 'calendar months'… */
export function limitUnit(rule: DeadlineRule): string {
	switch (rule.kind) {
		case 'calendar-months':
			return 'calendar months';
		case 'clear-working-days-before':
			return 'clear working days';
		default:
			return unitOf(rule).replace('-', ' ');
	}
}

/**
 * The same rule with another limit. An extension keeps its size (FOI: +20 working days); a SAR's
 * extended months move with the limit so they still exceed it.
 */
export function withLimit(rule: DeadlineRule, limit: number): DeadlineRule {
	if (!(Number.isInteger(limit) && limit >= 1 && limit <= 10_000)) throw new RangeError('the limit must be a whole number from 1');
	switch (rule.kind) {
		case 'seconds':
			return { ...rule, seconds: limit };
		case 'working-days':
		case 'calendar-days':
		case 'clear-working-days-before':
			return { ...rule, days: limit };
		case 'calendar-months':
			return rule.extendedMonths === undefined ? { ...rule, months: limit } : { ...rule, months: limit, extendedMonths: rule.extendedMonths - rule.months + limit };
		case 'hours-or-next-working-day':
			return { ...rule, hours: limit };
		case 'same-or-next-working-day':
			throw new RangeError('this standard has no limit to change (the same day, or by the end of the next working day)');
	}
}

/** What a limit is counted in, for saying it: a SAR's is months (UK GDPR Art. 12(3)), not calendar days. */
export type LimitUnit = 'seconds' | 'hours' | 'working-days' | 'clear-working-days' | 'calendar-days' | 'months';

/** The unit of the rule's headline limit; null when it has no number (same day or next working day). */
export function limitUnitOf(rule: DeadlineRule): LimitUnit | null {
	switch (rule.kind) {
		case 'seconds':
			return 'seconds';
		case 'working-days':
			return 'working-days';
		case 'calendar-days':
			return 'calendar-days';
		case 'calendar-months':
			return 'months';
		case 'hours-or-next-working-day':
			return 'hours';
		case 'clear-working-days-before':
			return 'clear-working-days';
		case 'same-or-next-working-day':
			return null;
	}
}
