/**
 * The report as an Excel workbook (exceljs): a cover sheet, then one table per sheet with a
 * frozen, filterable header row. Numbers are numbers (percentages stored as fractions with a
 * percentage format), dates are dates; every text cell passes through neutralise().
 */
import ExcelJS from 'exceljs';
import type { Rag } from '../../engine/performance.ts';
import { ragLabel } from '../../rag.ts';
import { occurrence } from '../../format.ts';
import { neutralise } from '../spreadsheet.ts';
import type { ReportStatus } from './html.ts';
import type { Report } from './model.ts';

type Kind = 'text' | 'count' | 'percent' | 'seconds' | 'date' | 'datetime' | 'score';
interface Column {
	header: string;
	kind: Kind;
	width?: number;
}
type Value = string | number | null;

const formats: Partial<Record<Kind, string>> = {
	count: '#,##0',
	percent: '0.0%',
	seconds: '0',
	date: 'dd/mm/yyyy',
	datetime: 'dd/mm/yyyy hh:mm',
	score: '0'
};

function cell(kind: Kind, value: Value): ExcelJS.CellValue {
	if (value === null || value === '') return null;
	switch (kind) {
		case 'text':
			return neutralise(String(value));
		case 'percent':
			return Number(value) / 100;
		case 'date':
			return new Date(`${String(value).slice(0, 10)}T00:00:00Z`);
		case 'datetime':
			// Excel has no time zones: show Europe/London wall-clock time.
			return londonWallClock(String(value));
		default:
			return Number(value);
	}
}

function londonWallClock(iso: string): Date {
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
		.formatToParts(new Date(iso))
		.reduce<Record<string, string>>((acc, p) => ((acc[p.type] = p.value), acc), {});
	return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)));
}

