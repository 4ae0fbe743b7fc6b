import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/lib/server/audit/record.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as mappingForm from '../../src/lib/server/ingest/mapping-form.ts';
import type { Mapping } from '../../src/lib/server/ingest/mappings.ts';
import * as sources from '../../src/lib/server/ingest/sources.ts';
import * as imports from '../../src/lib/server/ingest/web-imports.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

/**
 * The web's side of a council's own exports: a preview through a mapping not saved yet (the
 * "Try it" of /import), the rows a mapping fixes, the form that makes one, and the API reading
 * records through a saved mapping, refusing an unknown one before anything is stored.
 */
const crm = 'tests/fixtures/setup/county-crm.csv';
const by = systemActor('test');

/** What an admin makes of county-crm.csv on the preview page. */
const crmMapping: Mapping = {
	name: 'county-crm',
	columns: { 'Case Ref': 'reference', 'Date Logged': 'received', 'First Reply': 'responded', Channel: 'type', Team: 'team' },
	fixed: { organisation: 'county', service: 'customer' },
	values: { type: { 'E-mail': 'email', Letter: 'letter' }, team: { Corr: 'cc-correspondence' } },
	dates: 'dd/mm/yyyy'
};

async function count(db: Database, table: 'contacts' | 'import_batches'): Promise<number> {
	const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
	return Number(row!.n);
}

