import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rows, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { systemActor } from '../../src/lib/server/audit/record.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import * as imports from '../../src/lib/server/ingest/web-imports.ts';
import * as reports from '../../src/lib/server/reports/model.ts';
import * as indicators from '../../src/lib/server/plan/indicators.ts';
import * as duties from '../../src/lib/server/plan/duties.ts';
import * as publications from '../../src/lib/server/plan/publications.ts';
import { applySetup } from '../../src/lib/server/setup/apply.ts';
import { parseSetup } from '../../src/lib/server/setup/file.ts';
import { engines } from '../support/databases.ts';

const example = (name: string) => path.resolve('docs/examples', name);
const fixture = (name: string) => path.resolve('tests/fixtures/electoral', name);

/** FY 2025/26 has closed: every quarter is final and stored the first time it is reported. */
const asOf = new Date('2026-04-15T12:00:00Z');

/**
 * The README's example files, counted by hand (see docs/examples):
 * - canvass 2025, 8 Route 2 properties: by 30 September 3 had responded (15 Jul, 20 Aug, 30 Sep)
 *   → Q2 progress 3/8 = 37.5%; by the register's publication on 1 December 2 more (10 Oct, 28 Nov;
 *   one on 5 Dec is too late) → Q3 final 5/8 = 62.5%. Routes 1 and 3 do not count (since 2020).
 * - register changes: the February 2026 notice's cut-off is 22 January: 3 changes determined
 *   before it, 2 included (the 20 January deletion was missed); March's cut-off is 19 February:
 *   3 determined (26 Jan, 5 Feb, 10 Feb), all included; the 25 February change belongs to April's
 *   notice, not recorded yet → Q4 5/6 = 83.3%.
 */
const HAND_COUNT = { es01: { q2: [3, 8], q3: [5, 8] }, es02: { q4: [5, 6] } };

