import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/lib/engine/assess.ts';
import { crossings, defaultThresholds, levelAt, timeLeft, type OpenClock } from '../../../src/lib/engine/alerts.ts';
import { getCalendar } from '../../../src/lib/engine/calendar.ts';
import { getStandardDefinition, type StandardCode } from '../../../src/lib/engine/catalogue.ts';
import { computeDue } from '../../../src/lib/engine/deadline.ts';

const ew = getCalendar('england-wales');
const uk = getCalendar('foia-uk');

/** The open clock of a contact received at `received` (an ISO instant) under a catalogue standard. */
function clockOf(code: StandardCode, received: string): OpenClock {
	const definition = getStandardDefinition(code)!;
	const calendar = definition.calendar === 'foia-uk' ? uk : ew;
	const due = computeDue(definition.rule, calendar, { receivedAt: new Date(received) }, { explain: false });
	return { rule: definition.rule, calendar, startMs: due.startMs, dayZero: due.dayZeroDay ?? undefined, dueMs: due.dueMs };
}

function levelsOf(code: StandardCode, received: string) {
	const definition = getStandardDefinition(code)!;
	const found = crossings(clockOf(code, received), defaultThresholds(definition.statutory, definition.atRiskShare));
	return Object.fromEntries(found.map((c) => [c.level, new Date(c.atMs).toISOString()]));
}

const at = (iso: string) => new Date(iso).getTime();

describe('when an open contact crosses each level, on working days', () => {
	it('warns an email (3 working days) at midnight starting its third working day, and breaches the midnight after', () => {
		// Thursday 27 November 2025 is day 0; day 1 Fri 28, day 2 Mon 1 Dec, day 3 Tue 2 Dec (due).
		expect(levelsOf('email.reply', '2025-11-27T10:00:00Z')).toEqual({
			notice: '2025-12-01T00:00:00.000Z',
			warning: '2025-12-02T00:00:00.000Z',
			breach: '2025-12-03T00:00:00.000Z'
		});
	});

	it('never starts a level over a weekend: a warning due on day 3 after a Friday comes at 00:00 Monday', () => {
		// Wednesday 26 November 2025 is day 0; day 2 Fri 28 (notice), day 3 Mon 1 Dec (warning and due).
		const levels = levelsOf('email.reply', '2025-11-26T15:00:00Z');
		expect(levels.notice).toBe('2025-11-28T00:00:00.000Z');
		expect(levels.warning).toBe('2025-12-01T00:00:00.000Z');
		const clock = clockOf('email.reply', '2025-11-26T15:00:00Z');
		const thresholds = defaultThresholds(false);
		expect(levelAt(clock, thresholds, at('2025-11-30T23:59:59Z'))).toBe('notice');
		expect(levelAt(clock, thresholds, at('2025-12-01T00:00:00Z'))).toBe('warning');
	});

	it('counts a FOI request over Christmas on FOIA working days, with very overdue at 40 working days', () => {
		// Received Friday 19 December 2025; 25, 26 Dec, 1 Jan and 2 Jan (Scotland) do not count; due Thursday 22 January 2026.
		expect(levelsOf('foi.response', '2025-12-19T16:10:00Z')).toEqual({
			notice: '2026-01-08T00:00:00.000Z', // working day 10
			warning: '2026-01-15T00:00:00.000Z', // working day 15
			breach: '2026-01-23T00:00:00.000Z',
			'very-overdue': '2026-02-20T00:00:00.000Z' // after working day 40, Thu 19 Feb
		});
	});

	it('passes a bank holiday without starting a level on it (Easter Monday 2025)', () => {
		// Thursday 17 April 2025 day 0; Good Friday 18 and Easter Monday 21 do not count: day 1 Tue 22, day 2 Wed 23, day 3 Thu 24.
		const levels = levelsOf('email.reply', '2025-04-17T09:00:00+01:00');
		expect(levels.notice).toBe('2025-04-22T23:00:00.000Z'); // 00:00 BST Wed 23 Apr
		expect(levels.warning).toBe('2025-04-23T23:00:00.000Z');
		expect(levels.breach).toBe('2025-04-24T23:00:00.000Z');
	});

	it('starts levels at local midnight across the autumn clock change', () => {
		// Thursday 23 October 2025 (BST) day 0; day 2 Mon 27 Oct (GMT), due Tue 28 Oct.
		expect(levelsOf('email.reply', '2025-10-23T12:00:00+01:00')).toEqual({
			notice: '2025-10-27T00:00:00.000Z',
			warning: '2025-10-28T00:00:00.000Z',
			breach: '2025-10-29T00:00:00.000Z'
		});
	});

	it('starts levels at local midnight across the spring clock change', () => {
		// Thursday 27 March 2025 (GMT) day 0; day 2 Mon 31 Mar (BST): midnight is 23:00 UTC the day before.
		const levels = levelsOf('email.reply', '2025-03-27T12:00:00Z');
		expect(levels.notice).toBe('2025-03-30T23:00:00.000Z');
		expect(levels.breach).toBe('2025-04-01T23:00:00.000Z');
	});
});

