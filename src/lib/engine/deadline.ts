/**
 * When a contact is due under a rule, and why, in words an officer can read.
 *
 * Clock rules (docs/rules.md "Clock starts, restarts and pauses" and "Rules settled where sources leave a choice"):
 * - The clock starts at receipt, or at a later clock start; restarts (clarification, ID received)
 *   start it afresh from the latest one.
 * - Day counts work on Europe/London dates. N working days: the start date is day 0 whatever day
 *   it is (WhatDoTheyKnow, MoJ); due at the end of the Nth working day after it. An organisation
 *   may instead treat a non-working start day as starting on the next working day.
 * - Pauses (FOIA s.10(2), fee notice to payment) disregard the working days of the pause, both
 *   ends inclusive: the due date moves later by that many working days.
 */
import type { WorkingCalendar } from './calendar.ts';
import { clockStartMs } from './clock.ts';
import {
	addMonthsClampedEpoch,
	civilOf,
	endOfLocalDayMs,
	formatDay,
	formatDayShort,
	formatInstant,
	fromEpochDay,
	localEpochDay,
	toEpochDay
} from './dates.ts';
import { PAUSE_NAMES, pauseAuthority, type ClockEvents, type PauseReason } from './events.ts';
import { amount, describeRule, unitOf, type DeadlineRule, type DeadlineRuleKind, type MeasureUnit } from './rules.ts';

/** Days that do not count, both ends included; `to` null while it has not ended (the fee unpaid, the answer awaited). */
export interface Pause {
	from: Date;
	to: Date | null;
	/** What paused it; the standard's own kind of pause when not given. */
	reason?: PauseReason | null;
}

/** What the clock needs to know about a contact. */
export interface ClockFacts {
	receivedAt: Date;
	/** A later clock start: all information received, ID verified, meeting date. */
	clockStartAt?: Date | null;
	/** Clarification / ID received: the count starts afresh from the latest. */
	restarts?: readonly Date[] | null;
	/** Disregarded intervals (FOI fee notice to payment), inclusive of both days. */
	pauses?: readonly Pause[] | null;
	/** A lawful extension applies (SAR: to extendedMonths; FOI public interest: + working days). */
	extended?: boolean | null;
	/** Extra working days of this contact's extension, instead of the rule's default. */
	extensionWorkingDays?: number | null;
}

export interface DueOptions {
	/** Organisation setting, off by default: a clock starting on a non-working day starts on the next working day. */
	nonWorkingStartIsNextWorkingDay?: boolean;
	/** Build the explanation (default true); bulk scoring turns it off. */
	explain?: boolean;
	/** The clock events the standard allows (engine/events.ts), to name its restart and pause, and the pause's authority, in the explanation. */
	events?: ClockEvents;
	/** The organisation's closure days this standard does not apply (a statutory limit), to say so where they fall. */
	ignoredClosures?: readonly string[];
}

