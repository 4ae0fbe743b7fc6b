/**
 * When a contact's clock starts, and on which working days it counts: the clock facts a standard
 * uses, the start instant they give, and the calendar (with whose closure days) it runs on.
 * One home for these rules: scoring, alerts and the due-date look-up all ask here.
 */
import { getCalendar, type CalendarCode, type WorkingCalendar } from './calendar.ts';
import { getStandardDefinition, type ClockStartRule, type StandardDefinition } from './catalogue.ts';
import { formatInstant } from './dates.ts';
import type { ClockFacts } from './deadline.ts';
import { eventsOf, type ClockEvents } from './events.ts';
import type { DeadlineRule } from './rules.ts';

/** What scoring needs from a standard version (or, without a database, a catalogue entry). */
export interface VersionRules {
	code: string;
	rule: DeadlineRule;
	calendarCode: CalendarCode;
	appliesClosures: boolean;
	clockStart: ClockStartRule;
	restartable: boolean;
	atRiskShare: number;
	/** The clock events the version allows (engine/events.ts), with their sources. */
	events: ClockEvents;
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

/** A catalogue entry's rules, as a version of it would hold them (the look-up without an organisation). */
export function catalogueRules(definition: StandardDefinition): VersionRules {
	return {
		code: definition.code,
		rule: definition.rule,
		calendarCode: definition.calendar,
		appliesClosures: definition.closuresApply,
		clockStart: definition.clockStart,
		restartable: definition.restartable,
		atRiskShare: definition.atRiskShare,
		events: definition.events
	};
}

/** The events a stored version of a standard allows: its catalogue entry's, as far as the version keeps them. */
export function versionEvents(code: string, version: { rule: DeadlineRule; clockStart: ClockStartRule; restartable: boolean }): ClockEvents {
	return eventsOf(getStandardDefinition(code)?.events, version);
}

/** The organisation's closure days a version does not apply (statutory limits): named, not counted, in explanations. */
export function ignoredClosuresFor(rules: Pick<VersionRules, 'appliesClosures'>, organisation: OrganisationCalendar): readonly string[] {
	return rules.appliesClosures ? [] : organisation.closures;
}

/** How a standard's clock starts; without clockStart every fact given is used (a bare computeDue). */
export interface ClockRules {
	rule: DeadlineRule;
	clockStart?: ClockStartRule;
	restartable?: boolean;
	/** Which pauses and extensions count; without it, all given (a bare computeDue). */
	events?: ClockEvents;
}

/**
 * The working-day calendar a version is scored on: its calendar, with the organisation's closure
 * days only where the version applies them (never statutory FOI/SAR limits: ICO LTT47), and
 * proclaimed holidays always.
 */
export function calendarFor(rules: Pick<VersionRules, 'calendarCode' | 'appliesClosures'>, organisation: OrganisationCalendar): WorkingCalendar {
	const extra = [...(organisation.holidays.get(rules.calendarCode) ?? [])];
	if (rules.appliesClosures) extra.push(...organisation.closures);
	return getCalendar(rules.calendarCode, { closures: extra });
}

/** The organisation's "non-working receipt counts from the next working day" setting, for FOI working days. */
export function nonWorkingStartIsNextWorkingDay(rules: Pick<VersionRules, 'calendarCode'>, organisation: OrganisationCalendar): boolean {
	return organisation.foiNonWorkingReceiptNextDay && rules.calendarCode === 'foia-uk';
}

/**
 * Only the clock events a standard allows (a later clock start means nothing to email.reply): a
 * later start only where the clock starts on complete information, restarts (clarification, ID
 * received) only where the clock is restartable, pauses only of the kind the standard has (a
 * SAR's clarification pause, a FOI fee notice), an extension only where there is one.
 */
export function clockFactsFor<T extends ClockFacts>(facts: T, rules: Omit<ClockRules, 'rule'>): T {
	const { clockStart, restartable, events } = rules;
	let used = facts;
	if (events !== undefined) {
		const given = facts.pauses ?? [];
		if (given.length) {
			// Most contacts have none: only those with pauses pay for the copy.
			const reason = events.pause?.reason;
			const pauses = reason ? given.filter((p) => p.reason === undefined || p.reason === null || p.reason === reason) : [];
			used = { ...used, pauses: pauses.map((p) => ({ ...p, reason })) };
		}
		if (!events.extension && (facts.extended || facts.extensionWorkingDays != null)) used = { ...used, extended: false, extensionWorkingDays: null };
	}
	if (clockStart === undefined) return used;
	const restarts = restartable ? [...(facts.restarts ?? [])] : [];
	let clockStartAt: Date | null = null;
	if (clockStart === 'clock-start') clockStartAt = facts.clockStartAt ?? null;
	else if (clockStart === 'received' && restartable && facts.clockStartAt) restarts.push(facts.clockStartAt); // clarification / ID received
	return { ...used, clockStartAt, restarts };
}

/**
 * The instant the clock starts: receipt, a later clock start, or the latest restart, of the facts
 * the standard uses. A phone call's clock starts when it is offered; an agenda's deadline counts
 * back from the meeting (the received instant). With `lines`, says so for an explanation.
 */
export function clockStartMs(facts: ClockFacts, rules: ClockRules, lines: string[] | null = null): number {
	let start = facts.receivedAt.getTime();
	if (rules.rule.kind === 'clear-working-days-before') return start;
	lines?.push(`Received ${formatInstant(start)}.`);
	if (rules.rule.kind === 'seconds') return start;
	const used = clockFactsFor(facts, rules);
	const later = used.clockStartAt?.getTime();
	if (later !== undefined && later > start) {
		start = later;
		lines?.push(`Clock started ${formatInstant(start)} (information complete).`);
	}
	let restart = -Infinity;
	for (const r of used.restarts ?? []) restart = Math.max(restart, r.getTime());
	if (restart > start) {
		start = restart;
		const label = rules.events?.restart?.label;
		lines?.push(label ? `Clock restarted ${formatInstant(start)}: ${label}.` : `Clock restarted ${formatInstant(start)} (clarification or ID received): the count starts afresh.`);
	}
	return start;
}
