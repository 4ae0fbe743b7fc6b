/**
 * The report as CSV: every figure on its own row (section, reference, name, period, measure,
 * value, unit), so it can be filtered and pivoted. UTF-8 with a BOM and CRLF, as Excel expects;
 * text cells pass through neutralise() so none runs as a formula.
 */
import { stringify } from 'csv-stringify/sync';
import { periodName } from '../../engine/reporting-period.ts';
import { neutralise } from '../spreadsheet.ts';
import { figures } from './figures.ts';
import type { Report } from './model.ts';

export const CSV_HEADER = ['section', 'reference', 'name', 'period', 'measure', 'value', 'unit'] as const;

export function reportCsv(report: Report): string {
	const records = figures(report).map((f) => [
		f.section,
		neutralise(f.ref),
		neutralise(f.name),
		// The period's own name, even while it is under way: scripts and Power BI key their rows by it.
		neutralise(periodName(f.period)),
		f.measure,
		f.value === null ? '' : typeof f.value === 'number' ? String(Math.round(f.value * 1e6) / 1e6) : neutralise(f.value),
		f.unit
	]);
	return stringify([CSV_HEADER.map(neutralise), ...records], { bom: true, record_delimiter: 'windows' });
}
