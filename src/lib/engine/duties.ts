/**
 * Periodic duties: obligations with a due date rather than a contact (docs/rules.md "Periodic duties").
 * Each rule turns an anchor (a canvass year, a month, a meeting date, a review period's start) into
 * a due date on the council's working-day calendar, and says why.
 */
import type { WorkingCalendar } from './calendar.ts';
import { addMonthsClamped, addCalendarDays, formatDate, toEpochDay } from './dates.ts';

export const DUTY_CODES = ['es.register-publication', 'es.monthly-notice', 'es.polling-review', 'es.canvass', 'ds.agenda', 'ds.minutes'] as const;
export type DutyCode = (typeof DUTY_CODES)[number];

export const DUTY_NAMES: Record<DutyCode, string> = {
	'es.register-publication': 'Revised register published',
	'es.monthly-notice': 'Monthly notice of alteration',
	'es.polling-review': 'Review of polling districts and places',
	'es.canvass': 'Canvass communication to every property',
	'ds.agenda': 'Agenda published',
	'ds.minutes': 'Minutes published'
};

export type DutyStatus = 'met' | 'late' | 'due' | 'overdue';

export interface DueDate {
	dueOn: string;
	/** Why it is due then, in a sentence. */
	reason: string;
}

/** The canvass period: from 1 July to the revised register's usual publication on 1 December. */
export function canvassPeriod(canvassYear: number): { start: string; end: string } {
	return { start: `${canvassYear}-07-01`, end: `${canvassYear}-12-01` };
}

/**
 * The revised register is published by 1 December; when a poll was held during the canvass the
 * Electoral Registration Officer may publish it by 1 February instead (RPA 1983 s.13(1)).
 */
export function registerPublicationDue(canvassYear: number, polls: readonly string[]): DueDate {
	const period = canvassPeriod(canvassYear);
	const poll = polls.find((date) => date >= period.start && date <= period.end);
	if (poll) return { dueOn: `${canvassYear + 1}-02-01`, reason: `1 February, as a poll was held during the canvass (${formatDate(toEpochDay(poll))})` };
	return { dueOn: `${canvassYear}-12-01`, reason: '1 December, the revised register’s publication date' };
}

/** Monthly notices of alteration are published outside the canvass (January to July). */
export function isNoticeMonth(month: string): boolean {
	const m = Number(month.slice(5, 7));
	return m >= 1 && m <= 7;
}

/** A notice of alteration is due on the first working day of its month. */
export function monthlyNoticeDue(month: string, calendar: WorkingCalendar): DueDate {
	const first = `${month.slice(0, 7)}-01`;
	const dueOn = calendar.nextWorkingDay(first, true);
	return { dueOn, reason: dueOn === first ? 'The first working day of the month' : `The first working day of the month (the 1st is a ${calendar.nonWorkingReason(first)})` };
}

/**
 * A notice's cut-off: changes determined on or before it belong in the notice. The law fixes no
 * cut-off (the notice is published on the first working day of the month); Yardstick takes the
 * 7th working day before the notice is due, which leaves the week EMS suppliers advise for
 * printing and checking the notice.
 */
export const NOTICE_CUT_OFF_WORKING_DAYS = 7;
export function noticeCutOff(dueOn: string, calendar: WorkingCalendar): string {
	return calendar.addWorkingDays(dueOn, -NOTICE_CUT_OFF_WORKING_DAYS);
}

/** Compulsory reviews run in the 16 months from 1 October 2023, then every fifth year (Elections Act 2022). */
export const FIRST_POLLING_REVIEW_START = '2023-10-01';

/** The compulsory review whose period starts on `start` (a 1 October) must be finished by the end of the 16th month. */
export function pollingReviewDue(start: string): DueDate {
	const dueOn = addCalendarDays(addMonthsClamped(start, 16), -1);
	return { dueOn, reason: `Within the 16 months from ${formatDate(toEpochDay(start))}; reviews recur every 5 years` };
}

