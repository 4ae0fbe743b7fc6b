/**
 * Importing an electoral data file (docs/interfaces.md "Electoral data files"), by the same rules
 * as a contact log: a batch on record before anything is read, every row stored or rejected with
 * a reason (read = accepted + updated + unchanged + rejected), one transaction (all the accepted
 * rows or none), idempotent (stored by organisation and canvass and property, by change
 * reference, by notice month; a re-import changes nothing). A dry run (the preview) does the
 * same and rolls back, so its counts, rejections and warnings are the import's.
 */
import { sql } from 'drizzle-orm';
import { getCalendar } from '../../engine/calendar.ts';
import { monthlyNoticeDue, noticeCutOff } from '../../engine/duties.ts';
import { rows, type Database } from '../db/client.ts';
import { ensureElectoralIndicators } from '../plan/indicator-definitions.ts';
import * as batches from './batches.ts';
import type { Codes } from './codes.ts';
import { HeaderError } from './columns.ts';
import { readHeaded } from './csv.ts';
import type { ElectoralKind } from './electoral-columns.ts';
import {
	electoralReader,
	formatMonth,
	settleFile,
	type CanvassPropertyRecord,
	type CanvassSummaryRecord,
	type ElectoralGrain,
	type ElectoralRecord,
	type ElectoralScope,
	type NoticeSummaryRecord,
	type RegisterChangeRecord,
	type Warning
} from './electoral.ts';
import { readText, type FileFacts } from './file.ts';
import type { Rejection } from './rows.ts';

export interface ElectoralRun {
	path: string;
	facts: FileFacts;
	filename: string;
	kind: ElectoralKind;
	source: string;
	actor?: string;
	codes: Codes;
	scope: ElectoralScope;
	onProgress?: (progress: { phase: 'reading' | 'saving' | 'done'; rows: number; bytes: number; totalBytes: number }) => void;
	/** Rows per statement (default 5,000). */
	batchSize?: number;
}

export interface ElectoralOutcome extends batches.Counts {
	/** null for a dry run (nothing is recorded). */
	batchId: number | null;
	grain: ElectoralGrain | null;
	header: string[];
	rejections: Rejection[];
	warnings: Warning[];
	/** The first records read, for a preview. */
	sample: ElectoralRecord[];
}

/** A file-level problem (no header, a missing column): nothing was read. */
export class ElectoralFileError extends Error {
	constructor(
		message: string,
		readonly batchId: number | null,
		readonly row: number
	) {
		super(message);
	}
}

class DryRun extends Error {
	constructor(readonly outcome: ElectoralOutcome) {
		super('dry run');
	}
}

const BATCH = 5000;
const calendar = getCalendar('england-wales');

