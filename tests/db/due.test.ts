import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as due from '../../src/lib/server/cases/due.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

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
		expect(answer?.dueDate).toBe('Mon 2 Feb 2026');
		expect(answer?.explanation.join(' ')).toMatch(/Day 20/);
	});

	it("uses the organisation's own version and closure days when one is chosen", async () => {
		const { answer } = await due.lookUp(database.db, { standard: 'email.reply', received: '2025-12-23T10:00', organisation: 'borough' });
		const { answer: published } = await due.lookUp(database.db, { standard: 'email.reply', received: '2025-12-23T10:00' });
		expect(answer?.dueAt).toBeDefined();
		expect(published?.dueDate).toBe('Tue 30 Dec 2025');
		expect(answer!.dueAt >= published!.dueAt).toBe(true);
	});

	it('says which field is wrong, in plain words, instead of guessing', async () => {
		const impossible = await due.lookUp(database.db, { standard: 'email.reply', received: '31/02/2025' });
		expect(impossible.answer).toBeNull();
		expect(impossible.errors[0]).toMatchObject({ field: 'received' });
		const halfPause = await due.lookUp(database.db, { standard: 'foi.response', received: '2026-01-05', pause_from: '2026-01-06' });
		expect(halfPause.errors).toEqual([{ field: 'pause_to', message: 'Enter both ends of the pause, or neither' }]);
		const unknown = await due.lookUp(database.db, { standard: 'email.reply', received: '2026-01-05', organisation: 'nowhere' });
		expect(unknown.errors).toEqual([{ field: 'standard', message: "unknown organisation 'nowhere'" }]);
	});
});
