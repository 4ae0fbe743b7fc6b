import { describe, it } from 'vitest';
import { yardstick } from './run.ts';

// `due` never touches a database without --organisation: make sure it could not find one.
const offline = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', YARDSTICK_DATA_DIR: '/nonexistent/yardstick' };
const due = (...args: string[]) => yardstick(['due', ...args], offline);

// Each case starts a process (about a second): they run concurrently, each with its own expect.
describe.concurrent('yardstick due', () => {
	it('prints one JSON object for a FOI request received the Friday before Christmas 2025', async ({ expect }) => {
		const run = await due('foi.response', '2025-12-19T16:10', '--json');
		expect(run.code).toBe(0);
		expect(run.stderr).toBe('');
		const answer = JSON.parse(run.stdout);
		expect(Object.keys(answer)).toEqual(['standard', 'dueDate', 'dueAt', 'explanation']);
		expect(answer).toMatchObject({ standard: 'foi.response', dueDate: '2026-01-22', dueAt: '2026-01-22T23:59:59.999Z' });
		expect(answer.explanation).toContain(
			'Not counted (besides weekends): 25 December Christmas Day, 26 December Boxing Day, 1 January New Year’s Day, 2 January 2nd January (Scotland).'
		);
	});

	it('explains the due date in words without --json', async ({ expect }) => {
		const run = await due('foi.response', '2025-12-19T16:10');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('Due date: Thursday 22 January 2026');
		expect(run.stdout).toContain('2026-01-22T23:59:59.999Z');
		expect(run.stdout).toContain('Received Friday 19 December 2025, 4:10pm.');
		expect(run.stdout).toContain('Working day 20 is Thursday 22 January 2026.');
	});

	it.for([
		// UK GDPR Art. 12(3), ICO: 30 Nov + 1 month is Tuesday 30 December 2025.
		[['sar.statutory', '2025-11-30'], '2025-12-30', '2025-12-30T23:59:59.999Z'],
		// Extended: three months from the start, not one plus two: 30 Nov + 3 months has no 30 Feb,
		// so Saturday 28 February 2026, then the next working day.
		[['sar.statutory', '2025-11-30', '--extend'], '2026-03-02', '2026-03-02T23:59:59.999Z'],
		// FOIA s.10(2): the fee notice days Mon 5 – Fri 9 Jan are disregarded: 22 Jan + 5 working days.
		[['foi.response', '2025-12-19', '--pause', '2026-01-05/2026-01-09'], '2026-01-29', '2026-01-29T23:59:59.999Z'],
		// Two pauses: also Mon 26 – Tue 27 Jan, inside the new allowance: 2 more working days.
		[['foi.response', '2025-12-19', '--pause', '2026-01-05/2026-01-09', '--pause', '2026-01-26/2026-01-27'], '2026-02-02', '2026-02-02T23:59:59.999Z'],
		// FOIA s.1(3): clarification received Wed 10 Sep restarts the 20 days (BST: due 22:59:59.999 UTC).
		[['foi.response', '2025-09-01', '--start', '2025-09-10T11:00'], '2025-10-08', '2025-10-08T22:59:59.999Z'],
		// LGA 1972 s.100B: 5 clear working days before a Wednesday 4 March meeting: published by Tue 24 Feb.
		[['ds.agenda', '2026-03-04T19:00'], '2026-02-24', '2026-02-24T23:59:59.999Z'],
		// 20 seconds after the call is offered; the offset given wins over Europe/London.
		[['phone.answer', '2025-06-01T10:00:00+01:00'], '2025-06-01', '2025-06-01T09:00:20.000Z'],
		// No organisation, no closure days: 3 working days from Tuesday 23 December 2025 is Tue 30 Dec.
		[['email.reply', '2025-12-23T10:00'], '2025-12-30', '2025-12-30T23:59:59.999Z']
	] as const)('due %j is %s', async ([args, dueDate, dueAt], { expect }) => {
		const run = await due(...args, '--json');
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout)).toMatchObject({ dueDate, dueAt });
	});

	it('refuses a later start on a clock that starts at receipt, naming what the standard allows', async ({ expect }) => {
		const run = await due('email.reply', '2025-06-02T09:00', '--start', '2025-06-05T10:00', '--json');
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toContain('--start is not allowed for email.reply: email.reply allows no --start, --pause or --extend');
	});

	it.for([
		[['nonsense.code', '2025-01-01'], /unknown standard 'nonsense.code'/],
		[['foi.response', '2025-02-30'], /not a calendar date/],
		[['foi.response', 'yesterday'], /is not a date: give 2025-12-19, .*19\/12\/2025.*Excel serial/],
		[['foi.response', '2025-03-30T01:30'], /does not exist in Europe\/London/],
		[['foi.response', '2025-10-26T01:30'], /happens twice in Europe\/London/],
		[['foi.response', '2025-12-19', '--pause', '2026-01-09'], /--pause: .* is not <from>\/<to>/],
		[['foi.response', '2025-12-19', '--pause', '2026-01-09/2026-01-05'], /ends before it starts/],
		[['foi.response', '2025-12-19', '--start'], /argument missing/],
		[['foi.response', '2025-12-19', '--unknown'], /Unknown option '--unknown'/],
		[['foi.response'], /give a standard code and when the contact was received/],
		[['foi.response', '2025-12-19', 'extra'], /unexpected argument 'extra'/]
	] as const)('rejects %j with a clear message and exit status 2', async ([args, message], { expect }) => {
		const run = await due(...args);
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toMatch(message);
	});
});
