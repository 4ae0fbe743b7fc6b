/**
 * Breach alerts: when an open contact crosses each alert level, and how much time it has left,
 * in the standard's own unit.
 *
 * Levels (per standard; see AlertThresholds):
 * - notice: a share of the allowed time has gone (default 50%);
 * - warning: a larger share has gone (default the version's at-risk share, 75%);
 * - breach: the due instant has passed;
 * - very-overdue: a multiple of the allowed time has gone (default twice, statutory standards only).
 *
 * When a level is crossed, by unit:
 * - working days: the allowed time is T working days after day 0 (T includes extensions and
 *   paused days). A share s is crossed at 00:00 Europe/London at the start of working day
 *   ceil(s × T) — the day on which the elapsed count (engine/assess.ts) reaches s × T. Weekends,
 *   bank holidays and closure days never start a level: a level due on a Saturday starts Monday.
 * - calendar days (and calendar months, counted as the days from day 0 to the due date): 00:00
 *   at the start of calendar day ceil(s × T).
 * - hours: the exact instant start + s × (due − start).
 * - breach: the instant after the due instant (00:00 after the due day for day counts).
 * - very overdue at factor f: the instant after the end of day ceil(f × T) (working or calendar),
 *   i.e. when a deadline f times as long would have passed; for hours, start + f × (due − start).
 * Midnight always exists in Europe/London (clocks change at 01:00 UTC), so day boundaries are
 * unambiguous on clock-change nights; a 23- or 25-hour day is still one day.
 */
import type { WorkingCalendar } from './calendar.ts';
import { formatInstant, formatLocalTime, localEpochDay, startOfLocalDayMs } from './dates.ts';
import { amount, unitOf, type DeadlineRule, type MeasureUnit } from './rules.ts';

export const CONTACT_ALERT_LEVELS = ['notice', 'warning', 'breach', 'very-overdue'] as const;
export type ContactAlertLevel = (typeof CONTACT_ALERT_LEVELS)[number];

export const ALERT_LEVEL_NAMES: Record<ContactAlertLevel | 'service-level', string> = {
	notice: 'Notice',
	warning: 'Warning',
	breach: 'Breached',
	'very-overdue': 'Very overdue',
	'service-level': 'Service level'
};

/** A standard's alert levels; null turns a level off. */
export interface AlertThresholds {
	/** Share of the allowed time, 0–1. */
	noticeShare: number | null;
	warningShare: number | null;
	/** Multiple of the allowed time, > 1. */
	veryOverdueFactor: number | null;
}

export const DEFAULT_NOTICE_SHARE = 0.5;
export const DEFAULT_WARNING_SHARE = 0.75;
export const DEFAULT_VERY_OVERDUE_FACTOR = 2;

/** The defaults: notice 50%, warning at the at-risk share, very overdue at 2× for statutory standards only. */
export function defaultThresholds(statutory: boolean, atRiskShare: number = DEFAULT_WARNING_SHARE): AlertThresholds {
	return {
		noticeShare: DEFAULT_NOTICE_SHARE,
		warningShare: atRiskShare,
		veryOverdueFactor: statutory ? DEFAULT_VERY_OVERDUE_FACTOR : null
	};
}

/** An open contact's clock under one standard version. */
export interface OpenClock {
	rule: DeadlineRule;
	/** The version's calendar (with the closure days it takes). */
	calendar: WorkingCalendar;
	/** When the clock started (any instant on the start day will do for day counts). */
	startMs: number;
	/** Day 0 of a day count (epoch day) when it is not the start date (a non-working receipt moved on). */
	dayZero?: number;
	dueMs: number;
}

export interface Crossing {
	level: ContactAlertLevel;
	atMs: number;
}

// ceil without float noise: 0.7 × 10 is 7.000000000000001.
const ceilShare = (share: number, total: number) => Math.ceil(share * total - 1e-9);

