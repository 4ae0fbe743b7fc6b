import { describe, it, expect } from 'vitest';
import Holidays from 'date-holidays';
import { getCalendar } from '../../../src/lib/engine/calendar.ts';
import { computeDue, type ClockFacts, type DueOptions } from '../../../src/lib/engine/deadline.ts';
import { parseRule, describeRule, type DeadlineRule } from '../../../src/lib/engine/rules.ts';
import govuk from '../../fixtures/govuk-bank-holidays-2024-2028.json' with { type: 'json' };

const ew = getCalendar('england-wales');
const uk = getCalendar('foia-uk');
const christmasClosures = getCalendar('england-wales', { closures: ['2025-12-29', '2025-12-30', '2025-12-31'] });

const FOI: DeadlineRule = { kind: 'working-days', days: 20, extensionDays: 20 };
const SAR: DeadlineRule = { kind: 'calendar-months', months: 1, extendedMonths: 3 };
const SAR_40_DAYS: DeadlineRule = { kind: 'calendar-days', days: 40 };
const INFO: DeadlineRule = { kind: 'hours-or-next-working-day', hours: 24 };
const CALLBACK: DeadlineRule = { kind: 'same-or-next-working-day' };
const AGENDA: DeadlineRule = { kind: 'clear-working-days-before', days: 5 };
const wd = (days: number): DeadlineRule => ({ kind: 'working-days', days });

/** An instant from a Europe/London wall-clock time ('2025-12-19 16:10'); tests written in local time. */
function london(local: string): Date {
	const [date, time = '12:00'] = local.split(' ');
	const guess = new Date(`${date}T${time}:00Z`);
	const offset = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' })
		.formatToParts(guess)
		.find((p) => p.type === 'timeZoneName')?.value;
	return new Date(guess.getTime() - (offset === 'GMT+1' ? 3_600_000 : 0));
}

const due = (rule: DeadlineRule, calendar = ew, facts: Partial<ClockFacts> & { receivedAt: Date }, options?: DueOptions) =>
	computeDue(rule, calendar, facts, options);

