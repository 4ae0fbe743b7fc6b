/**
 * Scoring one contact against one standard: met, breached, open, at risk, overdue or excluded,
 * with the due date and a plain-English explanation a team lead could read out.
 *
 * Built to score a million contacts: epoch-day integers throughout, no date library, and the
 * explanation only when asked for (options.explain, default true).
 */
import type { WorkingCalendar } from './calendar.ts';
import type { ClockStartRule } from './catalogue.ts';
import { clockFactsFor } from './clock.ts';
import { computeDue, formatDueBy, type ClockFacts, type Due, type Pause } from './deadline.ts';
import { addMonthsClampedEpoch, civilOf, endOfLocalDayMs, formatDay, formatInstant, fromEpochDay, localEpochDay } from './dates.ts';
import { PAUSE_NAMES, type ClockEvents, type PauseRule } from './events.ts';
import { classifyCall, type AbandonedCallPolicy } from './phone.ts';
import { amount, type DeadlineRule, type MeasureUnit } from './rules.ts';

export interface ContactFacts extends ClockFacts {
	/** When the promise was kept (answered, replied, acknowledged, dispatched, published). */
	respondedAt?: Date | null;
	/** Telephone: seconds in the queue before answer or abandon. */
	waitSeconds?: number | null;
	abandoned?: boolean | null;
}

export interface AssessableStandard {
	code: string;
	rule: DeadlineRule;
	/** The standard's calendar, with the organisation's closure days if the standard takes them. */
	calendar: WorkingCalendar;
	/** Share of the allowed time after which an open contact is at risk (e.g. 0.75). */
	atRiskShare: number;
	/** From the catalogue; when given, clock starts and restarts the standard does not use are ignored. */
	clockStart?: ClockStartRule;
	restartable?: boolean;
	/** The clock events the standard allows (engine/events.ts); when given, others are left out. */
	events?: ClockEvents;
	/** The organisation's closure days this standard does not apply, named in explanations. */
	ignoredClosures?: readonly string[];
}

export interface AssessOptions {
	now: Date;
	/** Telephone: leave out calls abandoned within the short-abandon threshold (default) or count them as failures. */
	abandoned?: AbandonedCallPolicy;
	shortAbandonSeconds?: number;
	/** Organisation setting: a clock starting on a non-working day starts on the next working day. */
	nonWorkingStartIsNextWorkingDay?: boolean;
	explain?: boolean;
}

/**
 * lapsed: the duty ended without a response being owed (FOIA s.9(2): a fee notice unpaid three
 * months after it was given) — neither met nor breached, and left out of compliance figures.
 */
export type AssessmentStatus = 'met' | 'breached' | 'open' | 'at-risk' | 'overdue' | 'excluded' | 'lapsed';

/**
 * The last day a pause may run before the duty lapses: the period of N months beginning with the
 * day it started ends the day before the corresponding date (the month's last day if there is none).
 */
export function lapseLastDay(fromDay: number, months: number): number {
	const corresponding = addMonthsClampedEpoch(fromDay, months);
	return civilOf(corresponding).day === civilOf(fromDay).day ? corresponding - 1 : corresponding;
}

/** The pause that ended (or, at `now`, has run past) the duty, if the standard's pause lapses. */
function lapsedBy(pauses: readonly Pause[], rule: PauseRule | undefined, now: number): { pause: Pause; lastDay: number } | null {
	if (!rule?.lapse) return null;
	for (const pause of pauses) {
		const lastDay = lapseLastDay(localEpochDay(pause.from.getTime()), rule.lapse.months);
		const ended = pause.to === null ? null : localEpochDay(pause.to.getTime());
		if (ended === null ? now > endOfLocalDayMs(lastDay) : ended > lastDay) return { pause, lastDay };
	}
	return null;
}

export interface Assessment {
	status: AssessmentStatus;
	dueAt: Date | null;
	dueDate: string | null;
	/** Time used, in unit: working days since day 0, calendar days, hours, or seconds waited. */
	elapsed: number | null;
	/** Time to spare (positive) or late by (negative), in unit. */
	margin: number | null;
	unit: MeasureUnit;
	/** Callbacks: whether the call was returned the same day. */
	sameDay?: boolean | null;
	explanation: string[];
}

const hours = (ms: number) => Math.round(ms / 36_000) / 100; // to 0.01 h

