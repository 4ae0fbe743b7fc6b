import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseHandle } from '../lib/server/db/client.ts';
import * as audit from '../lib/server/audit/record.ts';
import * as reports from '../lib/server/reports/index.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

export const reportOptions = {
	quarter: { type: 'string' as const },
	committee: { type: 'boolean' as const },
	organisation: { type: 'string' as const },
	pdf: { type: 'string' as const },
	xlsx: { type: 'string' as const },
	csv: { type: 'string' as const },
	html: { type: 'string' as const },
	live: { type: 'boolean' as const },
	publish: { type: 'boolean' as const },
	json: { type: 'boolean' as const }
};

export interface ReportInput {
	key: reports.ReportKey;
	outputs: { pdf?: string; xlsx?: string; csv?: string; html?: string };
	live: boolean;
	publish: boolean;
	json: boolean;
}

const USAGE = 'yardstick report --quarter 2025/26-Q2 [--committee] [--organisation CODE] [--pdf FILE] [--xlsx FILE] [--csv FILE] [--html FILE] [--live] [--publish] [--json]';

/** Reads the options; a string is the message for a person (the command then exits 1). */
export function parseReportInput(values: Values, positionals: string[]): ReportInput | string {
	if (positionals.length) return `report takes no file names without an option, not '${positionals.join(' ')}': use --pdf, --xlsx or --csv. Usage: ${USAGE}`;
	if (typeof values.quarter !== 'string' || !values.quarter.trim()) return `report needs --quarter, like --quarter 2025/26-Q2. Usage: ${USAGE}`;
	let quarter: ReturnType<typeof reports.parseReportQuarter>;
	try {
		quarter = reports.parseReportQuarter(values.quarter.trim());
	} catch (error) {
		return (error as Error).message;
	}
	const key: reports.ReportKey = {
		organisation: typeof values.organisation === 'string' ? values.organisation.trim() : '',
		kind: values.committee ? 'committee' : 'board',
		...quarter
	};
	try {
		reports.checkRequest(key);
	} catch (error) {
		return (error as Error).message;
	}
	const outputs: ReportInput['outputs'] = {};
	for (const format of ['pdf', 'xlsx', 'csv', 'html'] as const) {
		const value = values[format];
		if (value === undefined) continue;
		if (typeof value !== 'string' || !value.trim()) return `--${format} needs a file name, like --${format} report.${format}`;
		outputs[format] = path.resolve(value);
	}
	if (values.publish && values.live) return '--publish stores the report built from the data now; it cannot be combined with --live';
	return { key, outputs, live: values.live === true, publish: values.publish === true, json: values.json === true };
}

/**
 * `yardstick report`: the board report (or, with --committee, the committee report) for a
 * quarter, written as PDF, XLSX, CSV and/or HTML. A published report is written as published
 * (its frozen snapshot) unless --live; --publish publishes the report built now first.
 */
export async function runReport(handle: DatabaseHandle, input: ReportInput): Promise<number> {
	const db = handle.db;
	if (!input.key.organisation) {
		const chosen = await reports.defaultOrganisation(db);
		if (!chosen) {
			const codes = await reports.organisationCodes(db);
			console.error(`yardstick report: choose the organisation with --organisation (${codes.join(' or ') || 'none found: seed or import data first'})`);
			return 1;
		}
		input.key.organisation = chosen;
	}
	try {
		if (input.publish) {
			const report = await reports.build(db, input.key);
			const published = await reports.publish(db, report, audit.systemActor('cli'));
			console.log(`Published ${published.title} (${input.key.organisation}) as version ${published.version}, content hash ${published.contentHash}.`);
		}
		const started = performance.now();
		const view = await reports.view(db, input.key, { live: input.live, compare: !input.json });
		if (!view) throw new reports.ReportRequestError('That published version does not exist');
		const { report, status } = view;
		const written: { format: string; file: string; bytes: number; seconds: number }[] = [];
		const write = async (format: string, file: string | undefined, render: () => Promise<Buffer | string> | Buffer | string) => {
			if (!file) return;
			const t = performance.now();
			const content = await render();
			writeFileSync(file, content);
			written.push({ format, file, bytes: Buffer.byteLength(content), seconds: (performance.now() - t) / 1000 });
		};
		await write('pdf', input.outputs.pdf, () => reports.renderPdf(report, status, status.version !== null ? reports.pdfStore(db) : undefined));
		await write('xlsx', input.outputs.xlsx, () => reports.reportXlsx(report, status));
		await write('csv', input.outputs.csv, () => reports.reportCsv(report));
		await write('html', input.outputs.html, () => reports.printDocument(report, status));
		const seconds = (performance.now() - started) / 1000;

		if (input.json) {
			console.log(JSON.stringify({ report, status, files: written }));
			return 0;
		}
		console.log(`${report.title} – ${report.organisation.name}`);
		console.log(status.version === null ? 'Draft: not published (figures from the data now).' : `Published version ${status.version} (${status.publishedAt}); content hash ${status.contentHash}.`);
		for (const sentence of report.summary.sentences) console.log(`  ${sentence}`);
		for (const gap of report.gaps) console.log(`  Not included: ${gap}`);
		if (view.changes?.length) console.log(`${view.changes.length} figures differ in the data now; run with --live to see the report as it would be today.`);
		for (const file of written) console.log(`Wrote ${file.file} (${file.format.toUpperCase()}, ${file.bytes.toLocaleString('en-GB')} bytes, ${file.seconds.toFixed(1)} s).`);
		if (!written.length) console.log('No file asked for: add --pdf, --xlsx, --csv or --html.');
		else console.log(`Done in ${seconds.toFixed(1)} s.`);
		return 0;
	} catch (error) {
		if (error instanceof reports.ReportRequestError || error instanceof reports.PdfUnavailableError) {
			console.error(`yardstick report: ${error.message}`);
			return 1;
		}
		throw error;
	} finally {
		await reports.closePdfPrinter();
	}
}
