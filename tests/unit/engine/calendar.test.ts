import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import {
	getCalendar,
	localDate,
	endOfLocalDay,
	startOfLocalDay,
	CALENDAR_FIRST_DATE,
	CALENDAR_LAST_DATE,
	type CalendarCode
} from '../../../src/lib/engine/calendar.ts';
import { OFFICIAL_BANK_HOLIDAYS } from '../../../src/lib/engine/holidays.ts';
import { addCalendarDays, fromEpochDay, toEpochDay, isoWeekday } from '../../../src/lib/engine/dates.ts';
import govuk from '../../fixtures/govuk-bank-holidays-2024-2028.json' with { type: 'json' };

const ew = getCalendar('england-wales');
const uk = getCalendar('foia-uk');

type DivisionKey = 'england-and-wales' | 'scotland' | 'northern-ireland';
const official = (division: DivisionKey) => govuk[division].events.map((e) => e.date);
const ewDates = new Set(official('england-and-wales'));
const scotlandOnly = official('scotland').filter((d) => !ewDates.has(d));
const niOnly = official('northern-ireland').filter((d) => !ewDates.has(d));

/** Non-weekend non-working days of a calendar in a year range. */
function holidaysOf(code: CalendarCode, fromYear: number, toYear: number): string[] {
	return getCalendar(code)
		.holidaysBetween(`${fromYear - 1}-12-31`, `${toYear}-12-31`)
		.map((h) => h.date);
}

describe('bank holidays against the official GOV.UK list 2024–2028', () => {
	it.each(official('england-and-wales'))('%s (England and Wales) stops both clocks', (date) => {
		expect(ew.isWorkingDay(date)).toBe(false);
		expect(uk.isWorkingDay(date)).toBe(false);
	});

	it.each([...official('scotland'), ...official('northern-ireland')])('%s (Scotland / NI) stops the FOI clock', (date) => {
		expect(uk.isWorkingDay(date)).toBe(false);
	});

	it.each([...scotlandOnly, ...niOnly])('keeps Scottish-only or NI-only %s a working day for the council', (date) => {
		expect(ew.isWorkingDay(date)).toBe(true);
		expect(uk.nonWorkingReason(date)).toMatch(/\((Scotland|Northern Ireland)\)$/);
	});

	it('has exactly the official holidays, no more', () => {
		expect(holidaysOf('england-wales', 2024, 2028)).toEqual([...ewDates].sort());
		const union = new Set(Object.values(govuk).flatMap((d) => d.events.map((e) => e.date)));
		expect(holidaysOf('foia-uk', 2024, 2028)).toEqual([...union].sort());
	});

	it('ships the same list, with the same titles, in holidays.ts', () => {
		const letter: Record<DivisionKey, string> = { 'england-and-wales': 'E', scotland: 'S', 'northern-ireland': 'N' };
		for (const division of Object.keys(letter) as DivisionKey[]) {
			const fromData = OFFICIAL_BANK_HOLIDAYS.filter(([d, divs]) => d >= '2024' && divs.includes(letter[division])).map(
				([d, , title]) => `${d} ${title}`
			);
			const fromFixture = govuk[division].events.map(
				(e) => `${e.date} ${e.title}${e.notes === 'Substitute day' ? ' (substitute day)' : ''}`
			);
			expect(fromData).toEqual(fromFixture.sort());
		}
	});
});

describe('date-holidays cross-check (the official list wins where they differ)', () => {
	const states = { E: 'ENG', S: 'SCT', N: 'NIR' } as const;
	it.each(Object.entries(states))('agrees with the official list for %s, 2018–2028', (letter, state) => {
		const source = new Holidays('GB', state, { types: ['public'] });
		const fromLibrary: string[] = [];
		for (let year = 2018; year <= 2028; year++) {
			for (const h of source.getHolidays(year)) {
				const date = h.date.slice(0, 10);
				if (isoWeekday(toEpochDay(date)) < 6) fromLibrary.push(date);
			}
		}
		const fromOfficial = OFFICIAL_BANK_HOLIDAYS.filter(([d, divs]) => d >= '2018' && divs.includes(letter)).map(([d]) => d);
		expect(fromLibrary.sort()).toEqual(fromOfficial);
	});

	it('adds the one-offs date-holidays lacks before 2015 and drops the days they moved', () => {
		expect(ew.nonWorkingReason('2002-06-04')).toBe('Golden Jubilee bank holiday');
		expect(ew.isWorkingDay('2002-06-03')).toBe(false);
		expect(ew.isWorkingDay('2002-05-27')).toBe(true);
		expect(ew.nonWorkingReason('2011-04-29')).toBe('Royal wedding bank holiday');
		expect(ew.isWorkingDay('2012-05-28')).toBe(true);
		expect(ew.isWorkingDay('2012-06-04')).toBe(false);
		expect(ew.isWorkingDay('2012-06-05')).toBe(false);
	});
});

