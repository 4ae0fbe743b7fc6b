import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as due from '../../src/lib/server/cases/due.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';
import { yardstick } from '../unit/cli/run.ts';

// `due` without --organisation never opens a database: make sure it could not find one.
const offline = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', YARDSTICK_DATA_DIR: '/nonexistent/yardstick' };

describe.each(engines)('the due-date look-up on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	beforeAll(async () => {
		database = await engine.open();
		await database.db.transaction((tx) => seedReference(tx, { from: '2024-04-01', asOf: new Date('2026-11-24T12:00:00Z') }));
	});
	afterAll(() => database?.dispose());

	it('answers an FOI request with its due date and the reasons, as the CLI does', async () => {
		const { answer, errors } = await due.lookUp(database.db, { standard: 'foi.response', received: '05/01/2026' });
		expect(errors).toEqual([]);
		expect(answer?.dueDate).toBe('Monday 2 February 2026');
		expect(answer?.explanation.join(' ')).toMatch(/Working day 20 is Monday 2 February 2026/);
	});

	it("uses the organisation's own version and closure days when one is chosen", async () => {
		const { answer } = await due.lookUp(database.db, { standard: 'email.reply', received: '2025-12-23T10:00', organisation: 'borough' });
		const { answer: published } = await due.lookUp(database.db, { standard: 'email.reply', received: '2025-12-23T10:00' });
		expect(answer?.dueAt).toBeDefined();
		expect(published?.dueDate).toBe('Tuesday 30 December 2025');
		expect(answer!.dueAt >= published!.dueAt).toBe(true);
	});

	it('says which field is wrong, in plain words, instead of guessing', async () => {
		const impossible = await due.lookUp(database.db, { standard: 'email.reply', received: '31/02/2025' });
		expect(impossible.answer).toBeNull();
		expect(impossible.errors[0]).toMatchObject({ field: 'received' });
		const halfPause = await due.lookUp(database.db, { standard: 'foi.response', received: '2026-01-05', pause_from: '2026-01-06' });
		expect(halfPause.errors).toEqual([{ field: 'pause_to', message: 'Enter both ends of the pause, or neither' }]);
		const unknown = await due.lookUp(database.db, { standard: 'email.reply', received: '2026-01-05', organisation: 'nowhere' });
		expect(unknown.errors).toEqual([{ field: 'standard', message: "Unknown organisation 'nowhere'" }]);
	});

	it('refuses, at its field, a pause or an extension the standard does not have, naming what it allows', async () => {
		const pause = await due.lookUp(database.db, { standard: 'email.reply', received: '2026-01-05', pause_from: '2026-01-06', pause_to: '2026-01-07' });
		expect(pause.answer).toBeNull();
		expect(pause.errors).toEqual([
			{ field: 'pause_from', message: 'A pause is not allowed for email.reply: email.reply allows no later clock start, pause or extension: its clock runs from receipt to the response' }
		]);
		const extend = await due.lookUp(database.db, { standard: 'sar.published', received: '2026-01-05', extend: 'yes' });
		expect(extend.errors[0]).toMatchObject({ field: 'extend' });
		expect(extend.errors[0]!.message).toMatch(/^An extension is not allowed for sar\.published: sar\.published allows a later clock start \(valid request received/);
	});

	// The command and the page read dates with one parser (engine/instants.ts): the same answer in every format.
	it.each([
		['ISO date', '2026-06-02', '2026-06-25', '2026-06-27'],
		['ISO date-time', '2026-06-02T09:30', '2026-06-25T10:00', '2026-06-27T16:45'],
		['ISO with an offset', '2026-06-02T08:30Z', '2026-06-25T10:00+01:00', '2026-06-27T16:45+01:00'],
		['dd/mm/yyyy', '02/06/2026', '25/06/2026', '27/06/2026'],
		['dd/mm/yyyy hh:mm', '02/06/2026 09:30', '25/06/2026 10:00', '27/06/2026 16:45'],
		['an Excel serial', '46175.39583333333', '46198', '46200']
	])('the command and /due give the same SAR answer for dates as %s', async (_format, received, from, to) => {
		const { answer, errors } = await due.lookUp(database.db, { standard: 'sar.statutory', received, pause_from: from, pause_to: to });
		expect(errors).toEqual([]);
		const run = await yardstick(['due', 'sar.statutory', received, '--pause', `${from}/${to}`, '--json'], offline);
		expect(run.stderr).toBe('');
		const cli = JSON.parse(run.stdout);
		expect(cli).toMatchObject({ standard: 'sar.statutory', dueDate: '2026-07-06', dueAt: answer!.dueAt, explanation: answer!.explanation });
		expect(answer!.dueDate).toBe('Monday 6 July 2026');
	});
});
