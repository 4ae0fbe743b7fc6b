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
import { describeRule, unitOf, type DeadlineRule, type DeadlineRuleKind, type MeasureUnit } from './rules.ts';

export interface Pause {
	from: Date;
	to: Date;
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

function describeCalendar(calendar: WorkingCalendar): string {
	const closures = calendar.closures.length ? ', or council closure days' : '';
	return calendar.code === 'foia-uk'
		? `FOIA working days (s.10(6)): not Saturdays, Sundays, Christmas Day, Good Friday or a bank holiday in any part of the UK${closures}.`
		: `Working days: Monday to Friday except England and Wales bank holidays${closures}.`;
}

/** Merge pauses into disjoint [fromDay, toDay] local-date intervals, in order. */
function pauseDays(pauses: readonly Pause[]): [number, number][] {
	const spans = pauses
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
	const startMs = clockStartMs(facts, { rule }, lines);
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
				lines?.push(`Extended by ${extension} working days: ${rule.days} + ${extension} = ${days}.`);
			} else if (facts.extended) {
				lines?.push('Marked extended, but this standard has no extension; not applied.');
			}
			dueDay = calendar.addWorkingEpochDays(dayZero, days);
			lines?.push(`Day 0 is ${formatDay(dayZero)}; day 1 is ${formatDay(calendar.addWorkingEpochDays(dayZero, 1))}.`);
			for (const [from, to] of pauseDays(facts.pauses ?? [])) {
				const first = Math.max(from, dayZero + 1);
				const span = `${formatDay(from)} to ${formatDay(to)}`;
				if (from > dueDay) {
					lines?.push(`Pause ${span} began after the due date; not applied.`);
				} else if (first <= to) {
					const paused = calendar.workingEpochDaysBetween(first - 1, to);
					days += paused;
					dueDay = calendar.addWorkingEpochDays(dayZero, days);
					lines?.push(`Paused ${span} (fee notice to payment, both days included): ${paused} working days disregarded.`);
				}
			}
			if (lines) {
				const skipped = calendar.holidaysBetween(fromEpochDay(dayZero), fromEpochDay(dueDay));
				if (skipped.length) {
					const list = skipped.map((h) => `${formatDayShort(toEpochDay(h.date))} ${h.reason}`).join(', ');
					lines.push(`Not counted (besides weekends): ${list}.`);
				}
				lines.push(`Day ${days} is ${formatDay(dueDay)}.`);
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
					lines?.push(`Paused ${formatDay(from)} to ${formatDay(to)}: ${to - first + 1} days disregarded.`);
				}
			}
			dueDay = startDay + days;
			lines?.push(`${formatDay(startDay)} + ${days} calendar days is ${formatDay(dueDay)}.`);
			if (rule.rollForward && !calendar.isWorkingEpochDay(dueDay)) {
				const reason = calendar.nonWorkingReasonEpochDay(dueDay);
				dueDay = calendar.nextWorkingEpochDay(dueDay);
				lines?.push(`That is not a working day (${reason}); moved to ${formatDay(dueDay)}.`);
			} else if (!rule.rollForward) {
				lines?.push('Calendar days: the date is not moved off weekends or holidays.');
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
					lines?.push(`Paused ${formatDay(from)} to ${formatDay(to)}: ${to - first + 1} days disregarded, so ${formatDay(corresponding)}.`);
				}
			}
			dueDay = calendar.nextWorkingEpochDay(corresponding, true);
			if (dueDay !== corresponding) {
				lines?.push(`That is not a working day (${calendar.nonWorkingReasonEpochDay(corresponding)}): the next working day is ${formatDay(dueDay)}.`);
			}
			break;
		}
		case 'same-or-next-working-day': {
			dayZero = startDay;
			dueDay = calendar.addWorkingEpochDays(startDay, 1);
			lines?.push(`Same day means by the end of ${formatDay(startDay)}; the standard allows until the end of the next working day, ${formatDay(dueDay)}.`);
			break;
		}
		case 'hours-or-next-working-day': {
			const limitMs = startMs + rule.hours * 3_600_000;
			const limitDay = localEpochDay(limitMs);
			if (calendar.isWorkingEpochDay(limitDay)) {
				dueMs = limitMs;
				dueDay = limitDay;
				lines?.push(`${rule.hours} hours later is ${formatInstant(limitMs)}, a working day.`);
			} else {
				dueDay = calendar.nextWorkingEpochDay(limitDay);
				lines?.push(
					`${rule.hours} hours later is ${formatInstant(limitMs)}, not a working day (${calendar.nonWorkingReasonEpochDay(limitDay)}), so the end of the next working day.`
				);
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
				lines.push(
					`The ${rule.days} clear working days before it run from ${formatDay(earliestClear)} to ${formatDay(calendar.addWorkingEpochDays(startDay, -1))}, so the agenda must be published by the day before them.`
				);
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