function addTable(workbook: ExcelJS.Workbook, name: string, columns: Column[], records: Value[][]): void {
	const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = columns.map((c) => ({ header: neutralise(c.header), width: c.width ?? (c.kind === 'text' ? 28 : 14), style: formats[c.kind] ? { numFmt: formats[c.kind] } : {} }));
	for (const record of records) {
		const row = sheet.addRow(record.map((value, i) => cell(columns[i]!.kind, value)));
		// Each cell carries its own format (a Date would otherwise get Excel's US default m/d/yy).
		columns.forEach((c, i) => {
			const format = formats[c.kind];
			if (format) row.getCell(i + 1).numFmt = format;
		});
	}
	const header = sheet.getRow(1);
	header.font = { bold: true };
	header.alignment = { vertical: 'top', wrapText: true };
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

const rag = (value: Rag | null) => (value ? ragLabel[value] : null);

/** The sheets of a report's workbook, in order (the cover lists them too). */
export function sheetNames(report: Report): string[] {
	return ['Cover', 'Summary', 'Exceptions', 'Standards', 'Standards by quarter', ...(report.phone ? ['Phone'] : []), 'Indicators', 'Duties', 'Risks', 'Commentary'];
}

export async function reportXlsx(report: Report, status: ReportStatus): Promise<Buffer> {
	/** A standard's indicator by its title (its code is no label); ES01 and the like by their reference. */
	const indicatorName = (ref: string) => (ref.includes('.') ? (report.indicators.rows.find((r) => r.ref === ref)?.description ?? ref) : ref);
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Yardstick';
	workbook.title = report.title;
	workbook.created = new Date(report.builtAt);

	const coverSheet = workbook.addWorksheet('Cover');
	coverSheet.columns = [{ width: 30 }, { width: 90 }];
	const facts: [string, ExcelJS.CellValue][] = [
		['Report', neutralise(report.title)],
		['Organisation', neutralise(report.organisation.name)],
		['Period', neutralise(report.period.label)],
		['Period start', cell('date', report.period.start)],
		['Period end', cell('date', report.period.end)],
		['Figures recorded', cell('datetime', report.builtAt)],
		['Status', status.version === null ? 'Draft: not published' : `Published, version ${status.version}`],
		['Published', status.publishedAt ? cell('datetime', status.publishedAt) : null],
		['Published by', status.publishedBy ? neutralise(status.publishedBy) : null],
		['Content hash (SHA-256)', status.contentHash]
	];
	coverSheet.addRow([neutralise(report.title)]).font = { bold: true, size: 16 };
	coverSheet.addRow([]);
	for (const [label, value] of facts) {
		const row = coverSheet.addRow([label, value]);
		row.getCell(1).font = { bold: true };
		if (value instanceof Date) row.getCell(2).numFmt = label.startsWith('Period') ? 'dd/mm/yyyy' : 'dd/mm/yyyy hh:mm';
		row.getCell(2).alignment = { horizontal: 'left' };
	}
	coverSheet.addRow([]);
	coverSheet.addRow(['Sheets']).font = { bold: true };
	for (const name of sheetNames(report).slice(1)) coverSheet.addRow([name]);

	addTable(
		workbook,
		'Summary',
		[{ header: 'Headline', kind: 'text', width: 34 }, { header: 'Value', kind: 'score' }, { header: 'Unit', kind: 'text', width: 10 }, { header: 'Note', kind: 'text', width: 70 }],
		report.summary.headlines.map((h) => [h.label, h.value === null ? null : h.unit === 'percent' ? h.value / 100 : h.value, h.unit, h.note])
	);
	// A percentage headline is a fraction: show it as one.
	const summary = workbook.getWorksheet('Summary')!;
	report.summary.headlines.forEach((h, i) => {
		summary.getCell(i + 2, 2).numFmt = h.unit === 'percent' ? '0.0%' : '#,##0';
	});

	// Every red and amber item with its commentary and corrective action (empty where none was given).
	addTable(
		workbook,
		'Exceptions',
		[
			{ header: 'Ref', kind: 'text', width: 12 },
			{ header: 'Standard or indicator', kind: 'text', width: 44 },
			{ header: `RAG (${report.basis.label})`, kind: 'text', width: 16 },
			{ header: 'Result', kind: 'score' },
			{ header: 'Target', kind: 'score' },
			{ header: 'Quarter before', kind: 'score' },
			{ header: 'Same quarter last year', kind: 'score' },
			{ header: 'Commentary', kind: 'text', width: 60 },
			{ header: 'Corrective action', kind: 'text', width: 50 },
			{ header: 'Action owner', kind: 'text', width: 24 },
			{ header: 'Action due', kind: 'date', width: 12 }
		],
		report.exceptions.map((e) => {
			const share = (v: number | null) => (v === null ? null : e.unit === 'percent' ? v / 100 : v);
			return [
				e.ref,
				e.name,
				rag(e.rag),
				share(e.value),
				share(e.target),
				share(e.comparison.previous.value),
				share(e.comparison.lastYear.value),
				e.commentary?.body ?? 'No commentary given',
				e.action?.text ?? null,
				e.action?.owner ?? null,
				e.action?.dueOn ?? null
			];
		})
	);
	const exceptionSheet = workbook.getWorksheet('Exceptions')!;
	report.exceptions.forEach((e, i) => {
		for (let column = 4; column <= 7; column++) exceptionSheet.getCell(i + 2, column).numFmt = e.unit === 'percent' ? '0.0%' : '#,##0';
	});

	const q = report.quarters;
	addTable(
		workbook,
		'Standards',
		[
			{ header: 'Code', kind: 'text', width: 18 },
			{ header: 'Standard', kind: 'text', width: 40 },
			{ header: 'Target', kind: 'percent' },
			...q.map((x) => ({ header: `${x.label} compliance`, kind: 'percent' as const })),
			...(report.kind === 'committee' ? [{ header: `${report.period.label} compliance`, kind: 'percent' as const }] : []),
			{ header: 'Met', kind: 'count' },
			{ header: 'Breached', kind: 'count' },
			{ header: 'RAG', kind: 'text', width: 14 },
			{ header: 'Direction', kind: 'text', width: 12 }
		],
		report.standards.lines.map((s) => [s.code, s.title, s.targetPercent, ...s.quarters.map((x) => x.compliance), ...(report.kind === 'committee' ? [s.period.compliance] : []), s.period.met, s.period.breached, rag(s.period.rag), s.direction])
	);

	addTable(
		workbook,
		'Standards by quarter',
		[
			{ header: 'Code', kind: 'text', width: 18 },
			{ header: 'Standard', kind: 'text', width: 40 },
			{ header: 'Quarter', kind: 'text', width: 14 },
			{ header: 'Start', kind: 'date', width: 12 },
			{ header: 'End', kind: 'date', width: 12 },
			{ header: 'Met', kind: 'count' },
			{ header: 'Breached', kind: 'count' },
			{ header: 'Compliance', kind: 'percent' },
			{ header: 'Target', kind: 'percent' },
			{ header: 'RAG', kind: 'text', width: 14 }
		],
		report.standards.lines.flatMap((s) =>
			s.quarters.map((x) => {
				const ref = q.find((r) => r.number === x.quarter)!;
				return [s.code, s.title, ref.label, ref.start, ref.end, x.met, x.breached, x.compliance, s.targetPercent, rag(x.rag)];
			})
		)
	);

	if (report.phone) {
		addTable(
			workbook,
			'Phone',
			[
				{ header: 'Period', kind: 'text', width: 30 },
				{ header: 'Offered', kind: 'count' },
				{ header: 'Answered', kind: 'count' },
				{ header: 'Abandoned', kind: 'count' },
				{ header: 'Service level', kind: 'percent' },
				{ header: 'Average speed of answer (seconds)', kind: 'seconds', width: 18 },
				{ header: 'Abandonment rate', kind: 'percent' }
			],
			report.phone.lines.map((l) => [l.label, l.offered, l.answered, l.abandoned, l.serviceLevel, l.averageSpeedOfAnswer === null ? null : Math.round(l.averageSpeedOfAnswer * 10) / 10, l.abandonmentRate])
		);
	}

	// Indicators mix units: a count stays a count; a percentage is stored as a fraction shown with %.
	addTable(
		workbook,
		'Indicators',
		[
			{ header: 'Ref', kind: 'text', width: 16 },
			{ header: 'Indicator', kind: 'text', width: 50 },
			{ header: 'Unit', kind: 'text', width: 10 },
			{ header: 'Last year', kind: 'score' },
			{ header: 'Target', kind: 'score' },
			...([1, 2, 3, 4] as const).map((n) => ({ header: `Q${n}`, kind: 'score' as const })),
			{ header: 'Year to date', kind: 'score' },
			{ header: 'RAG', kind: 'text', width: 14 },
			{ header: 'Direction', kind: 'text', width: 12 }
		],
		report.indicators.rows.map((r) => {
			const v = (x: number | null) => (x === null ? null : r.unit === 'percent' ? x / 100 : x);
			return [r.ref, r.description, r.unit, v(r.lastYearActual), v(r.target), ...([1, 2, 3, 4] as const).map((n) => v(r.quarters.find((x) => x.quarter === n)?.actual ?? null)), v(r.yearToDate), rag(r.rag), r.direction];
		})
	);
	const indicatorSheet = workbook.getWorksheet('Indicators')!;
	report.indicators.rows.forEach((r, i) => {
		for (let column = 4; column <= 10; column++) indicatorSheet.getCell(i + 2, column).numFmt = r.unit === 'percent' ? '0.0%' : '#,##0';
	});

	addTable(
		workbook,
		'Duties',
		[
			{ header: 'Code', kind: 'text', width: 22 },
			{ header: 'Duty', kind: 'text', width: 36 },
			{ header: 'Occurrence', kind: 'text', width: 36 },
			{ header: 'Due', kind: 'date', width: 12 },
			{ header: 'Done', kind: 'date', width: 12 },
			{ header: 'Result', kind: 'text', width: 12 }
		],
		report.duties.rows.map((d) => [d.code, d.title, occurrence(d.occurrence), d.dueOn, d.doneOn, d.status])
	);

	addTable(
		workbook,
		'Risks',
		[
			{ header: 'Ref', kind: 'text', width: 10 },
			{ header: 'Risk', kind: 'text', width: 36 },
			{ header: 'Owner', kind: 'text', width: 26 },
			{ header: 'Controls', kind: 'text', width: 50 },
			...(['Inherent', 'Residual', 'Target'] as const).flatMap((w) => [
				{ header: `${w} likelihood`, kind: 'score' as const },
				{ header: `${w} impact`, kind: 'score' as const },
				{ header: `${w} score`, kind: 'score' as const }
			]),
			{ header: 'Band', kind: 'text', width: 12 },
			{ header: 'Direction', kind: 'text', width: 12 },
			{ header: 'Last reviewed', kind: 'date', width: 14 }
		],
		report.risks.register.map((r) => [
			r.ref,
			r.title,
			r.owner,
			r.controls,
			r.inherent.likelihood,
			r.inherent.impact,
			r.inherent.score,
			r.residual.likelihood,
			r.residual.impact,
			r.residual.score,
			r.target.likelihood,
			r.target.impact,
			r.target.score,
			r.band,
			r.direction,
			r.lastReviewedOn
		])
	);

	addTable(
		workbook,
		'Commentary',
		[
			{ header: 'Indicator', kind: 'text', width: 40 },
			{ header: 'Quarter', kind: 'text', width: 14 },
			{ header: 'Comment', kind: 'text', width: 80 },
			...(report.kind === 'board' ? [{ header: 'Author', kind: 'text' as const, width: 24 }] : []),
			{ header: 'Written', kind: 'datetime', width: 18 }
		],
		report.commentary.map((c) => [indicatorName(c.indicator), `Q${c.quarter} ${report.financialYear.label}`, c.body, ...(report.kind === 'board' ? [c.author] : []), c.at])
	);

	return Buffer.from(await workbook.xlsx.writeBuffer());
}
