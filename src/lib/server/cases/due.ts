/**
 * When is this due, and why: one contact's due date under a standard, for the `yardstick due`
 * command and the /due page. With an organisation, its own version of the standard (in force at
 * the clock start), its closure days and settings; without one, the catalogue's rules.
 */
import { and, asc, eq } from 'drizzle-orm';
import { getStandardDefinition, STANDARDS } from '../../engine/catalogue.ts';
import type { FieldError } from '../../forms.ts';
import {
	NO_ORGANISATION,
	calendarFor,
	catalogueRules,
	clockFactsFor,
	clockStartMs,
	ignoredClosuresFor,
	nonWorkingStartIsNextWorkingDay,
	type OrganisationCalendar,
	type VersionRules
} from '../../engine/clock.ts';
import { computeDue, formatDueBy, type ClockFacts, type Due } from '../../engine/deadline.ts';
import { formatDay, localEpochDay, toEpochDay } from '../../engine/dates.ts';
import { lapseLastDay } from '../../engine/assess.ts';
import { EVENT_FIELDS, refusedEvents, type EventNames } from '../../engine/events.ts';
import { parseInstant } from '../../engine/instants.ts';
import { describeRule } from '../../engine/rules.ts';
import { loadOrganisationCalendars, versionRules } from '../assessments/index.ts';
import type { CaseScope } from '../auth/access.ts';
import type { Database } from '../db/client.ts';
import { organisationVisible } from '../directory/scope.ts';
import * as schema from '../db/schema/index.ts';

/** A question the rules cannot answer (an unknown standard, an event it does not allow): say so plainly, at the field. */
export class DueError extends Error {
	constructor(
		message: string,
		readonly event?: 'start' | 'pause' | 'extension'
	) {
		super(message);
	}
}

export interface DueQuery {
	standard: string;
	received: Date;
	/** A later clock start or restart (information complete, clarification, ID received, meeting date). */
	start?: Date;
	/** Days that do not count, both ends inclusive: the standard's own kind of pause (FOI fee notice to payment, SAR clarification). */
	pause: { from: Date; to: Date }[];
	extend: boolean;
	organisation?: string;
	/** How to name the events in a refusal: the command's flags (default) or the page's fields. */
	names?: EventNames;
}

export interface DueAnswer {
	standard: string;
	title: string;
	rules: VersionRules;
	due: Due;
}

/** When a contact is due under a standard, and why: the catalogue's rules, or the organisation's own version. */
export async function computeDueAnswer(input: DueQuery, db?: Database): Promise<DueAnswer> {
	const facts: ClockFacts = {
		receivedAt: input.received,
		clockStartAt: input.start ?? null,
		pauses: input.pause,
		extended: input.extend
	};
	let rules: VersionRules;
	let title: string;
	let organisation: OrganisationCalendar = NO_ORGANISATION;
	if (input.organisation) {
		if (!db) throw new DueError('an organisation\'s rules need its database');
		({ rules, title, organisation } = await organisationRules(db, input.standard, input.organisation, facts));
	} else {
		const definition = getStandardDefinition(input.standard);
		if (!definition) throw new DueError(`unknown standard '${input.standard}' (the codes are ${STANDARDS.map((s) => s.code).join(', ')}; 'yardstick help due' lists each with its promise)`);
		rules = catalogueRules(definition);
		title = definition.title;
	}
	// An event the standard does not allow is refused, naming what it does allow (engine/events.ts).
	const refused = refusedEvents(rules.code, rules.events, { start: input.start !== undefined, pause: input.pause.length > 0, extend: input.extend }, input.names);
	if (refused) throw new DueError(refused.message, refused.event);
	const lapse = rules.events.pause?.lapse;
	if (lapse) {
		for (const pause of input.pause) {
			const last = lapseLastDay(localEpochDay(pause.from.getTime()), lapse.months);
			if (localEpochDay(pause.to.getTime()) > last) {
				throw new DueError(
					`the fee notice given ${formatDay(localEpochDay(pause.from.getTime()))} was unpaid at the end of ${formatDay(last)}: the request lapsed then (${lapse.source}); it has no due date`,
					'pause'
				);
			}
		}
	}
	let used = clockFactsFor(facts, rules);
	if (rules.clockStart === 'meeting-date' && input.start) {
		used = { ...used, receivedAt: input.start }; // --start is the meeting date
	}
	const due = computeDue(rules.rule, calendarFor(rules, organisation), used, {
		nonWorkingStartIsNextWorkingDay: nonWorkingStartIsNextWorkingDay(rules, organisation),
		events: rules.events,
		ignoredClosures: ignoredClosuresFor(rules, organisation)
	});
	return { standard: rules.code, title, rules, due };
}

