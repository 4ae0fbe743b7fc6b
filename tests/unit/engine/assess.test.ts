import { describe, it, expect } from 'vitest';
import { getCalendar } from '../../../src/lib/engine/calendar.ts';
import { assess, type AssessableStandard, type ContactFacts } from '../../../src/lib/engine/assess.ts';
import { getStandardDefinition, type StandardCode } from '../../../src/lib/engine/catalogue.ts';

const ew = getCalendar('england-wales');
const uk = getCalendar('foia-uk');
const christmasClosures = getCalendar('england-wales', { closures: ['2025-12-29', '2025-12-30', '2025-12-31'] });

/** A catalogue standard ready to assess, on its calendar (closure days where it takes them). */
function standard(code: StandardCode, closures = false): AssessableStandard {
	const definition = getStandardDefinition(code);
	if (!definition) throw new Error(code);
	const calendar = definition.closuresApply && closures ? christmasClosures : definition.calendar === 'foia-uk' ? uk : ew;
	return { ...definition, calendar };
}

/** Europe/London wall-clock time, winter (GMT) or summer (BST) by the month. */
const london = (local: string) => {
	const month = Number(local.slice(5, 7));
	const bst = month > 3 && month < 11; // good enough away from the change-over weekends
	return new Date(`${local.replace(' ', 'T')}:00${bst ? '+01:00' : 'Z'}`);
};

const FOI = standard('foi.response');
const foiRequest: ContactFacts = { receivedAt: london('2025-12-19 16:10') };

describe('a FOI request received on the Friday before Christmas 2025 (due Thursday 22 January 2026)', () => {
	it('is met when answered two working days early, and says so', () => {
		const result = assess({ ...foiRequest, respondedAt: london('2026-01-20 14:02') }, FOI, { now: london('2026-02-01 09:00') });
		expect(result).toMatchObject({ status: 'met', dueDate: '2026-01-22', elapsed: 18, margin: 2, unit: 'working-days' });
		expect(result.dueAt?.toISOString()).toBe('2026-01-22T23:59:59.999Z');
		expect(result.explanation).toEqual([
			'Received Friday 19 December 2025, 4:10pm.',
			'FOIA working days (s.10(6)): not Saturdays, Sundays, Christmas Day, Good Friday or a bank holiday in any part of the UK.',
			'Day 0 is Friday 19 December 2025; working day 1 is Monday 22 December 2025.',
			'Not counted (besides weekends): 25 December Christmas Day, 26 December Boxing Day, 1 January New Year’s Day, 2 January 2nd January (Scotland).',
			'Working day 20 is Thursday 22 January 2026.',
			'Due by the end of Thursday 22 January 2026.',
			'Responded Tuesday 20 January 2026, 2:02pm: met with 2 working days to spare.'
		]);
	});

	it('is met at 23:59 on the due day', () => {
		const result = assess({ ...foiRequest, respondedAt: london('2026-01-22 23:59') }, FOI, { now: london('2026-02-01 09:00') });
		expect(result).toMatchObject({ status: 'met', margin: 0 });
		expect(result.explanation.at(-1)).toBe('Responded Thursday 22 January 2026, 11:59pm: met on the due day.');
	});

	it('is breached when answered after the due day', () => {
		const result = assess({ ...foiRequest, respondedAt: london('2026-01-26 10:00') }, FOI, { now: london('2026-02-01 09:00') });
		expect(result).toMatchObject({ status: 'breached', margin: -2, elapsed: 22 });
		expect(result.explanation.at(-1)).toBe('Responded Monday 26 January 2026, 10am: late by 2 working days.');
	});

	it('is late by at least one day even when answered at the weekend', () => {
		const result = assess({ ...foiRequest, respondedAt: london('2026-01-24 10:00') }, FOI, { now: london('2026-02-01 09:00') });
		expect(result).toMatchObject({ status: 'breached', margin: -1 });
	});

	it('is open early on', () => {
		const result = assess(foiRequest, FOI, { now: london('2026-01-05 12:00') });
		expect(result).toMatchObject({ status: 'open', elapsed: 7, margin: 13 });
		expect(result.explanation.at(-1)).toBe('Open at Monday 5 January 2026, midday: 13 working days left (7 of 20 used).');
	});

	it('is at risk from three quarters of the way through', () => {
		expect(assess(foiRequest, FOI, { now: london('2026-01-14 12:00') }).status).toBe('open'); // day 14
		const result = assess(foiRequest, FOI, { now: london('2026-01-15 09:00') }); // day 15
		expect(result).toMatchObject({ status: 'at-risk', elapsed: 15, margin: 5 });
		expect(result.explanation.at(-1)).toBe('At risk at Thursday 15 January 2026, 9am: 5 working days left (15 of 20 used).');
	});

	it('is overdue once the due day has ended without a response', () => {
		expect(assess(foiRequest, FOI, { now: london('2026-01-22 23:59') }).status).toBe('at-risk');
		const result = assess(foiRequest, FOI, { now: london('2026-01-26 09:00') });
		expect(result).toMatchObject({ status: 'overdue', margin: -2 });
		expect(result.explanation.at(-1)).toBe('Not yet responded at Monday 26 January 2026, 9am: overdue by 2 working days.');
	});

	it('gives the same result without the explanation', () => {
		const quiet = assess({ ...foiRequest, respondedAt: london('2026-01-20 14:02') }, FOI, { now: london('2026-02-01 09:00'), explain: false });
		expect(quiet).toMatchObject({ status: 'met', margin: 2, explanation: [] });
	});
});

