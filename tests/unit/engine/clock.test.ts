import { describe, expect, it } from 'vitest';
import { getStandardDefinition, type StandardCode } from '../../../src/lib/engine/catalogue.ts';
import {
	NO_ORGANISATION,
	calendarFor,
	catalogueRules,
	clockFactsFor,
	clockStartMs,
	nonWorkingStartIsNextWorkingDay,
	type OrganisationCalendar
} from '../../../src/lib/engine/clock.ts';
import { computeDue, type ClockFacts } from '../../../src/lib/engine/deadline.ts';
import { parseInstant } from '../../../src/lib/engine/instants.ts';

/** A catalogue standard's rules, as an organisation's first version holds them. */
function rules(code: StandardCode) {
	const definition = getStandardDefinition(code);
	if (!definition) throw new Error(code);
	return catalogueRules(definition);
}

/** Europe/London wall clock ('2025-09-10 11:00'), as an officer would type it. */
function london(text: string): Date {
	const parsed = parseInstant(text);
	if (!('ms' in parsed)) throw new Error(`${text} ${parsed.reason}`);
	return new Date(parsed.ms);
}

describe('when a clock starts', () => {
	const receivedAt = london('2025-09-01 09:00');
	it.each<[string, StandardCode, Omit<ClockFacts, 'receivedAt'>, string]>([
		['a FOI request restarts when clarification is received', 'foi.response', { clockStartAt: london('2025-09-10 11:00') }, '2025-09-10 11:00'],
		[
			'a subject access request restarts from the latest of ID and clarification',
			'sar.statutory',
			{ restarts: [london('2025-09-12 14:00'), london('2025-09-05 10:00')] },
			'2025-09-12 14:00'
		],
		['an email reply runs from receipt: a later start is not its clock', 'email.reply', { clockStartAt: london('2025-09-05 10:00') }, '2025-09-01 09:00'],
		['an email reply runs from receipt: nor is a restart', 'email.reply', { restarts: [london('2025-09-06 10:00')] }, '2025-09-01 09:00'],
		[
			'an electoral registration runs from when all the information is in, and does not restart',
			'es.registration',
			{ clockStartAt: london('2025-09-05 10:00'), restarts: [london('2025-09-08 10:00')] },
			'2025-09-05 10:00'
		],
		['a clock start given before receipt does not move the clock back', 'es.registration', { clockStartAt: london('2025-08-29 10:00') }, '2025-09-01 09:00'],
		['a phone call is timed from when it is offered to the queue', 'phone.answer', { clockStartAt: london('2025-09-01 09:05') }, '2025-09-01 09:00'],
		['an agenda counts back from the meeting (received), whatever else is given', 'ds.agenda', { clockStartAt: london('2025-09-05 10:00') }, '2025-09-01 09:00']
	])('%s', (_, code, facts, expected) => {
		expect(clockStartMs({ receivedAt, ...facts }, rules(code))).toBe(london(expected).getTime());
	});

	it('keeps the response, and leaves out the events a standard does not allow (email.reply: none)', () => {
		const pauses = [{ from: london('2025-09-03'), to: london('2025-09-04') }];
		const respondedAt = london('2025-09-20 12:00');
		const used = clockFactsFor({ receivedAt, pauses, extended: true, respondedAt, clockStartAt: london('2025-09-02 10:00') }, rules('email.reply'));
		expect(used).toEqual({ receivedAt, pauses: [], extended: false, extensionWorkingDays: null, respondedAt, clockStartAt: null, restarts: [] });
	});

	it('keeps a FOI fee-notice pause and an extension, named as the standard names them', () => {
		const pauses = [{ from: london('2025-09-03'), to: london('2025-09-04') }];
		const used = clockFactsFor({ receivedAt, pauses, extended: true }, rules('foi.response'));
		expect(used.pauses).toEqual([{ ...pauses[0], reason: 'fee-notice' }]);
		expect(used.extended).toBe(true);
		// A SAR clarification pause means nothing to a FOI request.
		expect(clockFactsFor({ receivedAt, pauses: [{ ...pauses[0]!, reason: 'clarification' }] }, rules('foi.response')).pauses).toEqual([]);
	});

	it('explains a restart when asked to', () => {
		const lines: string[] = [];
		clockStartMs({ receivedAt, clockStartAt: london('2025-09-10 11:00') }, rules('foi.response'), lines);
		expect(lines).toEqual([
			'Received Monday 1 September 2025, 9am.',
			'Clock restarted Wednesday 10 September 2025, 11am: clarification received: the 20 working days start afresh.'
		]);
	});
});

describe('which days a clock counts', () => {
	const council: OrganisationCalendar = {
		closures: ['2025-12-29', '2025-12-30', '2025-12-31'],
		// A bank holiday proclaimed after the holiday data shipped (Monday 16 June 2025, hypothetical).
		holidays: new Map([
			['england-wales', ['2025-06-16']],
			['foia-uk', ['2025-06-16']]
		]),
		foiNonWorkingReceiptNextDay: false
	};
	it.each<[string, StandardCode, OrganisationCalendar, string, boolean]>([
		['a council standard skips the council’s Christmas closure', 'email.reply', council, '2025-12-29', false],
		['a statutory FOI clock does not (ICO: closures are working days)', 'foi.response', council, '2025-12-29', true],
		['nor does a statutory SAR clock', 'sar.statutory', council, '2025-12-30', true],
		['without an organisation (the catalogue’s rules) there are no closure days', 'email.reply', NO_ORGANISATION, '2025-12-29', true],
		['a proclaimed bank holiday is skipped by a council standard', 'email.reply', council, '2025-06-16', false],
		['and by a statutory FOI clock', 'foi.response', council, '2025-06-16', false],
		['an ordinary Monday is a working day', 'email.reply', council, '2025-06-23', true]
	])('%s', (_, code, organisation, date, working) => {
		expect(calendarFor(rules(code), organisation).isWorkingDay(date)).toBe(working);
	});
});

describe('a request received on a non-working day', () => {
	const saturday = { receivedAt: london('2025-03-15 10:00') };
	const setting = (on: boolean): OrganisationCalendar => ({ ...NO_ORGANISATION, foiNonWorkingReceiptNextDay: on });
	it.each<[string, StandardCode, boolean, string, string]>([
		['FOI, setting off: the Saturday is day 0', 'foi.response', false, '2025-03-15', '2025-04-14'],
		['FOI, setting on: counted from the next FOIA working day (Tuesday: Monday is St Patrick’s Day)', 'foi.response', true, '2025-03-18', '2025-04-15'],
		['an email reply, setting on: the setting is for FOI only', 'email.reply', true, '2025-03-15', '2025-03-19'],
		['an email reply, setting off', 'email.reply', false, '2025-03-15', '2025-03-19']
	])('%s', (_, code, on, dayZero, dueDate) => {
		const standard = rules(code);
		const due = computeDue(standard.rule, calendarFor(standard, setting(on)), clockFactsFor(saturday, standard), {
			nonWorkingStartIsNextWorkingDay: nonWorkingStartIsNextWorkingDay(standard, setting(on))
		});
		expect({ dayZero: due.dayZero, dueDate: due.dueDate }).toEqual({ dayZero, dueDate });
	});
});
