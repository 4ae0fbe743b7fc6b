import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/lib/server/auth/access.ts';
import { rows, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as imports from '../../src/lib/server/ingest/web-imports.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

const manager: Viewer = { id: 'm', name: 'Morgan', email: 'morgan@council.example', role: 'manager', organisationId: null, teamIds: [] };
const teamLead: Viewer = { id: 't', name: 'Tamsin', email: 'tamsin@council.example', role: 'team-lead', organisationId: null, teamIds: [1] };

describe.each(engines)('the import history on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	beforeEach(async () => {
		database = await engine.open();
		await seedReference(database.db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterEach(() => database?.dispose());

	it('lists the latest imports newest first, with who ran them, their counts, and why one failed', async () => {
		const db = database.db;
		const first = await ingest.importFile(db, 'tests/fixtures/ingest/valid.csv', { score: false, actor: 'tamsin@council.example' });
		await ingest.importFile(db, 'tests/fixtures/ingest/valid.csv', { score: false, actor: 'cli:tamsin' });
		await expect(ingest.importFile(db, 'tests/fixtures/ingest/empty.csv', { score: false, actor: 'api:crm' })).rejects.toThrow();
		const recent = await imports.recent(db, manager);
		expect(recent.map((batch) => [batch.by, batch.status])).toEqual([
			['api:crm', 'failed'],
			['cli:tamsin', 'done'],
			['tamsin@council.example', 'done']
		]);
		expect(recent[0]!.failure).toMatch(/empty/i);
		expect(recent[1]!.counts).toMatchObject({ read: first.read, accepted: 0, unchanged: first.accepted });
		expect(recent[2]!.counts).toMatchObject({ read: first.read, accepted: first.accepted, rejected: first.rejected });
	});

	it("shows a team lead only the imports they ran, and keeps other people's rejected rows from them", async () => {
		const db = database.db;
		await ingest.importFile(db, 'tests/fixtures/ingest/valid.csv', { score: false, actor: 'tamsin@council.example' });
		await ingest.importFile(db, 'tests/fixtures/ingest/valid.csv', { score: false, actor: 'someone.else@council.example' });
		const mine = await imports.recent(db, teamLead);
		expect(mine.map((batch) => batch.by)).toEqual(['tamsin@council.example']);
		const all = await imports.recent(db, manager);
		expect(imports.mayReadBatch(teamLead, { createdBy: all[0]!.by })).toBe(false);
		expect(imports.mayReadBatch(teamLead, { createdBy: all[1]!.by })).toBe(true);
		expect(imports.mayReadBatch(manager, { createdBy: all[0]!.by })).toBe(true);
		expect(imports.mayReadBatch(null, { createdBy: all[1]!.by })).toBe(false);
	});

	it("rejects, row by row, API records for another organisation than the key's", async () => {
		const db = database.db;
		const [borough] = await rows<{ id: number }>(db, sql`select id from organisations where code = 'borough'`);
		const record = (reference: string, organisation: string) => ({ reference, organisation, service: 'customer', type: 'email', received: '2026-01-05T10:00' });
		const result = await ingest.importRecords(db, [record('E-1', 'borough'), record('E-2', 'county')], { score: false, actor: 'api:crm', onlyOrganisationId: borough!.id });
		expect({ accepted: result.accepted, rejected: result.rejected }).toEqual({ accepted: 1, rejected: 1 });
		expect(result.errors).toEqual([{ row: 2, reason: "organisation 'county' is not the one this API key imports for" }]);
	});
});