describe('clock starts the standard uses', () => {
	it('treats a FOI clock start as clarification received: the 20 days restart', () => {
		const result = assess({ receivedAt: london('2025-09-01 09:00'), clockStartAt: london('2025-09-10 11:00') }, FOI, { now: london('2025-09-11 09:00') });
		expect(result.dueDate).toBe('2025-10-08');
	});

	it('starts voter registration when all information is received', () => {
		const result = assess({ receivedAt: london('2025-06-02 09:00'), clockStartAt: london('2025-06-05 10:00') }, standard('es.registration'), { now: london('2025-06-06 09:00') });
		expect(result.dueDate).toBe('2025-06-12');
	});

	it('ignores a clock start for a standard that runs from receipt', () => {
		const result = assess({ receivedAt: london('2025-06-02 09:00'), clockStartAt: london('2025-06-05 10:00') }, standard('email.reply'), { now: london('2025-06-03 09:00') });
		expect(result.dueDate).toBe('2025-06-05');
	});

	it('disregards FOI fee-notice days', () => {
		const result = assess(
			{ receivedAt: london('2025-09-01 09:00'), pauses: [{ from: london('2025-09-10 15:00'), to: london('2025-09-16 09:00') }] },
			FOI,
			{ now: london('2025-09-02 09:00') }
		);
		expect(result.dueDate).toBe('2025-10-06');
	});

	it('applies the organisation setting for requests received on a non-working day', () => {
		const request = { receivedAt: london('2025-03-15 10:00') };
		expect(assess(request, FOI, { now: london('2025-03-16 10:00') }).dueDate).toBe('2025-04-14');
		expect(assess(request, FOI, { now: london('2025-03-16 10:00'), nonWorkingStartIsNextWorkingDay: true }).dueDate).toBe('2025-04-15');
	});
});

describe('telephone calls (answer within 20 seconds)', () => {
	const PHONE = standard('phone.answer');
	const now = london('2025-06-02 18:00');
	const call = (waitSeconds: number | null, abandoned = false): ContactFacts => ({ receivedAt: london('2025-06-02 10:00'), waitSeconds, abandoned });

	it.each([
		[12, false, 'met', 8, 'Answered after 12 seconds: met, 8 seconds to spare.'],
		[20, false, 'met', 0, 'Answered after 20 seconds: met, 0 seconds to spare.'],
		[35, false, 'breached', -15, 'Answered after 35 seconds: not met, 15 seconds over.'],
		[8, true, 'excluded', 12, 'Abandoned after 8 seconds, too soon to count: left out of the service level.'],
		[30, true, 'breached', -10, 'Abandoned after 30 seconds: counted as not answered in time.']
	] as const)('wait %i s, abandoned %s: %s', (wait, abandoned, status, margin, line) => {
		const result = assess(call(wait, abandoned), PHONE, { now });
		expect(result).toMatchObject({ status, elapsed: wait, margin, unit: 'seconds' });
		expect(result.explanation).toEqual(['Offered to the queue Monday 2 June 2025, 10am; to be answered within 20 seconds.', line]);
	});

	it('can count short abandoned calls as failures, or use a shorter threshold', () => {
		expect(assess(call(8, true), PHONE, { now, abandoned: 'include-as-failures' }).status).toBe('breached');
		expect(assess(call(8, true), PHONE, { now, shortAbandonSeconds: 5 }).status).toBe('breached');
		expect(assess(call(4, true), PHONE, { now, shortAbandonSeconds: 5 }).status).toBe('excluded');
	});

	it('excludes a call with no wait time', () => {
		const result = assess(call(null), PHONE, { now });
		expect(result.status).toBe('excluded');
		expect(result.explanation.at(-1)).toBe('No wait time recorded: not scored.');
	});
});

