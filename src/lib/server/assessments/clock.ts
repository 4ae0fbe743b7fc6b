import { createHash } from 'node:crypto';
import { getCalendar, type CalendarCode, type WorkingCalendar } from '../../engine/calendar.ts';
import type { ClockStartRule } from '../../engine/catalogue.ts';
import type { ClockFacts } from '../../engine/deadline.ts';
import type { DeadlineRule } from '../../engine/rules.ts';

/** What scoring needs from a standard version (or, without a database, a catalogue entry). */
export interface VersionRules {
	code: string;
	rule: DeadlineRule;
	calendarCode: CalendarCode;
	appliesClosures: boolean;
	clockStart: ClockStartRule;
	restartable: boolean;
	atRiskShare: number;
}

/** The calendar facts of one organisation: its closure days and any proclaimed holidays. */
export interface OrganisationCalendar {
	/** Council closure days (ISO dates); only for standards whose version applies them. */
	closures: readonly string[];
	/** Days added to a calendar after the holiday data shipped (calendar_holidays), by calendar. */
	holidays: ReadonlyMap<string, readonly string[]>;
	/** Organisation setting: a FOI request received on a non-working day counts from the next working day. */
	foiNonWorkingReceiptNextDay: boolean;
}

export const NO_ORGANISATION: OrganisationCalendar = { closures: [], holidays: new Map(), foiNonWorkingReceiptNextDay: false };

/**
 * The working-day calendar a version is scored on: its calendar, with the organisation's closure
 * days only where the version applies them (never statutory FOI/SAR limits: ICO LTT47), and
 * proclaimed holidays always.
 */
export function calendarFor(rules: VersionRules, organisation: OrganisationCalendar): WorkingCalendar {
	const extra = [...(organisation.holidays.get(rules.calendarCode) ?? [])];
	if (rules.appliesClosures) extra.push(...organisation.closures);
	return getCalendar(rules.calendarCode, { closures: extra });
}

/** The organisation's "non-working receipt counts from the next working day" setting, for FOI working days. */
export function nonWorkingStartIsNextWorkingDay(rules: VersionRules, organisation: OrganisationCalendar): boolean {
	return organisation.foiNonWorkingReceiptNextDay && rules.calendarCode === 'foia-uk';
}

/**
 * Everything a stored verdict depends on besides the contact: the version, its rule and clock,
 * the calendar (bank holiday data version, closure days, proclaimed holidays) and the setting.
 * `<version id>:<hash>`; when it differs from the stored one the assessment is stale.
 */
export function fingerprint(versionId: number, rules: VersionRules, organisation: OrganisationCalendar): string {
	const calendar = calendarFor(rules, organisation);
	const hash = createHash('sha1')
		.update(JSON.stringify([rules.rule, rules.clockStart, rules.restartable, calendar.fingerprint, nonWorkingStartIsNextWorkingDay(rules, organisation)]))
		.digest('base64url')
		.slice(0, 12);
	return `${versionId}:${hash}`;
}

/**
 * Only the clock facts a standard uses, as the engine's assess() reads them (engine/assess.ts
 * clockFactsFor): a later clock start only where the clock starts on complete information, and
 * restarts (clarification, ID received) only where the clock is restartable.
 */
export function clockFacts(facts: ClockFacts, rules: Pick<VersionRules, 'clockStart' | 'restartable'>): ClockFacts {
	const restarts = rules.restartable ? [...(facts.restarts ?? [])] : [];
	let clockStartAt: Date | null = null;
	if (rules.clockStart === 'clock-start') clockStartAt = facts.clockStartAt ?? null;
	else if (rules.clockStart === 'received' && rules.restartable && facts.clockStartAt) restarts.push(facts.clockStartAt);
	return { ...facts, clockStartAt, restarts };
}

/**
 * When the clock starts under a version (engine/deadline.ts clockStart): receipt, a later clock
 * start, or the latest restart. A phone call's clock starts when it is offered; an agenda's
 * deadline counts back from the meeting (the received instant).
 */
export function clockStartMs(facts: ClockFacts, rules: VersionRules): number {
	let start = facts.receivedAt.getTime();
	if (rules.rule.kind === 'seconds' || rules.rule.kind === 'clear-working-days-before') return start;
	const used = clockFacts(facts, rules);
	const later = used.clockStartAt?.getTime();
	if (later !== undefined && later > start) start = later;
	for (const restart of used.restarts ?? []) start = Math.max(start, restart.getTime());
	return start;
}
