/**
 * The law as it stands in 2026: which clock events each standard allows, SAR clarification as a
 * pause (Art. 12A UK GDPR), data protection complaints (s.164A DPA 2018), FOI fee notices that
 * lapse (FOIA s.9(2)), and explanations that name every day they skip.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assess, lapseLastDay } from '../../../src/lib/engine/assess.ts';
import { getCalendar } from '../../../src/lib/engine/calendar.ts';
import { STANDARDS, getStandardDefinition, standardsFor, type StandardCode } from '../../../src/lib/engine/catalogue.ts';
import { NO_ORGANISATION, calendarFor, catalogueRules, clockFactsFor, ignoredClosuresFor, type OrganisationCalendar } from '../../../src/lib/engine/clock.ts';
import { toEpochDay, fromEpochDay } from '../../../src/lib/engine/dates.ts';
import { computeDue, type ClockFacts } from '../../../src/lib/engine/deadline.ts';
import { parseInstant } from '../../../src/lib/engine/instants.ts';
import { computeDueAnswer, DueError } from '../../../src/lib/server/cases/due.ts';

const at = (text: string): Date => {
	const parsed = parseInstant(text);
	if (!('ms' in parsed)) throw new Error(`${text}: ${parsed.reason}`);
	return new Date(parsed.ms);
};

const span = (text: string) => {
	const [from, to] = text.split('/');
	return { from: at(from!), to: at(to!) };
};

/** The look-up `yardstick due` and /due share, on the catalogue's rules. */
async function dueDate(standard: string, received: string, options: { start?: string; pause?: string[]; extend?: boolean } = {}) {
	const answer = await computeDueAnswer({
		standard,
		received: at(received),
		start: options.start ? at(options.start) : undefined,
		pause: (options.pause ?? []).map(span),
		extend: options.extend ?? false
	});
	return answer.due;
}

describe('which clock events each standard allows, written beside it with a source', () => {
	it.each(STANDARDS.map((s) => [s.code, s] as const))('%s: every event it allows names its label and source', (_code, standard) => {
		expect(Object.keys(standard.events).every((kind) => ['start', 'restart', 'pause', 'extension'].includes(kind))).toBe(true);
		for (const event of Object.values(standard.events)) {
			expect(event.label.length).toBeGreaterThan(5);
			expect(event.source.length).toBeGreaterThan(5);
		}
	});

	it.each([
		['email.reply', ['start', 'pause', 'extend']],
		['es.registration', ['pause', 'extend']],
		['sar.published', ['pause', 'extend']],
		['phone.callback', ['start', 'pause', 'extend']],
		['phone.message', ['pause', 'extend']],
		['info.dispatch', ['pause', 'extend']],
		['ds.agenda', ['pause', 'extend']],
		['ds.minutes', ['pause', 'extend']],
		['dp.complaint-ack', ['start', 'pause', 'extend']],
		['complaint.ack', ['extend']]
	] as const)('%s refuses %o, naming what it allows', async (code, refused) => {
		for (const flag of refused) {
			const options = flag === 'start' ? { start: '2026-03-03' } : flag === 'pause' ? { pause: ['2026-03-03/2026-03-04'] } : { extend: true };
			const error = await dueDate(code, '2026-03-02T10:00', options).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(DueError);
			const flagName = flag === 'extend' ? '--extend' : `--${flag}`;
			expect((error as Error).message).toMatch(new RegExp(`^${flagName} is not allowed for ${code.replace('.', '\\.')}: ${code.replace('.', '\\.')} allows `));
		}
	});

	it('names what sar.published does allow when refusing a pause', async () => {
		await expect(dueDate('sar.published', '2026-06-02', { pause: ['2026-06-25/2026-06-27'] })).rejects.toThrow(
			'--pause is not allowed for sar.published: sar.published allows --start (valid request received (after ID, if needed)'
		);
	});

	it('allows FOI and SAR their pauses, restarts and extensions', async () => {
		await expect(dueDate('foi.response', '2025-09-01', { pause: ['2025-09-10/2025-09-16'], start: '2025-09-02', extend: true })).resolves.toBeDefined();
		await expect(dueDate('sar.statutory', '2026-06-02', { pause: ['2026-06-25/2026-06-27'], start: '2026-06-03', extend: true })).resolves.toBeDefined();
	});
});