const post = (records: unknown, query = '') =>
	new Request(`http://127.0.0.1/api/v1/contacts${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });

describe.each(engines)('import mappings from the web and the API on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let scratch: string;

	beforeAll(() => {
		scratch = mkdtempSync(path.join(tmpdir(), 'yardstick-mappings-'));
	});
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));
	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterEach(() => database.dispose());

	it('previews a file through a mapping not saved yet: the columns through it, the rows it fixes, nothing stored', async () => {
		const without = await ingest.preview(db, crm);
		expect(without.failure).toMatch(/reference/);
		expect(without.header).toEqual(['Case Ref', 'Date Logged', 'First Reply', 'Channel', 'Team', 'Subject']);

		const through = await ingest.preview(db, crm, { mapping: crmMapping });
		expect(through.failure).toBeUndefined();
		expect(through.rows.map((r) => [r.reference, r.type, r.status])).toEqual([
			['CRM-1', 'email', 'responded'],
			['CRM-2', 'letter', 'open']
		]);
		expect(through.errors.map((e) => e.row)).toEqual([4, 5]);
		expect(through.errors[0]!.reason).toMatch(/'Fax' has no value in mapping 'county-crm' under values\.type/);
		expect(through.errors[1]!.reason).toMatch(/is not written dd\/mm\/yyyy/);
		// Without the mapping no row could be read (the header is theirs): both accepted rows are its doing.
		expect(through.through).toEqual({ name: 'county-crm', fixes: 2 });
		const byColumn = Object.fromEntries(through.mapping.map((c) => [c.column, { header: c.header, fixed: c.fixed }]));
		expect(byColumn.reference).toEqual({ header: 'Case Ref', fixed: null });
		expect(byColumn.organisation).toEqual({ header: null, fixed: 'county' });
		expect(byColumn.team).toEqual({ header: 'Team', fixed: null });
		expect(await sources.mappings(db)).toEqual([]);
		expect(await count(db, 'import_batches')).toBe(0);
	});

	it('counts only the rows the mapping fixes when the file is partly ours already', async () => {
		const file = path.join(scratch, 'partly.csv');
		writeFileSync(
			file,
			[
				'reference,organisation,service,type,received',
				'P-1,county,customer,email,2025-10-06',
				'P-2,county,customer,E-mail,2025-10-06',
				'P-3,county,customer,Letter,2025-10-06',
				'P-4,county,customer,Fax,2025-10-06'
			].join('\n')
		);
		const mapping: Mapping = { name: 'partly', columns: {}, fixed: {}, values: { type: { 'E-mail': 'email', Letter: 'letter' } } };
		const result = await ingest.preview(db, file, { mapping });
		expect(result.rows.map((r) => r.reference)).toEqual(['P-1', 'P-2', 'P-3']);
		expect(result.errors.map((e) => e.row)).toEqual([5]);
		// 'Letter' reads as letter anyway (types are matched ignoring case): only P-2 is the mapping's doing.
		expect(result.through).toEqual({ name: 'partly', fixes: 1 });
		// An organisation scopes the preview as it scopes the import.
		expect((await ingest.preview(db, file, { mapping, organisation: 'borough' })).rows).toEqual([]);
	});

	it('reads the make-a-mapping form into a mapping, and says what is wrong with it by field', () => {
		const form = mappingForm.formOf(null, ['Case Ref', 'Date Logged', 'type', 'Subject']);
		expect(form.rows).toEqual([
			{ theirs: 'Case Ref', ours: '' },
			{ theirs: 'Date Logged', ours: '' },
			{ theirs: 'type', ours: 'type' },
			{ theirs: 'Subject', ours: '' }
		]);
		const fields = {
			'theirs-0': 'Case Ref', 'ours-0': 'reference',
			'theirs-1': 'Date Logged', 'ours-1': 'received',
			'theirs-2': 'Channel', 'ours-2': 'type',
			'theirs-3': 'Subject', 'ours-3': '',
			'fixed-organisation': 'county', 'fixed-service': 'customer', 'fixed-team': '',
			'values-type': 'E-mail = email\r\nLetter=letter\n\n', 'values-team': '',
			dates: 'dd/mm/yyyy', name: 'crm'
		};
		const made = mappingForm.mappingOf(mappingForm.readForm(fields), true);
		expect(made).toEqual({
			mapping: {
				name: 'crm',
				columns: { 'Case Ref': 'reference', 'Date Logged': 'received', Channel: 'type' },
				fixed: { organisation: 'county', service: 'customer' },
				values: { type: { 'E-mail': 'email', Letter: 'letter' } },
				dates: 'dd/mm/yyyy'
			}
		});
		// Round trip: the stored mapping fills the form again.
		expect(mappingForm.formOf((made as { mapping: Mapping }).mapping, ['Case Ref', 'Date Logged', 'Channel', 'Subject']).values.type).toBe('E-mail = email\nLetter = letter');

		const bad = mappingForm.mappingOf(mappingForm.readForm({ ...fields, 'ours-3': 'reference', 'values-team': 'Corr', dates: 'any', name: '' }), true);
		expect(bad).toEqual({
			errors: [
				{ field: 'name', message: 'Enter a name for the mapping' },
				{ field: 'ours-3', message: 'Both Case Ref and Subject are matched to reference: choose one' },
				{ field: 'values-team', message: 'Line 1 of the team values, ‘Corr’, is not written as their value = ours' }
			]
		});
		// Trying needs no name.
		expect(mappingForm.mappingOf(mappingForm.readForm({ ...fields, name: '' }), false)).toMatchObject({ mapping: { name: 'new mapping' } });
	});

	it('imports API records through a saved mapping, and refuses an unknown mapping or organisation with a 400, storing nothing', async () => {
		const { name, ...definition } = crmMapping;
		await sources.saveMapping(db, by, name, definition);
		const records = [
			{ 'Case Ref': 'API-CRM-1', 'Date Logged': '06/10/2025 09:15', 'First Reply': '07/10/2025 11:00', Channel: 'E-mail', Team: 'Corr' },
			{ 'Case Ref': 'API-CRM-2', 'Date Logged': '06/10/2025 10:00', Channel: 'Fax', Team: 'Corr' }
		];
		const answer = await imports.receiveRecords(db, post(records), { source: null, mapping: 'county-crm', organisation: 'county', actor: 'api:test' });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ read: 2, accepted: 1, rejected: 1, errors: [{ row: 2, reason: expect.stringMatching(/'Fax' has no value in mapping 'county-crm'/) }] });
		const [stored] = await rows<Record<string, unknown>>(
			db,
			sql`select c.source, c.contact_type as type, t.code as team from contacts c left join teams t on t.id = c.team_id where c.external_ref = 'API-CRM-1'`
		);
		expect(stored).toEqual({ source: 'county-crm', type: 'email', team: 'cc-correspondence' });

		const before = { contacts: await count(db, 'contacts'), batches: await count(db, 'import_batches') };
		const unknown = await imports.receiveRecords(db, post(records), { source: null, mapping: 'county-cmr', organisation: null, actor: 'api:test' });
		expect(unknown).toEqual({ status: 400, body: { message: "There is no import mapping 'county-cmr' (the mappings are county-crm)" } });
		const nowhere = await imports.receiveRecords(db, post(records), { source: null, mapping: 'county-crm', organisation: 'shire', actor: 'api:test' });
		expect(nowhere).toEqual({ status: 400, body: { message: "There is no organisation 'shire' (borough, county)" } });
		// A key bound to the borough may not name the county.
		const [borough] = await rows<{ id: number }>(db, sql`select id from organisations where code = 'borough'`);
		const other = await imports.receiveRecords(db, post(records), { source: null, mapping: 'county-crm', organisation: 'county', actor: 'api:test', organisationId: Number(borough!.id) });
		expect(other).toEqual({ status: 400, body: { message: "This API key imports for 'borough' only, not 'county'" } });
		expect({ contacts: await count(db, 'contacts'), batches: await count(db, 'import_batches') }).toEqual(before);
	});
});
