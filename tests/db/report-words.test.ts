import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import type { Database } from '../../src/lib/server/db/client.ts';
import * as overview from '../../src/lib/server/dashboard/overview.ts';
import { parseReportingPeriod } from '../../src/lib/engine/reporting-period.ts';
import * as reports from '../../src/lib/server/reports/index.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';
import { codesAndIsoDates } from '../support/plain-words.ts';

// A councillor reads the board and committee reports on paper and in Excel: dates as '1 April 2026' and
// standards by their names. Excel date cells are real dates; a column headed Code or Ref is the
// reference a reader quotes back (the CSV keeps every code as its `reference`, and is not read here).
const now = new Date('2026-11-24T12:00:00Z');
const requests: reports.ReportRequest[] = [
	{ organisation: 'borough', kind: 'board', financialYear: 2026, quarter: 2 },
	{ organisation: 'county', kind: 'committee', financialYear: 2026, quarter: 2 },
	// Q3 is under way on 24 November: its figures say so.
	{ organisation: 'borough', kind: 'board', financialYear: 2026, quarter: 3 }
];

/** The text of an HTML document a person reads: no tags, styles or attributes. */
const readable = (html: string) =>
	html
		.replace(/<style[\s\S]*?<\/style>/g, ' ')
		.replace(/<script[\s\S]*?<\/script>/g, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&amp;/g, '&')
		.replace(/&#39;|&apos;/g, "'")
		.replace(/&quot;/g, '"');

/** Every text cell of a workbook, except the reference columns (headed Code or Ref). */
async function textCells(buffer: Buffer): Promise<string[]> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
	const texts: string[] = [];
	workbook.eachSheet((sheet) => {
		const references = new Set<number>();
		sheet.getRow(1).eachCell((cell, column) => {
			if (sheet.name !== 'Cover' && /^(code|ref|reference)$/i.test(String(cell.value ?? '').trim())) references.add(column);
		});
		sheet.eachRow((row) =>
			row.eachCell((cell, column) => {
				if (!references.has(column) && typeof cell.value === 'string') texts.push(`${sheet.name}: ${cell.value}`);
			})
		);
	});
	return texts;
}

describe.each(engines)('report words on $name', (engine) => {
	let database: Awaited<ReturnType<typeof engine.open>>;
	let db: Database;
	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await seed(db, { asOf: now, contacts: 2500, properties: 200 });
		await assessments.scoreAll(db, { concurrency: 1 });
	}, 240_000);
	afterAll(() => database?.dispose());

	for (const request of requests) {
		it(`says dates and standards in words in the ${request.kind} report for Q${request.quarter}, on paper and in Excel`, async () => {
			const report = await reports.build(db, request, now);
			const status = { version: 1, publishedAt: now.toISOString(), publishedBy: 'Test', contentHash: 'f'.repeat(64) };
			const html = readable(reports.printDocument(report, status));
			expect(html).toContain(report.title);
			expect(codesAndIsoDates(html).join('\n')).toBe('');
			expect(html).not.toContain('f'.repeat(64));
			const cells = await textCells(await reports.reportXlsx(report, { ...status, contentHash: null }));
			expect(cells.length).toBeGreaterThan(20);
			expect(cells.flatMap((text) => codesAndIsoDates(text)).join('\n')).toBe('');
		});
	}

	it("marks a quarter still under way as 'so far' in the report", async () => {
		const report = await reports.build(db, requests[2]!, now);
		expect(report.period.label).toBe('Q3 2026/27 (so far)');
		expect(report.quarters.map((q) => q.label)).toEqual(['Q1 2026/27', 'Q2 2026/27', 'Q3 2026/27 (so far)']);
	});

	it('compares a quarter under way with the same days of the quarter before on the overview, and says when it is too early', async () => {
		const filters = { period: parseReportingPeriod('2026/27-Q3'), organisation: 'borough', service: null, team: null };
		// 24 November: 55 days into Q3, against the first 55 days of Q2 (1 July to 24 August), not all of Q2.
		const midway = await overview.overview(db, filters, now);
		expect(midway.period.label).toBe('Q3 2026/27 (so far)');
		expect(midway.comparison).toEqual({ partial: true, tooEarly: false, elapsedDays: 55 });
		expect(midway.previous).toMatchObject({ start: '2026-07-01', end: '2026-08-24', label: 'the first 55 days of Q2 2026/27' });
		expect(midway.standards.some((s) => s.direction !== null)).toBe(true);
		expect(midway.standards.at(-1)!.trend.at(-1)!.label).toBe('Q3 2026/27 (so far)');
		// 5 October: five days in, too early to call anything better or worse.
		const early = await overview.overview(db, filters, new Date('2026-10-05T12:00:00Z'));
		expect(early.comparison).toMatchObject({ partial: true, tooEarly: true, elapsedDays: 5 });
		expect(early.standards.every((s) => s.direction === null)).toBe(true);
		// Once Q3 is over, the whole of it against the whole of Q2.
		const after = await overview.overview(db, filters, new Date('2027-01-10T12:00:00Z'));
		expect(after.period.label).toBe('Q3 2026/27');
		expect(after.comparison.partial).toBe(false);
		expect(after.previous).toMatchObject({ start: '2026-07-01', end: '2026-09-30', label: 'Q2 2026/27' });
	});
});