describe('a subject access request: clarification pauses the month (Art. 12A UK GDPR)', () => {
	it.each([
		// received, start (ID verified), pauses, extended, due — the worked example first.
		['2026-06-02', undefined, ['2026-06-25/2026-06-27'], false, '2026-07-06'],
		// Without the pause: the corresponding date, Thu 2 July.
		['2026-06-02', undefined, [], false, '2026-07-02'],
		// A restart (ID verified 25 June) would give 27 July, the answer Yardstick used to give for clarification.
		['2026-06-02', '2026-06-27', [], false, '2026-07-27'],
		// Before Art. 12A, the ICO's guidance of October 2020 also paused the clock: the same count.
		['2025-06-02', undefined, ['2025-06-25/2025-06-27'], false, '2025-07-07'],
		// Extended: three months from the start, then the paused days.
		['2026-06-02', undefined, ['2026-06-25/2026-06-27'], true, '2026-09-07'],
		// A pause asked for after the due date does not move it.
		['2026-06-02', undefined, ['2026-07-03/2026-07-10'], false, '2026-07-02']
	] as const)('received %s, ID %s, paused %o, extended %s: due %s', async (received, start, pauses, extend, expected) => {
		const due = await dueDate('sar.statutory', received, { start, pause: [...pauses], extend });
		expect(due.dueDate).toBe(expected);
	});

	it('says the pause, both days counted, under the authority of the day of receipt', async () => {
		const after = await dueDate('sar.statutory', '2026-06-02', { pause: ['2026-06-25/2026-06-27'] });
		expect(after.explanation).toContain(
			'Paused Thursday 25 June 2026 to Saturday 27 June 2026 (clarification asked to answered, both days counted; UK GDPR Art. 12A (Data (Use and Access) Act 2025; SI 2026/82)): 3 days do not count, so Sunday 5 July 2026.'
		);
		expect(after.explanation).toContain('That is not a working day (Sunday): the next working day is Monday 6 July 2026.');
		const before = await dueDate('sar.statutory', '2026-01-12', { pause: ['2026-01-20/2026-01-20'] });
		expect(before.explanation.join('\n')).toContain('1 day does not count');
		expect(before.explanation.join('\n')).toContain('the ICO right of access guidance (October 2020), before Art. 12A came into force');
	});

	it('keeps the clarification pause off the county\'s 40-day promise when a stored SAR is scored', () => {
		const contact: ClockFacts = { receivedAt: at('2026-06-02'), pauses: [{ ...span('2026-06-25/2026-06-27'), reason: 'clarification' }] };
		const published = catalogueRules(getStandardDefinition('sar.published')!);
		const statutory = catalogueRules(getStandardDefinition('sar.statutory')!);
		const score = (rules: typeof published) =>
			assess(contact, { ...rules, calendar: calendarFor(rules, NO_ORGANISATION), events: rules.events }, { now: at('2026-06-03') }).dueDate;
		expect(score(statutory)).toBe('2026-07-06');
		expect(score(published)).toBe('2026-07-12'); // 2 June + 40 days, the pause not applied
	});
});

describe('data protection complaints acknowledged (s.164A DPA 2018)', () => {
	it('is a statutory standard of 30 calendar days from 19 June 2026, for both councils', async () => {
		const standard = getStandardDefinition('dp.complaint-ack')!;
		expect(standard).toMatchObject({ statutory: true, effectiveFrom: '2026-06-19', rule: { kind: 'calendar-days', days: 30 }, closuresApply: false, targetPercent: 100 });
		expect(standardsFor('county', 'customer', 'dp-complaint').map((s) => s.code)).toEqual(['dp.complaint-ack']);
		expect(standardsFor('borough', 'electoral', 'dp-complaint').map((s) => s.code)).toEqual(['dp.complaint-ack']);
		expect((await dueDate('dp.complaint-ack', '2026-06-19T09:30')).dueDate).toBe('2026-07-19');
	});
});

