import { describe, expect, it } from 'vitest';
import { getCalendar } from '../../../src/lib/engine/calendar.ts';
import {
	agendaDue,
	dutyDue,
	dutyStatus,
	expectedDuties,
	minutesDue,
	monthlyNoticeDue,
	pollingReviewDue,
	registerPublicationDue
} from '../../../src/lib/engine/duties.ts';

const calendar = getCalendar('england-wales');
const polls = ['2024-05-02', '2024-07-04', '2025-05-01', '2026-05-07'];

describe('the revised register', () => {
	it('is published by 1 December', () => {
		expect(registerPublicationDue(2025, polls).dueOn).toBe('2025-12-01');
	});

	it('is published by 1 February when a poll fell in the canvass (the July 2024 general election)', () => {
		const due = registerPublicationDue(2024, polls);
		expect(due.dueOn).toBe('2025-02-01');
		expect(due.reason).toContain('(4 July 2024)');
	});

	it('keeps 1 December when the only polls were in May', () => {
		expect(registerPublicationDue(2026, polls).dueOn).toBe('2026-12-01');
	});
});

describe('monthly notices of alteration', () => {
	it.each([
		['2026-01', '2026-01-02', 'New Year’s Day on the Thursday'],
		['2025-03', '2025-03-03', '1 March 2025 is a Saturday'],
		['2026-06', '2026-06-01', 'a Monday'],
		['2027-03', '2027-03-01', 'a Monday'],
		['2021-02', '2021-02-01', 'a Monday']
	])('the %s notice is due on %s (%s)', (month, expected) => {
		expect(monthlyNoticeDue(`${month}-01`, calendar).dueOn).toBe(expected);
	});

	it('moves past a bank holiday on the 1st: 1 January 2024 (a Monday) → 2 January', () => {
		const due = monthlyNoticeDue('2024-01-01', calendar);
		expect(due.dueOn).toBe('2024-01-02');
		expect(due.reason).toContain('New Year');
	});

	it('is expected January to July only (none during the canvass)', () => {
		const months = expectedDuties({ from: '2025-04-01', to: '2026-03-31' }, { calendar, polls })
			.filter((d) => d.code === 'es.monthly-notice')
			.map((d) => d.anchorOn.slice(0, 7));
		expect(months).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2026-01', '2026-02', '2026-03']);
	});
});

describe('the review of polling districts', () => {
	it('is due by 31 January 2025 for the compulsory review from 1 October 2023, then every 5 years', () => {
		expect(pollingReviewDue('2023-10-01').dueOn).toBe('2025-01-31');
		expect(pollingReviewDue('2028-10-01').dueOn).toBe('2030-01-31');
		const expected = expectedDuties({ from: '2024-04-01', to: '2031-03-31' }, { calendar, polls }).filter((d) => d.code === 'es.polling-review');
		expect(expected.map((d) => d.dueOn)).toEqual(['2025-01-31', '2030-01-31']);
	});
});

describe('agenda and minutes', () => {
	it('publishes the agenda 5 clear working days before: for a Thursday meeting, the Wednesday of the week before', () => {
		// Meeting Thursday 12 March 2026: the clear days are Thu 5, Fri 6, Mon 9, Tue 10 and Wed 11; publish by Wed 4 March.
		expect(agendaDue('2026-03-12', calendar).dueOn).toBe('2026-03-04');
		expect(calendar.workingDaysBetween('2026-03-04', '2026-03-12') - 1).toBe(5);
	});

	it('skips a bank holiday among the clear days: meeting Tuesday 27 May 2025 (Spring bank holiday on the 26th)', () => {
		// Clear days: Mon 19, Tue 20, Wed 21, Thu 22, Fri 23 (not Mon 26, a bank holiday): publish by Fri 16 May.
		expect(agendaDue('2025-05-27', calendar).dueOn).toBe('2025-05-16');
	});

	it('publishes minutes within 13 working days, past Easter: meeting Wednesday 2 April 2025 → Tuesday 23 April 2025', () => {
		// 13 working days after 2 Apr 2025, skipping Good Friday 18 and Easter Monday 21 April.
		expect(minutesDue('2025-04-02', calendar).dueOn).toBe('2025-04-23');
	});

	it('works out the due date from the anchor for every duty', () => {
		const context = { calendar, polls };
		expect(dutyDue('ds.minutes', '2025-04-02', context).dueOn).toBe('2025-04-23');
		expect(dutyDue('es.register-publication', '2024-07-01', context).dueOn).toBe('2025-02-01');
		expect(dutyDue('es.monthly-notice', '2026-01-01', context).dueOn).toBe('2026-01-02');
		expect(dutyDue('es.polling-review', '2023-10-01', context).dueOn).toBe('2025-01-31');
	});
});

describe('met, late, due or overdue', () => {
	it.each([
		['2026-03-02', '2026-03-02', '2026-03-10', 'met'],
		['2026-03-02', '2026-02-27', '2026-03-10', 'met'],
		['2026-03-02', '2026-03-03', '2026-03-10', 'late'],
		['2026-03-02', null, '2026-03-02', 'due'],
		['2026-03-02', null, '2026-03-03', 'overdue']
	] as const)('due %s, done %s, today %s: %s', (due, done, today, expected) => {
		expect(dutyStatus(due, done, today)).toBe(expected);
	});
});
