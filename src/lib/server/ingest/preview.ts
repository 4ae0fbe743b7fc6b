import type { Database } from '../db/client.ts';
import { loadCodes, type Codes } from './codes.ts';
import { contactLogColumns, type ContactLogScope } from './contact-log.ts';
import { HeaderError, mapColumns } from './columns.ts';
import { FileError, inspectFile, readText, type Encoding, type FileFacts } from './file.ts';
import { ElectoralFileError, runElectoral } from './electoral-import.ts';
import { FeedbackFileError, runFeedback } from './feedback-import.ts';
import { grainNames, type ElectoralRecord } from './electoral.ts';
import { detectKind, isElectoralKind, readRows, type ContactKind, type ImportKind } from './formats.ts';
import type { Counts } from './batches.ts';
import { renameHeader, type Mapping } from './mappings.ts';
import { scopeOf } from './pipeline.ts';
import type { QueueMap } from './queues.ts';
import { clip, statusOf } from './rows.ts';
import * as sources from './sources.ts';

export interface Preview {
	kind: ImportKind;
	encoding: Encoding;
	bom: boolean;
	bytes: number;
	/** The file's header and, for the contact log, which column each known column was found in (through the mapping, if any). */
	header: string[];
	mapping: { column: string; header: string | null; fixed: string | null; required: boolean }[];
	/** The first rows as they would be stored (codes, not ids), and the problems among them. */
	rows: { row: number; reference: string; type: string; received: string; status: string }[];
	errors: { row: number; reason: string }[];
	/** Rows among the first that are not contacts to measure (chat, outbound, never queued): they will be skipped, not stored. */
	skipped: { row: number; reason: string }[];
	/** The file cannot be imported at all (not text, empty, a required column missing). */
	failure?: string;
	/** Read through a mapping: its name, and how many of the previewed rows it saves (refused without it, accepted with it). */
	through?: { name: string; fixes: number };
	/** Something was too long to show whole (PREVIEW_LIMITS): cut short with an ellipsis, the page says so. The import reads it whole. */
	clipped?: boolean;
	/** Rows that would be stored but deserve a second look. */
	warnings?: { row: number; reason: string }[];
	/**
	 * An electoral data file: the whole file read and checked against what is stored (then rolled
	 * back), so the counts and every rejection are what the import would do.
	 */
	electoral?: { grain: string; counts: Counts; columns: string[]; rows: { row: number; cells: string[] }[] };
}

/**
 * What a preview shows at most, so a file of one 50 MB line makes a page of kilobytes: the first
 * columns of the header, each value and reason cut to a length (README "Limits").
 */
export const PREVIEW_LIMITS = { columns: 200, cell: 200, reason: 1000 } as const;

export interface PreviewOptions {
	kind?: ImportKind;
	queues?: QueueMap;
	rows?: number;
	/** A saved mapping by name, or one being made (not saved yet). */
	mapping?: string | Mapping;
	organisation?: string;
}

/**
 * What an import of this file would do with its first rows; writes nothing. Through a mapping,
 * the same rows are also read without it, to count the rows the mapping fixes.
 */
export async function preview(db: Database, path: string, options: PreviewOptions = {}): Promise<Preview> {
	const limit = options.rows ?? 10;
	let facts: FileFacts;
	try {
		facts = await inspectFile(path);
	} catch (error) {
		if (!(error instanceof FileError)) throw error;
		return { kind: options.kind ?? 'contacts', encoding: 'utf-8', bom: false, bytes: 0, header: [], mapping: [], rows: [], errors: [], skipped: [], failure: error.message };
	}
	const detected = options.kind ?? detectKind(facts.head);
	const codes = await loadCodes(db);
	const scope = await scopeOf(db, codes, options);
	if (isElectoralKind(detected)) {
		const result: Preview = { kind: detected, encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, header: [], mapping: [], rows: [], errors: [], skipped: [], warnings: [] };
		try {
			const outcome = await runElectoral(db, { path, facts, filename: path, kind: detected, source: detected, codes, scope }, true);
			const { read, accepted, updated, unchanged, rejected } = outcome;
			result.header = outcome.header;
			result.errors = outcome.rejections.slice(0, 1000).map(({ row, reason }) => ({ row, reason }));
			result.warnings = outcome.warnings.slice(0, 1000);
			const shown = electoralCells(outcome.sample.slice(0, limit));
			result.electoral = { grain: outcome.grain ? grainNames[outcome.grain] : detected, counts: { read, accepted, updated, unchanged, skipped: 0, rejected }, ...shown };
		} catch (error) {
			if (!(error instanceof ElectoralFileError)) throw error;
			result.failure = error.message;
		}
		return result;
	}
	if (detected === 'feedback') {
		const result: Preview = { kind: detected, encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, header: [], mapping: [], rows: [], errors: [], skipped: [], warnings: [] };
		try {
			const outcome = await runFeedback(db, { path, facts, filename: path, source: scope.mapping?.name ?? 'survey', codes, scope: { mapping: scope.mapping ?? null, organisation: scope.organisation ?? null } }, true);
			const { read, accepted, updated, unchanged, rejected } = outcome;
			result.header = outcome.header;
			result.errors = outcome.rejections.slice(0, 1000).map(({ row, reason }) => ({ row, reason }));
			// Shown as the electoral files' previews are: counts and the first answers (no free text).
			result.electoral = {
				grain: 'survey answers, one row per answer',
				counts: { read, accepted, updated, unchanged, skipped: 0, rejected },
				columns: ['reference', 'given', 'kind', 'satisfaction', 'resolved'],
				rows: outcome.sample.slice(0, limit).map((r) => ({ row: r.row, cells: [r.reference, r.givenOn, r.kind, r.satisfaction === null ? '' : String(r.satisfaction), r.resolved === null ? '' : r.resolved ? 'yes' : 'no'] }))
			};
		} catch (error) {
			if (!(error instanceof FeedbackFileError)) throw error;
			result.failure = error.message;
		}
		return result;
	}
	const kind: ContactKind = detected;
	const queues = options.queues ?? (kind === 'contacts' ? {} : await sources.queueMap(db, options.organisation));
	const result: Preview = { kind, encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, header: [], mapping: [], rows: [], errors: [], skipped: [] };
	Object.assign(result, await pass(path, facts, kind, codes, queues, scope, limit, true));
	if (scope.mapping && kind === 'contacts') {
		const without = await pass(path, facts, kind, codes, queues, { ...scope, mapping: null }, limit, false);
		const acceptedWithout = new Set(without.failure ? [] : without.rows.map((r) => r.row));
		result.through = { name: scope.mapping.name, fixes: result.rows.filter((r) => !acceptedWithout.has(r.row)).length };
	}
	return bounded(result);
}

