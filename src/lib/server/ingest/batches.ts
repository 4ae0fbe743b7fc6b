/**
 * Import batches: one row per import (who, what file, its hash, the counts, done or failed and
 * why), and the rows it rejected, kept with the row as read so a person can fix and resend them.
 */
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify';
import * as audit from '../audit/record.ts';
import { insertMany } from '../db/bulk.ts';
import { isAlive, rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { neutralise } from '../spreadsheet.ts';
import { storableText, type Rejection } from './rows.ts';

export type Batch = typeof schema.importBatches.$inferSelect;

/** A batch's counts as stored. */
export const countsOf = (batch: Batch): Counts => ({
	read: batch.readCount,
	accepted: batch.acceptedCount,
	updated: batch.updatedCount,
	unchanged: batch.unchangedCount,
	skipped: batch.skippedCount,
	rejected: batch.rejectedCount
});

/** Counts skipped records by reason, as they are read. */
export function skipTally() {
	const byReason = new Map<string, number>();
	return {
		add(reason: string, count = 1) {
			if (count > 0) byReason.set(reason, (byReason.get(reason) ?? 0) + count);
		},
		get total() {
			let n = 0;
			for (const count of byReason.values()) n += count;
			return n;
		},
		reasons(): SkippedReasons {
			return [...byReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
		}
	};
}

export interface Counts {
	read: number;
	accepted: number;
	updated: number;
	unchanged: number;
	/** Records that are not contacts this import measures (see rows.ts Skip): not stored, not errors. */
	skipped: number;
	rejected: number;
}

/** How many records were skipped for each reason, most first. */
export type SkippedReasons = { reason: string; count: number }[];

export interface BatchStart {
	kind: string;
	source: string;
	filename?: string | null;
	fileHash?: string | null;
	/** Who ran it: a user's name or id, 'cli:<login>', 'api:<key name>'. */
	actor?: string | null;
}

/**
 * The process that runs a batch signs it: host, pid and a token made when this process started
 * (a pid can be reused after a restart). While the import runs, its heartbeat is renewed.
 */
const owner = { host: hostname(), pid: process.pid, token: randomUUID() };
/** The batches this process is running now. */
const running = new Set<number>();

/** How often a running import says it is alive, and how long a silent one counts as gone. */
export const HEARTBEAT_MS = 15_000;
export const SILENT_AFTER_MS = 90_000;

/**
 * Recorded before anything is read, outside the import's transaction, so a failure is on record.
 * Batches left running by a process that has gone are marked failed first.
 */
export async function start(db: Database, batch: BatchStart): Promise<number> {
	await failAbandoned(db).catch((error: unknown) => console.error(`Checking for abandoned imports: ${(error as Error).message}`));
	const [row] = await db
		.insert(schema.importBatches)
		.values({
			kind: batch.kind,
			source: batch.source,
			filename: batch.filename ?? null,
			fileHash: batch.fileHash ?? null,
			createdBy: batch.actor ?? null,
			ownerHost: owner.host,
			ownerPid: owner.pid,
			ownerToken: owner.token,
			heartbeatAt: sql`now()`
		})
		.returning({ id: schema.importBatches.id });
	const id = Number(row!.id);
	running.add(id);
	return id;
}

/**
 * Renews the batch's heartbeat every HEARTBEAT_MS until the returned function is called (when the
 * import has ended, whichever way). A missed beat (the database unreachable) is only logged.
 */
export function keepAlive(db: Database, id: number): () => void {
	const timer = setInterval(() => {
		db.update(schema.importBatches)
			.set({ heartbeatAt: sql`now()` })
			.where(and(eq(schema.importBatches.id, id), eq(schema.importBatches.status, 'running')))
			.catch((error: unknown) => console.error(`Import batch ${id}: heartbeat not recorded: ${(error as Error).message}`));
	}, HEARTBEAT_MS);
	timer.unref();
	return () => {
		clearInterval(timer);
		running.delete(id);
	};
}

export async function finish(db: Database, id: number, counts: Counts, columns: string[] | null, skippedReasons: SkippedReasons = []): Promise<void> {
	await db
		.update(schema.importBatches)
		.set({ status: 'done', ...countColumns(counts), skippedReasons, columns, finishedAt: sql`now()` })
		.where(eq(schema.importBatches.id, id));
	running.delete(id);
}

export async function fail(db: Database, id: number, reason: string, counts?: Partial<Counts>): Promise<void> {
	await db
		.update(schema.importBatches)
		.set({ status: 'failed', failure: reason, ...countColumns({ read: 0, accepted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, ...counts }), finishedAt: sql`now()` })
		.where(eq(schema.importBatches.id, id));
	running.delete(id);
}

/**
 * Marks failed every batch still 'running' whose process is gone, and returns their ids. A batch
 * is abandoned when it is this process's but no longer running here, when its process on this
 * host has ended (or its pid now belongs to this process), or when its heartbeat has been silent
 * for SILENT_AFTER_MS (a process on another host, or one from before batches were signed). One
 * whose rows were committed before its process went (it stopped while scoring) is marked done.
 * Runs when the server starts and before each import.
 */
export async function failAbandoned(db: Database): Promise<number[]> {
	const candidates = await rows<{ id: number; owner_host: string | null; owner_pid: number | null; owner_token: string | null; silent: boolean }>(
		db,
		sql`select id, owner_host, owner_pid, owner_token,
				coalesce(heartbeat_at, started_at) < now() - make_interval(secs => ${SILENT_AFTER_MS / 1000}) as silent
			from import_batches where status = 'running'`
	);
	const abandoned = candidates.filter((b) => {
		const id = Number(b.id);
		if (b.owner_token === owner.token) return !running.has(id);
		if (b.owner_host === owner.host && b.owner_pid !== null) return b.owner_pid === owner.pid || !isAlive(b.owner_pid) || b.silent;
		return b.silent;
	});
	const ids = abandoned.map((b) => Number(b.id));
	if (ids.length === 0) return [];
	const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
	// Rows a batch committed carry its id; without any, nothing of it was stored.
	await db.execute(sql`with stored as (
			select b.id,
				(select count(*)::int from contacts c where c.created_by_batch_id = b.id) as accepted,
				(select count(*)::int from contacts c where c.import_batch_id = b.id and c.created_by_batch_id is distinct from b.id) as updated
			from import_batches b where b.id in (${list})
		)
		update import_batches b set
			status = case when s.accepted + s.updated > 0 then 'done' else 'failed' end,
			failure = case when s.accepted + s.updated > 0
				then ${STOPPED_AFTER_COMMIT}
				else ${STOPPED} end,
			accepted_count = s.accepted, updated_count = s.updated, finished_at = now()
		from stored s where b.id = s.id and b.status = 'running'`);
	return ids;
}

const STOPPED = 'the process running this import stopped before it finished (it was stopped, crashed or lost its database); nothing was stored: import the file again';
const STOPPED_AFTER_COMMIT = "the process running this import stopped after its rows were stored, before they were all scored: run 'yardstick assess' to score them";

const countColumns = (c: Counts) => ({
	readCount: c.read,
	acceptedCount: c.accepted,
	updatedCount: c.updated,
	unchangedCount: c.unchanged,
	skippedCount: c.skipped,
	rejectedCount: c.rejected
});

/** The latest imports, newest first (only those `createdBy` ran, when given). */
export async function recent(db: Database, limit = 15, createdBy: string | null = null): Promise<Batch[]> {
	return db
		.select()
		.from(schema.importBatches)
		.where(createdBy === null ? undefined : eq(schema.importBatches.createdBy, createdBy))
		.orderBy(desc(schema.importBatches.startedAt), desc(schema.importBatches.id))
		.limit(limit);
}

export async function get(db: Database, id: number): Promise<Batch | undefined> {
	const [batch] = await db.select().from(schema.importBatches).where(eq(schema.importBatches.id, id));
	return batch;
}

/** Kept in the import's transaction: an import that fails keeps no rejections either. */
export async function addRejections(tx: Database, batchId: number, rejections: readonly Rejection[]): Promise<void> {
	if (rejections.length === 0) return;
	await insertMany(tx, schema.importRejections, rejections.map((r) => ({ batchId, rowNumber: r.row, reason: storableText(r.reason), raw: storableRow(r.raw) })));
}

/** The row as read, storable: a NUL character or half a surrogate pair (which jsonb cannot hold) shown as U+FFFD. */
const storableRow = (raw: Record<string, string>) => Object.fromEntries(Object.entries(raw).map(([key, value]) => [storableText(key), storableText(value)]));

export async function rejections(db: Database, batchId: number, limit = 1000): Promise<{ row: number; reason: string }[]> {
	const found = await db
		.select({ row: schema.importRejections.rowNumber, reason: schema.importRejections.reason })
		.from(schema.importRejections)
		.where(eq(schema.importRejections.batchId, batchId))
		.orderBy(asc(schema.importRejections.rowNumber), asc(schema.importRejections.id))
		.limit(limit);
	return found;
}

/**
 * The rejected rows of a batch as CSV: the file's own columns, then `row` and `reason`, so the
 * fixed file can be imported again as it is (unknown columns are ignored). Cells a spreadsheet
 * would run as a formula (= + - @) are prefixed with ' (OWASP "CSV injection").
 */
export function rejectionsCsv(db: Database, batchId: number, pageSize = 5000): Readable {
	const csv = stringify({ bom: true, record_delimiter: 'windows' });
	const pages = async function* () {
		const batch = await get(db, batchId);
		let columns = batch?.columns ?? null;
		if (!columns) {
			const keys = await rows<{ key: string }>(db, sql`select distinct jsonb_object_keys(raw) as key from import_rejections where batch_id = ${batchId} order by 1`);
			columns = keys.map((k) => k.key);
		}
		// The header is the file's own: a column named like a formula is neutralised as any cell is.
		yield [...columns, 'row', 'reason'].map(neutralise);
		let after = { row: -1, id: 0 };
		for (;;) {
			const page = await rows<{ id: number; row_number: number; reason: string; raw: Record<string, string> }>(
				db,
				sql`select id, row_number, reason, raw from import_rejections
					where batch_id = ${batchId} and (row_number, id) > (${after.row}, ${after.id})
					order by row_number, id limit ${pageSize}`
			);
			if (page.length === 0) return;
			after = { row: Number(page.at(-1)!.row_number), id: Number(page.at(-1)!.id) };
			for (const r of page) {
				const raw = typeof r.raw === 'string' ? (JSON.parse(r.raw) as Record<string, string>) : r.raw;
				yield [...columns.map((c) => neutralise(String(raw[c] ?? ''))), String(r.row_number), neutralise(r.reason)];
			}
		}
	};
	return Readable.from(pages()).pipe(csv);
}

export class BatchRemovalError extends Error {}

/** What removing a batch would do: the contacts it created (with their assessments), and those it only updated (kept). */
export interface RemovalPreview {
	batch: Batch;
	/** Contacts the batch created: removed, with their assessments, clock events and alerts. */
	created: number;
	assessments: number;
	/** Contacts the batch only changed, last: kept as they are now. */
	updatedOnly: number;
}

export async function removalPreview(db: Database, id: number): Promise<RemovalPreview | null> {
	const batch = await get(db, id);
	if (!batch) return null;
	const [counts] = await rows<{ created: number; assessments: number; updated_only: number }>(
		db,
		sql`select (select count(*)::int from contacts where created_by_batch_id = ${id}) as created,
			(select count(*)::int from assessments a join contacts c on c.id = a.contact_id where c.created_by_batch_id = ${id}) as assessments,
			(select count(*)::int from contacts where import_batch_id = ${id} and created_by_batch_id is distinct from ${id}) as updated_only`
	);
	return { batch, created: Number(counts?.created ?? 0), assessments: Number(counts?.assessments ?? 0), updatedOnly: Number(counts?.updated_only ?? 0) };
}

/**
 * Removes a finished import: deletes the contacts it created (their assessments, clock events,
 * duties' links and alerts go with them; the assessment_days and phone_half_hours triggers take
 * them off the dashboards' counts) and marks the batch 'removed'. Contacts it only updated are
 * kept as they are. Audited with the counts, in the same transaction.
 */
export async function remove(db: Database, id: number, actor: audit.Actor): Promise<{ contacts: number; assessments: number }> {
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [batch] = await t.select().from(schema.importBatches).where(eq(schema.importBatches.id, id)).for('update');
		if (!batch) throw new BatchRemovalError('There is no such import');
		if (batch.status === 'removed') throw new BatchRemovalError('This import has been removed already');
		if (batch.status !== 'done') throw new BatchRemovalError(batch.status === 'running' ? 'This import is still running: wait for it to finish' : 'This import failed, so it stored nothing to remove');
		// An electoral file's rows are the canvass and the register as the EMS last said: a corrected file puts them right.
		if (batch.kind === 'canvass' || batch.kind === 'register-changes') throw new BatchRemovalError('An electoral data import is not removed: import the corrected file, which updates the rows that changed');
		if (batch.kind === 'feedback') throw new BatchRemovalError('An import of survey answers is not removed: import the corrected file, which updates the answers that changed');
		// Imports of the same source wait for this (and this for them), as in staging.upsert.
		await t.execute(sql`select pg_advisory_xact_lock(hashtext('yardstick.ingest'), hashtext(${batch.source}))`);
		const [counted] = await rows<{ assessments: number }>(
			t,
			sql`select count(*)::int as assessments from assessments a join contacts c on c.id = a.contact_id where c.created_by_batch_id = ${id}`
		);
		const deleted = await rows<{ n: number }>(t, sql`with gone as (delete from contacts where created_by_batch_id = ${id} returning 1) select count(*)::int as n from gone`);
		const counts = { contacts: Number(deleted[0]?.n ?? 0), assessments: Number(counted?.assessments ?? 0) };
		await t.update(schema.importBatches).set({ status: 'removed' }).where(eq(schema.importBatches.id, id));
		await audit.record(t, {
			...audit.audited(actor),
			action: 'remove',
			entity: 'import_batch',
			entityId: id,
			organisationId: batch.organisationId,
			before: { filename: batch.filename, source: batch.source, kind: batch.kind, status: batch.status, createdBy: batch.createdBy, startedAt: batch.startedAt },
			after: { status: 'removed', contactsRemoved: counts.contacts, assessmentsRemoved: counts.assessments }
		});
		return counts;
	});
}