describe('FOI: 20 FOIA working days, receipt is day 0', () => {
	it.each([
		['2025-12-19 16:10', '2026-01-22', 'Christmas, New Year and 2 January (Scotland)'],
		['2025-04-10', '2025-05-13', 'Good Friday, Easter Monday and the early May bank holiday'],
		['2025-07-16', '2025-08-14', 'the Scottish summer bank holiday (4 August)'],
		['2025-03-10', '2025-04-08', 'St Patrick’s Day (NI)'],
		['2025-03-15', '2025-04-14', 'receipt on a Saturday, then St Patrick’s Day'],
		['2024-02-08', '2024-03-07', 'a leap year February'],
		['2024-11-25', '2024-12-24', 'St Andrew’s Day substitute (2 December, Scotland)'],
		['2022-09-05', '2022-10-04', 'the state funeral (19 September 2022)'],
		['2022-05-24', '2022-06-23', 'the moved spring bank holiday and the Platinum Jubilee'],
		['2023-04-27', '2023-05-30', 'the coronation and both May bank holidays']
	])('received %s is due %s (%s)', (received, expected) => {
		expect(due(FOI, uk, { receivedAt: london(received) }).dueDate).toBe(expected);
	});

	it('counts the Scotland-only and NI-only days the council itself works', () => {
		expect(due(wd(20), ew, { receivedAt: london('2025-07-16') }).dueDate).toBe('2025-08-13');
		expect(due(wd(20), ew, { receivedAt: london('2025-03-10') }).dueDate).toBe('2025-04-07');
	});

	it('uses the Europe/London date of receipt, not the UTC one (BST)', () => {
		// 00:30 BST on Tue 1 July is still 30 June in UTC; 14 July 2025 is the NI Boyne substitute day.
		const result = due(FOI, uk, { receivedAt: new Date('2025-06-30T23:30:00Z') });
		expect(result.startDate).toBe('2025-07-01');
		expect(result.dueDate).toBe('2025-07-30');
		expect(result.dueAt.toISOString()).toBe('2025-07-30T22:59:59.999Z');
	});

	it('is due at 23:59:59.999 GMT in winter', () => {
		expect(due(FOI, uk, { receivedAt: london('2025-12-19 16:10') }).dueAt.toISOString()).toBe('2026-01-22T23:59:59.999Z');
	});

	it('optionally treats a non-working day of receipt as received on the next working day', () => {
		const options = { nonWorkingStartIsNextWorkingDay: true };
		const result = due(FOI, uk, { receivedAt: london('2025-03-15') }, options);
		expect(result.dayZero).toBe('2025-03-18'); // Mon 17 March is St Patrick's Day
		expect(result.dueDate).toBe('2025-04-15');
		expect(result.explanation).toContain('Saturday 15 March 2025 is not a working day (Saturday); treated as received on Tuesday 18 March 2025.');
		expect(due(FOI, uk, { receivedAt: london('2025-03-14') }, options).dueDate).toBe('2025-04-14');
	});

	it('restarts from the latest clarification', () => {
		const restarts = [london('2025-09-03'), london('2025-09-10 11:00'), london('2025-08-01')];
		const result = due(FOI, uk, { receivedAt: london('2025-09-01'), restarts });
		expect(result.startDate).toBe('2025-09-10');
		expect(result.dueDate).toBe('2025-10-08');
		expect(result.explanation).toContain('Clock restarted Wednesday 10 September 2025, 11am (clarification or ID received): the count starts afresh.');
	});

	it('disregards the working days from fee notice to payment, both included', () => {
		const plain = due(FOI, uk, { receivedAt: london('2025-09-01') });
		expect(plain.dueDate).toBe('2025-09-29');
		const paused = due(FOI, uk, {
			receivedAt: london('2025-09-01'),
			pauses: [{ from: london('2025-09-10 15:00'), to: london('2025-09-16 09:00') }]
		});
		expect(paused.dueDate).toBe('2025-10-06'); // 10, 11, 12, 15, 16 September disregarded
		expect(paused.explanation).toContain(
			'Paused Wednesday 10 September 2025 to Tuesday 16 September 2025 (fee notice to payment, both days counted): 5 working days disregarded.'
		);
	});

	it('counts overlapping pauses once and ignores one begun after the due date', () => {
		const result = due(FOI, uk, {
			receivedAt: london('2025-09-01'),
			pauses: [
				{ from: london('2025-09-10'), to: london('2025-09-12') },
				{ from: london('2025-09-11'), to: london('2025-09-16') },
				{ from: london('2025-11-03'), to: london('2025-11-07') }
			]
		});
		expect(result.dueDate).toBe('2025-10-06');
		expect(result.explanation).toContain('Pause Monday 3 November 2025 to Friday 7 November 2025 began after the due date; not applied.');
	});

	it('adds the public-interest extension as working days', () => {
		expect(due(FOI, uk, { receivedAt: london('2025-09-01'), extended: true }).dueDate).toBe('2025-10-27');
		expect(due(FOI, uk, { receivedAt: london('2025-09-01'), extended: true, extensionWorkingDays: 5 }).dueDate).toBe('2025-10-06');
		expect(due(FOI, uk, { receivedAt: london('2025-09-01'), extended: false, extensionWorkingDays: 5 }).dueDate).toBe('2025-09-29');
	});

	it('explains itself in full', () => {
		expect(due(FOI, uk, { receivedAt: london('2025-12-19 16:10') }).explanation).toEqual([
			'Received Friday 19 December 2025, 4:10pm.',
			'FOIA working days (s.10(6)): not Saturdays, Sundays, Christmas Day, Good Friday or a bank holiday in any part of the UK.',
			'Day 0 is Friday 19 December 2025; working day 1 is Monday 22 December 2025.',
			'Not counted (besides weekends): 25 December Christmas Day, 26 December Boxing Day, 1 January New Year’s Day, 2 January 2nd January (Scotland).',
			'Working day 20 is Thursday 22 January 2026.',
			'Due by the end of Thursday 22 January 2026.'
		]);
	});

	it('skips the explanation when asked, with the same due date', () => {
		const quiet = due(FOI, uk, { receivedAt: london('2025-12-19 16:10') }, { explain: false });
		expect(quiet.explanation).toEqual([]);
		expect(quiet.dueDate).toBe('2026-01-22');
	});
});

describe('FOI matches a naive day-by-day count for every day of receipt 2018–2027', () => {
	// Independent reference: date-holidays for every nation plus the official GOV.UK fixture.
	const holidays = new Set<string>();
	for (const state of ['ENG', 'WLS', 'SCT', 'NIR']) {
		const source = new Holidays('GB', state, { types: ['public'] });
		for (let year = 2018; year <= 2028; year++) for (const h of source.getHolidays(year)) holidays.add(h.date.slice(0, 10));
	}
	for (const division of Object.values(govuk)) for (const e of division.events) holidays.add(e.date);

	const next = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
	const isWorking = (date: string) => {
		const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
		return weekday !== 0 && weekday !== 6 && !holidays.has(date);
	};
	function naiveFoiDue(received: string): string {
		let date = received;
		for (let counted = 0; counted < 20; ) {
			date = next(date);
			if (isWorking(date)) counted++;
		}
		return date;
	}

	it('agrees on all 3,652 days', () => {
		let mismatches = 0;
		for (let date = '2018-01-01'; date <= '2027-12-31'; date = next(date)) {
			const engine = computeDue(FOI, uk, { receivedAt: london(`${date} 09:30`) }, { explain: false }).dueDate;
			if (engine !== naiveFoiDue(date)) {
				mismatches++;
				expect(engine, `received ${date}`).toBe(naiveFoiDue(date));
			}
		}
		expect(mismatches).toBe(0);
	});
});