describe('one-off and moved bank holidays', () => {
	it.each([
		['2020-05-08', 'Early May bank holiday (VE day)'],
		['2022-06-02', 'Spring bank holiday'],
		['2022-06-03', 'Platinum Jubilee bank holiday'],
		['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
		['2023-05-08', 'Bank holiday for the coronation of King Charles III']
	])('%s is %s in every calendar', (date, reason) => {
		expect(ew.nonWorkingReason(date)).toBe(reason);
		expect(uk.nonWorkingReason(date)).toBe(reason);
	});

	it('treats the days the one-offs displaced as working days', () => {
		expect(ew.isWorkingDay('2020-05-04')).toBe(true);
		expect(ew.isWorkingDay('2022-05-30')).toBe(true);
	});
});

describe('Christmas, New Year and Easter', () => {
	it.each([
		['2025-12-25', 'Christmas Day'],
		['2025-12-26', 'Boxing Day'],
		['2026-12-28', 'Boxing Day (substitute day)'],
		['2022-12-27', 'Christmas Day (substitute day)'],
		['2027-01-01', 'New Year’s Day'],
		['2028-01-03', 'New Year’s Day (substitute day)'],
		['2025-04-18', 'Good Friday'],
		['2025-04-21', 'Easter Monday']
	])('%s is %s', (date, reason) => {
		expect(ew.nonWorkingReason(date)).toBe(reason);
		expect(uk.nonWorkingReason(date)).toBe(reason);
	});

	it('names weekends and Scottish / NI days', () => {
		expect(ew.nonWorkingReason('2025-12-27')).toBe('Saturday');
		expect(ew.nonWorkingReason('2025-12-28')).toBe('Sunday');
		expect(uk.nonWorkingReason('2026-01-02')).toBe('2nd January (Scotland)');
		expect(uk.nonWorkingReason('2025-03-17')).toBe('St Patrick’s Day (Northern Ireland)');
		expect(uk.nonWorkingReason('2027-01-04')).toBe('2nd January (substitute day) (Scotland)');
		expect(ew.nonWorkingReason('2026-01-02')).toBeNull();
		expect(ew.nonWorkingReason('2025-12-24')).toBeNull();
	});

	it('counts Good Friday and Christmas Day as FOI non-working days in years GOV.UK does not list yet', () => {
		expect(uk.nonWorkingReason('2035-03-23')).toBe('Good Friday');
		expect(uk.nonWorkingReason('2037-12-25')).toBe('Christmas Day');
	});

	it('lists the holidays a count passes over', () => {
		expect(uk.holidaysBetween('2025-12-19', '2026-01-22')).toEqual([
			{ date: '2025-12-25', reason: 'Christmas Day' },
			{ date: '2025-12-26', reason: 'Boxing Day' },
			{ date: '2026-01-01', reason: 'New Year’s Day' },
			{ date: '2026-01-02', reason: '2nd January (Scotland)' }
		]);
	});
});

describe('council closure days', () => {
	const closures = ['2025-12-29', '2025-12-30', '2025-12-31', '2025-12-27'];
	const council = getCalendar('england-wales', { closures });

	it('stops the council clock on closure days only', () => {
		expect(council.nonWorkingReason('2025-12-29')).toBe('Council closure day');
		expect(council.nonWorkingReason('2025-12-27')).toBe('Saturday');
		expect(council.nextWorkingDay('2025-12-24')).toBe('2026-01-02');
		expect(ew.nextWorkingDay('2025-12-24')).toBe('2025-12-29');
	});

	it('caches one calendar per set of closures, whatever their order', () => {
		expect(getCalendar('england-wales', { closures: [...closures].reverse() })).toBe(council);
		expect(getCalendar('england-wales', { closures: [] })).toBe(ew);
		expect(council.key).toBe('england-wales+2025-12-27,2025-12-29,2025-12-30,2025-12-31');
	});

	it('rejects malformed closure dates', () => {
		expect(() => getCalendar('england-wales', { closures: ['2025-13-01'] })).toThrow(RangeError);
	});
});

describe('working-day arithmetic', () => {
	// mySociety Alaveteli spec/models/holiday_spec.rb (receipt is day 0, due on day 20).
	it.each([
		['2008-10-01', '2008-10-29'],
		['2007-02-01', '2007-03-01'],
		['2008-02-01', '2008-02-29'],
		['2009-03-12', '2009-04-14'],
		['2009-03-13', '2009-04-15'],
		['2009-03-14', '2009-04-15'],
		['2009-03-15', '2009-04-15'],
		['2009-03-16', '2009-04-16']
	])('FOI received %s is due %s (Alaveteli)', (received, due) => {
		expect(uk.addWorkingDays(received, 20)).toBe(due);
	});

	// MoJ correspondence_tool_staff spec/services/deadline_calculator/business_days_spec.rb (E&W holidays).
	it.each([
		['2017-05-18', 3, '2017-05-23'],
		['2017-05-18', 10, '2017-06-02'],
		['2017-05-18', 20, '2017-06-16'],
		['2017-05-18', 30, '2017-06-30'],
		['2017-05-18', 40, '2017-07-14'],
		['2021-07-03', 3, '2021-07-07'],
		['2021-07-03', 10, '2021-07-16'],
		['2021-07-03', 20, '2021-07-30'],
		['2021-05-01', 3, '2021-05-06'],
		['2021-05-01', 10, '2021-05-17'],
		['2021-05-01', 20, '2021-06-01']
	] as const)('%s + %i England & Wales working days is %s (MoJ)', (from, n, due) => {
		expect(ew.addWorkingDays(from, n)).toBe(due);
	});

	it('counts backwards with all UK holidays for FOI (MoJ days_before)', () => {
		expect(uk.addWorkingDays('2023-12-04', -10)).toBe('2023-11-17'); // St Andrew's Day 30 Nov
		expect(ew.addWorkingDays('2023-12-04', -10)).toBe('2023-11-20');
	});

	it('skips a Scotland-only holiday for FOI but not for the council', () => {
		expect(uk.addWorkingDays('2024-07-31', 5)).toBe('2024-08-08'); // 5 Aug (Scotland)
		expect(ew.addWorkingDays('2024-07-31', 5)).toBe('2024-08-07');
	});

	it('treats n = 0 as the date itself and counts working days between', () => {
		expect(ew.addWorkingDays('2025-12-27', 0)).toBe('2025-12-27');
		expect(ew.workingDaysBetween('2025-12-19', '2025-12-29')).toBe(4); // 22, 23, 24, 29
		expect(ew.workingDaysBetween('2025-12-29', '2025-12-19')).toBe(-4);
		expect(ew.nextWorkingDay('2025-12-24', true)).toBe('2025-12-24');
		expect(ew.nextWorkingDay('2025-12-25', true)).toBe('2025-12-29');
	});

	it('refuses dates outside its range rather than guessing', () => {
		expect(() => ew.isWorkingDay('1999-12-31')).toThrow(RangeError);
		expect(() => ew.addWorkingDays('2040-12-20', 20)).toThrow(RangeError);
		expect(() => ew.isWorkingDay('2025-02-29')).toThrow(RangeError);
	});

	const dateArb = fc
		.integer({ min: toEpochDay(CALENDAR_FIRST_DATE) + 10, max: toEpochDay(CALENDAR_LAST_DATE) - 200 })
		.map(fromEpochDay);
	const calendarArb = fc.constantFrom(ew, uk, getCalendar('england-wales', { closures: ['2025-12-29', '2026-12-29'] }));

	it('lands on a working day, n working days later (property)', () => {
		fc.assert(
			fc.property(calendarArb, dateArb, fc.integer({ min: 1, max: 60 }), (calendar, date, n) => {
				const due = calendar.addWorkingDays(date, n);
				expect(calendar.isWorkingDay(due)).toBe(true);
				expect(calendar.workingDaysBetween(date, due)).toBe(n);
				expect(calendar.workingDaysBetween(date, addCalendarDays(due, -1))).toBe(n - 1);
				// and back again: to the start date, or the working day before it
				expect(calendar.addWorkingDays(due, -n)).toBe(calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, -1));
			})
		);
	});

	it('is monotonic in the start date and in n (property)', () => {
		fc.assert(
			fc.property(calendarArb, dateArb, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 40 }), (calendar, date, later, n) => {
				const after = addCalendarDays(date, later);
				expect(calendar.addWorkingDays(after, n) >= calendar.addWorkingDays(date, n)).toBe(true);
				expect(calendar.addWorkingDays(date, n + 1) > calendar.addWorkingDays(date, n)).toBe(true);
			})
		);
	});

	it('agrees with counting day by day (property)', () => {
		fc.assert(
			fc.property(calendarArb, dateArb, fc.integer({ min: 1, max: 30 }), (calendar, date, n) => {
				let day = date;
				for (let counted = 0; counted < n; ) {
					day = addCalendarDays(day, 1);
					if (calendar.nonWorkingReason(day) === null) counted++;
				}
				expect(calendar.addWorkingDays(date, n)).toBe(day);
			})
		);
	});
});

