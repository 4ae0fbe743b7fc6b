/**
 * Clock events: the one model of what moves a contact's clock, and which of them each standard
 * allows, with the law or document that allows it (docs/rules.md "Clock starts, restarts and pauses").
 *
 * - start: a later clock start — all required information received, a valid request, the meeting
 *   date; the clock starts then instead of at receipt.
 * - restart: the count starts afresh from the event (FOI clarification received; SAR ID verified,
 *   or a fee paid where one may be charged).
 * - pause: the days from one instant to another, both days counted, do not count (FOI fee notice
 *   to payment; SAR clarification asked to answered). A pause with no end yet stops the clock:
 *   the contact has no due date until it ends. Some pauses lapse (an FOI fee notice unpaid after
 *   three months ends the duty to comply: FOIA s.9(2)).
 * - extension: the standard's lawful extension (FOI public interest; SAR to three months).
 *
 * A contact's events travel as ClockFacts (deadline.ts): clockStartAt (start), restarts, pauses,
 * extended / extensionWorkingDays. An event a standard does not allow is refused where a person
 * typed it (`yardstick due`, /due) and left out when a stored contact is scored against that
 * standard (a SAR's clarification pause means nothing to the county's 40-day promise).
 */
import type { ClockStartRule } from './catalogue.ts';
import type { DeadlineRule } from './rules.ts';

export const PAUSE_REASONS = ['fee-notice', 'clarification'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** How each pause is named in explanations and on the contact page. */
export const PAUSE_NAMES: Record<PauseReason, { paused: string; open: string }> = {
	'fee-notice': { paused: 'fee notice to payment', open: 'fee notice not yet paid' },
	clarification: { paused: 'clarification asked to answered', open: 'clarification asked, not yet answered' }
};

export interface ClockEventRule {
	/** What the event is, in an officer's words. */
	label: string;
	/** The law or document that allows it. */
	source: string;
}

export interface PauseRule extends ClockEventRule {
	reason: PauseReason;
	/**
	 * Which authority the pause rests on, by the day the request was received: newest first, the
	 * first whose `from` is on or before that day (null: any day before the others).
	 */
	since?: readonly { from: string | null; authority: string }[];
	/** The pause ends the duty if it lasts longer than this (FOIA s.9(2): three months). */
	lapse?: { months: number; source: string };
}

export interface ClockEvents {
	start?: ClockEventRule;
	restart?: ClockEventRule;
	pause?: PauseRule;
	extension?: ClockEventRule;
}

export type ClockEventKind = keyof ClockEvents;

/** How a person asks for each event: the flags of `yardstick due`, or the /due page's fields. */
export interface EventNames {
	start: string;
	pause: string;
	extension: string;
	/** What the clock does with none of them. */
	none: string;
}

export const EVENT_FLAGS: EventNames = { start: '--start', pause: '--pause', extension: '--extend', none: 'no --start, --pause or --extend' };
export const EVENT_FIELDS: EventNames = { start: 'a later clock start', pause: 'a pause', extension: 'an extension', none: 'no later clock start, pause or extension' };

/**
 * The events a stored version allows: the catalogue's for its code, as far as the version keeps
 * them (a clock start only if it starts on complete information or the meeting date, a restart
 * only if restartable, an extension only if its rule has one); a council's own standard allows
 * what its version says, and no pause (no law gives it one).
 */
export function eventsOf(
	catalogueEvents: ClockEvents | undefined,
	version: { rule: DeadlineRule; clockStart: ClockStartRule; restartable: boolean }
): ClockEvents {
	const own: ClockEventRule = { label: 'as this council\'s standard says', source: 'the council\'s own standard' };
	const events: ClockEvents = {};
	if (version.clockStart === 'clock-start') events.start = catalogueEvents?.start ?? { ...own, label: 'all required information received' };
	if (version.clockStart === 'meeting-date') events.start = catalogueEvents?.start ?? { ...own, label: 'the meeting date' };
	if (version.restartable) events.restart = catalogueEvents?.restart ?? { ...own, label: 'the count starts afresh' };
	if (catalogueEvents?.pause) events.pause = catalogueEvents.pause;
	const extendable = (version.rule.kind === 'working-days' && version.rule.extensionDays) || (version.rule.kind === 'calendar-months' && version.rule.extendedMonths);
	if (extendable) events.extension = catalogueEvents?.extension ?? { ...own, label: 'the extension its rule gives' };
	return events;
}

/** The authority a pause rests on for a request received on an ISO date. */
export function pauseAuthority(pause: PauseRule, receivedOn: string): string {
	for (const era of pause.since ?? []) if (era.from === null || era.from <= receivedOn) return era.authority;
	return pause.source;
}

/** What a standard allows, in words, for a refusal: "--start (…), --pause (…)" or that the clock runs from receipt. */
export function describeAllowed(code: string, events: ClockEvents, names: EventNames = EVENT_FLAGS): string {
	const parts: string[] = [];
	const start = events.start ?? events.restart;
	if (start) parts.push(`${names.start} (${start.label}; ${start.source})`);
	if (events.pause) parts.push(`${names.pause} (${events.pause.label}; ${events.pause.since?.[0]?.authority ?? events.pause.source})`);
	if (events.extension) parts.push(`${names.extension} (${events.extension.label}; ${events.extension.source})`);
	return parts.length ? `${code} allows ${parts.join(', ')}` : `${code} allows ${names.none}: its clock runs from receipt to the response`;
}

/** The first event asked for that a standard does not allow, and a message naming what it does allow; null when all are. */
export function refusedEvents(
	code: string,
	events: ClockEvents,
	asked: { start?: boolean; pause?: boolean; extend?: boolean },
	names: EventNames = EVENT_FLAGS
): { event: 'start' | 'pause' | 'extension'; message: string } | null {
	const refused: ('start' | 'pause' | 'extension')[] = [];
	if (asked.start && !events.start && !events.restart) refused.push('start');
	if (asked.pause && !events.pause) refused.push('pause');
	if (asked.extend && !events.extension) refused.push('extension');
	if (!refused.length) return null;
	const words = refused.map((e) => names[e]);
	const what = words.length === 1 ? `${words[0]} is` : `${words.join(' and ')} are`;
	return { event: refused[0]!, message: `${what} not allowed for ${code}: ${describeAllowed(code, events, names)}` };
}