describe('FOI fee notices: the days to payment do not count; unpaid after three months, the request lapses (s.9(2))', () => {
	const foi = catalogueRules(getStandardDefinition('foi.response')!);
	const standard = { ...foi, calendar: calendarFor(foi, NO_ORGANISATION), events: foi.events };

	it.each([
		// notice given, last day to pay
		['2026-01-10', '2026-04-09'],
		['2025-11-30', '2026-02-28'], // no 30 February: the month's last day
		['2026-01-31', '2026-04-30']
	])('a notice given %s must be paid by the end of %s', (given, last) => {
		expect(fromEpochDay(lapseLastDay(toEpochDay(given), 3))).toBe(last);
	});

	it('refuses a due date for a fee paid after three months (the five-year pause the command used to accept)', async () => {
		await expect(dueDate('foi.response', '2026-01-05', { pause: ['2026-01-10/2031-01-10'] })).rejects.toThrow(
			'the fee notice given Saturday 10 January 2026 was unpaid at the end of Thursday 9 April 2026: the request lapsed then (FOIA s.9(2)'
		);
	});

	it('stops the clock while the fee is unpaid, and closes the request as lapsed after three months', () => {
		const contact: ClockFacts = { receivedAt: at('2026-01-05'), pauses: [{ from: at('2026-01-12'), to: null }] };
		const waiting = assess(contact, standard, { now: at('2026-03-20') });
		expect(waiting).toMatchObject({ status: 'open', dueAt: null, dueDate: null });
		expect(waiting.explanation.at(-1)).toContain('Clock paused since Monday 12 January 2026 (fee notice not yet paid)');
		expect(waiting.explanation.at(-1)).toContain('If it is not paid by the end of Saturday 11 April 2026, the request lapses (FOIA s.9(2))');
		// Long past the unpaused due date (2 February 2026), it is not overdue: the clock is stopped.
		const lapsed = assess(contact, standard, { now: at('2026-04-12T00:00') });
		expect(lapsed).toMatchObject({ status: 'lapsed', dueAt: null });
		expect(lapsed.explanation.at(-1)).toContain('Lapsed: neither met nor breached.');
		// Paid on the last day: the pause counts and the clock runs again.
		const paid = assess({ ...contact, pauses: [{ from: at('2026-01-12'), to: at('2026-04-11') }] }, standard, { now: at('2026-04-12') });
		expect(paid.status).toBe('at-risk');
		expect(paid.dueDate).toBe('2026-05-05'); // 4 working days before the pause, 16 after it (Mon 4 May a bank holiday)
	});

	it('stops a SAR\'s clock while clarification is awaited (no lapse)', () => {
		const sar = catalogueRules(getStandardDefinition('sar.statutory')!);
		const contact: ClockFacts = { receivedAt: at('2026-06-02'), pauses: [{ from: at('2026-06-25'), to: null }] };
		const result = assess(contact, { ...sar, calendar: calendarFor(sar, NO_ORGANISATION), events: sar.events }, { now: at('2027-01-01') });
		expect(result).toMatchObject({ status: 'open', dueAt: null });
		expect(result.explanation.at(-1)).toContain('(clarification asked, not yet answered)');
	});
});

describe('explanations name every day they skip, count working days, and say when closure days do not apply', () => {
	const council: OrganisationCalendar = { closures: ['2024-12-27', '2024-12-30', '2024-12-31'], holidays: new Map(), foiNonWorkingReceiptNextDay: false };
	const explain = (code: StandardCode, received: string, facts: Partial<ClockFacts> = {}) => {
		const rules = catalogueRules(getStandardDefinition(code)!);
		return computeDue(rules.rule, calendarFor(rules, council), clockFactsFor({ receivedAt: at(received), ...facts }, rules), {
			events: rules.events,
			ignoredClosures: ignoredClosuresFor(rules, council)
		});
	};

	it.each([
		['phone.callback', '2024-12-24T15:00', '2025-01-02', 'Not counted (besides weekends): 25 December Christmas Day, 26 December Boxing Day, 27 December Council closure day, 30 December Council closure day, 31 December Council closure day, 1 January New Year’s Day.'],
		['info.dispatch', '2024-12-24T15:00', '2025-01-02', 'Not counted (besides weekends): 25 December Christmas Day, 26 December Boxing Day, 27 December Council closure day, 30 December Council closure day, 31 December Council closure day, 1 January New Year’s Day.'],
		['email.reply', '2024-12-23T10:00', '2025-01-03', 'Not counted (besides weekends): 25 December Christmas Day, 26 December Boxing Day, 27 December Council closure day, 30 December Council closure day, 31 December Council closure day, 1 January New Year’s Day.']
	] as const)('%s received %s: due %s, saying %s', (code, received, dueDate, line) => {
		const due = explain(code, received);
		expect(due.dueDate).toBe(dueDate);
		expect(due.explanation).toContain(line);
	});

	it('a paused FOI says "working day 20" and "1 working day"', () => {
		const due = explain('foi.response', '2025-09-01T10:00', { pauses: [{ from: at('2025-09-10'), to: at('2025-09-10') }] });
		expect(due.explanation).toContain('Paused Wednesday 10 September 2025 to Wednesday 10 September 2025 (fee notice to payment, both days counted; FOIA s.10(2)): 1 working day disregarded.');
		expect(due.explanation).toContain('Working day 20 is Tuesday 30 September 2025 (the 1 working day paused not counted).');
		expect(due.explanation.join('\n')).not.toMatch(/Day [1-9]\d* is|1 working days/);
	});

	it('names the last working day before an agenda deadline on a Sunday or a bank holiday', () => {
		// Meeting Monday 11 May 2026: the 5 clear days are Mon 4 May (bank holiday) … so Tue 5–Fri 8 and Thu 30 April → publish by Wed 29 April.
		const sunday = explain('ds.agenda', '2026-06-08'); // clear days Mon 1–Fri 5 June: deadline Sun 31 May
		expect(sunday.dueDate).toBe('2026-05-31');
		expect(sunday.explanation).toContain('Sunday 31 May 2026 is not a working day (Sunday): the last working day before it is Friday 29 May 2026, if the agenda cannot be published when the office is shut.');
		const easter = explain('ds.agenda', '2026-04-14'); // clear days Tue 7–Mon 13 April: deadline Mon 6 April, Easter Monday
		expect(easter.dueDate).toBe('2026-04-06');
		expect(easter.explanation).toContain('Monday 6 April 2026 is not a working day (Easter Monday): the last working day before it is Thursday 2 April 2026, if the agenda cannot be published when the office is shut.');
	});

	it('says closure days do not apply to statutory limits where they fall (SAR, FOI, agenda)', () => {
		const sar = explain('sar.statutory', '2024-11-27T10:00'); // due Friday 27 December 2024, a closure day
		expect(sar.dueDate).toBe('2024-12-27');
		expect(sar.explanation).toContain('27 December is a council closure day, but closure days do not apply to a statutory limit: it counts as usual.');
		const foi = explain('foi.response', '2024-12-20T10:00');
		expect(foi.explanation.join('\n')).toContain('27 December, 30 December, 31 December are council closure days, but closure days do not apply to a statutory limit: they count as usual.');
		const agenda = explain('ds.agenda', '2025-01-03');
		expect(agenda.explanation.join('\n')).toContain('closure days do not apply to a statutory limit');
	});
});