function assessCall(contact: ContactFacts, standard: AssessableStandard, seconds: number, options: AssessOptions): Assessment {
	const explain = options.explain !== false;
	const wait = contact.waitSeconds ?? null;
	const outcome = classifyCall(contact, { thresholdSeconds: seconds, abandoned: options.abandoned, shortAbandonSeconds: options.shortAbandonSeconds });
	const received = contact.receivedAt.getTime();
	const dueMs = received + seconds * 1000;
	const lines: string[] = [];
	if (explain) {
		lines.push(`Offered to the queue ${formatInstant(received)}; to be answered within ${amount(seconds, 'seconds')}.`);
		if (outcome === 'unscored') lines.push('No wait time recorded: not scored.');
		else if (contact.abandoned && outcome === 'excluded') lines.push(`Abandoned after ${amount(wait as number, 'seconds')}, too soon to count: left out of the service level.`);
		else if (contact.abandoned) lines.push(`Abandoned after ${amount(wait as number, 'seconds')}: counted as not answered in time.`);
		else if (outcome === 'met') lines.push(`Answered after ${amount(wait as number, 'seconds')}: met, ${amount(seconds - (wait as number), 'seconds')} to spare.`);
		else lines.push(`Answered after ${amount(wait as number, 'seconds')}: not met, ${amount((wait as number) - seconds, 'seconds')} over.`);
	}
	return {
		status: outcome === 'met' ? 'met' : outcome === 'breached' ? 'breached' : 'excluded',
		dueAt: new Date(dueMs),
		dueDate: fromEpochDay(localEpochDay(dueMs)),
		elapsed: wait,
		margin: wait === null ? null : seconds - wait,
		unit: 'seconds',
		explanation: lines
	};
}

/** Elapsed and remaining time at an instant, in the due's unit, and the share of the allowance used. */
function measure(due: Due, rule: DeadlineRule, calendar: WorkingCalendar, atMs: number) {
	const dueDay = due.dueDay;
	const atDay = localEpochDay(atMs);
	const start = due.dayZeroDay ?? localEpochDay(due.startMs);
	switch (due.unit) {
		case 'working-days': {
			const remaining = calendar.workingEpochDaysBetween(atDay, dueDay);
			if (rule.kind === 'clear-working-days-before') {
				// The at-risk window is the N working days before the publication deadline.
				// elapsed: the clear working days publishing at this point would leave before the meeting.
				const clear = calendar.workingEpochDaysBetween(atDay, start - 1);
				return { elapsed: clear, margin: remaining, share: 1 - remaining / rule.days, late: -Math.max(1, -remaining) };
			}
			const total = calendar.workingEpochDaysBetween(start, dueDay);
			const elapsed = calendar.workingEpochDaysBetween(start, atDay);
			return { elapsed, margin: remaining, share: total > 0 ? elapsed / total : 1, late: -Math.max(1, -remaining) };
		}
		case 'calendar-days': {
			const total = dueDay - start;
			return { elapsed: atDay - start, margin: dueDay - atDay, share: total > 0 ? (atDay - start) / total : 1, late: Math.min(-1, dueDay - atDay) };
		}
		default: {
			const total = due.dueMs - due.startMs;
			const margin = hours(due.dueMs - atMs);
			return { elapsed: hours(atMs - due.startMs), margin, share: total > 0 ? (atMs - due.startMs) / total : 1, late: Math.min(-0.01, margin) };
		}
	}
}

