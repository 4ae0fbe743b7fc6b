import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as sources from '../../src/lib/server/ingest/sources.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import * as phone from '../../src/lib/server/dashboard/phone.ts';
import { filterScope } from '../../src/lib/server/directory/scope.ts';
import { parseFilters } from '../../src/lib/filters.ts';
import { engines } from '../support/databases.ts';

// Amazon Connect delivers a contact's records as they change, in whatever file (Kinesis Firehose
// object) they land in: a later file may carry an older version of a record, and the records of one
// call (its first queue, a transfer to another queue, the callback the caller chose) may come in
// different files. Each story imports the files one after another, as a council's daily job would.

/** The records of tests/fixtures/ingest/connect/legs.ndjson by ContactId, edited where a story needs it. */
const records = new Map(
	readFileSync('tests/fixtures/ingest/connect/legs.ndjson', 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as Record<string, unknown>)
		.map((record) => [record.ContactId as string, record])
);
const record = (id: string, changes: Record<string, unknown> = {}) => ({ ...records.get(id)!, ...changes });

const CHOSE_CALLBACK = 'chose a queued callback while waiting: measured as the callback (phone.callback), its wait until the choice kept with it, not as an abandoned call';

async function contact(db: Database, ref: string) {
	const [row] = await rows<Record<string, unknown>>(
		db,
		sql`select c.contact_type, c.status, c.wait_seconds, c.abandoned, t.code as team,
				to_char(c.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received,
				to_char(c.first_response_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as responded
			from contacts c left join teams t on t.id = c.team_id where c.external_ref = ${ref}`
	);
	return row;
}
const counts = (r: ingest.ImportResult) => ({ read: r.read, accepted: r.accepted, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped, rejected: r.rejected });
const balances = (r: ingest.ImportResult) => expect(r.read).toBe(r.accepted + r.updated + r.unchanged + r.skipped + r.rejected);

