import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { PDF_PAGES, PdfPrinter } from '../../src/lib/server/reports/pdf.ts';
import * as reports from '../../src/lib/server/reports/index.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { chromiumPath } from '../support/browser.ts';
import { engines } from '../support/databases.ts';

const skipped = !chromiumPath() && !process.env.YARDSTICK_REQUIRE_BROWSER;
if (skipped) console.warn(`\n${'!'.repeat(100)}\n  Chromium not found: THE PDF PRINTER TESTS ARE SKIPPED. Install it with apt-get install -y chromium\n${'!'.repeat(100)}\n`);

const now = new Date('2026-11-24T12:00:00Z');
const board: reports.ReportRequest = { organisation: 'borough', kind: 'board', financialYear: 2025, quarter: 2 };
const status = (version: number | null): reports.ReportStatus =>
	version === null ? { version: null, publishedAt: null, publishedBy: null, contentHash: null } : { version, publishedAt: '2026-11-01T10:00:00Z', publishedBy: 'Test', contentHash: 'abc' };

describe.skipIf(skipped).each(engines)('printing report PDFs on $name', (engine) => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	let report: reports.Report;
	const printers: PdfPrinter[] = [];
	const printer = () => {
		const made = new PdfPrinter();
		printers.push(made);
		return made;
	};
	beforeAll(async () => {
		handle = await engine.open();
		await seedReference(handle.db, { from: '2024-04-01', asOf: now });
		report = await reports.build(handle.db, board, now);
	}, 120_000);
	afterAll(async () => {
		for (const made of printers) await made.close();
		await handle?.dispose();
	});

	it('launches one Chromium for many requests at once, prints a version once, and at most PDF_PAGES at a time', async () => {
		const pdfs = printer();
		const store = reports.pdfStore(handle.db);
		const same = await Promise.all(Array.from({ length: 6 }, () => pdfs.render(report, status(1), store)));
		expect(pdfs.stats).toMatchObject({ launches: 1, prints: 1 });
		expect(Buffer.from(same[0]!).subarray(0, 5).toString()).toBe('%PDF-');
		for (const pdf of same) expect(Buffer.from(pdf).equals(Buffer.from(same[0]!))).toBe(true);
		// Five other documents (other versions, a draft) at once: queued behind the pages.
		await Promise.all([2, 3, 4, 5, null].map((version) => pdfs.render(report, status(version))));
		expect(pdfs.stats).toMatchObject({ launches: 1, prints: 6, mostAtOnce: PDF_PAGES });
		// Asked again: kept, not printed.
		await pdfs.render(report, status(3));
		expect(pdfs.stats.prints).toBe(6);
	}, 120_000);

	it('keeps a published version in the database, so another process (or a restart) does not print it again', async () => {
		const first = printer();
		const pdf = await first.render(report, status(7), reports.pdfStore(handle.db));
		const restarted = printer();
		const again = await restarted.render(report, status(7), reports.pdfStore(handle.db));
		expect(restarted.stats).toMatchObject({ launches: 0, prints: 0 });
		expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);
	}, 120_000);
});