export interface Due {
	kind: DeadlineRuleKind;
	unit: MeasureUnit;
	startAt: Date;
	startDate: string;
	/** Day 0 of a day count; for same-day callbacks the request date; null for seconds and hours. */
	dayZero: string | null;
	dueAt: Date;
	dueDate: string;
	explanation: string[];
	// The same as epoch ms / epoch days, for callers doing arithmetic.
	startMs: number;
	dueMs: number;
	dayZeroDay: number | null;
	dueDay: number;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function describeCalendar(calendar: WorkingCalendar): string {
	const closures = calendar.closures.length ? ', or council closure days' : '';
	return calendar.code === 'foia-uk'
		? `FOIA working days (s.10(6)): not Saturdays, Sundays, Christmas Day, Good Friday or a bank holiday in any part of the UK${closures}.`
		: `Working days: Monday to Friday except England and Wales bank holidays${closures}.`;
}

/** Merge ended pauses into disjoint [fromDay, toDay] local-date intervals, in order (open ones: engine/assess.ts). */
export function pauseDays(pauses: readonly Pause[]): [number, number][] {
	const spans = pauses
		.filter((p): p is Pause & { to: Date } => p.to !== null)
		.map((p): [number, number] => [localEpochDay(p.from.getTime()), localEpochDay(p.to.getTime())])
		.filter(([from, to]) => to >= from)
		.sort((a, b) => a[0] - b[0]);
	const merged: [number, number][] = [];
	for (const span of spans) {
		const last = merged[merged.length - 1];
		if (last && span[0] <= last[1] + 1) last[1] = Math.max(last[1], span[1]);
		else merged.push(span);
	}
	return merged;
}

/** What a pause is called in an explanation: '(fee notice to payment, both days counted; FOIA s.10(2))'. */
function pauseWords(options: DueOptions, reasons: readonly (PauseReason | null | undefined)[], receivedOn: string): string {
	const pause = options.events?.pause;
	const reason = pause?.reason ?? reasons.find((r) => r) ?? 'fee-notice';
	const authority = pause ? `; ${pauseAuthority(pause, receivedOn)}` : '';
	return `${PAUSE_NAMES[reason].paused}, both days counted${authority}`;
}

/** Holidays and closure days (not weekends) after `from` up to `to`, in one line; null if none. */
function skippedLine(calendar: WorkingCalendar, from: number, to: number, lead = 'Not counted (besides weekends)'): string | null {
	if (to <= from) return null;
	const skipped = calendar.holidaysBetween(fromEpochDay(from), fromEpochDay(to));
	if (!skipped.length) return null;
	return `${lead}: ${skipped.map((h) => `${formatDayShort(toEpochDay(h.date))} ${h.reason}`).join(', ')}.`;
}

/**
 * The organisation's closure days in [from, to] this standard does not apply: named, and said to
 * count. With a calendar, only those that are working days on it (a closure on Boxing Day says nothing).
 */
function ignoredClosuresLine(ignored: readonly string[] | undefined, from: number, to: number, calendar?: WorkingCalendar): string | null {
	const inside = (ignored ?? [])
		.map(toEpochDay)
		.filter((d) => d >= from && d <= to && (!calendar || calendar.isWorkingEpochDay(d)))
		.sort((a, b) => a - b);
	if (!inside.length) return null;
	const days = inside.map((d) => formatDayShort(d)).join(', ');
	const are = inside.length === 1 ? 'is a council closure day' : 'are council closure days';
	return `${days} ${are}, but closure days do not apply to a statutory limit: ${inside.length === 1 ? 'it counts' : 'they count'} as usual.`;
}

/**
 * A due instant as the Europe/London wall clock, for "Due by …": to the minute, or to the second
 * at the end of a day ('Thu 22 Jan 2026 23:59:59'), so the last minute does not read as early.
 */
export function formatDueBy(dueMs: number): string {
	return `${formatInstant(dueMs)}${dueMs % 60_000 === 59_999 ? ':59' : ''}`;
}

/**
 * When a contact is due under a rule on a calendar. The calendar decides which days work
 * (pass one with the organisation's closure days only for standards that take them).
 */
export function computeDue(rule: DeadlineRule, calendar: WorkingCalendar, facts: ClockFacts, options: DueOptions = {}): Due {
	const lines: string[] | null = options.explain === false ? null : [];
	const unit = unitOf(rule);
	const startMs = clockStartMs(facts, { rule, events: options.events }, lines);
	const startDay = localEpochDay(startMs);
	let dayZero: number | null = null;
	let dueDay: number;
	let dueMs: number | undefined; // defaults to the end of dueDay

	switch (rule.kind) {
		case 'seconds': {
			dueMs = startMs + rule.seconds * 1000;
			dueDay = localEpochDay(dueMs);
			lines?.push(`To be answered ${describeRule(rule)}.`);
			break;
		}
		case 'working-days': {
			dayZero = startDay;
			lines?.push(describeCalendar(calendar));
			if (options.nonWorkingStartIsNextWorkingDay && !calendar.isWorkingEpochDay(startDay)) {
				dayZero = calendar.nextWorkingEpochDay(startDay);
				lines?.push(
					`${formatDay(startDay)} is not a working day (${calendar.nonWorkingReasonEpochDay(startDay)}); treated as received on ${formatDay(dayZero)}.`
				);
			}
			let days = rule.days;
			const extension = facts.extended === false ? 0 : (facts.extensionWorkingDays ?? (facts.extended ? (rule.extensionDays ?? 0) : 0));
			if (extension > 0) {
				days += extension;
				lines?.push(`Extended by ${amount(extension, 'working-days')}: ${rule.days} + ${extension} = ${days}.`);
			} else if (facts.extended) {
				lines?.push('Marked extended, but this standard has no extension; not applied.');
			}
			const counted = days;
			dueDay = calendar.addWorkingEpochDays(dayZero, days);
			lines?.push(`Day 0 is ${formatDay(dayZero)}; working day 1 is ${formatDay(calendar.addWorkingEpochDays(dayZero, 1))}.`);
			let paused = 0;
			for (const [from, to] of pauseDays(facts.pauses ?? [])) {
				const first = Math.max(from, dayZero + 1);
				const span = `${formatDay(from)} to ${formatDay(to)}`;
				if (from > dueDay) {
					lines?.push(`Pause ${span} began after the due date; not applied.`);
				} else if (first <= to) {
					const these = calendar.workingEpochDaysBetween(first - 1, to);
					paused += these;
					days += these;
					dueDay = calendar.addWorkingEpochDays(dayZero, days);
					lines?.push(`Paused ${span} (${pauseWords(options, (facts.pauses ?? []).map((p) => p.reason), fromEpochDay(startDay))}): ${amount(these, 'working-days')} disregarded.`);
				}
			}
			if (lines) {
				const skipped = skippedLine(calendar, dayZero, dueDay);
				if (skipped) lines.push(skipped);
				const closures = ignoredClosuresLine(options.ignoredClosures, dayZero + 1, dueDay, calendar);
				if (closures) lines.push(closures);
				lines.push(
					paused > 0
						? `Working day ${counted} is ${formatDay(dueDay)} (the ${amount(paused, 'working-days')} paused not counted).`
						: `Working day ${counted} is ${formatDay(dueDay)}.`
				);
			}
			break;
		}
		case 'calendar-days': {
			dayZero = startDay;
			let days = rule.days;
			for (const [from, to] of pauseDays(facts.pauses ?? [])) {
				const first = Math.max(from, startDay + 1);
				if (first <= to && from <= startDay + days) {
					days += to - first + 1;
					lines?.push(
						`Paused ${formatDay(from)} to ${formatDay(to)} (${pauseWords(options, (facts.pauses ?? []).map((p) => p.reason), fromEpochDay(startDay))}): ${amount(to - first + 1, 'calendar-days')} disregarded.`
					);
				}
			}
			dueDay = startDay + days;
			lines?.push(`${formatDay(startDay)} + ${plural(days, 'calendar day')} is ${formatDay(dueDay)}.`);
			if (rule.rollForward && !calendar.isWorkingEpochDay(dueDay)) {
				const reason = calendar.nonWorkingReasonEpochDay(dueDay);
				const from = dueDay;
				dueDay = calendar.nextWorkingEpochDay(dueDay);
				lines?.push(`That is not a working day (${reason}); moved to ${formatDay(dueDay)}.`);
				const skipped = lines ? skippedLine(calendar, from - 1, dueDay - 1, 'Skipped') : null;
				if (skipped) lines?.push(skipped);
			} else if (!rule.rollForward) {
				lines?.push('Calendar days: the date is not moved off weekends or holidays.');
				const closures = lines ? ignoredClosuresLine(options.ignoredClosures, dueDay, dueDay) : null;
				if (closures) lines?.push(closures);
			}
			break;
		}
		case 'calendar-months': {
			dayZero = startDay;
			const extended = Boolean(facts.extended && rule.extendedMonths);
			const months = extended ? (rule.extendedMonths as number) : rule.months;
			if (extended) lines?.push(`Extended: ${months} months from the start, not ${rule.months} plus ${months - rule.months}.`);
			else if (facts.extended) lines?.push('Marked extended, but this standard has no extension; not applied.');
			// ICO: day 1 is the day of receipt; due on the corresponding date.
			let corresponding = addMonthsClampedEpoch(startDay, months);
			const wanted = civilOf(startDay).day;
			if (civilOf(corresponding).day !== wanted) {
				lines?.push(`${formatDay(startDay)} + ${months} month${months === 1 ? '' : 's'}: no such date, so the last day of the month, ${formatDay(corresponding)}.`);
			} else {
				lines?.push(`${formatDay(startDay)} + ${months} month${months === 1 ? '' : 's'} is ${formatDay(corresponding)}.`);
			}
			for (const [from, to] of pauseDays(facts.pauses ?? [])) {
				const first = Math.max(from, startDay);
				if (first <= to && from <= corresponding) {
					corresponding += to - first + 1;
					lines?.push(
						`Paused ${formatDay(from)} to ${formatDay(to)} (${pauseWords(options, (facts.pauses ?? []).map((p) => p.reason), fromEpochDay(startDay))}): ${amount(to - first + 1, 'calendar-days')} do not count, so ${formatDay(corresponding)}.`.replace('1 day do not', '1 day does not')
					);
				}
			}
			dueDay = calendar.nextWorkingEpochDay(corresponding, true);
			if (dueDay !== corresponding) {
				lines?.push(`That is not a working day (${calendar.nonWorkingReasonEpochDay(corresponding)}): the next working day is ${formatDay(dueDay)}.`);
				const skipped = lines ? skippedLine(calendar, corresponding - 1, dueDay - 1, 'Skipped') : null;
				if (skipped) lines?.push(skipped);
			}
			{
				const closures = lines ? ignoredClosuresLine(options.ignoredClosures, dueDay, dueDay) : null;
				if (closures) lines?.push(closures);
			}
			break;
		}
		case 'same-or-next-working-day': {
			dayZero = startDay;
			dueDay = calendar.addWorkingEpochDays(startDay, 1);
			lines?.push(`Same day means by the end of ${formatDay(startDay)}; the standard allows until the end of the next working day, ${formatDay(dueDay)}.`);
			if (lines) {
				lines.splice(lines.length - 1, 0, describeCalendar(calendar));
				const skipped = skippedLine(calendar, startDay, dueDay);
				if (skipped) lines.push(skipped);
			}
			break;
		}
		case 'hours-or-next-working-day': {
			const limitMs = startMs + rule.hours * 3_600_000;
			const limitDay = localEpochDay(limitMs);
			if (calendar.isWorkingEpochDay(limitDay)) {
				dueMs = limitMs;
				dueDay = limitDay;
				lines?.push(`${amount(rule.hours, 'hours')} later is ${formatInstant(limitMs)}, a working day.`);
			} else {
				dueDay = calendar.nextWorkingEpochDay(limitDay);
				lines?.push(
					`${amount(rule.hours, 'hours')} later is ${formatInstant(limitMs)}, not a working day (${calendar.nonWorkingReasonEpochDay(limitDay)}), so the end of the next working day, ${formatDay(dueDay)}.`
				);
				if (lines) {
					lines.push(describeCalendar(calendar));
					const skipped = skippedLine(calendar, limitDay - 1, dueDay - 1);
					if (skipped) lines.push(skipped);
				}
			}
			break;
		}
		case 'clear-working-days-before': {
			// The N working days strictly between publication and meeting: the latest publication
			// day is the calendar day before the Nth working day back from the meeting.
			const earliestClear = calendar.addWorkingEpochDays(startDay, -rule.days);
			dayZero = startDay;
			dueDay = earliestClear - 1;
			if (lines) {
				lines.push(`Meeting ${formatDay(startDay)}.`);
				lines.push(describeCalendar(calendar));
				if (!calendar.isWorkingEpochDay(startDay)) {
					lines.push(`The meeting day is not a working day (${calendar.nonWorkingReasonEpochDay(startDay)}); the clear days are the working days before it.`);
				}
				lines.push(
					`The ${amount(rule.days, 'working-days').replace('working day', 'clear working day')} before it run from ${formatDay(earliestClear)} to ${formatDay(calendar.addWorkingEpochDays(startDay, -1))}, so the agenda must be published by the day before them.`
				);
				const skipped = skippedLine(calendar, dueDay, startDay - 1);
				if (skipped) lines.push(skipped);
				if (!calendar.isWorkingEpochDay(dueDay)) {
					const lastWorking = calendar.addWorkingEpochDays(dueDay, -1);
					lines.push(
						`${formatDay(dueDay)} is not a working day (${calendar.nonWorkingReasonEpochDay(dueDay)}): the last working day before it is ${formatDay(lastWorking)}, if the agenda cannot be published when the office is shut.`
					);
				}
				const closures = ignoredClosuresLine(options.ignoredClosures, dueDay, startDay - 1, calendar);
				if (closures) lines.push(closures);
			}
			break;
		}
	}
	const due = dueMs ?? endOfLocalDayMs(dueDay);
	if (rule.kind !== 'seconds') {
		lines?.push(dueMs === undefined ? `Due by the end of ${formatDay(dueDay)}.` : `Due by ${formatDueBy(due)}.`);
	}
	return {
		kind: rule.kind,
		unit,
		startAt: new Date(startMs),
		startDate: fromEpochDay(startDay),
		dayZero: dayZero === null ? null : fromEpochDay(dayZero),
		dueAt: new Date(due),
		dueDate: fromEpochDay(dueDay),
		explanation: lines ?? [],
		startMs,
		dueMs: due,
		dayZeroDay: dayZero,
		dueDay
	};
}
