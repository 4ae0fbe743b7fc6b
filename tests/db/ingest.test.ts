import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as sources from '../../src/lib/server/ingest/sources.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { serviceLevel } from '../../src/lib/engine/phone.ts';
import * as audit from '../../src/lib/server/audit/record.ts';
import * as directory from '../../src/lib/server/directory/organisations.ts';
import { engines } from '../support/databases.ts';

const fixture = (name: string) => `tests/fixtures/ingest/${name}`;
const counts = (r: ingest.ImportResult) => ({ read: r.read, accepted: r.accepted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected });
const skipped = (r: ingest.ImportResult) => ({ skipped: r.skipped, reasons: Object.fromEntries(r.skippedReasons.map((s) => [s.reason, s.count])) });
const reasons = (r: ingest.ImportResult) => r.errors.map(ingest.describeRejection);

async function contactCount(db: Database): Promise<number> {
	const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from contacts`);
	return Number(row!.n);
}

async function contact(db: Database, ref: string) {
	const [row] = await rows<Record<string, unknown>>(
		db,
		sql`select c.external_ref, c.contact_type, c.status, c.wait_seconds, c.abandoned, c.extended, c.source,
				to_char(c.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received,
				to_char(c.first_response_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as responded,
				to_char(c.resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as closed,
				t.code as team, o.code as organisation
			from contacts c join organisations o on o.id = c.organisation_id left join teams t on t.id = c.team_id
			where c.external_ref = ${ref}`
	);
	return row;
}

describe.each(engines)('importing contact logs on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterEach(() => database.dispose());

	const run = (name: string, options: ingest.ImportOptions = {}) => ingest.importFile(db, fixture(name), { score: false, actor: 'test', ...options });

	it('stores a valid log in ISO, UK and Excel dates, with teams, pauses and phone waits', async () => {
		const result = await run('valid.csv');
		expect(counts(result)).toEqual({ read: 5, accepted: 5, updated: 0, unchanged: 0, rejected: 0 });
		expect(await contact(db, 'EM-1')).toMatchObject({ received: '2025-03-03T09:15:00Z', responded: '2025-03-04T10:00:00Z', status: 'responded', team: 'cc-correspondence' });
		expect(await contact(db, 'CALL-2')).toMatchObject({ received: '2025-03-03T09:22:00Z', wait_seconds: 40, abandoned: true, status: 'closed' });
		expect(await contact(db, 'FOI-1')).toMatchObject({ organisation: 'borough', extended: true, received: '2025-03-03T00:00:00Z' });
		const pauses = await rows(db, sql`select kind from contact_events e join contacts c on c.id = e.contact_id where c.external_ref = 'FOI-1'`);
		expect(pauses).toEqual([{ kind: 'pause' }]);
		const [batch] = await rows<Record<string, unknown>>(db, sql`select status, read_count, accepted_count, file_hash, created_by from import_batches where id = ${result.batchId}`);
		expect(batch).toMatchObject({ status: 'done', read_count: 5, accepted_count: 5, created_by: 'test' });
		expect(batch!.file_hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('keeps every row of a long file whose good and bad rows alternate, the rejections saved as they build up between staged batches', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-alternate-'));
		try {
			const file = path.join(dir, 'alternate.csv');
			const lines = ['reference,organisation,service,type,received,responded'];
			for (let i = 0; i < 3000; i++) lines.push(`ALT-${i},county,customer,email,${i % 2 ? 'not a date' : '2025-03-03T09:15:00Z'},2025-03-04T10:00:00Z`);
			writeFileSync(file, lines.join('\n'));
			const result = await ingest.importFile(db, file, { score: false, actor: 'test', batchSize: 400 });
			expect(counts(result)).toEqual({ read: 3000, accepted: 1500, updated: 0, unchanged: 0, rejected: 1500 });
			expect(await contactCount(db)).toBe(1500);
			const [kept] = await rows<{ n: number; first: number; last: number }>(
				db,
				sql`select count(*)::int as n, min(row_number)::int as first, max(row_number)::int as last from import_rejections where batch_id = ${result.batchId}`
			);
			// Row 1 is the header: the first bad record (ALT-1) is on line 3, the last (ALT-2999) on line 3001.
			expect(kept).toEqual({ n: 1500, first: 3, last: 3001 });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('changes nothing when the same file is imported again', async () => {
		const first = await run('valid.csv');
		const again = await run('valid.csv');
		expect(counts(again)).toEqual({ read: 5, accepted: 0, updated: 0, unchanged: 5, rejected: 0 });
		expect(again.changedIds).toEqual([]);
		expect(first.changedIds).toHaveLength(5);
		expect(await contactCount(db)).toBe(5);
	});

	it('updates only the changed rows of a newer export, and returns only their ids to re-score', async () => {
		const first = await run('valid.csv');
		const updated = await run('valid-updated.csv');
		// EM-2 now answered, FOI-1's pause moved, EM-3 new; the rest as before.
		expect(counts(updated)).toEqual({ read: 6, accepted: 1, updated: 2, unchanged: 3, rejected: 0 });
		expect(updated.changedIds).toHaveLength(3);
		const ids = await rows<{ id: number }>(db, sql`select id from contacts where external_ref in ('EM-2', 'FOI-1', 'EM-3') order by id`);
		expect(updated.changedIds).toEqual(ids.map((r) => Number(r.id)));
		expect(first.changedIds).toEqual(expect.arrayContaining(updated.changedIds.slice(0, 2)));
		expect(await contact(db, 'EM-2')).toMatchObject({ status: 'responded', responded: '2025-03-05T11:00:00Z' });
		const [pause] = await rows<{ until: string }>(db, sql`select to_char(e.until at time zone 'Europe/London', 'YYYY-MM-DD') as until from contact_events e join contacts c on c.id = e.contact_id where c.external_ref = 'FOI-1'`);
		expect(pause!.until).toBe('2025-03-17');
	});

	it('rejects impossible and unreadable dates with the row and the value', async () => {
		const result = await run('bad-dates.csv');
		expect(counts(result)).toEqual({ read: 6, accepted: 1, updated: 0, unchanged: 0, rejected: 5 });
		expect(reasons(result)).toEqual([
			"row 2: received '31/02/2025' is not a date",
			"row 3: received 'yesterday' is not a date",
			"row 4: received '2025-13-01' is not a date",
			"row 5: responded '04/03/2025 25:00' is not a time of day",
			'row 6: received is empty'
		]);
		expect(await contact(db, 'D6')).toMatchObject({ received: '2025-03-03T08:00:00Z' });
	});

	it('rejects unknown types, codes and numbers in plain words', async () => {
		const result = await run('bad-types.csv');
		expect(counts(result)).toEqual({ read: 8, accepted: 1, updated: 0, unchanged: 0, rejected: 7 });
		expect(reasons(result)).toEqual([
			"row 2: type 'emial' is not one of phone, callback, message, email, letter, complaint, info, sar, foi, registration, absent-vote, enquiry, governance, meeting, dp-complaint",
			"row 3: wait_seconds 'abc' is not a whole number of seconds",
			"row 4: abandoned 'maybe' is not yes, no, true, false, 1 or 0",
			"row 5: organisation 'shire' is not one of borough, county",
			"row 6: service 'electoral' is not a service of county (customer)",
			"row 7: team 'es-registration' is not a team of county customer (cc-complaints, cc-contact-centre, cc-correspondence, cc-information)",
			'row 8: wait_seconds is required for a phone contact; abandoned is required for a phone contact (yes or no)'
		]);
	});

	it('keeps rejected rows with their reasons, and exports them as CSV that re-imports', async () => {
		const result = await run('bad-types.csv');
		const stored = await rows<{ row_number: number; raw: unknown }>(db, sql`select row_number, raw from import_rejections where batch_id = ${result.batchId} order by row_number`);
		expect(stored.map((r) => r.row_number)).toEqual([2, 3, 4, 5, 6, 7, 8]);
		let csv = '';
		for await (const chunk of ingest.rejectionsCsv(db, result.batchId)) csv += String(chunk);
		const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
		expect(lines[0]).toBe('reference,organisation,service,type,received,responded,wait_seconds,abandoned,team,row,reason');
		expect(lines[1]).toBe("T1,county,customer,emial,2025-03-03,,,,,2,\"type 'emial' is not one of phone, callback, message, email, letter, complaint, info, sar, foi, registration, absent-vote, enquiry, governance, meeting, dp-complaint\"");
		expect(lines).toHaveLength(8);
	});

	it('refuses a file missing required columns with one error, before any row', async () => {
		const error = await run('missing-columns.csv').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ingest.ImportError);
		expect((error as ingest.ImportError).message).toBe(
			"row 1: the header has no columns 'type', 'received' (required: reference, organisation, service, type, received; the header read was: Reference, Organisation, Service, Date Received)"
		);
		const batch = await ingest.getBatch(db, (error as ingest.ImportError).batchId);
		expect(batch).toMatchObject({ status: 'failed', failure: (error as Error).message });
		expect(await contactCount(db)).toBe(0);
	});

	it.each([
		['empty.csv', 'the file is empty (0 bytes)'],
		['binary.xlsx', 'this is not a text file: it has a NUL byte near byte 5 (is it a spreadsheet, .xlsx, or a zip? Save it as CSV)']
	])('refuses %s with a clear message', async (name, message) => {
		const error = (await run(name).catch((e: unknown) => e)) as ingest.ImportError;
		expect(error.message).toBe(message);
		expect(await ingest.getBatch(db, error.batchId)).toMatchObject({ status: 'failed', failure: message });
	});

	it('reads UTF-8 with a BOM and Windows-1252', async () => {
		const bom = await run('bom.csv');
		expect(bom.file).toMatchObject({ encoding: 'utf-8', bom: true });
		expect(counts(bom)).toMatchObject({ accepted: 1, rejected: 0 });
		const cp1252 = await run('windows-1252.csv');
		expect(cp1252.file).toMatchObject({ encoding: 'windows-1252', bom: false });
		expect(counts(cp1252)).toMatchObject({ accepted: 2, rejected: 0 });
		const refs = await rows<{ ref: string }>(db, sql`select external_ref as ref from contacts order by external_ref`);
		expect(refs.map((r) => r.ref)).toEqual(['CAFÉ-1', 'CAFÉ-2', 'O’BRIEN-1']);
	});

	it('stores references holding tabs, backslashes, quotes and line breaks exactly as written', async () => {
		// PostgreSQL stages with COPY's text format, where a tab, a backslash or a line break means something.
		const result = await run('awkward-references.csv');
		expect(counts(result)).toEqual({ read: 4, accepted: 4, updated: 0, unchanged: 0, rejected: 0 });
		const refs = await rows<{ ref: string }>(db, sql`select external_ref as ref from contacts order by received_at`);
		expect(refs.map((r) => r.ref)).toEqual(['TAB\tREF', 'BACK\\SLASH\\N', 'LINE\nBREAK', 'QUOTE "Q" \\t']);
		expect(counts(await run('awkward-references.csv'))).toMatchObject({ unchanged: 4 });
	});

	it('reads Excel serial dates as Europe/London local times', async () => {
		const result = await run('excel-serials.csv');
		expect(reasons(result)).toEqual(["row 4: received '12' is an Excel date before 1 March 1900"]);
		expect(await contact(db, 'X1')).toMatchObject({ received: '2025-03-03T00:00:00Z', responded: '2025-03-04T12:00:00Z' });
		// 45839.75 is 2025-07-01 18:00 BST.
		expect(await contact(db, 'X2')).toMatchObject({ received: '2025-07-01T17:00:00Z' });
	});

	it('rejects local times that do not exist or happen twice on the clock-change nights', async () => {
		const result = await run('dst-nights.csv');
		expect(counts(result)).toEqual({ read: 9, accepted: 6, updated: 0, unchanged: 0, rejected: 3 });
		expect(reasons(result)).toEqual([
			"row 3: received '30/03/2025 01:30' is not a time in Europe/London: the clocks went forward an hour on the night of 30 March 2025; give an offset (+00:00 or +01:00)",
			"row 6: received '26/10/2025 01:30' happened twice in Europe/London: the clocks went back an hour on the night of 26 October 2025; give an offset (+01:00 for the first, +00:00 for the second)",
			"row 10: received '45746.0625' is not a time in Europe/London: the clocks went forward an hour on the night of 30 March 2025; give an offset (+00:00 or +01:00)"
		]);
		expect(await contact(db, 'S1')).toMatchObject({ received: '2025-03-30T00:59:00Z' });
		expect(await contact(db, 'S3')).toMatchObject({ received: '2025-03-30T01:00:00Z' });
		expect(await contact(db, 'S4')).toMatchObject({ received: '2025-10-25T23:59:00Z' });
		expect(await contact(db, 'S6')).toMatchObject({ received: '2025-10-26T00:30:00Z' });
		expect(await contact(db, 'S7')).toMatchObject({ received: '2025-10-26T01:30:00Z' });
		expect(await contact(db, 'S8')).toMatchObject({ received: '2025-10-26T02:00:00Z' });
	});

	it('reports duplicates within a file and skips blank lines', async () => {
		const result = await run('duplicates.csv');
		expect(counts(result)).toEqual({ read: 5, accepted: 3, updated: 0, unchanged: 0, rejected: 2 });
		expect(reasons(result)).toEqual(['row 6: duplicate of row 2', 'row 8: duplicate of row 4']);
	});

	it('keeps the rows before a file cut short and rejects the cut row', async () => {
		const quote = await run('truncated-quote.csv');
		expect(counts(quote)).toEqual({ read: 2, accepted: 1, updated: 0, unchanged: 0, rejected: 1 });
		expect(reasons(quote)).toEqual(['row 3: the file ends inside a quoted value (is it cut short?): this row and any after it were not read']);
		const row = await run('truncated-row.csv', { source: 'other' });
		expect(counts(row)).toEqual({ read: 2, accepted: 1, updated: 0, unchanged: 0, rejected: 1 });
		expect(reasons(row)).toEqual(['row 3: has 3 values but the header has 5 columns (is the file cut short?)']);
	});

	it('stores nothing when an import fails halfway, and records the batch as failed', async () => {
		await run('valid.csv');
		const before = await contactCount(db);
		const error = (await run('valid-updated.csv', {
			batchSize: 2,
			afterStagedBatch: (n) => {
				if (n === 2) throw new Error('killed after 2 batches');
			}
		}).catch((e: unknown) => e)) as ingest.ImportError;
		expect(error).toBeInstanceOf(ingest.ImportError);
		expect(error.message).toBe('the import stopped and nothing was stored: killed after 2 batches');
		expect(await contactCount(db)).toBe(before);
		expect(await contact(db, 'EM-2')).toMatchObject({ status: 'open' });
		expect(await ingest.getBatch(db, error.batchId)).toMatchObject({ status: 'failed' });
		const [rejections] = await rows<{ n: number }>(db, sql`select count(*)::int as n from import_rejections where batch_id = ${error.batchId}`);
		expect(Number(rejections!.n)).toBe(0);
	});

	it('runs two imports at once without either losing rows', async () => {
		const [a, b] = await Promise.all([run('valid.csv'), run('valid.csv', { source: 'crm' })]);
		expect(counts(a)).toMatchObject({ accepted: 5 });
		expect(counts(b)).toMatchObject({ accepted: 5 });
		expect(await contactCount(db)).toBe(10);
	});

	it('imports an Asterisk queue_log as phone contacts with waits and abandonment', async () => {
		const result = await run('queue_log', { kind: 'asterisk' });
		expect(counts(result)).toEqual({ read: 7, accepted: 5, updated: 0, unchanged: 0, rejected: 2 });
		expect(reasons(result)).toEqual([
			"row 12: call 1741000700.7 is still waiting in queue 'customer-services' at the end of the log",
			'row 16: is not a queue_log line (time|callid|queue|agent|EVENT|data…, time in Unix seconds)'
		]);
		expect(await contact(db, '1741000100.1')).toMatchObject({
			organisation: 'county', contact_type: 'phone', source: 'asterisk', wait_seconds: 12, abandoned: false,
			received: '2025-03-03T11:08:20Z', responded: '2025-03-03T11:08:32Z', closed: '2025-03-03T11:13:20Z', status: 'closed'
		});
		expect(await contact(db, '1741000105.2')).toMatchObject({ wait_seconds: 35, abandoned: true, responded: null });
		expect(await contact(db, '1741000200.4')).toMatchObject({ wait_seconds: 300, abandoned: true });
		expect(await contact(db, '1741000600.5')).toMatchObject({ wait_seconds: 8, abandoned: false, status: 'responded' });
		expect(await contact(db, '1741000650.8')).toMatchObject({ wait_seconds: 10, status: 'closed' });
		expect(ingest.detectKind('1741000000|NONE|NONE|NONE|QUEUESTART||||\n')).toBe('asterisk');
	});

	it('a mixed queue_log from Asterisk 1.4 to 20 (transfers, overflows, 1.4 exits, the head of a rotated file) gives the service level counted by hand', async () => {
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'customer-overflow', service: 'customer' });
		const result = await run('asterisk/mixed-queue_log');
		expect(result.kind).toBe('asterisk');
		expect(reasons(result)).toEqual([]);
		expect(counts(result)).toEqual({ read: 11, accepted: 11, updated: 0, unchanged: 0, rejected: 0 });
		const calls = await rows<{ external_ref: string; wait_seconds: number; abandoned: boolean }>(db, sql`select external_ref, wait_seconds, abandoned from contacts order by external_ref`);
		// The hand count in tests/fixtures/ingest/asterisk/README.md: 5 met of 9 counted.
		const level = serviceLevel(calls.map((c) => ({ waitSeconds: c.wait_seconds, abandoned: c.abandoned })));
		expect({ met: level.answeredWithinThreshold, counted: level.counted, left: level.abandonedExcluded }).toEqual({ met: 5, counted: 9, left: 2 });
		expect(await contact(db, 'c0')).toMatchObject({ wait_seconds: 6, abandoned: false, received: '2025-03-03T11:05:56Z' });
		expect(await contact(db, 'c9')).toMatchObject({ wait_seconds: 18, abandoned: false, closed: '2025-03-03T11:21:40Z' });
		// The same file as logrotate gzips it reads the same, and changes nothing.
		const gzipped = await run('asterisk/queue_log.1.gz');
		expect(gzipped.kind).toBe('asterisk');
		expect(counts(gzipped)).toEqual({ read: 11, accepted: 0, updated: 0, unchanged: 11, rejected: 0 });
	});

	it('an organisation that measures the answering queue stores an overflow caller as that queue’s call, with the wait there', async () => {
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'customer-overflow', service: 'customer' });
		const [county] = await rows<{ id: number }>(db, sql`select id from organisations where code = 'county'`);
		await directory.setSettings(db, Number(county!.id), { phoneWaitFrom: 'answering-queue' }, audit.systemActor('test'));
		await run('asterisk/mixed-queue_log');
		// c5 timed out after 5 s and was answered 9 s into the overflow queue; c8 hung up 20 s into it.
		expect(await contact(db, 'c5')).toMatchObject({ wait_seconds: 9, abandoned: false });
		expect(await contact(db, 'c8')).toMatchObject({ wait_seconds: 20, abandoned: true });
	});

	it('a gzipped Kinesis Firehose object of Connect records imports like the records themselves', async () => {
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'BasicQueue', service: 'customer' });
		const result = await run('connect/firehose-object.gz');
		expect(result.kind).toBe('connect');
		expect(counts(result)).toEqual({ read: 8, accepted: 2, updated: 0, unchanged: 0, rejected: 0 });
		expect(result.skipped).toBe(6);
	});

	it('imports Amazon Connect CSV and JSON, keeping the latest version of each contact', async () => {
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'BasicQueue', service: 'customer' });
		const csv = await run('connect.csv');
		expect(csv.kind).toBe('connect');
		// c-3 ended in the IVR and c-4 is a chat: skipped, not rejected.
		expect(counts(csv)).toEqual({ read: 4, accepted: 2, updated: 0, unchanged: 0, rejected: 0 });
		expect(csv.skipped).toBe(2);
		expect(await contact(db, 'c-1')).toMatchObject({ wait_seconds: 15, abandoned: false, responded: '2025-03-03T09:00:35Z', status: 'closed' });
		expect(await contact(db, 'c-2')).toMatchObject({ wait_seconds: 50, abandoned: true, responded: null });
		const json = await run('connect.json');
		// j-1's first record (still queued) is superseded by its later one, so nothing is rejected.
		expect(counts(json)).toEqual({ read: 2, accepted: 2, updated: 0, unchanged: 0, rejected: 0 });
		expect(await contact(db, 'j-1')).toMatchObject({ wait_seconds: 42, abandoned: false, closed: '2025-03-03T09:04:00Z' });
		expect(await contact(db, 'j-2')).toMatchObject({ wait_seconds: 26 });
		// A JSON escape can carry a NUL into a ContactId: that record is rejected, not the file.
		const nul = await run('connect-nul.json', { kind: 'connect' });
		expect(counts(nul)).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
		expect(reasons(nul)[0]).toMatch(/^row 1: ContactId holds a NUL character, which cannot be stored$/i);
	});

	it('a day of Connect records with chat, task, outbound, monitoring and IVR-only contacts stores the two queued calls and skips the rest by reason, keeping none of them', async () => {
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'BasicQueue', service: 'customer' });
		const result = await run('connect/day.ndjson');
		expect(result.kind).toBe('connect');
		expect(counts(result)).toEqual({ read: 8, accepted: 2, updated: 0, unchanged: 0, rejected: 0 });
		expect(result.read).toBe(result.accepted + result.updated + result.unchanged + result.skipped + result.rejected);
		expect(skipped(result)).toEqual({
			skipped: 6,
			reasons: {
				'never reached a queue (self-service in the IVR, or ended before queueing): no wait to measure': 2,
				'a chat contact, not a phone call': 1,
				'a task contact, not a phone call': 1,
				'an outbound call made by the council: nobody waited in a queue': 1,
				'a supervisor listening in on a call (MONITOR): not a call to answer': 1
			}
		});
		// The outbound call's queue times did not make it an inbound call answered in 0 seconds.
		expect(await contact(db, 'out-1')).toBeUndefined();
		const [kept] = await rows<{ n: number }>(db, sql`select count(*)::int as n from import_rejections where batch_id = ${result.batchId}`);
		expect(Number(kept!.n)).toBe(0);
		const [batch] = await rows<Record<string, unknown>>(db, sql`select skipped_count, skipped_reasons from import_batches where id = ${result.batchId}`);
		expect(batch!.skipped_count).toBe(6);
		expect(batch!.skipped_reasons).toEqual(result.skippedReasons);
	});

	it('a Connect queue-to-queue transfer is one call, as the same story in an Asterisk queue_log is', async () => {
		for (const queue of ['BasicQueue', 'OverflowQueue', 'CallbackQueue', 'customer-overflow']) {
			await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue, service: 'customer' });
		}
		const result = await run('connect/legs.ndjson');
		expect(reasons(result)).toEqual([]);
		expect(result.read).toBe(result.accepted + result.updated + result.unchanged + result.skipped + result.rejected);
		const connect = await contact(db, 'ov-1');
		expect(connect).toMatchObject({ wait_seconds: 14, abandoned: false, received: '2025-03-03T11:10:00Z', responded: '2025-03-03T11:10:14Z', status: 'closed' });
		expect(await contact(db, 'ov-2')).toBeUndefined();
		await run('asterisk/mixed-queue_log');
		const asterisk = await contact(db, 'c5');
		expect([asterisk!.wait_seconds, asterisk!.abandoned, asterisk!.received, asterisk!.responded]).toEqual([connect!.wait_seconds, connect!.abandoned, connect!.received, connect!.responded]);
	});

	it('a caller who chose a queued callback is one callback met when an agent connected, not also an abandoned call', async () => {
		for (const queue of ['BasicQueue', 'OverflowQueue', 'CallbackQueue']) await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue, service: 'customer' });
		const result = await run('connect/legs.ndjson');
		expect(counts(result)).toEqual({ read: 3, accepted: 2, updated: 0, unchanged: 0, rejected: 0 });
		expect(skipped(result)).toEqual({ skipped: 1, reasons: { 'chose a queued callback while waiting: measured as the callback (phone.callback), its wait until the choice kept with it, not as an abandoned call': 1 } });
		expect(result.read).toBe(result.accepted + result.updated + result.unchanged + result.skipped + result.rejected);
		// One contact under the call's first ContactId: the callback, with the 120 s the caller waited in queue until choosing it.
		expect(await contact(db, 'in-1')).toMatchObject({ contact_type: 'callback', received: '2025-07-01T11:37:00Z', responded: '2025-07-01T11:39:00Z', wait_seconds: 120, abandoned: null });
		expect(await contact(db, 'cb-2')).toBeUndefined();
		const [calls] = await rows<{ n: number }>(db, sql`select count(*)::int as n from contacts where contact_type = 'phone' and external_ref in ('in-1', 'cb-2')`);
		expect(Number(calls!.n)).toBe(0);
	});

	it('a Connect record delivered again in a later file, older than the one stored, changes nothing', async () => {
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'BasicQueue', service: 'customer' });
		await run('connect/day.ndjson');
		const again = await run('connect/older.ndjson');
		expect(counts(again)).toEqual({ read: 2, accepted: 0, updated: 0, unchanged: 2, rejected: 0 });
		expect(await contact(db, 'in-answered')).toMatchObject({ wait_seconds: 15, abandoned: false, status: 'closed' });
		expect(await contact(db, 'in-abandoned')).toMatchObject({ wait_seconds: 50 });
	});

	it('imports JSON records posted to the API with the same validation', async () => {
		const result = await ingest.importRecords(
			db,
			[
				{ reference: 'API-1', organisation: 'county', service: 'customer', type: 'email', received: '2025-03-03T10:00' },
				{ Reference: 'API-2', Organisation: 'county', Service: 'customer', Type: 'phone', Received: '2025-03-03T10:00', 'Wait Seconds': 12, abandoned: false },
				{ reference: 'API-3', organisation: 'county', service: 'customer', type: 'emial', received: '2025-03-03' },
				'not an object'
			],
			{ score: false }
		);
		expect(counts(result)).toEqual({ read: 4, accepted: 2, updated: 0, unchanged: 0, rejected: 2 });
		expect(reasons(result)).toEqual([
			"row 3: type 'emial' is not one of phone, callback, message, email, letter, complaint, info, sar, foi, registration, absent-vote, enquiry, governance, meeting, dp-complaint",
			'row 4: is not an object of column names and values'
		]);
		expect(await contact(db, 'API-2')).toMatchObject({ source: 'api', wait_seconds: 12, abandoned: false });
	});

	it('keeps a SAR clarification pause (pause_reason) and an unanswered one, and scores the statutory month with it', async () => {
		const sar = (reference: string, pausedTo: string, reason: string) => ({
			reference, organisation: 'county', service: 'customer', type: 'sar', received: '02/06/2026', team: 'cc-information',
			paused_from: '25/06/2026', paused_to: pausedTo, pause_reason: reason
		});
		const first = await ingest.importRecords(db, [sar('SAR-P', '27/06/2026', 'clarification'), sar('SAR-OPEN', '', 'clarification')], {});
		expect(counts(first)).toEqual({ read: 2, accepted: 2, updated: 0, unchanged: 0, rejected: 0 });
		const events = await rows<{ ref: string; until: string | null; kind: string }>(
			db,
			sql`select c.external_ref as ref, to_char(e.until at time zone 'Europe/London', 'YYYY-MM-DD') as until, e.detail->>'kind' as kind
				from contact_events e join contacts c on c.id = e.contact_id where e.kind = 'pause' order by c.external_ref`
		);
		expect(events).toEqual([
			{ ref: 'SAR-OPEN', until: null, kind: 'clarification' },
			{ ref: 'SAR-P', until: '2026-06-27', kind: 'clarification' }
		]);
		const verdicts = await rows<{ ref: string; code: string; status: string; due: string | null }>(
			db,
			sql`select c.external_ref as ref, s.code, a.status, to_char(a.due_at at time zone 'Europe/London', 'YYYY-MM-DD') as due
				from assessments a join contacts c on c.id = a.contact_id join standards s on s.id = a.standard_id order by 1, 2`
		);
		expect(verdicts).toEqual([
			// Clarification asked, not answered: the statutory clock is stopped (no due date); the 40-day promise has no pause.
			{ ref: 'SAR-OPEN', code: 'sar.published', status: 'open', due: '2026-07-12' },
			{ ref: 'SAR-OPEN', code: 'sar.statutory', status: 'open', due: null },
			{ ref: 'SAR-P', code: 'sar.published', status: 'open', due: '2026-07-12' },
			// 2 July + the three paused days = Sun 5 July: Mon 6 July 2026 (Art. 12A UK GDPR).
			{ ref: 'SAR-P', code: 'sar.statutory', status: 'open', due: '2026-07-06' }
		]);
		const again = await ingest.importRecords(db, [sar('SAR-P', '27/06/2026', 'clarification'), sar('SAR-OPEN', '', '')], { score: false });
		expect(counts(again)).toEqual({ read: 2, accepted: 0, updated: 1, unchanged: 1, rejected: 0 });
		const refused = await ingest.importRecords(db, [sar('SAR-FEE', '27/06/2026', 'fee notice')], { score: false });
		expect(reasons(refused)).toEqual(["row 1: pause_reason 'fee notice' is not a sar pause: a sar is paused by clarification"]);
	});

	it('rejects, by row, API values PostgreSQL cannot store (a NUL, half a surrogate pair), keeping the row as it came', async () => {
		const result = await ingest.importRecords(
			db,
			[
				{ reference: 'NUL\u0000REF', organisation: 'county', service: 'customer', type: 'email', received: '2025-03-03T10:00' },
				{ reference: 'API-OK', organisation: 'county', service: 'customer', type: 'email', received: '2025-03-03T10:00' },
				{ reference: 'API-BAD-TYPE', organisation: 'county', service: 'customer', type: 'e\u0000mail', received: '2025-03-03T10:00' },
				JSON.parse('{"reference": "HALF-\\ud800", "organisation": "county", "service": "customer", "type": "email", "received": "2025-03-03T10:00"}')
			],
			{ score: false }
		);
		expect(counts(result)).toEqual({ read: 4, accepted: 1, updated: 0, unchanged: 0, rejected: 3 });
		expect(reasons(result)).toEqual([
			'row 1: reference holds a NUL character, which cannot be stored',
			'row 3: type holds a NUL character, which cannot be stored',
			'row 4: reference holds half of a UTF-16 surrogate pair, which cannot be stored'
		]);
		const kept = await rows<{ raw: Record<string, string> | string }>(db, sql`select raw from import_rejections where batch_id = ${result.batchId} order by row_number`);
		const raws = kept.map((k) => (typeof k.raw === 'string' ? JSON.parse(k.raw) : k.raw));
		expect(raws[0]).toMatchObject({ reference: 'NUL\uFFFDREF', organisation: 'county', type: 'email' });
		expect(raws[2]).toMatchObject({ reference: 'HALF-\uFFFD', received: '2025-03-03T10:00' });
	});

	it('scores the imported contacts in the same run', async () => {
		const result = await ingest.importFile(db, fixture('valid.csv'));
		expect(result.scoringFailure).toBeUndefined();
		const [scored] = await rows<{ n: number }>(db, sql`select count(distinct contact_id)::int as n from assessments`);
		expect(Number(scored!.n)).toBeGreaterThan(0);
	});

	it('tells which of the contacts it stored no standard measures, by organisation, service and type, as the stored verdicts show', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-unscored-'));
		try {
			// Two voter registrations sent to customer services: the registration standard is Electoral Services'.
			const file = path.join(dir, 'registrations.csv');
			const misrouted = ['REG-1,county,customer,registration,2025-01-06T09:00:00,,,,,,,,,', 'REG-2,county,customer,registration,2025-01-07T09:00:00,,,,,,,,,'];
			writeFileSync(file, `${readFileSync(fixture('valid.csv'), 'utf8').trimEnd()}\n${misrouted.join('\n')}\n`);
			const result = await ingest.importFile(db, file, { actor: 'test' });
			expect(result.scoringFailure).toBeUndefined();
			expect(result.unscored).toEqual([{ organisation: 'county', service: 'customer', type: 'registration', contacts: 2 }]);
			expect(result.unscored).toEqual(await assessments.unscored(db));
			// A newer export changes one of them: only the contacts this import changed are counted.
			writeFileSync(file, `${readFileSync(file, 'utf8').replace('REG-1,county,customer,registration,2025-01-06T09:00:00,,', 'REG-1,county,customer,registration,2025-01-06T09:00:00,,2025-01-08T10:00:00')}`);
			const again = await ingest.importFile(db, file, { actor: 'test' });
			expect(counts(again)).toMatchObject({ updated: 1, unchanged: 6 });
			expect(again.unscored).toEqual([{ organisation: 'county', service: 'customer', type: 'registration', contacts: 1 }]);
			// Not scored (told not to): nothing is reported as unmeasured.
			writeFileSync(file, `${readFileSync(file, 'utf8').replace('2025-01-08T10:00:00', '2025-01-08T11:00:00')}`);
			expect((await ingest.importFile(db, file, { actor: 'test', score: false })).unscored).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('keeps each verdict’s organisation, service, team and standard equal to its contact’s and version’s when a newer export moves contacts between teams', async () => {
		// The copies have no foreign key of their own (migration 0020): re-scoring after the import is what keeps them true.
		const mismatched = async () => {
			const found = await rows<{ n: number }>(
				db,
				sql`select count(*)::int as n from assessments a
					join contacts c on c.id = a.contact_id join standard_versions v on v.id = a.standard_version_id
					where (a.organisation_id, a.service_id, a.team_id, a.standard_id) is distinct from (c.organisation_id, c.service_id, c.team_id, v.standard_id)`
			);
			return Number(found[0]!.n);
		};
		const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-moved-'));
		try {
			const file = path.join(dir, 'moved.csv');
			const first = await ingest.importFile(db, fixture('valid.csv'), { actor: 'test' });
			expect(first.scoringFailure).toBeUndefined();
			const [before] = await rows<{ n: number }>(db, sql`select count(*)::int as n from assessments a join teams t on t.id = a.team_id where t.code = 'cc-correspondence'`);
			expect(Number(before!.n)).toBeGreaterThan(0);
			expect(await mismatched()).toBe(0);
			// EM-1 moves from correspondence to complaints, EM-2 (no team) to information, CALL-1 loses its team.
			writeFileSync(
				file,
				readFileSync(fixture('valid.csv'), 'utf8')
					.replace(',cc-correspondence,', ',cc-complaints,')
					.replace(',,,,,,,no,,', ',,,,,,cc-information,no,,')
					.replace(',no,cc-contact-centre,', ',no,,')
			);
			const moved = await ingest.importFile(db, file, { actor: 'test' });
			expect(moved.scoringFailure).toBeUndefined();
			expect(counts(moved)).toEqual({ read: 5, accepted: 0, updated: 3, unchanged: 2, rejected: 0 });
			expect(await mismatched()).toBe(0);
			const teams = await rows<{ ref: string; team: string | null }>(
				db,
				sql`select distinct c.external_ref as ref, t.code as team from assessments a join contacts c on c.id = a.contact_id left join teams t on t.id = a.team_id
					where c.external_ref in ('EM-1', 'EM-2', 'CALL-1') order by 1`
			);
			expect(teams).toEqual([
				{ ref: 'CALL-1', team: null },
				{ ref: 'EM-1', team: 'cc-complaints' },
				{ ref: 'EM-2', team: 'cc-information' }
			]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