describe('properties: pauses and restarts never make a contact due earlier', () => {
	const codes = ['foi.response', 'sar.statutory'] as const;
	const day = fc.integer({ min: toEpochDay('2019-01-01'), max: toEpochDay('2030-12-31') });
	const arbitraryCase = fc.record({
		code: fc.constantFrom(...codes),
		received: day,
		pauseStart: fc.integer({ min: 0, max: 60 }),
		pauseLength: fc.integer({ min: 0, max: 20 }),
		restartAfter: fc.integer({ min: 0, max: 60 }),
		extended: fc.boolean()
	});
	const dueOf = (code: (typeof codes)[number], facts: ClockFacts) => {
		const rules = catalogueRules(getStandardDefinition(code)!);
		return computeDue(rules.rule, calendarFor(rules, NO_ORGANISATION), clockFactsFor(facts, rules), { explain: false }).dueMs;
	};
	const midday = (epochDay: number) => at(`${fromEpochDay(epochDay)}T12:00`);

	it('a pause never makes a contact due earlier than the same contact without it', () => {
		expect(() => fc.assert(
			fc.property(arbitraryCase, ({ code, received, pauseStart, pauseLength, extended }) => {
				const base: ClockFacts = { receivedAt: midday(received), extended };
				const paused: ClockFacts = { ...base, pauses: [{ from: midday(received + pauseStart), to: midday(received + pauseStart + pauseLength) }] };
				return dueOf(code, paused) >= dueOf(code, base);
			}),
			{ numRuns: 2000, seed: 20 }
		)).not.toThrow();
	});

	it('a restart never makes a contact due earlier than the same contact without it', () => {
		expect(() => fc.assert(
			fc.property(arbitraryCase, ({ code, received, restartAfter, extended }) => {
				const base: ClockFacts = { receivedAt: midday(received), extended };
				const restarted: ClockFacts = { ...base, restarts: [midday(received + restartAfter)] };
				return dueOf(code, restarted) >= dueOf(code, base);
			}),
			{ numRuns: 2000, seed: 20 }
		)).not.toThrow();
	});
});

describe('every standard named in the calendars it runs on', () => {
	it('uses the England and Wales calendar without closure days for dp.complaint-ack', () => {
		const rules = catalogueRules(getStandardDefinition('dp.complaint-ack')!);
		expect(calendarFor(rules, { ...NO_ORGANISATION, closures: ['2026-06-22'] }).closures).toEqual([]);
		expect(getCalendar('england-wales').code).toBe(rules.calendarCode);
	});
});
