import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as imports from '../../src/lib/server/imports.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('the import history on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	beforeEach(async () => {
		database = await engine.open();
		await seedReference(database.db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterEach(() => database?.dispose());

	it('lists the latest imports newest first, with who ran them, their counts, and why one failed', async () => {
		const db = database.db;
		const first = await ingest.importFile(db, 'tests/fixtures/ingest/valid.csv', { score: false, actor: 'Tamsin Lead' });
		await ingest.importFile(db, 'tests/fixtures/ingest/valid.csv', { score: false, actor: 'cli:tamsin' });
		await expect(ingest.importFile(db, 'tests/fixtures/ingest/empty.csv', { score: false, actor: 'api:crm' })).rejects.toThrow();
		const recent = await imports.recent(db);
		expect(recent.map((batch) => [batch.by, batch.status])).toEqual([
			['api:crm', 'failed'],
			['cli:tamsin', 'done'],
			['Tamsin Lead', 'done']
		]);
		expect(recent[0]!.failure).toMatch(/empty/i);
		expect(recent[1]!.counts).toMatchObject({ read: first.read, accepted: 0, unchanged: first.accepted });
		expect(recent[2]!.counts).toMatchObject({ read: first.read, accepted: first.accepted, rejected: first.rejected });
	});
});