/** Imports (or, with dryRun, previews: the same work, rolled back) one electoral data file. */
export async function runElectoral(db: Database, job: ElectoralRun, dryRun = false): Promise<ElectoralOutcome> {
	const batchId = dryRun ? null : await batches.start(db, { kind: job.kind, source: job.source, filename: job.filename, fileHash: job.facts.sha256, actor: job.actor });
	let bytes = 0;
	const text = readText(job.path, job.facts.encoding, (n) => (bytes = n));
	const progress = (phase: 'reading' | 'saving' | 'done', rowsRead: number) => job.onProgress?.({ phase, rows: rowsRead, bytes, totalBytes: job.facts.bytes });
	let header: string[] = [];
	let grain: ElectoralGrain | null = null;
	let read = 0;
	const records: ElectoralRecord[] = [];
	const rejections: Rejection[] = [];
	const warnings: Warning[] = [];
	try {
		({ header, read } = await readHeaded(
			text,
			(columns) => {
				const made = electoralReader(job.kind, job.codes, columns, job.scope);
				grain = made.grain;
				return (record, row, sofar) => {
					const result = made.read(record, row);
					if ('rejection' in result) rejections.push(result.rejection);
					else {
						records.push(result.record);
						for (const reason of result.warnings) warnings.push({ row, reason });
					}
					if (sofar % 5000 === 0) progress('reading', sofar);
				};
			},
			(rejection) => rejections.push(rejection)
		));
	} catch (error) {
		text.destroy();
		const message = error instanceof HeaderError ? error.message : `the file could not be read: ${(error as Error).message}`;
		if (batchId !== null) await batches.fail(db, batchId, message);
		throw new ElectoralFileError(message, batchId, error instanceof HeaderError ? 1 : 0);
	}
	progress('saving', read);
	const settled = settleFile(records);
	const sample = records.slice(0, 10);
	try {
		const outcome = await db.transaction(async (tx) => {
			const stored = await store(tx as unknown as Database, settled.kept, batchId, job.batchSize ?? BATCH);
			const rejected = [...rejections, ...settled.rejected, ...stored.rejected].sort((a, b) => a.row - b.row);
			const rejectedRows = new Set(rejected.map((r) => r.row));
			if (batchId !== null) {
				for (let i = 0; i < rejected.length; i += 1000) await batches.addRejections(tx as unknown as Database, batchId, rejected.slice(i, i + 1000));
			}
			const result: ElectoralOutcome = {
				batchId,
				grain,
				header,
				read,
				accepted: stored.accepted,
				updated: stored.updated,
				unchanged: stored.unchanged,
				// Every row of an electoral file is data to keep or to reject: none is skipped.
				skipped: 0,
				rejected: rejected.length,
				rejections: rejected,
				warnings: warnings.filter((w) => !rejectedRows.has(w.row)),
				sample
			};
			if (dryRun) throw new DryRun(result);
			return result;
		});
		await batches.finish(db, batchId!, outcome, header);
		progress('done', read);
		return outcome;
	} catch (error) {
		if (error instanceof DryRun) return error.outcome;
		const message = `the import stopped and nothing was stored: ${(error as Error).message}`;
		if (batchId !== null) await batches.fail(db, batchId, message, { read }).catch(() => {});
		throw new ElectoralFileError(message, batchId, 0);
	}
}

interface Stored {
	accepted: number;
	updated: number;
	unchanged: number;
	rejected: Rejection[];
}

async function store(db: Database, records: ElectoralRecord[], batchId: number | null, size: number): Promise<Stored> {
	const out: Stored = { accepted: 0, updated: 0, unchanged: 0, rejected: [] };
	const of = <G extends ElectoralRecord['grain']>(grain: G) => records.filter((r): r is Extract<ElectoralRecord, { grain: G }> => r.grain === grain);
	// One import of a kind at a time: two at once could both insert the same notice.
	await db.execute(sql`select pg_advisory_xact_lock(hashtext('yardstick.electoral'), 0)`);
	await storeProperties(db, of('canvass-property'), batchId, size, out);
	await storeSummaries(db, of('canvass-summary'), batchId, out);
	await storeChanges(db, of('register-change'), batchId, size, out);
	await storeNoticeCounts(db, of('notice-summary'), batchId, out);
	// A council's first electoral data gives it ES01 and ES02 (on /indicators, the overview and the board report).
	for (const organisationId of new Set(records.map((r) => r.organisationId))) await ensureElectoralIndicators(db, organisationId);
	return out;
}

/** Upserts by (organisation, canvass, property); a row whose route and response are as stored is unchanged. */
async function storeProperties(db: Database, records: CanvassPropertyRecord[], batchId: number | null, size: number, out: Stored) {
	for (let i = 0; i < records.length; i += size) {
		const chunk = records.slice(i, i + size);
		const json = JSON.stringify(chunk.map((r) => ({ o: r.organisationId, y: r.canvassYear, p: r.propertyRef, r: r.route, d: r.respondedOn })));
		const changed = await rows<{ inserted: boolean }>(
			db,
			sql`insert into canvass_properties (organisation_id, canvass_year, property_ref, route, responded_on, import_batch_id)
				select o, y, p, r, d, ${batchId}::bigint from jsonb_to_recordset(${json}::jsonb) as x(o int, y smallint, p text, r smallint, d date)
				on conflict (organisation_id, canvass_year, property_ref) do update
					set route = excluded.route, responded_on = excluded.responded_on, import_batch_id = excluded.import_batch_id
					where (canvass_properties.route, canvass_properties.responded_on) is distinct from (excluded.route, excluded.responded_on)
				returning (xmax = 0) as inserted`
		);
		tally(out, changed, chunk.length);
	}
}