/** Score a contact against a standard as at options.now. */
export function assess(contact: ContactFacts, standard: AssessableStandard, options: AssessOptions): Assessment {
	const { rule, calendar } = standard;
	if (rule.kind === 'seconds') return assessCall(contact, standard, rule.seconds, options);
	const explain = options.explain !== false;
	const pauseRule = standard.events?.pause;
	const now = options.now.getTime();
	let facts = clockFactsFor(contact, standard);
	const respondedMs = contact.respondedAt?.getTime();
	// A response ends a pause still open (the answer, or the payment, came with it or before it).
	if (respondedMs !== undefined && (facts.pauses ?? []).some((p) => p.to === null)) {
		facts = { ...facts, pauses: (facts.pauses ?? []).map((p) => (p.to === null ? { ...p, to: new Date(Math.max(respondedMs, p.from.getTime())) } : p)) };
	}
	let due: Due;
	try {
		due = computeDue(rule, calendar, facts, {
			explain,
			nonWorkingStartIsNextWorkingDay: options.nonWorkingStartIsNextWorkingDay,
			events: standard.events,
			ignoredClosures: standard.ignoredClosures
		});
	} catch (error) {
		// A date outside the calendar (bad data) must not stop a batch: leave the contact unscored.
		if (!(error instanceof RangeError)) throw error;
		return { status: 'excluded', dueAt: null, dueDate: null, elapsed: null, margin: null, unit: 'working-days', explanation: [`Not scored: ${error.message}.`] };
	}
	const lapse = lapsedBy(facts.pauses ?? [], pauseRule, now);
	if (lapse && localEpochDay(lapse.pause.from.getTime()) <= due.dueDay) {
		const lines = due.explanation;
		if (explain) {
			lines.push(
				`Fee notice given ${formatDay(localEpochDay(lapse.pause.from.getTime()))} and not paid by the end of ${formatDay(lapse.lastDay)}: the duty to comply ended then (${pauseRule!.lapse!.source}). Lapsed: neither met nor breached.`
			);
		}
		return { status: 'lapsed', dueAt: null, dueDate: null, elapsed: null, margin: null, unit: due.unit, explanation: lines };
	}
	const stopped = (facts.pauses ?? []).find((p) => p.to === null && localEpochDay(p.from.getTime()) <= due.dueDay);
	if (stopped) {
		const lines = due.explanation;
		if (explain) {
			const name = PAUSE_NAMES[stopped.reason ?? pauseRule?.reason ?? 'fee-notice'].open;
			const fromDay = localEpochDay(stopped.from.getTime());
			const lapses = pauseRule?.lapse ? ` If it is not paid by the end of ${formatDay(lapseLastDay(fromDay, pauseRule.lapse.months))}, the request lapses (${pauseRule.lapse.source.split(':')[0]}).` : '';
			lines.push(
				`Clock paused since ${formatDay(fromDay)} (${name}): the due date, ${formatDueBy(due.dueMs)} before the pause, moves later by the days paused once it ends.${lapses}`
			);
		}
		return { status: 'open', dueAt: null, dueDate: null, elapsed: null, margin: null, unit: due.unit, explanation: lines };
	}
	const lines = due.explanation;
	const responded = contact.respondedAt?.getTime();
	const result: Assessment = {
		status: 'open',
		dueAt: due.dueAt,
		dueDate: due.dueDate,
		elapsed: null,
		margin: null,
		unit: due.unit,
		explanation: lines
	};

	if (responded !== undefined) {
		const m = measure(due, rule, calendar, responded);
		const met = responded <= due.dueMs;
		result.status = met ? 'met' : 'breached';
		result.elapsed = m.elapsed;
		result.margin = met ? m.margin : m.late;
		if (rule.kind === 'same-or-next-working-day') result.sameDay = localEpochDay(responded) === due.dayZeroDay;
		if (explain) {
			const when = `Responded ${formatInstant(responded)}`;
			const sameDay = result.sameDay ? ' (the same day)' : '';
			if (!met) lines.push(`${when}: late by ${amount(-result.margin, due.unit)}.`);
			else if (result.margin === 0 && due.unit !== 'hours') lines.push(`${when}: met on the due day${sameDay}.`);
			else lines.push(`${when}: met with ${amount(result.margin, due.unit)} to spare${sameDay}.`);
		}
		return result;
	}

	const m = measure(due, rule, calendar, now);
	result.elapsed = m.elapsed;
	if (now > due.dueMs) {
		result.status = 'overdue';
		result.margin = m.late;
		if (explain) lines.push(`Not yet responded at ${formatInstant(now)}: overdue by ${amount(-m.late, due.unit)}.`);
	} else {
		result.status = m.share >= standard.atRiskShare ? 'at-risk' : 'open';
		result.margin = m.margin;
		if (explain) {
			const used = m.elapsed !== null && due.unit === 'working-days' && rule.kind !== 'clear-working-days-before'
				? ` (${m.elapsed} of ${m.elapsed + m.margin} used)`
				: '';
			lines.push(`${result.status === 'at-risk' ? 'At risk' : 'Open'} at ${formatInstant(now)}: ${amount(m.margin, due.unit)} left${used}.`);
		}
	}
	return result;
}
