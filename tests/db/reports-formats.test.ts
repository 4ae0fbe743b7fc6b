import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';
import { figures } from '../../src/lib/server/reports/figures.ts';
import type { Report } from '../../src/lib/server/reports/model.ts';
import { chromiumPath } from '../support/browser.ts';
import { yardstick } from '../unit/cli/run.ts';

// These checks need poppler-utils (pdfinfo, pdftoppm), LibreOffice (soffice) and Chromium. Like
// the browser tests, `npm test` skips them loudly on a machine without them; CI
// (YARDSTICK_REQUIRE_BROWSER=1, set by .ci/run) fails instead.
const found = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() !== '';
const missing = ['pdfinfo', 'pdftoppm', 'pdftotext', 'soffice'].filter((name) => !found(name));
if (!chromiumPath()) missing.push('chromium');
const skipped = missing.length > 0 && !process.env.YARDSTICK_REQUIRE_BROWSER;
if (skipped) {
	console.warn(`\n${'!'.repeat(100)}\n  ${missing.join(', ')} not found: THE PDF AND XLSX CHECKS ARE SKIPPED. Install them with\n  apt-get install -y poppler-utils libreoffice-calc-nogui chromium\n${'!'.repeat(100)}\n`);
}

function tool(name: string): string {
	const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
	if (!found) throw new Error(`${name} is not installed: apt-get install -y poppler-utils libreoffice-calc-nogui chromium`);
	return found;
}

interface Target {
	name: string;
	setUp(): Promise<{ env: Record<string, string | undefined>; tearDown(): Promise<void> }>;
}

