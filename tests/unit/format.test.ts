import { describe, expect, it } from 'vitest';
import { aTarget, article, count, dateTime, day, dayMonth, dayRange, duration, limit, month, occurrence, percent, seconds, time, weekday, whole } from '../../src/lib/format.ts';
import { STANDARDS } from '../../src/lib/engine/catalogue.ts';

describe('dates read the GOV.UK way on every page', () => {
	it('says a calendar date with the month in full', () => {
		expect(day('2026-04-01')).toBe('1 April 2026');
		expect(day('2020-12-25')).toBe('25 December 2020');
		expect(day(null)).toBe('–');
	});

	it('says an instant by its UK date, not its UTC one', () => {
		// 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
		expect(day(new Date('2026-06-30T23:30:00Z'))).toBe('1 July 2026');
		expect(day(new Date('2026-12-31T23:30:00Z'))).toBe('31 December 2026');
	});

	it('names the day of the week where it matters', () => {
		expect(weekday('2026-04-01')).toBe('Wednesday 1 April 2026');
		expect(weekday('2025-04-01')).toBe('Tuesday 1 April 2025');
	});

	it('says times as 2:30pm, 9am, midday and midnight, in UK time', () => {
		expect(dateTime('2026-04-01T13:30:00Z')).toBe('1 April 2026, 2:30pm');
		expect(dateTime(new Date('2026-01-05T09:00:00Z'))).toBe('5 January 2026, 9am');
		expect(time(new Date('2026-01-05T12:00:00Z'))).toBe('midday');
		expect(time(new Date('2026-01-05T00:00:00Z'))).toBe('midnight');
		expect(time(new Date('2026-01-05T00:05:00Z'))).toBe('12:05am');
		expect(dateTime(null)).toBe('–');
	});

	it('says ranges with "to", the shared month and year said once', () => {
		expect(dayRange('2026-04-01', '2026-06-30')).toBe('1 April to 30 June 2026');
		expect(dayRange('2026-04-01', '2026-04-30')).toBe('1 to 30 April 2026');
		expect(dayRange('2026-01-01', '2027-03-31')).toBe('1 January 2026 to 31 March 2027');
		expect(dayRange('2026-04-01', '2026-04-01')).toBe('1 April 2026');
	});

	it('says months and short days for chart axes', () => {
		expect(month('2026-09')).toBe('September 2026');
		expect(month('2026-09-14')).toBe('September 2026');
		expect(dayMonth('2026-09-02')).toBe('2 September');
	});

	it('refuses something that is not a date rather than saying "Invalid Date"', () => {
		expect(() => dateTime('not a date')).toThrow(/not a date/);
	});
});

describe('numbers, plurals and units', () => {
	it('counts with thousands separators and the right plural', () => {
		expect(count(1, 'contact')).toBe('1 contact');
		expect(count(12345, 'contact')).toBe('12,345 contacts');
		expect(count(2, 'reply', 'replies')).toBe('2 replies');
		expect(whole(1234567)).toBe('1,234,567');
	});

	it('says durations with singular and plural units', () => {
		expect(duration(1, 'working-days')).toBe('1 working day');
		expect(duration(3, 'working-days')).toBe('3 working days');
		expect(duration(1, 'months')).toBe('1 month');
		expect(duration(20, 'seconds')).toBe('20 seconds');
	});

	it("says each catalogue standard's limit from its rule: a subject access request has one month, not one calendar day", () => {
		const sar = STANDARDS.find((s) => s.rule.kind === 'calendar-months');
		expect(sar).toBeDefined();
		expect(limit(sar!.rule)).toBe('1 month');
		expect(limit({ kind: 'working-days', days: 1 })).toBe('1 working day');
		expect(limit({ kind: 'working-days', days: 20, extensionDays: 20 })).toBe('20 working days');
		expect(limit({ kind: 'seconds', seconds: 20 })).toBe('20 seconds');
		expect(limit({ kind: 'calendar-days', days: 40 })).toBe('40 calendar days');
		expect(limit({ kind: 'clear-working-days-before', days: 5 })).toBe('5 clear working days');
		expect(limit({ kind: 'same-or-next-working-day' })).toBe('the same or next working day');
		for (const standard of STANDARDS) expect(limit(standard.rule)).not.toMatch(/\b1 \w+(?: \w+)?s\b/);
	});

	it('says handle times in minutes and seconds, not "297 s"', () => {
		expect(seconds(297)).toBe('4 minutes 57 seconds');
		expect(seconds(45)).toBe('45 seconds');
		expect(seconds(44.6)).toBe('45 seconds');
		expect(seconds(1)).toBe('1 second');
		expect(seconds(60)).toBe('1 minute');
		expect(seconds(61)).toBe('1 minute 1 second');
		expect(seconds(3720)).toBe('1 hour 2 minutes');
		expect(seconds(null)).toBe('–');
	});

	it('says percentages to one decimal place, or a dash', () => {
		expect(percent(87.456)).toBe('87.5%');
		expect(percent(90, 0)).toBe('90%');
		expect(percent(null)).toBe('–');
	});

	it('puts "an" before numbers said with a vowel sound', () => {
		expect(aTarget(85)).toBe('an 85% target');
		expect(aTarget(80)).toBe('an 80% target');
		expect(aTarget(90)).toBe('a 90% target');
		expect(aTarget(8)).toBe('an 8% target');
		expect(aTarget(11)).toBe('an 11% target');
		expect(aTarget(18)).toBe('an 18% target');
		expect(aTarget(100)).toBe('a 100% target');
		expect(aTarget(87.5)).toBe('an 87.5% target');
		expect(aTarget(1)).toBe('a 1% target');
		expect(article(800)).toBe('an');
		expect(article(11000)).toBe('an');
		expect(article(110)).toBe('a');
		expect(article(180)).toBe('a');
		expect(article(18000)).toBe('an');
	});
});

describe("a duty's occurrence", () => {
	it('says a meeting date the GOV.UK way and leaves other occurrences alone', () => {
		expect(occurrence('Cabinet 2026-06-16')).toBe('Cabinet, 16 June 2026');
		expect(occurrence('2026/27 canvass')).toBe('2026/27 canvass');
	});
});
