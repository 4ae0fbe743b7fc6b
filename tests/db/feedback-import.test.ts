import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf } from '../../src/lib/server/audit/record.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as sources from '../../src/lib/server/ingest/sources.ts';
import { engines } from '../support/databases.ts';

const manager = actorOf({ id: 'user-import', name: 'Imogen Importer', email: 'imogen@example.test' });

// A GOV.UK Forms export: its own column names, the five words, yes / no, dates as dd/mm/yyyy.
const FORMS_EXPORT = [
	'Reference,Submission time,How satisfied were you with the service you received?,Did we deal with your enquiry?,Anything else?,Case reference',
	'FRM-001,03/06/2026 10:15,Very satisfied,Yes,Quick reply,EM-1',
	'FRM-002,04/06/2026 11:00,Dissatisfied,No,"Took a week, =HYPERLINK(""x"")",',
	'FRM-003,05/06/2026 09:00,Great,Yes,,',
	'FRM-004,06/06/2026 09:00,Satisfied,Maybe,,',
	'FRM-005,07/06/2026 09:00,Neither satisfied nor dissatisfied,Yes,,EM-404',
	'FRM-001,03/06/2026 10:15,Very satisfied,Yes,Quick reply,EM-1'
].join('\n');

describe.each(engines)('importing survey answers on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let dir: string;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-feedback-'));
		const [org] = await db.insert(schema.organisations).values({ code: 'testshire', name: 'Testshire Council' }).returning();
		const [service] = await db.insert(schema.services).values({ organisationId: org!.id, code: 'help', name: 'Helpdesk' }).returning();
		await db.insert(schema.contacts).values({ organisationId: org!.id, serviceId: service!.id, contactType: 'email', source: 'crm', externalRef: 'EM-1', receivedAt: new Date('2026-06-01T09:00:00Z') });
		expect(
			await sources.saveMapping(db, manager, 'govuk-forms', {
				kind: 'feedback',
				columns: {
					Reference: 'reference',
					'Submission time': 'given',
					'How satisfied were you with the service you received?': 'satisfaction',
					'Did we deal with your enquiry?': 'resolved',
					'Anything else?': 'comment',
					'Case reference': 'contact'
				},
				fixed: { organisation: 'testshire', service: 'help', channel: 'web' },
				dates: 'dd/mm/yyyy'
			})
		).toBe(true);
	});
	afterAll(() => database?.dispose());

	it('reads a GOV.UK Forms export through a feedback mapping, refusing each bad row with its reason', async () => {
		const file = path.join(dir, 'forms.csv');
		writeFileSync(file, FORMS_EXPORT);
		const preview = await ingest.preview(db, file, { kind: 'feedback', mapping: 'govuk-forms' });
		expect(preview.electoral?.counts).toMatchObject({ read: 6, accepted: 2, rejected: 4 });
		expect(await rows(db, sql`select 1 from feedback`)).toHaveLength(0);

		const result = await ingest.importFile(db, file, { kind: 'feedback', mapping: 'govuk-forms', actor: 'imogen' });
		expect(result).toMatchObject({ kind: 'feedback', source: 'govuk-forms', read: 6, accepted: 2, updated: 0, unchanged: 0, rejected: 4 });
		expect(result.errors).toEqual([
			{ row: 4, reason: expect.stringContaining("satisfaction 'Great' is not 1 to 5") },
			{ row: 5, reason: "resolved 'Maybe' is not yes or no" },
			{ row: 6, reason: "contact 'EM-404' is not a contact of this organisation" },
			{ row: 7, reason: "reference 'FRM-001' is already on row 2: the first is kept" }
		]);
		const stored = await rows<{ external_ref: string; satisfaction: number; resolved: boolean; comment: string | null; given_on: string; channel: string; linked: boolean }>(
			db,
			sql`select external_ref, satisfaction, resolved, comment, given_on::text, channel, contact_id is not null as linked from feedback order by external_ref`
		);
		expect(stored).toEqual([
			{ external_ref: 'FRM-001', satisfaction: 5, resolved: true, comment: 'Quick reply', given_on: '2026-06-03', channel: 'web', linked: true },
			{ external_ref: 'FRM-002', satisfaction: 2, resolved: false, comment: 'Took a week, =HYPERLINK("x")', given_on: '2026-06-04', channel: 'web', linked: false }
		]);
	});

	it('changes nothing when the same file is imported again, and updates only the answer that changed', async () => {
		const file = path.join(dir, 'forms.csv');
		const before = await rows(db, sql`select id, satisfaction, comment, given_on, import_batch_id from feedback order by id`);
		const again = await ingest.importFile(db, file, { kind: 'feedback', mapping: 'govuk-forms', actor: 'imogen' });
		expect(again).toMatchObject({ read: 6, accepted: 0, updated: 0, unchanged: 2, rejected: 4 });
		expect(await rows(db, sql`select id, satisfaction, comment, given_on, import_batch_id from feedback order by id`)).toEqual(before);

		const changed = path.join(dir, 'forms-changed.csv');
		writeFileSync(changed, FORMS_EXPORT.replace('Took a week', 'Took two weeks'));
		const third = await ingest.importFile(db, changed, { kind: 'feedback', mapping: 'govuk-forms', actor: 'imogen' });
		expect(third).toMatchObject({ accepted: 0, updated: 1, unchanged: 1 });
		expect(await rows(db, sql`select 1 from feedback`)).toHaveLength(2);
	});

	it('refuses a contact-log mapping, a file without the required columns, and Yardstick’s own sources', async () => {
		const file = path.join(dir, 'plain.csv');
		writeFileSync(file, 'organisation,service,reference\ntestshire,help,X-1\n');
		await expect(ingest.importFile(db, file, { kind: 'feedback' })).rejects.toThrow(/no column 'given'/);
		await expect(ingest.importFile(db, path.join(dir, 'forms.csv'), { kind: 'feedback', source: 'survey-link', mapping: 'govuk-forms' })).rejects.toThrow(/Yardstick's own/);
		expect(await rows(db, sql`select 1 from feedback`)).toHaveLength(2);
	});
});