/** The compulsory review periods' starts that end inside (or overlap) a range. */
export function pollingReviewStarts(from: string, to: string): string[] {
	const starts: string[] = [];
	for (let year = Number(FIRST_POLLING_REVIEW_START.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 5) {
		const start = `${year}-10-01`;
		if (start <= to && pollingReviewDue(start).dueOn >= from) starts.push(start);
	}
	return starts;
}

/**
 * The agenda is published at least 5 clear working days before the meeting (LGA 1972 s.100B):
 * neither the day of publication nor the day of the meeting counts, so the last day to publish is
 * the 6th working day before the meeting.
 */
export function agendaDue(meetingOn: string, calendar: WorkingCalendar): DueDate {
	return { dueOn: calendar.addWorkingDays(meetingOn, -6), reason: '5 clear working days before the meeting (LGA 1972 s.100B)' };
}

/** Minutes within 13 working days of the meeting (the Democratic Services standard). */
export function minutesDue(meetingOn: string, calendar: WorkingCalendar): DueDate {
	return { dueOn: calendar.addWorkingDays(meetingOn, 13), reason: '13 working days after the meeting' };
}

/** The canvass communication goes to every property by the end of July (the canvass plan). */
export function canvassDue(canvassYear: number): DueDate {
	return { dueOn: `${canvassYear}-07-31`, reason: 'Every property contacted by 31 July, the canvass plan’s date' };
}

/**
 * The due date of a duty from its anchor: the canvass year's 1 July (register publication and
 * canvass), the month (notices), the review period's start (polling review), the meeting date.
 */
export function dutyDue(code: DutyCode, anchorOn: string, context: { calendar: WorkingCalendar; polls: readonly string[] }): DueDate {
	switch (code) {
		case 'es.register-publication':
			return registerPublicationDue(Number(anchorOn.slice(0, 4)), context.polls);
		case 'es.monthly-notice':
			return monthlyNoticeDue(anchorOn, context.calendar);
		case 'es.polling-review':
			return pollingReviewDue(anchorOn);
		case 'es.canvass':
			return canvassDue(Number(anchorOn.slice(0, 4)));
		case 'ds.agenda':
			return agendaDue(anchorOn, context.calendar);
		case 'ds.minutes':
			return minutesDue(anchorOn, context.calendar);
	}
}

export function isDutyCode(code: string): code is DutyCode {
	return (DUTY_CODES as readonly string[]).includes(code);
}

/** Met when done on or before its due date; late after it; otherwise due, or overdue once the due date has passed. */
export function dutyStatus(dueOn: string, doneOn: string | null, today: string): DutyStatus {
	if (doneOn !== null) return doneOn <= dueOn ? 'met' : 'late';
	return dueOn < today ? 'overdue' : 'due';
}

export interface ExpectedDuty {
	code: DutyCode;
	anchorOn: string;
	occurrence: string;
	dueOn: string;
	reason: string;
}

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The fixed-calendar duties due in a range, whether or not anything was recorded for them: the
 * revised register each year, the monthly notices, the compulsory polling district reviews.
 * (Agenda and minutes follow the meetings, which the council records.)
 */
export function expectedDuties(range: { from: string; to: string }, context: { calendar: WorkingCalendar; polls: readonly string[] }): ExpectedDuty[] {
	const out: ExpectedDuty[] = [];
	const inRange = (dueOn: string) => dueOn >= range.from && dueOn <= range.to;
	for (let year = Number(range.from.slice(0, 4)) - 1; year <= Number(range.to.slice(0, 4)); year++) {
		const anchorOn = `${year}-07-01`;
		const due = registerPublicationDue(year, context.polls);
		if (inRange(due.dueOn)) out.push({ code: 'es.register-publication', anchorOn, occurrence: `Revised register ${year}`, ...due });
	}
	for (let month = `${range.from.slice(0, 7)}-01`; month <= range.to; month = addMonthsClamped(month, 1)) {
		if (!isNoticeMonth(month)) continue;
		const due = monthlyNoticeDue(month, context.calendar);
		if (inRange(due.dueOn)) out.push({ code: 'es.monthly-notice', anchorOn: month, occurrence: `Notice of alteration ${monthName.format(new Date(`${month}T00:00:00Z`))}`, ...due });
	}
	for (const start of pollingReviewStarts(range.from, range.to)) {
		const due = pollingReviewDue(start);
		if (inRange(due.dueOn)) out.push({ code: 'es.polling-review', anchorOn: start, occurrence: `Compulsory review ${start.slice(0, 4)}–${String(Number(start.slice(0, 4)) + 1).slice(2)}`, ...due });
	}
	return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}