/** The preview within PREVIEW_LIMITS, marked `clipped` when anything was cut. */
function bounded(preview: Preview): Preview {
	let clipped = preview.header.length > PREVIEW_LIMITS.columns;
	const cut = (text: string, max: number) => {
		const shown = clip(text, max);
		if (shown !== text) clipped = true;
		return shown;
	};
	const cell = (text: string) => cut(text, PREVIEW_LIMITS.cell);
	const result: Preview = {
		...preview,
		header: preview.header.slice(0, PREVIEW_LIMITS.columns).map(cell),
		mapping: preview.mapping.map((m) => ({ ...m, header: m.header === null ? null : cell(m.header), fixed: m.fixed === null ? null : cell(m.fixed) })),
		rows: preview.rows.map((r) => ({ ...r, reference: cell(r.reference), type: cell(r.type) })),
		errors: preview.errors.map((e) => ({ row: e.row, reason: cut(e.reason, PREVIEW_LIMITS.reason) })),
		...(preview.failure === undefined ? {} : { failure: cut(preview.failure, PREVIEW_LIMITS.reason) })
	};
	return clipped ? { ...result, clipped } : result;
}

/** One read of the first `limit` rows through `scope`. */
async function pass(
	path: string,
	facts: FileFacts,
	kind: ContactKind,
	codes: Codes,
	queues: QueueMap,
	scope: ContactLogScope,
	limit: number,
	describe: boolean
): Promise<Pick<Preview, 'header' | 'mapping' | 'rows' | 'errors' | 'skipped' | 'failure'>> {
	const result: Pick<Preview, 'header' | 'mapping' | 'rows' | 'errors' | 'skipped' | 'failure'> = { header: [], mapping: [], rows: [], errors: [], skipped: [] };
	const text = readText(path, facts.encoding, undefined, facts.gzip);
	try {
		const onHeader = (header: string[]) => {
			result.header = header;
			if (kind !== 'contacts' || !describe) return;
			// Missing required columns are the reader's to report; this only shows what matched.
			const { index } = mapColumns(renameHeader(scope.mapping, header), contactLogColumns.map((c) => ({ ...c, required: false })));
			const fixed: Partial<Record<string, string>> = { ...scope.mapping?.fixed, ...(scope.organisation ? { organisation: scope.organisation } : {}) };
			result.mapping = contactLogColumns.map((c) => ({
				column: c.name,
				header: index[c.name] === undefined ? null : header[index[c.name]!]!,
				fixed: fixed[c.name] ?? null,
				required: c.required
			}));
		};
		for await (const item of readRows(kind, text, { codes, queues, head: facts.head, onHeader, ...scope })) {
			if ('rejection' in item) result.errors.push({ row: item.rejection.row, reason: item.rejection.reason });
			else if ('skipped' in item) result.skipped.push(item.skipped);
			else {
				const c = item.contact;
				result.rows.push({ row: c.row, reference: c.externalRef, type: c.contactType, received: new Date(c.receivedAt).toISOString(), status: statusOf(c) });
			}
			if (result.rows.length + result.errors.length + result.skipped.length >= limit) break;
		}
	} catch (error) {
		if (!(error instanceof HeaderError)) throw error;
		result.failure = error.message;
	} finally {
		text.destroy();
	}
	return result;
}

/** The first records as they would be stored, in the layout's own column names. */
function electoralCells(records: ElectoralRecord[]): { columns: string[]; rows: { row: number; cells: string[] }[] } {
	const first = records[0];
	if (!first) return { columns: [], rows: [] };
	const pick = (r: ElectoralRecord): [string, string][] => {
		switch (r.grain) {
			case 'canvass-property':
				return [['canvass', String(r.canvassYear)], ['property', r.propertyRef], ['route', String(r.route)], ['responded', r.respondedOn ?? '']];
			case 'canvass-summary':
				return [['canvass', String(r.canvassYear)], ['route', String(r.route)], ['properties', String(r.properties)], ['responses', String(r.responses)], ['as_of', r.asOf ?? 'final']];
			case 'register-change':
				return [['change', r.changeRef], ['kind', r.kind], ['determined', r.determinedOn], ['notice', r.noticeOn ?? '']];
			case 'notice-summary':
				return [['notice', r.noticeOn], ['determined_before_cutoff', String(r.determined)], ['included', String(r.included)]];
		}
	};
	return { columns: pick(first).map(([name]) => name), rows: records.map((r) => ({ row: r.row, cells: pick(r).map(([, value]) => value) })) };
}