/** The instants at which an open contact crosses each enabled level, in level order. */
export function crossings(clock: OpenClock, thresholds: AlertThresholds): Crossing[] {
	const { rule, calendar, dueMs } = clock;
	const unit = unitOf(rule);
	const breach: Crossing = { level: 'breach', atMs: dueMs + 1 };
	if (unit === 'seconds') return [breach];
	const shares: [ContactAlertLevel, number | null][] = [
		['notice', thresholds.noticeShare],
		['warning', thresholds.warningShare]
	];
	const out: Crossing[] = [];
	const factor = thresholds.veryOverdueFactor;

	if (unit === 'hours') {
		const total = dueMs - clock.startMs;
		for (const [level, share] of shares) {
			if (share !== null && total > 0) out.push({ level, atMs: clock.startMs + Math.ceil(share * total) });
		}
		out.push(breach);
		if (factor !== null && total > 0) out.push({ level: 'very-overdue', atMs: clock.startMs + Math.ceil(factor * total) + 1 });
		return tidy(out);
	}

	const dueDay = localEpochDay(dueMs);
	let dayZero: number;
	let total: number;
	let dayAt: (k: number) => number;
	if (unit === 'working-days') {
		if (rule.kind === 'clear-working-days-before') {
			// The window is the N working days up to the publication deadline (engine/assess.ts):
			// a virtual day 0 N working days before the last working day on or before it.
			total = rule.days;
			dayZero = calendar.addWorkingEpochDays(dueDay + 1, -(total + 1));
		} else {
			dayZero = clock.dayZero ?? localEpochDay(clock.startMs);
			total = calendar.workingEpochDaysBetween(dayZero, dueDay);
		}
		dayAt = (k) => calendar.addWorkingEpochDays(dayZero, k);
	} else {
		dayZero = clock.dayZero ?? localEpochDay(clock.startMs);
		total = dueDay - dayZero;
		dayAt = (k) => dayZero + k;
	}
	for (const [level, share] of shares) {
		if (share !== null && total > 0) out.push({ level, atMs: startOfLocalDayMs(dayAt(Math.max(1, ceilShare(share, total)))) });
	}
	out.push(breach);
	if (factor !== null && total > 0) out.push({ level: 'very-overdue', atMs: startOfLocalDayMs(dayAt(ceilShare(factor, total)) + 1) });
	return tidy(out);
}

/** Levels never come before a lower one: a share level at or after the breach is dropped. */
function tidy(out: Crossing[]): Crossing[] {
	const breachAt = out.find((c) => c.level === 'breach')!.atMs;
	return out.filter((c) => c.level === 'breach' || (c.level === 'very-overdue' ? c.atMs > breachAt : c.atMs < breachAt));
}

/** The highest level crossed at an instant, or null when none is. */
export function levelAt(clock: OpenClock, thresholds: AlertThresholds, nowMs: number): ContactAlertLevel | null {
	let level: ContactAlertLevel | null = null;
	for (const crossing of crossings(clock, thresholds)) if (crossing.atMs <= nowMs) level = crossing.level;
	return level;
}


/**
 * Time left or overdue at an instant, in the standard's unit: '2 working days left',
 * 'due today 23:59', 'overdue by 1 working day', '5 hours left', 'overdue by 3 days'.
 * Overdue counts whole units since the due day, at least 1 (as the assessment's margin does).
 */
export function timeLeft(unit: MeasureUnit, calendar: WorkingCalendar, dueMs: number, nowMs: number): string {
	const today = localEpochDay(nowMs);
	const dueDay = localEpochDay(dueMs);
	if (nowMs > dueMs) {
		switch (unit) {
			case 'working-days':
				return `overdue by ${amount(Math.max(1, calendar.workingEpochDaysBetween(dueDay, today)), unit)}`;
			case 'calendar-days':
				return `overdue by ${amount(Math.max(1, today - dueDay), unit)}`;
			case 'hours':
				return `overdue by ${amount(Math.max(1, Math.floor((nowMs - dueMs) / 3_600_000)), unit)}`;
			case 'seconds':
				return `overdue by ${amount(Math.max(1, Math.floor((nowMs - dueMs) / 1000)), unit)}`;
		}
	}
	if (today === dueDay && unit !== 'seconds') return `due today ${formatLocalTime(dueMs)}`;
	switch (unit) {
		case 'working-days': {
			const left = calendar.workingEpochDaysBetween(today, dueDay);
			return left > 0 ? `${amount(left, unit)} left` : `due ${formatInstant(dueMs)}`;
		}
		case 'calendar-days':
			return `${amount(dueDay - today, unit)} left`;
		case 'hours':
			return `${amount(Math.max(1, Math.floor((dueMs - nowMs) / 3_600_000)), unit)} left`;
		case 'seconds':
			return `${amount(Math.max(0, Math.ceil((dueMs - nowMs) / 1000)), unit)} left`;
	}
}