/** One row per (organisation, canvass, route, as_of); few rows, so one at a time. */
async function storeSummaries(db: Database, records: CanvassSummaryRecord[], batchId: number | null, out: Stored) {
	for (const r of records) {
		const [existing] = await rows<{ id: number; properties: number; responses: number }>(
			db,
			sql`select id, properties, responses from canvass_counts
				where organisation_id = ${r.organisationId} and canvass_year = ${r.canvassYear} and route = ${r.route} and as_of is not distinct from ${r.asOf}::date`
		);
		if (!existing) {
			await db.execute(sql`insert into canvass_counts (organisation_id, canvass_year, route, as_of, properties, responses, import_batch_id)
				values (${r.organisationId}, ${r.canvassYear}, ${r.route}, ${r.asOf}::date, ${r.properties}, ${r.responses}, ${batchId}::bigint)`);
			out.accepted++;
		} else if (Number(existing.properties) !== r.properties || Number(existing.responses) !== r.responses) {
			await db.execute(sql`update canvass_counts set properties = ${r.properties}, responses = ${r.responses}, import_batch_id = ${batchId}::bigint where id = ${existing.id}`);
			out.updated++;
		} else out.unchanged++;
	}
}

interface NoticeRow {
	id: number;
	published_on: string | null;
	determined_count: number | null;
	included_count: number | null;
}

async function noticeOf(db: Database, organisationId: number, month: string): Promise<NoticeRow | undefined> {
	const [found] = await rows<NoticeRow>(
		db,
		sql`select id, published_on::text, determined_count, included_count from register_notices where organisation_id = ${organisationId} and month = ${month}::date`
	);
	return found;
}

/** The notice of a month, made with its due date and cut-off from the engine when it is new. */
async function createNotice(db: Database, organisationId: number, month: string, publishedOn: string, batchId: number | null, counts?: { determined: number; included: number }): Promise<number> {
	const dueOn = monthlyNoticeDue(month, calendar).dueOn;
	const [made] = await rows<{ id: number }>(
		db,
		sql`insert into register_notices (organisation_id, month, cut_off_on, due_on, published_on, determined_count, included_count, import_batch_id)
			values (${organisationId}, ${month}::date, ${noticeCutOff(dueOn, calendar)}::date, ${dueOn}::date, ${publishedOn}::date,
				${counts?.determined ?? null}::int, ${counts?.included ?? null}::int, ${batchId}::bigint)
			returning id`
	);
	return Number(made!.id);
}

/**
 * Each change's notice is the month's notice of alteration, published on the date given: made
 * when it is not recorded yet, its publication recorded when it was not. A month has one notice:
 * rows naming another publication date for it are rejected.
 */