const targets: Target[] = [
	{
		name: 'PGlite',
		setUp: async () => {
			const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-report-cli-'));
			return { env: { DATABASE_URL: undefined, YARDSTICK_DATA_DIR: dir }, tearDown: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	}
];
const url = process.env.DATABASE_URL;
if (url) {
	targets.push({
		name: 'PostgreSQL',
		setUp: async () => {
			const scratch = await createScratchDatabase(url, 'yardstick_report_cli');
			return { env: { DATABASE_URL: scratch.url }, tearDown: () => scratch.drop() };
		}
	});
}

/** Whether a binary PPM image (pdftoppm's default output) has any ink on it. */
function inked(ppm: Buffer): boolean {
	// Header: P6, width, height, maxval, each followed by whitespace; then RGB bytes.
	let offset = 0;
	let fields = 0;
	while (fields < 4) {
		while (/\s/.test(String.fromCharCode(ppm[offset]!))) offset++;
		while (!/\s/.test(String.fromCharCode(ppm[offset]!))) offset++;
		fields++;
	}
	offset++;
	let dark = 0;
	for (let i = offset; i < ppm.length; i++) if (ppm[i]! < 160) dark++;
	return dark > 500;
}

/** A percentage as the page and the workbook show it: one decimal place. */
const shown = (value: number | null) => (value === null ? '' : `${value.toFixed(1)}%`);
const count = (text: string) => Number(text.replaceAll(',', ''));

describe.skipIf(skipped).each(targets)('yardstick report on $name: PDF, XLSX and CSV', (target) => {
	let env: Record<string, string | undefined>;
	let tearDown: () => Promise<void>;
	let dir: string;
	let report: Report;
	let pdfSeconds: number;

	beforeAll(async () => {
		({ env, tearDown } = await target.setUp());
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-report-files-'));
		const seeded = await yardstick(['seed', '--contacts', '3000', '--as-of', '2026-11-24'], env);
		expect(seeded.code).toBe(0);
		const run = await yardstick(
			['report', '--quarter', '2025/26-Q2', '--organisation', 'borough', '--pdf', path.join(dir, 'board.pdf'), '--xlsx', path.join(dir, 'board.xlsx'), '--csv', path.join(dir, 'board.csv'), '--json'],
			env
		);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const output = JSON.parse(run.stdout) as { report: Report; files: { format: string; seconds: number }[] };
		report = output.report;
		pdfSeconds = output.files.find((f) => f.format === 'pdf')!.seconds;
	}, 300_000);
	afterAll(async () => {
		rmSync(dir, { recursive: true, force: true });
		await tearDown();
	});

	it('renders a tagged A4 PDF in under 10 seconds, every page drawn (pdftoppm)', () => {
		const info = execFileSync(tool('pdfinfo'), [path.join(dir, 'board.pdf')], { encoding: 'utf8' });
		const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
		expect(pages).toBeGreaterThan(0);
		expect(info).toMatch(/Tagged:\s+yes/);
		expect(info).toMatch(/Page size:\s+59[56]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
		expect(pdfSeconds).toBeLessThan(10);
		execFileSync(tool('pdftoppm'), ['-r', '40', path.join(dir, 'board.pdf'), path.join(dir, 'page')]);
		const images = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.ppm'));
		expect(images).toHaveLength(pages);
		for (const image of images) expect(inked(readFileSync(path.join(dir, image))), image).toBe(true);
		const text = execFileSync(tool('pdftotext'), [path.join(dir, 'board.pdf'), '-'], { encoding: 'utf8' });
		expect(text).toContain('Management Board performance report, Q2 2025/26');
		expect(text).toMatch(/Page 1 of \d+/);
	});

	it('writes a workbook LibreOffice opens, with the same figures as the report', () => {
		const out = path.join(dir, 'sheets');
		const profile = mkdtempSync(path.join(tmpdir(), 'yardstick-lo-'));
		try {
			execFileSync(
				tool('soffice'),
				[`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,2057,false,true,true,false,false,-1', '--outdir', out, path.join(dir, 'board.xlsx')],
				{ encoding: 'utf8', timeout: 120_000 }
			);
		} finally {
			rmSync(profile, { recursive: true, force: true });
		}
		const sheet = (name: string) => parse(readFileSync(path.join(out, `board-${name}.csv`), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
		expect(readdirSync(out).sort()).toEqual(
			['Commentary', 'Cover', 'Duties', 'Exceptions', 'Indicators', 'Risks', 'Standards by quarter', 'Standards', 'Summary'].map((n) => `board-${n}.csv`).sort()
		);

		const byQuarter = sheet('Standards by quarter');
		expect(byQuarter).toHaveLength(report.standards.lines.length * report.quarters.length);
		for (const line of report.standards.lines) {
			for (const q of line.quarters) {
				const row = byQuarter.find((r) => r.Code === line.code && r.Quarter === `Q${q.quarter} 2025/26`)!;
				expect([count(row.Met!), count(row.Breached!)]).toEqual([q.met, q.breached]);
				expect(row.Compliance).toBe(shown(q.compliance));
				expect(row.Target).toBe(shown(line.targetPercent));
			}
		}
		// Dates are real dates (shown day/month/year), not text.
		expect(byQuarter[0]!.Start).toBe('01/04/2025');

		const indicatorRows = sheet('Indicators');
		expect(indicatorRows.map((r) => r.Ref)).toEqual(report.indicators.rows.map((r) => r.ref));
		for (const row of report.indicators.rows) {
			const cells = indicatorRows.find((r) => r.Ref === row.ref)!;
			const q2 = row.quarters.find((q) => q.quarter === 2)!.actual;
			const ytd = row.yearToDate;
			if (row.unit === 'percent') expect([cells.Q2, cells['Year to date']]).toEqual([shown(q2), shown(ytd)]);
			else expect([cells.Q2, cells['Year to date']]).toEqual([q2 === null ? '' : q2.toLocaleString('en-GB'), ytd === null ? '' : ytd.toLocaleString('en-GB')]);
		}
		const risks = sheet('Risks');
		expect(risks.map((r) => [r.Ref, Number(r['Residual score'])])).toEqual(report.risks.register.map((r) => [r.ref, r.residual.score]));
		expect(sheet('Duties')).toHaveLength(report.duties.rows.length);
		const exceptions = sheet('Exceptions');
		expect(exceptions.map((r) => r['Standard or indicator'])).toEqual(report.exceptions.map((e) => e.name));
		expect(exceptions.map((r) => r.Commentary)).toEqual(report.exceptions.map((e) => e.commentary?.body ?? 'No commentary given'));
	});

	it('writes every figure to the CSV, formula-safe', () => {
		const records = parse(readFileSync(path.join(dir, 'board.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
		const expected = figures(report);
		expect(records).toHaveLength(expected.length);
		for (const [i, figure] of expected.entries()) {
			const record = records[i]!;
			expect([record.section, record.measure]).toEqual([figure.section, figure.measure]);
			if (typeof figure.value === 'number') expect(Number(record.value)).toBeCloseTo(figure.value, 5);
			else expect(record.value).toBe(figure.value ?? '');
			expect(record.name).not.toMatch(/^[=+\-@]/);
		}
	});

	it('exits 1 with the reason on bad arguments', async () => {
		for (const [args, message] of [
			[['report'], /needs --quarter/],
			[['report', '--quarter', '2025-Q2'], /not a quarter: use the form 2025\/26-Q2/],
			[['report', '--quarter', '2025/26-Q3', '--committee'], /end of Q2 \(half year\) or Q4 \(full year\)/],
			[['report', '--quarter', '2025/26-Q2', '--organisation', 'nowhere', '--csv', path.join(dir, 'x.csv')], /no organisation 'nowhere'/],
			[['report', '--quarter', '2025/26-Q2', '--pdf', ''], /--pdf needs a file name/]
		] as const) {
			const run = await yardstick([...args], env);
			expect(run.code, args.join(' ')).toBe(1);
			expect(run.stderr).toMatch(message);
		}
	});
});