describe.each(engines)('Amazon Connect records across files on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let dir: string;
	let files = 0;
	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-connect-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'BasicQueue', service: 'customer', team: 'cc-contact-centre' });
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'OverflowQueue', service: 'customer', team: 'cc-correspondence' });
		await sources.saveQueue(db, { actor: 'test' }, { organisation: 'county', queue: 'CallbackQueue', service: 'customer' });
	});
	afterEach(() => database.dispose());

	/** One delivered file of these records, one a line, imported. */
	async function deliver(...delivered: Record<string, unknown>[]) {
		const file = path.join(dir, `file-${++files}.ndjson`);
		writeFileSync(file, delivered.map((r) => JSON.stringify(r)).join('\n') + '\n');
		const result = await ingest.importFile(db, file, { score: false, actor: 'test' });
		expect(result.errors.map(ingest.describeRejection)).toEqual([]);
		balances(result);
		return result;
	}

	it('a record delivered again in a later file, older than the one stored, changes nothing; a newer one replaces it', async () => {
		// ov-1 as first written (still waiting, 10:10:02) would be a call abandoned after 2 s; as finished (11:10:10), 5 s in BasicQueue.
		const finished = record('ov-1', { NextContactId: null });
		const early = record('ov-1', { LastUpdateTimestamp: '2025-03-03T11:10:02Z', DisconnectTimestamp: '2025-03-03T11:10:02Z', Queue: { Name: 'BasicQueue', EnqueueTimestamp: '2025-03-03T11:10:00Z', DequeueTimestamp: '2025-03-03T11:10:02Z', Duration: 2 } });
		const answered = record('ov-1', {
			LastUpdateTimestamp: '2025-03-03T11:20:00Z',
			Queue: { Name: 'BasicQueue', EnqueueTimestamp: '2025-03-03T11:10:00Z', DequeueTimestamp: '2025-03-03T11:10:05Z', Duration: 5 },
			Agent: { ConnectedToAgentTimestamp: '2025-03-03T11:10:05Z', AgentInteractionDuration: 60 }
		});
		expect(counts(await deliver(finished))).toMatchObject({ read: 1, accepted: 1 });
		expect(counts(await deliver(early))).toEqual({ read: 1, accepted: 0, updated: 0, unchanged: 1, skipped: 0, rejected: 0 });
		expect(await contact(db, 'ov-1')).toMatchObject({ wait_seconds: 5, abandoned: true });
		expect(counts(await deliver(answered))).toEqual({ read: 1, accepted: 0, updated: 1, unchanged: 0, skipped: 0, rejected: 0 });
		expect(await contact(db, 'ov-1')).toMatchObject({ wait_seconds: 5, abandoned: false, responded: '2025-03-03T11:10:05Z' });
		// The finished record once more, after the answered one: still answered.
		expect(counts(await deliver(finished))).toMatchObject({ unchanged: 1, updated: 0 });
		expect(await contact(db, 'ov-1')).toMatchObject({ abandoned: false });
	});

	it('a transfer leg whose call’s first record came in an earlier file joins that call: an overflow caller answered in the second queue waited 14 s', async () => {
		expect(counts(await deliver(record('ov-1')))).toMatchObject({ read: 1, accepted: 1 });
		expect(await contact(db, 'ov-1')).toMatchObject({ wait_seconds: 5, abandoned: true, team: 'cc-contact-centre' });
		const next = await deliver(record('ov-2'));
		// The leg updates the stored call.
		expect(counts(next)).toEqual({ read: 1, accepted: 0, updated: 1, unchanged: 0, skipped: 0, rejected: 0 });
		expect(await contact(db, 'ov-1')).toMatchObject({
			wait_seconds: 14, abandoned: false, status: 'closed', received: '2025-03-03T11:10:00Z', responded: '2025-03-03T11:10:14Z', team: 'cc-contact-centre'
		});
		expect(await contact(db, 'ov-2')).toBeUndefined();
		// The leg delivered again is part of the call already (not a record of its own, as a superseded version is not): nothing changes, nothing is counted twice.
		expect(counts(await deliver(record('ov-2')))).toEqual({ read: 0, accepted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0 });
		expect(await contact(db, 'ov-1')).toMatchObject({ wait_seconds: 14, abandoned: false });
		// Both files again at once give the same call.
		await deliver(record('ov-1'), record('ov-2'));
		expect(await contact(db, 'ov-1')).toMatchObject({ wait_seconds: 14, abandoned: false, responded: '2025-03-03T11:10:14Z' });
	});

	it('a callback whose inbound call came in an earlier file turns that abandoned call into the callback, keeping the 120 s the caller waited', async () => {
		expect(counts(await deliver(record('in-1')))).toMatchObject({ read: 1, accepted: 1 });
		expect(await contact(db, 'in-1')).toMatchObject({ contact_type: 'phone', abandoned: true, wait_seconds: 120 });
		expect(counts(await deliver(record('cb-2')))).toEqual({ read: 1, accepted: 0, updated: 1, unchanged: 0, skipped: 0, rejected: 0 });
		expect(await contact(db, 'in-1')).toMatchObject({
			contact_type: 'callback', abandoned: null, wait_seconds: 120, received: '2025-07-01T11:37:00Z', responded: '2025-07-01T11:39:00Z'
		});
		expect(await contact(db, 'cb-2')).toBeUndefined();
		// The inbound record delivered again after its callback is not an abandoned call again.
		const again = await deliver(record('in-1'));
		expect(counts(again)).toEqual({ read: 1, accepted: 0, updated: 0, unchanged: 0, skipped: 1, rejected: 0 });
		expect(again.skippedReasons).toEqual([{ reason: CHOSE_CALLBACK, count: 1 }]);
		expect(await contact(db, 'in-1')).toMatchObject({ contact_type: 'callback', wait_seconds: 120 });
		// The phone page for July 2025: no call offered (the service level leaves the caller out), one caller who chose a callback after 120 s.
		const parsed = parseFilters(new URLSearchParams({ period: 'custom', from: '2025-07-01', to: '2025-07-31', organisation: 'county' }), await filterScope(db, { organisationId: null }));
		if (!('filters' in parsed)) throw new Error(JSON.stringify(parsed.errors));
		expect(await phone.totals(db, parsed.filters)).toMatchObject({ offered: 0, abandoned: 0, callbacksChosen: 1, callbackAverageWait: 120 });
	});
});
