import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('the limits an import enforces, on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-import-limits-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterEach(() => database?.dispose());

	const file = (name: string, text: string) => {
		const where = path.join(dir, name);
		writeFileSync(where, text);
		return where;
	};
	const header = 'reference,organisation,service,type,received';

	it('rejects a reference of more than 200 characters, or an over-long value, as its own row and keeps the valid rows', async () => {
		const longReference = 'R'.repeat(3000);
		const result = await ingest.importFile(
			db,
			file('long.csv', [header, `OK-1,county,customer,email,2026-01-05`, `${longReference},county,customer,email,2026-01-05`, `${'R'.repeat(200)},county,customer,email,2026-01-05`, `OK-2,county,${'x'.repeat(5000)},email,2026-01-05`].join('\n')),
			{ score: false }
		);
		expect({ accepted: result.accepted, rejected: result.rejected }).toEqual({ accepted: 2, rejected: 2 });
		expect(result.errors).toEqual([
			{ row: 3, reason: 'reference is 3,000 characters long: a reference may have at most 200' },
			{ row: 5, reason: 'service is 5,000 characters long: a value may have at most 1,000' }
		]);
		const stored = await rows<{ ref: string }>(db, sql`select external_ref as ref from contacts order by external_ref`);
		expect(stored.map((r) => r.ref)).toEqual(['OK-1', 'R'.repeat(200)]);
	});

	it('rejects an over-long call id from Asterisk and contact id from Amazon Connect the same way', async () => {
		const asterisk = await ingest.importFile(db, file('queue_log', `1767607200|${'c'.repeat(300)}|nowhere|NONE|ENTERQUEUE||07700900000|1\n`), { kind: 'asterisk', score: false });
		expect(asterisk.errors).toEqual([{ row: 1, reason: 'callid is 300 characters long: a reference may have at most 200' }]);
		const connect = await ingest.importFile(db, file('connect.csv', `ContactId,InitiationTimestamp,Channel,InitiationMethod,Queue.Name,Queue.EnqueueTimestamp\n${'c'.repeat(300)},2026-01-05T10:00:00Z,VOICE,INBOUND,Main,2026-01-05T10:00:05Z\n`), { kind: 'connect', score: false });
		expect(connect.errors).toEqual([{ row: 2, reason: 'ContactId is 300 characters long: a reference may have at most 200' }]);
	});

	it('previews a file of one 5 MB line in a few kilobytes, cut short with an ellipsis and a note', async () => {
		const wide = file('wide.csv', `reference,${Array.from({ length: 100_000 }, (_, i) => `column-${i}-${'w'.repeat(40)}`).join(',')}\n`);
		const shown = await ingest.preview(db, wide, { kind: 'contacts' });
		expect(shown.failure).toMatch(/^row 1: the header has no columns .*…\)$/);
		expect(shown.header).toHaveLength(ingest.PREVIEW_LIMITS.columns);
		expect(shown.clipped).toBe(true);
		expect(JSON.stringify(shown).length).toBeLessThan(64_000);

		const tall = file('tall.csv', `${header}\n${'x'.repeat(5_000_000)},county,customer,email,2026-01-05\n`);
		const one = await ingest.preview(db, tall, { kind: 'contacts' });
		expect(one.errors).toEqual([{ row: 2, reason: 'reference is 5,000,000 characters long: a reference may have at most 200' }]);
		expect(JSON.stringify(one).length).toBeLessThan(10_000);
	});

	it('neutralises a formula in the rejected-rows CSV header as in its cells', async () => {
		const result = await ingest.importFile(db, file('formula.csv', `${header},"=HYPERLINK(""http://evil.example"",""x"")"\nX-1,county,customer,nonsense,2026-01-05,=1+1\n`), { score: false });
		let csv = '';
		for await (const chunk of ingest.rejectionsCsv(db, result.batchId)) csv += String(chunk);
		const [first, second] = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
		expect(first).toBe(`reference,organisation,service,type,received,"'=HYPERLINK(""http://evil.example"",""x"")",row,reason`);
		expect(second).toMatch(/^X-1,county,customer,nonsense,2026-01-05,'=1\+1,2,/);
	});
});
