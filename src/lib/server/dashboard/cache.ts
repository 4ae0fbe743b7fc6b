/**
 * Dashboard figures that change only when the database does, kept per process.
 *
 * An entry is keyed by what was asked and stamped with the database's transaction snapshot
 * (`pg_current_snapshot()`), read just before the figures are computed. The snapshot moves on
 * with every committed write by anyone (this server, a `yardstick import` in another process, a
 * re-score, an administrator's change), so an entry is served only while no write has committed
 * since it was computed: never a figure older than the data. Reads commit nothing, so a busy
 * dashboard keeps its entries until someone changes something. On a PostgreSQL server a write to
 * any of its databases (even autovacuum's analyse) moves the snapshot too: that costs a
 * recomputation, never a stale figure.
 *
 * Figures that also depend on the clock ("overdue now") are asked for at the minute, with the
 * minute in their key, and every entry lapses after `maxAgeMs` whatever happens.
 *
 * Requests that arrive while an entry is being computed share that computation. A failed one is
 * forgotten. YARDSTICK_DASHBOARD_CACHE=off turns this off (the benchmark measures both).
 */
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../db/client.ts';

interface Entry {
	snapshot: string;
	expires: number;
	value: Promise<unknown>;
}

/** Per database, so two databases in one process (tests) never share an entry. */
const caches = new WeakMap<Database, Map<string, Entry>>();
const MAX_ENTRIES = 500;
const DEFAULT_MAX_AGE_MS = 60_000;

export const cacheEnabled = () => process.env.YARDSTICK_DASHBOARD_CACHE !== 'off';

/** The database's current transaction snapshot (xmin:xmax:in-progress ids) as text. */
export async function databaseSnapshot(db: Database): Promise<string> {
	const [row] = await rows<{ snapshot: string }>(db, sql`select pg_current_snapshot()::text as snapshot`);
	return row!.snapshot;
}

/** `compute()`'s result for `key`, computed again only after a committed write or `maxAgeMs`. */
export async function cached<T>(db: Database, key: string, compute: () => Promise<T>, maxAgeMs = DEFAULT_MAX_AGE_MS): Promise<T> {
	if (!cacheEnabled()) return compute();
	let cache = caches.get(db);
	if (!cache) caches.set(db, (cache = new Map()));
	const snapshot = await databaseSnapshot(db);
	const now = Date.now();
	const hit = cache.get(key);
	if (hit && hit.snapshot === snapshot && hit.expires > now) {
		// Most recently used last, so the oldest is the first to go.
		cache.delete(key);
		cache.set(key, hit);
		return hit.value as Promise<T>;
	}
	const entry: Entry = { snapshot, expires: now + maxAgeMs, value: compute() };
	cache.delete(key);
	cache.set(key, entry);
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
	entry.value.catch(() => {
		if (cache.get(key) === entry) cache.delete(key);
	});
	return entry.value as Promise<T>;
}

/** `at` to the start of its minute: the clock figures are computed for, so one minute shares an entry. */
export const toMinute = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000);