describe('SAR: one calendar month from the day of receipt (ICO)', () => {
	it.each([
		['2019-09-27', '2019-10-28', 'corresponding date a Sunday (MoJ)'],
		['2019-04-06', '2019-05-07', 'corresponding date the early May bank holiday (MoJ)'],
		['2025-01-31', '2025-02-28', 'no 31 February: the last day of February'],
		['2024-01-31', '2024-02-29', 'leap year'],
		['2023-01-30', '2023-02-28', 'no 30 February'],
		['2025-03-31', '2025-04-30', 'no 31 April'],
		['2025-11-25', '2025-12-29', 'Christmas Day, Boxing Day, then a weekend'],
		['2025-12-02', '2026-01-02', '2 January is a working day in England'],
		['2025-03-01', '2025-04-01', 'received on a Saturday: day 1 is still the day of receipt']
	])('received %s is due %s (%s)', (received, expected) => {
		expect(due(SAR, ew, { receivedAt: london(received) }).dueDate).toBe(expected);
	});

	it.each([
		['2019-09-26', '2019-12-27'],
		['2019-10-01', '2020-01-02'],
		['2025-11-30', '2026-03-02']
	])('extended: received %s is due %s, three months from the start', (received, expected) => {
		const result = due(SAR, ew, { receivedAt: london(received), extended: true });
		expect(result.dueDate).toBe(expected);
		expect(result.explanation).toContain('Extended: 3 months from the start, not 1 plus 2.');
	});

	it('restarts when ID is received', () => {
		const result = due(SAR, ew, { receivedAt: london('2025-01-10'), restarts: [london('2025-01-20 14:00')] });
		expect(result.dueDate).toBe('2025-02-20');
	});

	it('explains the month-end clamp and the move to a working day', () => {
		expect(due(SAR, ew, { receivedAt: london('2025-05-31 10:00') }).explanation).toEqual([
			'Received Saturday 31 May 2025, 10am.',
			'Saturday 31 May 2025 + 1 month: no such date, so the last day of the month, Monday 30 June 2025.',
			'Due by the end of Monday 30 June 2025.'
		]);
		expect(due(SAR, ew, { receivedAt: london('2025-11-25 10:00') }).explanation.slice(-2)).toEqual([
			'Skipped: 25 December Christmas Day, 26 December Boxing Day.',
			'Due by the end of Monday 29 December 2025.'
		]);
	});
});

describe('SAR as published: 40 calendar days, not moved', () => {
	it.each([
		['2025-12-19', '2026-01-28'],
		['2025-11-11', '2025-12-21'], // a Sunday, and it stays there
		['2024-01-20', '2024-02-29']
	])('received %s is due %s', (received, expected) => {
		expect(due(SAR_40_DAYS, ew, { receivedAt: london(received) }).dueDate).toBe(expected);
	});

	it('ends at the end of the local day', () => {
		expect(due(SAR_40_DAYS, ew, { receivedAt: london('2025-05-01') }).dueAt.toISOString()).toBe('2025-06-10T22:59:59.999Z');
	});
});

describe('information owed: 24 hours, or the end of the next working day', () => {
	it('is due 24 hours later when that is a working day', () => {
		expect(due(INFO, ew, { receivedAt: london('2025-12-18 16:10') }).dueAt.toISOString()).toBe('2025-12-19T16:10:00.000Z');
	});

	it.each([
		['2025-12-19 16:10', '2025-12-22T23:59:59.999Z', 'Saturday, so Monday'],
		['2025-12-24 10:00', '2025-12-29T23:59:59.999Z', 'Christmas Day, so after Boxing Day and the weekend'],
		['2025-03-29 12:00', '2025-03-31T22:59:59.999Z', 'across the spring clock change']
	])('%s is due %s (%s)', (received, expected) => {
		expect(due(INFO, ew, { receivedAt: london(received) }).dueAt.toISOString()).toBe(expected);
	});

	it('is 24 real hours across the autumn clock change', () => {
		// Saturday 25 October 2025, 9am BST + 24 h = Sun 26 October 08:00 GMT: a Sunday, so the end of Monday.
		const result = due(INFO, ew, { receivedAt: london('2025-10-25 09:00') });
		expect(result.explanation[1]).toBe('24 hours later is Sunday 26 October 2025, 8am, not a working day (Sunday), so the end of the next working day, Monday 27 October 2025.');
		expect(result.dueAt.toISOString()).toBe('2025-10-27T23:59:59.999Z');
	});
});