describe('when an open contact crosses each level, on calendar days and hours', () => {
	it('counts a 40-day subject access request in calendar days, through the clock change', () => {
		expect(levelsOf('sar.published', '2025-10-01T10:00:00+01:00')).toEqual({
			notice: '2025-10-20T23:00:00.000Z', // 00:00 BST Tue 21 Oct, day 20
			warning: '2025-10-31T00:00:00.000Z', // 00:00 GMT Fri 31 Oct, day 30
			breach: '2025-11-11T00:00:00.000Z'
		});
	});

	it('counts a statutory (one calendar month) subject access request, very overdue at twice the days', () => {
		// 31 Jan 2025: corresponding date 28 Feb (a Friday), 28 days.
		expect(levelsOf('sar.statutory', '2025-01-31T11:00:00Z')).toEqual({
			notice: '2025-02-14T00:00:00.000Z',
			warning: '2025-02-21T00:00:00.000Z',
			breach: '2025-03-01T00:00:00.000Z',
			'very-overdue': '2025-03-29T00:00:00.000Z'
		});
	});

	it('counts information owed within 24 hours in exact hours', () => {
		expect(levelsOf('info.dispatch', '2025-11-25T10:00:00Z')).toEqual({
			notice: '2025-11-25T22:00:00.000Z',
			warning: '2025-11-26T04:00:00.000Z',
			breach: '2025-11-26T10:00:00.001Z'
		});
	});

	it('leaves out a level a standard turns off', () => {
		const clock = clockOf('email.reply', '2025-11-27T10:00:00Z');
		const levels = crossings(clock, { noticeShare: null, warningShare: 0.5, veryOverdueFactor: 3 }).map((c) => c.level);
		expect(levels).toEqual(['warning', 'breach', 'very-overdue']);
	});
});

describe('the warning level agrees with the assessment turning "at risk"', () => {
	const codes: StandardCode[] = ['email.reply', 'letter.reply', 'foi.response', 'sar.statutory', 'sar.published', 'info.dispatch', 'es.registration'];
	it('for any receipt in 2024–2027', () => {
		fc.assert(
			fc.property(fc.constantFrom(...codes), fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2027-06-01T00:00:00Z') }), (code, received) => {
				const definition = getStandardDefinition(code)!;
				const calendar = definition.calendar === 'foia-uk' ? uk : ew;
				const standard = { ...definition, calendar };
				const clock = clockOf(code, new Date(received).toISOString());
				const found = crossings(clock, defaultThresholds(definition.statutory, definition.atRiskShare));
				const times = found.map((c) => c.atMs);
				expect([...times].sort((a, b) => a - b)).toEqual(times);
				const warning = found.find((c) => c.level === 'warning');
				if (!warning) return;
				const facts = { receivedAt: new Date(received) };
				expect(assess(facts, standard, { now: new Date(warning.atMs - 1), explain: false }).status).toBe('open');
				expect(assess(facts, standard, { now: new Date(warning.atMs), explain: false }).status).toBe('at-risk');
			}),
			{ numRuns: 300 }
		);
	});
});

describe('time left or overdue, in the standard unit', () => {
	// An email received Wednesday 26 November 2025, due by the end of Mon 1 Dec.
	const email = clockOf('email.reply', '2025-11-26T15:00:00Z');
	const phrase = (now: string) => timeLeft('working-days', ew, email.dueMs, at(now));

	it('says how many working days are left, skipping the weekend', () => {
		expect(phrase('2025-11-27T09:00:00Z')).toBe('2 working days left');
		expect(phrase('2025-11-28T09:00:00Z')).toBe('1 working day left');
		expect(phrase('2025-11-29T09:00:00Z')).toBe('1 working day left');
	});

	it('says due today with the time on the due day', () => {
		expect(phrase('2025-12-01T09:00:00Z')).toBe('due today 11:59pm');
	});

	it('says overdue by working days after it', () => {
		expect(phrase('2025-12-02T09:00:00Z')).toBe('overdue by 1 working day');
		expect(phrase('2025-12-06T09:00:00Z')).toBe('overdue by 4 working days');
	});

	it('uses days for calendar-day standards and hours for hour standards', () => {
		const sar = clockOf('sar.published', '2025-10-01T10:00:00+01:00');
		expect(timeLeft('calendar-days', ew, sar.dueMs, at('2025-11-07T12:00:00Z'))).toBe('3 days left');
		expect(timeLeft('calendar-days', ew, sar.dueMs, at('2025-11-12T12:00:00Z'))).toBe('overdue by 2 days');
		const info = clockOf('info.dispatch', '2025-11-25T10:00:00Z');
		expect(timeLeft('hours', ew, info.dueMs, at('2025-11-25T19:30:00Z'))).toBe('14 hours left');
		expect(timeLeft('hours', ew, info.dueMs, at('2025-11-26T08:00:00Z'))).toBe('due today 10am');
		expect(timeLeft('hours', ew, info.dueMs, at('2025-11-26T13:00:00Z'))).toBe('overdue by 3 hours');
	});
});