describe('callbacks, information owed and subject access', () => {
	it('reports a callback returned the same day', () => {
		const request = { receivedAt: london('2025-12-24 10:00') };
		const sameDay = assess({ ...request, respondedAt: london('2025-12-24 15:00') }, standard('phone.callback'), { now: london('2026-01-05 09:00') });
		expect(sameDay).toMatchObject({ status: 'met', sameDay: true, margin: 1, dueDate: '2025-12-29' });
		expect(sameDay.explanation.at(-1)).toBe('Responded Wednesday 24 December 2025, 3pm: met with 1 working day to spare (the same day).');
		const nextDay = assess({ ...request, respondedAt: london('2026-01-02 09:00') }, standard('phone.callback', true), { now: london('2026-01-05 09:00') });
		expect(nextDay).toMatchObject({ status: 'met', sameDay: false, margin: 0, dueDate: '2026-01-02' }); // closed 29–31 December
	});

	it('measures information owed in hours', () => {
		const result = assess(
			{ receivedAt: london('2025-12-18 16:10'), respondedAt: london('2025-12-19 10:10') },
			standard('info.dispatch'),
			{ now: london('2025-12-20 09:00') }
		);
		expect(result).toMatchObject({ status: 'met', unit: 'hours', elapsed: 18, margin: 6 });
		expect(result.explanation.at(-1)).toBe('Responded Friday 19 December 2025, 10:10am: met with 6 hours to spare.');
	});

	it('measures subject access in calendar days', () => {
		const request = { receivedAt: london('2025-01-31 11:00') };
		const met = assess({ ...request, respondedAt: london('2025-02-25 11:00') }, standard('sar.statutory'), { now: london('2025-03-01 09:00') });
		expect(met).toMatchObject({ status: 'met', unit: 'calendar-days', dueDate: '2025-02-28', elapsed: 25, margin: 3 });
		const overdue = assess(request, standard('sar.statutory'), { now: london('2025-03-03 09:00') });
		expect(overdue).toMatchObject({ status: 'overdue', margin: -3 });
		expect(assess(request, standard('sar.statutory'), { now: london('2025-02-23 09:00') }).status).toBe('at-risk');
		expect(assess(request, standard('sar.published'), { now: london('2025-02-23 09:00') })).toMatchObject({ status: 'open', dueDate: '2025-03-12' });
	});

	it('extends a SAR to three months from the start', () => {
		const result = assess({ receivedAt: london('2025-11-30 11:00'), extended: true }, standard('sar.statutory'), { now: london('2025-12-01 09:00') });
		expect(result.dueDate).toBe('2026-03-02');
	});
});

describe('agendas: at least 5 clear working days before the meeting', () => {
	const AGENDA = standard('ds.agenda');
	const meeting = { receivedAt: london('2026-01-15 18:00') };

	it('is met when published with days to spare', () => {
		const result = assess({ ...meeting, respondedAt: london('2026-01-05 12:00') }, AGENDA, { now: london('2026-01-16 09:00') });
		expect(result).toMatchObject({ status: 'met', dueDate: '2026-01-07', elapsed: 7, margin: 2 });
	});

	it('is breached when published too late', () => {
		const result = assess({ ...meeting, respondedAt: london('2026-01-08 12:00') }, AGENDA, { now: london('2026-01-16 09:00') });
		expect(result).toMatchObject({ status: 'breached', elapsed: 4, margin: -1 });
	});

	it('is at risk on the day before the deadline, overdue after it', () => {
		expect(assess(meeting, AGENDA, { now: london('2026-01-02 12:00') }).status).toBe('open');
		expect(assess(meeting, AGENDA, { now: london('2026-01-06 12:00') }).status).toBe('at-risk');
		expect(assess(meeting, AGENDA, { now: london('2026-01-08 12:00') }).status).toBe('overdue');
	});
});

describe('bad data', () => {
	it('leaves a contact outside the calendar unscored instead of failing the batch', () => {
		const result = assess({ receivedAt: new Date('1990-01-01T10:00:00Z') }, FOI, { now: new Date('2025-01-01T00:00:00Z') });
		expect(result.status).toBe('excluded');
		expect(result.explanation[0]).toMatch(/^Not scored: .*outside the working-day calendar/);
	});
});

describe('speed', () => {
	it('scores 100,000 FOI requests in well under a second', () => {
		const base = Date.UTC(2024, 0, 1);
		const now = new Date('2026-01-01T12:00:00Z');
		const started = performance.now();
		let met = 0;
		for (let i = 0; i < 100_000; i++) {
			const receivedAt = new Date(base + ((i * 7919) % (700 * 86_400)) * 1000);
			const respondedAt = new Date(receivedAt.getTime() + (i % 40) * 86_400_000);
			if (assess({ receivedAt, respondedAt }, FOI, { now, explain: false }).status === 'met') met++;
		}
		expect(met).toBeGreaterThan(0);
		expect(performance.now() - started).toBeLessThan(1500);
	});
});
