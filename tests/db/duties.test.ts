import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import * as duties from '../../src/lib/server/plan/duties.ts';
import { engines } from '../support/databases.ts';

const today = '2025-05-20';

/**
 * A borough whose 2024 canvass had the July general election in it, one committee meeting on
 * Tuesday 27 May 2025 (after the Spring bank holiday) and notices for April (on time) and May (not yet
 * published).
 */
async function build(db: Database) {
	const [org] = await db.insert(schema.organisations).values({ code: 'testboro', name: 'Test Borough Council' }).returning();
	const organisationId = org!.id;
	const [electoral, democratic] = await db
		.insert(schema.services)
		.values([
			{ organisationId, code: 'electoral', name: 'Electoral Services' },
			{ organisationId, code: 'democratic', name: 'Democratic Services' }
		])
		.returning();
	await db.insert(schema.elections).values({ organisationId, pollOn: '2024-07-04', title: 'UK Parliamentary general election' });
	await db.insert(schema.duties).values([
		// The recorded due date is wrong on purpose: the engine's rule decides (1 February after a poll in the canvass).
		{ organisationId, serviceId: electoral!.id, code: 'es.register-publication', occurrence: 'Revised register 2024', anchorOn: '2024-07-01', dueOn: '2024-12-01', doneOn: '2025-01-31' },
		{ organisationId, serviceId: electoral!.id, code: 'es.polling-review', occurrence: 'Compulsory review 2023–24', anchorOn: '2023-10-01', dueOn: '2025-01-31', doneOn: '2024-11-12' },
		{ organisationId, serviceId: democratic!.id, code: 'ds.agenda', occurrence: 'Cabinet 2025-05-27', anchorOn: '2025-05-27', dueOn: '2025-05-27', doneOn: '2025-05-16' },
		{ organisationId, serviceId: democratic!.id, code: 'ds.minutes', occurrence: 'Cabinet 2025-05-27', anchorOn: '2025-05-27', dueOn: '2025-05-27', doneOn: null },
		{ organisationId, serviceId: democratic!.id, code: 'ds.agenda', occurrence: 'Planning Committee 2025-03-13', anchorOn: '2025-03-13', dueOn: '2025-03-13', doneOn: '2025-03-07' },
		{ organisationId, serviceId: democratic!.id, code: 'ds.minutes', occurrence: 'Planning Committee 2025-03-13', anchorOn: '2025-03-13', dueOn: '2025-03-13', doneOn: '2025-04-03' }
	]);
	await db.insert(schema.registerNotices).values([
		{ organisationId, month: '2025-04-01', cutOffOn: '2025-03-20', dueOn: '2025-04-01', publishedOn: '2025-04-01' },
		{ organisationId, month: '2025-05-01', cutOffOn: '2025-04-17', dueOn: '2025-05-01', publishedOn: null }
	]);
}

describe.each(engines)('periodic duties on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let found: duties.DutyOccurrence[];

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await build(db);
		found = await duties.list(db, { organisation: 'testboro', from: '2025-01-01', to: '2025-07-31', today });
	});
	afterAll(() => database?.dispose());

	const one = (code: string, anchorOn: string) => found.find((o) => o.code === code && o.anchorOn === anchorOn)!;

	it('dues the 2024 register on 1 February 2025 because of the general election, and calls it met', () => {
		expect(one('es.register-publication', '2024-07-01')).toMatchObject({ dueOn: '2025-02-01', doneOn: '2025-01-31', status: 'met' });
	});

	it('works out agenda and minutes from the meeting date on the working-day calendar', () => {
		// 5 clear working days before Tuesday 27 May 2025, skipping the Spring bank holiday: Fri 16 May.
		expect(one('ds.agenda', '2025-05-27')).toMatchObject({ dueOn: '2025-05-16', status: 'met' });
		// 13 working days after Tuesday 27 May 2025: Fri 13 June; not done, not yet due.
		expect(one('ds.minutes', '2025-05-27')).toMatchObject({ dueOn: '2025-06-13', status: 'due' });
		// 13 working days after Thursday 13 March 2025 is Tue 1 April; done 3 April, two working days late.
		expect(one('ds.minutes', '2025-03-13')).toMatchObject({ dueOn: '2025-04-01', doneOn: '2025-04-03', status: 'late', daysLate: 2 });
		expect(one('ds.agenda', '2025-03-13')).toMatchObject({ dueOn: '2025-03-05', doneOn: '2025-03-07', status: 'late' });
	});

	it('expects a notice on the first working day of each month January to July, recorded or not', () => {
		const notices = found.filter((o) => o.code === 'es.monthly-notice');
		expect(notices.map((o) => [o.dueOn, o.status])).toEqual([
			['2025-01-02', 'overdue'],
			['2025-02-03', 'overdue'],
			['2025-03-03', 'overdue'],
			['2025-04-01', 'met'],
			['2025-05-01', 'overdue'],
			['2025-06-02', 'due'],
			['2025-07-01', 'due']
		]);
		expect(notices[3]!.occurrence).toBe('Notice of alteration April 2025');
	});

	it('groups the occurrences per duty with their counts and the next one due', () => {
		const groups = duties.groups(found);
		const minutes = groups.find((g) => g.code === 'ds.minutes')!;
		expect(minutes).toMatchObject({ met: 0, late: 1, due: 1, overdue: 0 });
		expect(minutes.next?.anchorOn).toBe('2025-05-27');
	});

	it('counts the compulsory review done in November 2024 as met, and gives the next one five years on', async () => {
		expect(one('es.polling-review', '2023-10-01')).toMatchObject({ dueOn: '2025-01-31', status: 'met' });
		const next = await duties.nextDue(db, { organisation: 'testboro', today });
		expect(next.find((o) => o.code === 'es.polling-review')?.dueOn).toBe('2030-01-31');
		expect(next.find((o) => o.code === 'es.register-publication')?.dueOn).toBe('2025-12-01');
	});
});