describe.each(engines)('a council without the demo imports its own electoral data, on $name', (engine) => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };

	beforeEach(async () => {
		handle = await engine.open();
		// A council set up from its set-up file, as on a real installation (YARDSTICK_SEED=off): no demo data at all.
		const setup = parseSetup(readFileSync(fixture('council.yaml'), 'utf8'));
		await applySetup(handle.db, setup, { actor: systemActor('test') });
	}, 60_000);
	afterEach(async () => handle.dispose());

	const importFile = (file: string, options: ingest.ImportOptions) => ingest.importFile(handle.db, file, { actor: 'test', ...options });
	const figures = async () => {
		const table = await indicators.table(handle.db, { organisation: 'harrowfield', financialYear: 2025, asOf, refs: ['ES01', 'ES02'] });
		const of = (ref: string) => table.rows.find((r) => r.ref === ref)!.quarters.map((q) => (q.numerator === null || q.actual === null ? null : [q.numerator, q.denominator]));
		return { es01: of('ES01'), es02: of('ES02'), notices: table.notices };
	};

	it('imports a property-level canvass and a register-changes file: ES01 and ES02 per quarter are the hand count, and a re-import changes nothing', async () => {
		const canvass = await importFile(example('canvass-properties.csv'), { kind: 'canvass' });
		expect(canvass).toMatchObject({ kind: 'canvass', read: 12, accepted: 12, updated: 0, unchanged: 0, skipped: 0, rejected: 0 });
		const changes = await importFile(example('register-changes.csv'), { kind: 'register-changes' });
		expect(changes).toMatchObject({ kind: 'register-changes', read: 7, accepted: 7, updated: 0, unchanged: 0, skipped: 0, rejected: 0 });
		// The council has ES01 and ES02 now, for the overview's cards too.
		const cards = await indicators.headlines(handle.db, { organisation: 'harrowfield', periodEnd: '2026-03-31', asOf });
		expect(cards.map((c) => [c.ref, c.actual])).toEqual([['ES01', 62.5], ['ES02', (5 / 6) * 100]]);

		const { es01, es02, notices } = await figures();
		expect(es01).toEqual([null, HAND_COUNT.es01.q2, HAND_COUNT.es01.q3, null]);
		expect(es02).toEqual([null, null, null, HAND_COUNT.es02.q4]);
		expect(notices.map((n) => [n.month, n.cutOffOn, n.publishedOn, n.publishedOnTime])).toEqual([
			['2026-02-01', '2026-01-22', '2026-02-02', true],
			['2026-03-01', '2026-02-19', '2026-03-02', true]
		]);

		// The board report for Q4 carries the same figures.
		const board = await reports.build(handle.db, { organisation: 'harrowfield', financialYear: 2025, quarter: 4, kind: 'board' }, asOf);
		const boardRow = (ref: string) => board.indicators.rows.find((r) => r.ref === ref)!.quarters.map((q) => q.actual);
		expect(boardRow('ES01')).toEqual([null, 37.5, 62.5, null]);
		expect(boardRow('ES02')).toEqual([null, null, null, (5 / 6) * 100]);

		// The same files again: every row unchanged, nothing stored twice.
		const before = await rows<{ n: number }>(handle.db, sql`select (select count(*) from canvass_properties) + (select count(*) from register_changes) + (select count(*) from register_notices) as n`);
		expect(await importFile(example('canvass-properties.csv'), { kind: 'canvass' })).toMatchObject({ read: 12, accepted: 0, updated: 0, unchanged: 12, skipped: 0, rejected: 0 });
		expect(await importFile(example('register-changes.csv'), { kind: 'register-changes' })).toMatchObject({ read: 7, accepted: 0, updated: 0, unchanged: 7, skipped: 0, rejected: 0 });
		const after = await rows<{ n: number }>(handle.db, sql`select (select count(*) from canvass_properties) + (select count(*) from register_changes) + (select count(*) from register_notices) as n`);
		expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));

		// An electoral import is corrected by a new file, not removed.
		const { remove, BatchRemovalError } = await import('../../src/lib/server/ingest/batches.ts');
		await expect(remove(handle.db, canvass.batchId, systemActor('test'))).rejects.toThrow(BatchRemovalError);

		// A late correction after the board saw the closed quarters: the stored results stay as reported.
		expect(await importFile(fixture('late-response.csv'), { kind: 'canvass' })).toMatchObject({ read: 1, accepted: 0, updated: 1, unchanged: 0 });
		expect((await figures()).es01).toEqual([null, HAND_COUNT.es01.q2, HAND_COUNT.es01.q3, null]);
	});

	it('the summary-grain files give the same figures', async () => {
		expect(await importFile(example('canvass-summary.csv'), { kind: 'canvass' })).toMatchObject({ read: 6, accepted: 6, rejected: 0 });
		expect(await importFile(example('register-notices.csv'), { kind: 'register-changes' })).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
		const { es01, es02 } = await figures();
		expect(es01).toEqual([null, HAND_COUNT.es01.q2, HAND_COUNT.es01.q3, null]);
		expect(es02).toEqual([null, null, null, HAND_COUNT.es02.q4]);
		expect(await importFile(example('canvass-summary.csv'), { kind: 'canvass' })).toMatchObject({ read: 6, accepted: 0, updated: 0, unchanged: 6 });
		expect(await importFile(example('register-notices.csv'), { kind: 'register-changes' })).toMatchObject({ read: 2, accepted: 0, updated: 0, unchanged: 2 });
	});

	it('reads an EMS report through a canvass mapping ("Matched" and "Route 1" are route 1)', async () => {
		const result = await importFile(example('ems-canvass-report.csv'), { kind: 'canvass', mapping: 'ems-canvass' });
		expect(result).toMatchObject({ read: 4, accepted: 4, rejected: 0, source: 'ems-canvass' });
		const stored = await rows<{ property_ref: string; route: number; responded_on: string | null }>(
			handle.db,
			sql`select property_ref, route, responded_on::text from canvass_properties order by property_ref`
		);
		expect(stored.map((r) => [r.property_ref, Number(r.route), r.responded_on])).toEqual([
			['PR-004411', 1, null],
			['PR-004412', 2, '2025-07-17'],
			['PR-004413', 2, null],
			['PR-004414', 3, '2025-09-02']
		]);
		// A contact-log import cannot use it by mistake.
		await expect(importFile(example('ems-canvass-report.csv'), { kind: 'register-changes', mapping: 'ems-canvass' })).rejects.toThrow(/mapping 'ems-canvass' reads a canvass file, not a register-changes file/);
	});

	it('bad canvass rows are shown in the preview, nothing stored until confirmed, then rejected with reasons', async () => {
		const preview = await ingest.preview(handle.db, fixture('bad-canvass.csv'), { kind: 'canvass' });
		expect(preview.electoral?.counts).toEqual({ read: 5, accepted: 1, updated: 0, unchanged: 0, skipped: 0, rejected: 4 });
		expect(preview.errors).toEqual([
			{ row: 2, reason: 'responded 2025-06-20 is before the 2025 canvass began on 1 July 2025' },
			{ row: 3, reason: 'property B2 is in more than one row of this canvass (see the later rows; neither is stored)' },
			{ row: 4, reason: 'property B2 is in route 2 here and in route 1 in row 3: a property is in one route in a canvass (neither row is stored)' },
			{ row: 5, reason: "route '4' is not 1, 2 or 3" }
		]);
		expect((await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from canvass_properties`))[0]!.n).toBe(0);
		expect((await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from import_batches`))[0]!.n).toBe(0);

		const result = await importFile(fixture('bad-canvass.csv'), { kind: 'canvass' });
		expect(result).toMatchObject({ read: 5, accepted: 1, updated: 0, unchanged: 0, skipped: 0, rejected: 4 });
		expect(result.errors).toEqual(preview.errors);
		expect(await ingest.rejections(handle.db, result.batchId)).toEqual(preview.errors);
	});

	it('bad register changes: determined after their notice, a second date for a month’s notice, an unknown kind; a notice on a Sunday is a warning', async () => {
		const preview = await ingest.preview(handle.db, fixture('bad-changes.csv'), { kind: 'register-changes' });
		expect(preview.errors).toEqual([
			{ row: 2, reason: 'determined 2026-02-05 is after the notice of 2026-02-02 that includes it' },
			{ row: 4, reason: 'notice 2026-02-03: row 3 dates the February 2026 notice 2026-02-01, and a month has one notice' },
			{ row: 5, reason: "kind 'renewal' is not addition, amendment or deletion" }
		]);
		expect(preview.warnings).toEqual([{ row: 3, reason: 'notice 2026-02-01 is not a working day (Sunday): notices are published on the first working day of the month' }]);
		expect((await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from register_notices`))[0]!.n).toBe(0);
		const result = await importFile(fixture('bad-changes.csv'), { kind: 'register-changes' });
		expect(result).toMatchObject({ read: 4, accepted: 1, rejected: 3 });
		expect(result.warnings).toEqual(preview.warnings);
	});

	it('a file with the wrong columns for its kind stores nothing and says what a file of that kind has', async () => {
		await expect(importFile(example('register-changes.csv'), { kind: 'canvass' })).rejects.toThrow(/the header has no columns 'canvass', 'property', 'route'/);
		const [batch] = await rows<{ status: string; failure: string }>(handle.db, sql`select status, failure from import_batches`);
		expect(batch?.status).toBe('failed');
		expect(batch?.failure).toMatch(/one row per canvass and route: organisation, canvass, route, properties, responses, as_of/);
	});

	it('the API takes the file as CSV or its records as JSON, with the same counts; a key bound to another organisation is refused', async () => {
		const csv = readFileSync(example('register-changes.csv'), 'utf8');
		const post = (body: string, type: string) => new Request('http://localhost/api/v1/register-changes', { method: 'POST', body, headers: { 'content-type': type } });
		const first = await imports.receiveElectoral(handle.db, post(csv, 'text/csv'), 'register-changes', { actor: 'api:test' });
		expect(first).toEqual({ status: 200, body: { read: 7, accepted: 7, updated: 0, unchanged: 0, skipped: 0, rejected: 0, skippedReasons: [], errors: [], warnings: [] } });
		const records = [{ organisation: 'harrowfield', change: 'RC-2026-0001', kind: 'addition', determined: '2026-01-10', notice: '2026-02-02' }, { change: 'RC-2026-0099', kind: 'addition', determined: '10/02/2026' }];
		const json = await imports.receiveElectoral(handle.db, post(JSON.stringify(records), 'application/json'), 'register-changes', { actor: 'api:test', organisationCode: 'harrowfield' });
		expect(json).toEqual({ status: 200, body: { read: 2, accepted: 1, updated: 0, unchanged: 1, skipped: 0, rejected: 0, skippedReasons: [], errors: [], warnings: [] } });
		const refused = await imports.receiveElectoral(handle.db, post(csv, 'text/csv'), 'register-changes', { actor: 'api:test', organisation: 'borough', organisationCode: 'harrowfield' });
		expect(refused).toEqual({ status: 400, body: { message: "This API key imports for 'harrowfield' only, not 'borough'" } });
	});

	it('Record publication: a notice published a day late is late for ES02 and on /duties, the register met; audited; a future date is refused', async () => {
		const actor = systemActor('manager@harrowfield.example');
		const notice = publications.publicationOf('es.monthly-notice:2026-02-01')!;
		const register = publications.publicationOf('es.register-publication:2025')!;
		expect(publications.publicationOf('es.monthly-notice:2025-09-01')).toBeNull(); // no notices in the canvass
		const record = (publication: publications.Publication, publishedOn: string) =>
			publications.recordPublication(handle.db, { organisation: 'harrowfield', publication, publishedOn, today: '2026-04-15', actor });
		await expect(record(notice, '2026-04-16')).rejects.toThrow('The date published must be today or in the past');
		await expect(record(register, '2025-06-30')).rejects.toThrow('The date published must be on or after 1 July 2025, when the 2025 canvass began');
		expect(await record(notice, '2026-02-03')).toBe(true);
		expect(await record(notice, '2026-02-03')).toBe(false);
		expect(await record(register, '2025-12-01')).toBe(true);

		const list = await duties.list(handle.db, { organisation: 'harrowfield', from: '2025-04-01', to: '2026-03-31', today: '2026-04-15' });
		const of = (occurrence: string) => list.find((o) => o.occurrence === occurrence);
		expect(of('Notice of alteration February 2026')).toMatchObject({ dueOn: '2026-02-02', doneOn: '2026-02-03', status: 'late', daysLate: 1 });
		expect(of('Revised register 2025')).toMatchObject({ dueOn: '2025-12-01', doneOn: '2025-12-01', status: 'met' });
		expect(of('Notice of alteration March 2026')).toMatchObject({ status: 'overdue' });
		const audit = await rows<{ entity: string; action: string; actor: string }>(handle.db, sql`select entity, action, actor from audit_log where entity in ('register_notice', 'duty') order by id`);
		expect(audit).toEqual([
			{ entity: 'register_notice', action: 'create', actor: 'manager@harrowfield.example' },
			{ entity: 'duty', action: 'create', actor: 'manager@harrowfield.example' }
		]);
		// The changes file then names the same notice by its actual date: its changes join it.
		const changes = await importFile(example('register-changes.csv'), { kind: 'register-changes' });
		expect(changes).toMatchObject({ rejected: 2, errors: [
			{ row: 2, reason: 'notice 2026-02-02: the February 2026 notice is recorded as published on 2026-02-03, and a month has one notice' },
			{ row: 3, reason: 'notice 2026-02-02: the February 2026 notice is recorded as published on 2026-02-03, and a month has one notice' }
		] });
	});

	it('canvass progress: ES01 week by week so far, against the same week of last year’s canvass', async () => {
		await importFile(example('canvass-properties.csv'), { kind: 'canvass' });
		const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-canvass-'));
		try {
			const lastYear = path.join(dir, 'canvass-2024.csv');
			writeFileSync(lastYear, 'organisation,canvass,route,properties,responses,as_of\nharrowfield,2024,2,10,4,2024-09-29\nharrowfield,2024,2,10,9,\n');
			expect(await importFile(lastYear, { kind: 'canvass' })).toMatchObject({ accepted: 2 });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		const progress = await indicators.canvassProgress(handle.db, { organisation: 'harrowfield', canvassYear: 2025, asOf: new Date('2025-10-15T12:00:00Z') });
		expect(progress).toMatchObject({ canvassYear: 2025, publicationOn: '2025-12-01', methodologyBreak: false });
		const week = (n: number) => progress!.points.find((p) => p.week === n);
		// Week 1 (to 7 July): nobody had responded; last year had no figure yet.
		expect(week(1)).toEqual({ week: 1, on: '2025-07-07', lastYearOn: '2024-07-07', actual: 0, lastYear: null });
		// Week 13 (to 29 September): 2 of 8 Route 2 properties (15 July, 20 August), against 4 of 10 last year.
		expect(week(13)).toEqual({ week: 13, on: '2025-09-29', lastYearOn: '2024-09-29', actual: 25, lastYear: 40 });
		// Week 16 is still to come: last year's line only.
		expect(week(16)).toMatchObject({ on: '2025-10-20', actual: null, lastYear: 40 });
		// The last point is the register's publication: last year's final return, 9 of 10.
		expect(progress!.points.at(-1)).toMatchObject({ on: '2025-12-01', lastYearOn: '2024-12-01', lastYear: 90 });
		expect((await indicators.canvassProgress(handle.db, { organisation: 'harrowfield', canvassYear: 2020, asOf }))).toBeNull();
	});
});
