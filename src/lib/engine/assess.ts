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
import { computeDue, type ClockFacts, type Due } from './deadline.ts';
import { formatInstant, fromEpochDay, localEpochDay } from './dates.ts';
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

export type AssessmentStatus = 'met' | 'breached' | 'open' | 'at-risk' | 'overdue' | 'excluded';

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
	let due: Due;
	try {
		due = computeDue(rule, calendar, clockFactsFor(contact, standard), {
			explain,
			nonWorkingStartIsNextWorkingDay: options.nonWorkingStartIsNextWorkingDay
		});
	} catch (error) {
		// A date outside the calendar (bad data) must not stop a batch: leave the contact unscored.
		if (!(error instanceof RangeError)) throw error;
		return { status: 'excluded', dueAt: null, dueDate: null, elapsed: null, margin: null, unit: 'working-days', explanation: [`Not scored: ${error.message}.`] };
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

	const now = options.now.getTime();
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