async function storeChanges(db: Database, records: RegisterChangeRecord[], batchId: number | null, size: number, out: Stored) {
	const noticeIds = new Map<string, number>();
	const refused = new Map<string, string>();
	const byMonth = new Map<string, { organisationId: number; month: string; dates: Map<string, number> }>();
	for (const r of records) {
		if (r.noticeOn === null) continue;
		const key = `${r.organisationId}:${r.noticeOn.slice(0, 7)}`;
		const group = byMonth.get(key) ?? { organisationId: r.organisationId, month: `${r.noticeOn.slice(0, 7)}-01`, dates: new Map<string, number>() };
		if (!group.dates.has(r.noticeOn)) group.dates.set(r.noticeOn, r.row);
		byMonth.set(key, group);
	}
	for (const [key, group] of byMonth) {
		const existing = await noticeOf(db, group.organisationId, group.month);
		const dates = [...group.dates.keys()];
		const publishedOn = existing?.published_on ?? dates[0]!;
		for (const date of dates) {
			if (date === publishedOn) continue;
			refused.set(
				`${key}:${date}`,
				existing?.published_on
					? `notice ${date}: the ${formatMonth(date)} notice is recorded as published on ${existing.published_on}, and a month has one notice`
					: `notice ${date}: row ${group.dates.get(publishedOn)} dates the ${formatMonth(date)} notice ${publishedOn}, and a month has one notice`
			);
		}
		if (!existing) noticeIds.set(`${key}:${publishedOn}`, await createNotice(db, group.organisationId, group.month, publishedOn, batchId));
		else {
			if (existing.published_on === null) await db.execute(sql`update register_notices set published_on = ${publishedOn}::date where id = ${existing.id}`);
			noticeIds.set(`${key}:${publishedOn}`, Number(existing.id));
		}
	}
	const storable: (RegisterChangeRecord & { noticeId: number | null })[] = [];
	for (const r of records) {
		const key = r.noticeOn === null ? null : `${r.organisationId}:${r.noticeOn.slice(0, 7)}:${r.noticeOn}`;
		const reason = key === null ? undefined : refused.get(key);
		if (reason) out.rejected.push({ row: r.row, reason, raw: r.raw() });
		else storable.push({ ...r, noticeId: key === null ? null : noticeIds.get(key)! });
	}
	for (let i = 0; i < storable.length; i += size) {
		const chunk = storable.slice(i, i + size);
		const json = JSON.stringify(chunk.map((r) => ({ o: r.organisationId, c: r.changeRef, k: r.kind, d: r.determinedOn, n: r.noticeId })));
		const changed = await rows<{ inserted: boolean }>(
			db,
			sql`insert into register_changes (organisation_id, change_ref, kind, determined_on, notice_id, import_batch_id)
				select o, c, k, d, n, ${batchId}::bigint from jsonb_to_recordset(${json}::jsonb) as x(o int, c text, k text, d date, n int)
				on conflict (organisation_id, change_ref) do update
					set kind = excluded.kind, determined_on = excluded.determined_on, notice_id = excluded.notice_id, import_batch_id = excluded.import_batch_id
					where (register_changes.kind, register_changes.determined_on, register_changes.notice_id) is distinct from (excluded.kind, excluded.determined_on, excluded.notice_id)
				returning (xmax = 0) as inserted`
		);
		tally(out, changed, chunk.length);
	}
}

/** A notice's counts (and its publication date) by organisation and month. */
async function storeNoticeCounts(db: Database, records: NoticeSummaryRecord[], batchId: number | null, out: Stored) {
	for (const r of records) {
		const month = `${r.noticeOn.slice(0, 7)}-01`;
		const existing = await noticeOf(db, r.organisationId, month);
		if (!existing) {
			await createNotice(db, r.organisationId, month, r.noticeOn, batchId, r);
			out.accepted++;
		} else if (existing.published_on !== r.noticeOn || existing.determined_count !== r.determined || existing.included_count !== r.included) {
			await db.execute(sql`update register_notices set published_on = ${r.noticeOn}::date, determined_count = ${r.determined}, included_count = ${r.included}, import_batch_id = ${batchId}::bigint
				where id = ${existing.id}`);
			out.updated++;
		} else out.unchanged++;
	}
}

/** Counts an upsert of `sent` rows that returned `changed` (xmax = 0: inserted; the rest updated; those not returned were unchanged). */
function tally(out: Stored, changed: { inserted: boolean }[], sent: number): void {
	const inserted = changed.filter((c) => c.inserted === true || (c.inserted as unknown) === 't').length;
	out.accepted += inserted;
	out.updated += changed.length - inserted;
	out.unchanged += sent - changed.length;
}
