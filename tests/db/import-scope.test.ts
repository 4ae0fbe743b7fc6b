import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caseScope, type Viewer } from '../../src/lib/server/auth/access.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as imports from '../../src/lib/server/ingest/web-imports.ts';
import { seedReference, type Reference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

const header = 'reference,organisation,service,type,received,responded,team';
/** What is already stored, imported by someone who may import anything (the command line). */
const stored = [
	header,
	'C-OTHER,county,customer,email,2026-01-05T10:00,,cc-contact-centre',
	'C-MINE,county,customer,email,2026-01-05T10:00,,cc-correspondence',
	'B-1,borough,customer,email,2026-01-05T10:00,,csc-enquiries'
].join('\n');

describe.each(engines)("an import stays within the importer's teams and organisation, on $name", (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let reference: Reference;
	let dir: string;
	let teamLead: Viewer;
	let countyManager: Viewer;

	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-import-scope-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		reference = await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
		const county = reference.organisation('county');
		teamLead = { id: 'lead', name: 'Lee', email: 'lee@county.example', role: 'team-lead', organisationId: county.id, teamIds: [county.team('cc-correspondence'), county.team('cc-complaints')] };
		countyManager = { id: 'boss', name: 'Bo', email: 'bo@county.example', role: 'manager', organisationId: county.id, teamIds: [county.team('cc-correspondence')] };
		const setUp = await ingest.importFile(db, file('stored.csv', stored), { score: false, actor: 'cli:test' });
		expect(setUp.accepted).toBe(3);
	});
	afterEach(() => database?.dispose());

	function file(name: string, text: string) {
		const where = path.join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
		writeFileSync(where, `${text}\n`);
		return where;
	}

	const contacts = () =>
		rows<{ ref: string; team: string | null; responded: boolean }>(
			db,
			sql`select c.external_ref as ref, t.code as team, c.first_response_at is not null as responded
				from contacts c left join teams t on t.id = c.team_id order by c.external_ref`
		);

	it("rejects a team lead's rows for other teams, other organisations, no team, or another team's contact, and changes only their own", async () => {
		const before = await contacts();
		const result = await ingest.importFile(
			db,
			file('lead.csv', [
				header,
				'C-OTHER,county,customer,email,2026-01-05T10:00,2026-01-06T09:00,cc-correspondence',
				'C-MINE,county,customer,email,2026-01-05T10:00,2026-01-06T09:00,cc-correspondence',
				'B-1,borough,customer,email,2026-01-05T10:00,2026-01-06T09:00,csc-enquiries',
				'B-NEW,borough,customer,email,2026-01-05T10:00,,csc-enquiries',
				'C-NEW,county,customer,email,2026-01-05T10:00,,cc-complaints',
				'C-NOTEAM,county,customer,email,2026-01-05T10:00,,',
				'C-PHONES,county,customer,email,2026-01-05T10:00,,cc-contact-centre'
			].join('\n')),
			{ score: false, actor: teamLead.email, within: caseScope(teamLead) }
		);
		expect({ accepted: result.accepted, updated: result.updated, rejected: result.rejected }).toEqual({ accepted: 1, updated: 1, rejected: 5 });
		expect(result.errors).toEqual([
			{ row: 2, reason: "reference 'C-OTHER' is a contact of team 'cc-contact-centre', which is not one of yours: it is left as it is" },
			{ row: 4, reason: "organisation 'borough' is not yours: you import for county only" },
			{ row: 5, reason: "organisation 'borough' is not yours: you import for county only" },
			{ row: 7, reason: 'team is empty: you may import only contacts of your teams (cc-complaints, cc-correspondence)' },
			{ row: 8, reason: "team 'cc-contact-centre' is not one of yours (cc-complaints, cc-correspondence)" }
		]);
		// The other team's and the borough's contacts are as they were; nothing new outside the lead's teams.
		const after = await contacts();
		expect(after.find((c) => c.ref === 'C-OTHER')).toEqual(before.find((c) => c.ref === 'C-OTHER'));
		expect(after.find((c) => c.ref === 'B-1')).toEqual(before.find((c) => c.ref === 'B-1'));
		expect(after.map((c) => c.ref)).toEqual(['B-1', 'C-MINE', 'C-NEW', 'C-OTHER']);
		expect(after.find((c) => c.ref === 'C-MINE')).toEqual({ ref: 'C-MINE', team: 'cc-correspondence', responded: true });
		// The rejected rows are kept with the batch, with their reasons, for the download.
		const kept = await rows<{ row_number: number; raw: unknown }>(db, sql`select row_number, raw from import_rejections where batch_id = ${result.batchId} order by row_number`);
		expect(kept.map((r) => Number(r.row_number))).toEqual([2, 4, 5, 7, 8]);
	});

	it("rejects an organisation-bound manager's rows for another organisation, and lets them change any team of theirs", async () => {
		const result = await ingest.importFile(
			db,
			file('manager.csv', [
				header,
				'C-OTHER,county,customer,email,2026-01-05T10:00,2026-01-06T09:00,cc-contact-centre',
				'B-1,borough,customer,email,2026-01-05T10:00,2026-01-06T09:00,csc-enquiries',
				'C-NOTEAM,county,customer,email,2026-01-05T10:00,,'
			].join('\n')),
			{ score: false, actor: countyManager.email, within: caseScope(countyManager) }
		);
		expect({ accepted: result.accepted, updated: result.updated, rejected: result.rejected }).toEqual({ accepted: 1, updated: 1, rejected: 1 });
		expect(result.errors).toEqual([{ row: 3, reason: "organisation 'borough' is not yours: you import for county only" }]);
		expect((await contacts()).find((c) => c.ref === 'B-1')).toMatchObject({ responded: false });
	});

	it('binds an upload to the person who made it: to anyone else its token does not exist, and confirming imports within their teams', async () => {
		const form = new FormData();
		form.set('kind', 'contacts');
		form.set('file', new File([`${header}\nC-OTHER,county,customer,email,2026-01-05T10:00,2026-01-07T09:00,cc-correspondence\n`], 'lead.csv', { type: 'text/csv' }));
		const received = await imports.receive(db, new Request('http://127.0.0.1/import?/upload', { method: 'POST', body: form }), teamLead);
		if (!('token' in received)) throw new Error(JSON.stringify(received));
		const { token } = received;
		const manager: Viewer = { ...countyManager, id: 'someone-else' };
		expect(imports.find(token, manager)).toBeUndefined();
		expect(imports.find(token, null)).toBeUndefined();
		expect(imports.confirm(db, token, manager)).toBeUndefined();
		expect(await imports.cancel(token, manager)).toBe(false);
		expect(imports.follow(token, manager, () => {})).toBeUndefined();
		expect(imports.find(token, teamLead)?.state).toBe('previewed');

		expect(imports.confirm(db, token, teamLead)?.state).toBe('running');
		const ended = await new Promise<imports.ImportView>((resolve) => {
			const stop = imports.follow(token, teamLead, (view) => {
				if (view.state === 'done' || view.state === 'failed') {
					stop?.();
					resolve(view);
				}
			});
		});
		expect(ended.state).toBe('done');
		expect(ended.summary).toMatchObject({ accepted: 0, updated: 0, rejected: 1 });
		expect(ended.summary!.errors[0]!.reason).toMatch(/is a contact of team 'cc-contact-centre', which is not one of yours/);
		expect((await contacts()).find((c) => c.ref === 'C-OTHER')).toEqual({ ref: 'C-OTHER', team: 'cc-contact-centre', responded: false });
	});
});
