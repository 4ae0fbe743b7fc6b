import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database, DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { cached, toMinute } from '../../src/lib/server/snapshot-cache.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('the dashboard cache on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let computed: number;
	const compute = async () => ++computed;

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		computed = 0;
		await db.execute(sql`create table cache_probe (n integer)`);
	});
	afterEach(async () => {
		vi.useRealTimers();
		await database.dispose();
	});

	it('serves the same figures until a write commits, then computes them again', async () => {
		expect(await cached(db, 'k', compute)).toBe(1);
		expect(await cached(db, 'k', compute)).toBe(1);
		// Reads commit nothing, so they keep the entry.
		await db.execute(sql`select count(*) from cache_probe`);
		expect(await cached(db, 'k', compute)).toBe(1);
		await db.execute(sql`insert into cache_probe values (1)`);
		expect(await cached(db, 'k', compute)).toBe(2);
		expect(await cached(db, 'k', compute)).toBe(2);
	});

	// The race a cache keyed by a counter would lose: figures computed while a write is open, then the write commits.
	it.skipIf(engine.name !== 'PostgreSQL')('computes again once a write that was open while it computed commits', async () => {
		let commit!: () => void;
		let inserted!: () => void;
		const wrote = new Promise<void>((resolve) => (inserted = resolve));
		const open = db.transaction(async (tx) => {
			await tx.execute(sql`insert into cache_probe values (1)`);
			inserted();
			await new Promise<void>((resolve) => (commit = resolve));
		});
		await wrote;
		const count = async () => ((await db.execute(sql`select count(*)::int as n from cache_probe`)) as unknown as { n: number }[])[0]!.n;
		expect(await cached(db, 'rows', count)).toBe(0);
		expect(await cached(db, 'rows', count)).toBe(0);
		commit();
		await open;
		expect(await cached(db, 'rows', count)).toBe(1);
	});

	it('keeps a key per question, shares one computation between requests at once, and forgets a failure', async () => {
		const [a, b, c] = await Promise.all([cached(db, 'a', compute), cached(db, 'a', compute), cached(db, 'b', compute)]);
		expect(a).toBe(b);
		expect(c).not.toBe(a);
		expect(computed).toBe(2);
		await expect(cached(db, 'failing', async () => Promise.reject(new Error('the database went away')))).rejects.toThrow('went away');
		expect(await cached(db, 'failing', compute)).toBe(3);
	});

	it('lets an entry lapse after its maximum age even without a write', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-11-24T09:00:00Z'));
		expect(await cached(db, 'k', compute, 60_000)).toBe(1);
		vi.setSystemTime(new Date('2026-11-24T09:00:59Z'));
		expect(await cached(db, 'k', compute, 60_000)).toBe(1);
		vi.setSystemTime(new Date('2026-11-24T09:01:01Z'));
		expect(await cached(db, 'k', compute, 60_000)).toBe(2);
	});

	it('never shares an entry between two databases', async () => {
		const other = await engine.open();
		try {
			expect(await cached(db, 'k', compute)).toBe(1);
			expect(await cached(other.db, 'k', compute)).toBe(2);
		} finally {
			await other.dispose();
		}
	});

	it('is off with YARDSTICK_DASHBOARD_CACHE=off', async () => {
		vi.stubEnv('YARDSTICK_DASHBOARD_CACHE', 'off');
		try {
			expect(await cached(db, 'k', compute)).toBe(1);
			expect(await cached(db, 'k', compute)).toBe(2);
		} finally {
			vi.unstubAllEnvs();
		}
	});
});

describe('toMinute', () => {
	it('rounds down to the start of the minute', () => {
		expect(toMinute(new Date('2026-11-24T09:41:59.999Z')).toISOString()).toBe('2026-11-24T09:41:00.000Z');
	});
});
