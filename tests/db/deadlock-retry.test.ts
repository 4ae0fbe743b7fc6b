import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { retryOnDeadlock } from '../../src/lib/server/assessments/job.ts';
import { rows, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { deferred, engines, someoneWaitsOnALock } from '../support/databases.ts';

const deadlock = () => Object.assign(new Error('Failed query: insert …'), { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) });

describe('writing a batch again when PostgreSQL picks it as a deadlock victim', () => {
	it('runs the work again after a deadlock, and only then', async () => {
		let calls = 0;
		expect(await retryOnDeadlock(async () => (++calls < 3 ? Promise.reject(deadlock()) : 'written'))).toBe('written');
		expect(calls).toBe(3);

		calls = 0;
		const other = Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('duplicate key'), { code: '23505' }) });
		await expect(retryOnDeadlock(async () => (++calls, Promise.reject(other)))).rejects.toBe(other);
		expect(calls).toBe(1);
	});

	it('gives up after its attempts, with the deadlock', async () => {
		let calls = 0;
		await expect(retryOnDeadlock(async () => (++calls, Promise.reject(deadlock())), 4)).rejects.toThrow('Failed query');
		expect(calls).toBe(4);
	});
});

const postgres = engines.find((e) => e.name === 'PostgreSQL');

describe.skipIf(!postgres)('a real deadlock on PostgreSQL', () => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	beforeAll(async () => {
		handle = await postgres!.open();
		await handle.db.execute(sql`create table deadlock_probe (id integer primary key, n integer not null)`);
		await handle.db.execute(sql`insert into deadlock_probe values (1, 0), (2, 0)`);
	});
	afterAll(() => handle?.dispose());

	it('is recognised through drizzle’s error, and both writers finish', async () => {
		const db = handle.db;
		let attempts = 0;
		let firstHasRowOne!: () => void;
		const rowOneTaken = new Promise<void>((resolve) => (firstHasRowOne = resolve));
		let secondHasRowTwo!: () => void;
		const rowTwoTaken = new Promise<void>((resolve) => (secondHasRowTwo = resolve));
		// Opposite orders: 1 then 2, and 2 then 1. PostgreSQL aborts one of them after deadlock_timeout.
		const writer = (rows: [number, number], add: number, took: () => void, waitFor: Promise<void>) =>
			retryOnDeadlock(() =>
				db.transaction(async (tx) => {
					attempts++;
					await tx.execute(sql`update deadlock_probe set n = n + ${add} where id = ${rows[0]}`);
					took();
					await waitFor;
					await tx.execute(sql`update deadlock_probe set n = n + ${add} where id = ${rows[1]}`);
				})
			);
		const first = writer([1, 2], 1, firstHasRowOne, rowTwoTaken);
		const second = writer([2, 1], 10, secondHasRowTwo, rowOneTaken);
		await Promise.all([first, second]);
		expect(attempts).toBe(3);
		const found = (await db.execute(sql`select id, n from deadlock_probe order by id`)) as unknown as { id: number; n: number }[];
		expect(found.map((r) => [r.id, r.n])).toEqual([[1, 11], [2, 11]]);
	});
});

describe.skipIf(!postgres)('two jobs scoring the same new contacts at once on PostgreSQL', () => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	beforeAll(async () => {
		handle = await postgres!.open();
		await seedReference(handle.db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterAll(() => handle?.dispose());

	it('the one that finds the other’s verdicts written first (its insert refused on the unique key) runs again and both finish', async () => {
		const db = handle.db;
		await ingest.importFile(db, 'tests/fixtures/ingest/valid.csv', { score: false, actor: 'test' });
		const ids = (await rows<{ id: number }>(db, sql`select id from contacts order by id`)).map((r) => Number(r.id));
		const held = deferred();
		const written = deferred();
		// The first job's verdicts, written and not yet committed.
		const first = db.transaction(async (tx) => {
			const summary = await assessments.scoreContacts(tx, ids, { concurrency: 1 });
			written.resolve();
			await held.promise;
			return summary;
		});
		await written.promise;
		const second = assessments.scoreContacts(db, ids);
		// The second job's insert now waits on the first's uncommitted rows.
		await someoneWaitsOnALock(db);
		held.resolve();
		const [one, two] = await Promise.all([first, second]);
		expect(one.changed).toBeGreaterThan(0);
		expect(two.changed).toBe(0);
		const [stored] = await rows<{ n: number; contacts: number }>(db, sql`select count(*)::int as n, count(distinct contact_id)::int as contacts from assessments`);
		expect(Number(stored!.n)).toBe(one.changed);
	});
});
