import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database, DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { cached, toMinute } from '../../src/lib/server/dashboard/cache.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('the dashboard cache on $name', (engine) => {
	// A PostgreSQL server's snapshot moves with a commit in any of its databases, and other test
	// files commit in parallel: there a hit cannot be promised, only that a write always misses.
	// Hits are shown on PGlite, where the test is the only writer.
	const hitsShown = engine.name !== 'PostgreSQL';
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

	it.runIf(hitsShown)('serves the same figures until a write commits, then computes them again', async () => {
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
		try {
			expect(await cached(db, 'rows', count)).toBe(0);
			expect(await cached(db, 'rows', count)).toBe(0);
		} finally {
			// Never leave the transaction open (the database could not be dropped).
			commit();
			await open;
		}
		expect(await cached(db, 'rows', count)).toBe(1);
	});

	it.runIf(hitsShown)('keeps a key per question, shares one computation between requests at once, and forgets a failure', async () => {
		let finish!: () => void;
		const slow = () => new Promise<number>((resolve) => (finish = () => resolve(++computed)));
		const first = cached(db, 'a', slow);
		// Asked again while the first is still being computed: it waits for that one.
		await new Promise((resolve) => setTimeout(resolve, 50));
		const second = cached(db, 'a', slow);
		const other = cached(db, 'b', compute);
		await new Promise((resolve) => setTimeout(resolve, 50));
		finish();
		const [a, b, c] = await Promise.all([first, second, other]);
		expect(a).toBe(b);
		expect(c).not.toBe(a);
		expect(computed).toBe(2);
		await expect(cached(db, 'failing', async () => Promise.reject(new Error('the database went away')))).rejects.toThrow('went away');
		expect(await cached(db, 'failing', compute)).toBe(3);
	});

	it.runIf(hitsShown)('lets an entry lapse after its maximum age even without a write', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-11-24T09:00:00Z'));
		expect(await cached(db, 'k', compute, 60_000)).toBe(1);
		vi.setSystemTime(new Date('2026-11-24T09:00:59Z'));
		expect(await cached(db, 'k', compute, 60_000)).toBe(1);
		vi.setSystemTime(new Date('2026-11-24T09:01:01Z'));
		expect(await cached(db, 'k', compute, 60_000)).toBe(2);
	});

	it('computes again after a committed write, on every engine', async () => {
		const first = await cached(db, 'k', compute);
		await db.execute(sql`insert into cache_probe values (1)`);
		expect(await cached(db, 'k', compute)).toBeGreaterThan(first);
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