describe('callbacks: same day, else the next working day', () => {
	it.each([
		['2025-12-24 16:10', ew, '2025-12-29'],
		['2025-12-24 16:10', christmasClosures, '2026-01-02'],
		['2026-01-02 09:00', ew, '2026-01-05'],
		['2025-12-27 09:00', ew, '2025-12-29']
	] as const)('requested %s is due %s', (received, calendar, expected) => {
		const result = due(CALLBACK, calendar, { receivedAt: london(received) });
		expect(result.dueDate).toBe(expected);
		expect(result.dayZero).toBe(received.slice(0, 10));
	});
});

describe('council working-day standards', () => {
	it.each([
		['email, 3 days, before Christmas', wd(3), ew, '2025-12-19', '2025-12-24'],
		['email, 3 days, into closure days', wd(3), christmasClosures, '2025-12-24', '2026-01-06'],
		['email, 3 days, without closures', wd(3), ew, '2025-12-24', '2025-12-31'],
		['letter, 10 days, early May', wd(10), ew, '2025-05-02', '2025-05-19'],
		['minutes, 13 days, spring bank holiday', wd(13), ew, '2025-05-22', '2025-06-11'],
		['message, 1 day, Friday', wd(1), ew, '2025-06-06', '2025-06-09'],
		['Electoral Services email, 4 days, Easter', wd(4), ew, '2025-04-17', '2025-04-25']
	] as const)('%s: %s', (_name, rule, calendar, received, expected) => {
		expect(due(rule, calendar, { receivedAt: london(received) }).dueDate).toBe(expected);
	});

	it('starts registration standards when all information is received', () => {
		const result = due(wd(5), ew, { receivedAt: london('2025-06-02'), clockStartAt: london('2025-06-05 10:00') });
		expect(result.dueDate).toBe('2025-06-12');
		expect(result.explanation[1]).toBe('Clock started Thursday 5 June 2025, 10am (information complete).');
	});

	it('ignores a clock start before receipt', () => {
		expect(due(wd(5), ew, { receivedAt: london('2025-06-05'), clockStartAt: london('2025-06-01') }).startDate).toBe('2025-06-05');
	});
});

describe('agenda: at least 5 clear working days before the meeting', () => {
	it.each([
		['2026-01-15', '2026-01-07'],
		['2025-05-06', '2025-04-27'], // Mon 5 May is a bank holiday, so not a clear working day
		['2026-01-19', '2026-01-11']
	])('meeting %s: publish by %s', (meeting, expected) => {
		expect(due(AGENDA, ew, { receivedAt: london(`${meeting} 18:00`) }).dueDate).toBe(expected);
	});

	it('explains which days are clear', () => {
		expect(due(AGENDA, ew, { receivedAt: london('2026-01-15 18:00') }).explanation).toEqual([
			'Meeting Thursday 15 January 2026.',
			'Working days: Monday to Friday except England and Wales bank holidays.',
			'The 5 clear working days before it run from Thursday 8 January 2026 to Wednesday 14 January 2026, so the agenda must be published by the day before them.',
			'Due by the end of Wednesday 7 January 2026.'
		]);
	});
});

describe('deadline rules as data', () => {
	it.each<DeadlineRule>([
		{ kind: 'seconds', seconds: 20 },
		{ kind: 'working-days', days: 3 },
		FOI,
		{ kind: 'calendar-days', days: 40 },
		SAR,
		CALLBACK,
		INFO,
		AGENDA
	])('round-trips %o through JSON', (rule) => {
		expect(parseRule(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
		expect(describeRule(rule)).toBeTypeOf('string');
	});

	it.each([null, {}, { kind: 'weeks', weeks: 2 }, { kind: 'working-days', days: 0 }, { kind: 'working-days', days: 2.5 }, { kind: 'calendar-months', months: 3, extendedMonths: 1 }])(
		'rejects %o',
		(value) => {
			expect(() => parseRule(value)).toThrow(RangeError);
		}
	);

	it('describes rules in words', () => {
		expect(describeRule(FOI)).toBe('20 working days (+20 if extended)');
		expect(describeRule(SAR)).toBe('1 calendar month (3 if extended)');
		expect(describeRule({ kind: 'seconds', seconds: 20 })).toBe('within 20 seconds');
	});
});