/** The organisation's version in force at the clock start, its closure days and settings (read from the database). */
async function organisationRules(db: Database, code: string, organisationCode: string, facts: ClockFacts) {
	const [organisation] = await db.select().from(schema.organisations).where(eq(schema.organisations.code, organisationCode));
	if (!organisation) throw new DueError(`unknown organisation '${organisationCode}'`);
	const [standard] = await db
		.select()
		.from(schema.standards)
		.where(and(eq(schema.standards.organisationId, organisation.id), eq(schema.standards.code, code)));
	if (!standard) throw new DueError(`${organisationCode} has no standard '${code}'`);
	const versions = await db
		.select()
		.from(schema.standardVersions)
		.where(eq(schema.standardVersions.standardId, standard.id))
		.orderBy(asc(schema.standardVersions.effectiveFrom));
	const calendars = await loadOrganisationCalendars(db);
	for (const version of versions.reverse()) {
		const rules = versionRules(code, version);
		const startDay = localEpochDay(clockStartMs(facts, rules));
		if (startDay >= toEpochDay(version.effectiveFrom) && (version.effectiveTo === null || startDay < toEpochDay(version.effectiveTo))) {
			return { rules, title: standard.title, organisation: calendars.get(organisation.id) ?? NO_ORGANISATION };
		}
	}
	throw new DueError(`${organisationCode}'s ${code} was not in force then (its first version is from ${versions.at(-1)?.effectiveFrom ?? 'no date'})`);
}


/** The organisations the look-up offers a viewer: their own when they are bound to one, else every one. */
export async function organisationChoices(db: Database, scope: Pick<CaseScope, 'organisationId'>): Promise<{ code: string; name: string }[]> {
	const own = scope.organisationId === null ? undefined : eq(schema.organisations.id, scope.organisationId);
	return db.select({ code: schema.organisations.code, name: schema.organisations.name }).from(schema.organisations).where(own).orderBy(asc(schema.organisations.code));
}

/** The standards the look-up offers: the catalogue's, in its order. */
export function standardChoices(): { code: string; title: string }[] {
	return STANDARDS.map(({ code, title }) => ({ code, title }));
}

/** The /due page's question, from its query string: the answer, or field errors in plain words. */
export async function lookUp(
	db: Database,
	query: { standard: string; received: string; start?: string; pause_from?: string; pause_to?: string; extend?: 'yes'; organisation?: string },
	/** The viewer's organisation: a viewer bound to one asks only about it. */
	scope: Pick<CaseScope, 'organisationId'> = { organisationId: null }
): Promise<{ answer: DueAnswerView | null; errors: FieldError[] }> {
	const errors: FieldError[] = [];
	if (query.organisation && !(await organisationVisible(db, scope, query.organisation))) {
		return { answer: null, errors: [{ field: 'organisation', message: `Choose an organisation from the list: '${query.organisation}' is not one of yours` }] };
	}
	const instant = (field: string, text: string | undefined, label: string) => {
		if (text === undefined) return undefined;
		const parsed = parseInstant(text);
		if ('ms' in parsed) return new Date(parsed.ms);
		errors.push({ field, message: `${label}: '${text}' ${parsed.reason}` });
		return undefined;
	};
	const received = instant('received', query.received, 'Received');
	const start = instant('start', query.start, 'Clock start');
	const from = instant('pause_from', query.pause_from, 'Paused from');
	const to = instant('pause_to', query.pause_to, 'Paused to');
	if ((from === undefined) !== (to === undefined) && errors.length === 0) {
		errors.push({ field: from === undefined ? 'pause_from' : 'pause_to', message: 'Enter both ends of the pause, or neither' });
	}
	if (from && to && to < from) errors.push({ field: 'pause_to', message: 'The pause ends before it starts' });
	if (errors.length || !received) return { answer: null, errors };
	try {
		const answer = await computeDueAnswer(
			{
				standard: query.standard,
				received,
				start,
				pause: from && to ? [{ from, to }] : [],
				extend: query.extend === 'yes',
				organisation: query.organisation,
				names: EVENT_FIELDS
			},
			db
		);
		return {
			answer: {
				standard: answer.standard,
				title: answer.title,
				rule: describeRule(answer.rules.rule),
				dueDate: formatDay(answer.due.dueDay),
				dueAt: answer.due.dueAt.toISOString(),
				dueBy: formatDueBy(answer.due.dueMs),
				explanation: answer.due.explanation
			},
			errors: []
		};
	} catch (error) {
		if (error instanceof DueError) {
			const field = error.event === 'pause' ? 'pause_from' : error.event === 'extension' ? 'extend' : error.event === 'start' ? 'start' : 'standard';
			return { answer: null, errors: [{ field, message: error.message.charAt(0).toUpperCase() + error.message.slice(1) }] };
		}
		throw error;
	}
}

export interface DueAnswerView {
	standard: string;
	title: string;
	rule: string;
	dueDate: string;
	dueAt: string;
	/** Europe/London wall-clock time. */
	dueBy: string;
	explanation: string[];
}