describe('Europe/London dates and instants', () => {
	it.each([
		['2025-07-01T23:30:00Z', '2025-07-02'], // BST
		['2025-01-15T23:30:00Z', '2025-01-15'], // GMT
		['2025-03-30T00:59:59.999Z', '2025-03-30'], // last GMT moment
		['2025-03-29T23:59:59.999Z', '2025-03-29'],
		['2025-03-30T23:00:00Z', '2025-03-31'], // first BST midnight
		['2025-10-25T23:00:00Z', '2025-10-26'], // midnight BST before fall-back
		['2025-10-26T00:30:00Z', '2025-10-26'], // 01:30 BST, the first of two
		['2025-10-26T01:30:00Z', '2025-10-26'], // 01:30 GMT, the second
		['2025-10-26T23:30:00Z', '2025-10-26']
	])('%s is local date %s', (instant, date) => {
		expect(localDate(new Date(instant))).toBe(date);
	});

	it.each([
		['2025-03-30', '2025-03-30T00:00:00.000Z', '2025-03-30T22:59:59.999Z'], // 23-hour day
		['2025-10-26', '2025-10-25T23:00:00.000Z', '2025-10-26T23:59:59.999Z'], // 25-hour day
		['2025-07-01', '2025-06-30T23:00:00.000Z', '2025-07-01T22:59:59.999Z'],
		['2025-12-25', '2025-12-25T00:00:00.000Z', '2025-12-25T23:59:59.999Z']
	])('%s runs from %s to %s', (date, start, end) => {
		expect(startOfLocalDay(date).toISOString()).toBe(start);
		expect(endOfLocalDay(date).toISOString()).toBe(end);
	});

	it('matches luxon for any instant 1990–2110 (property)', () => {
		const from = Date.UTC(1990, 0, 1);
		const to = Date.UTC(2110, 0, 1);
		fc.assert(
			fc.property(fc.integer({ min: from, max: to }), (ms) => {
				const expected = DateTime.fromMillis(ms, { zone: 'Europe/London' });
				const date = expected.toISODate() as string;
				expect(localDate(new Date(ms))).toBe(date);
				expect(startOfLocalDay(date).getTime()).toBe(expected.startOf('day').toMillis());
				expect(endOfLocalDay(date).getTime()).toBe(expected.endOf('day').toMillis());
			}),
			{ numRuns: 2000 }
		);
	});

	it('matches luxon at every hour around the clock changes 2000–2040', () => {
		for (let year = 2000; year <= 2040; year++) {
			for (const month of [3, 10]) {
				const start = Date.UTC(year, month - 1, 24);
				for (let ms = start; ms < start + 9 * 86_400_000; ms += 1_800_000) {
					expect(localDate(new Date(ms))).toBe(DateTime.fromMillis(ms, { zone: 'Europe/London' }).toISODate());
				}
			}
		}
	});
});
