import type { Database } from '../db/client.ts';
import { loadCodes, type Codes } from './codes.ts';
import { contactLogColumns, type ContactLogScope } from './contact-log.ts';
import { HeaderError, mapColumns } from './columns.ts';
import { FileError, inspectFile, readText, type Encoding, type FileFacts } from './file.ts';
import { ElectoralFileError, runElectoral } from './electoral-import.ts';
import { grainNames, type ElectoralRecord } from './electoral.ts';
import { detectKind, isElectoralKind, readRows, type ContactKind, type ImportKind } from './formats.ts';
import type { Counts } from './batches.ts';
import { renameHeader, type Mapping } from './mappings.ts';
import { scopeOf } from './pipeline.ts';
import type { QueueMap } from './queues.ts';
import { statusOf } from './rows.ts';
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
	/** The file cannot be imported at all (not text, empty, a required column missing). */
	failure?: string;
	/** Read through a mapping: its name, and how many of the previewed rows it saves (refused without it, accepted with it). */
	through?: { name: string; fixes: number };
	/** Rows that would be stored but deserve a second look. */
	warnings?: { row: number; reason: string }[];
	/**
	 * An electoral data file: the whole file read and checked against what is stored (then rolled
	 * back), so the counts and every rejection are what the import would do.
	 */
	electoral?: { grain: string; counts: Counts; columns: string[]; rows: { row: number; cells: string[] }[] };
}

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
		return { kind: options.kind ?? 'contacts', encoding: 'utf-8', bom: false, bytes: 0, header: [], mapping: [], rows: [], errors: [], failure: error.message };
	}
	const detected = options.kind ?? detectKind(facts.head);
	const codes = await loadCodes(db);
	const scope = await scopeOf(db, codes, options);
	if (isElectoralKind(detected)) {
		const result: Preview = { kind: detected, encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, header: [], mapping: [], rows: [], errors: [], warnings: [] };
		try {
			const outcome = await runElectoral(db, { path, facts, filename: path, kind: detected, source: detected, codes, scope }, true);
			const { read, accepted, updated, unchanged, rejected } = outcome;
			result.header = outcome.header;
			result.errors = outcome.rejections.slice(0, 1000).map(({ row, reason }) => ({ row, reason }));
			result.warnings = outcome.warnings.slice(0, 1000);
			const shown = electoralCells(outcome.sample.slice(0, limit));
			result.electoral = { grain: outcome.grain ? grainNames[outcome.grain] : detected, counts: { read, accepted, updated, unchanged, rejected }, ...shown };
		} catch (error) {
			if (!(error instanceof ElectoralFileError)) throw error;
			result.failure = error.message;
		}
		return result;
	}
	const kind: ContactKind = detected;
	const queues = options.queues ?? (kind === 'contacts' ? {} : await sources.queueMap(db, options.organisation));
	const result: Preview = { kind, encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, header: [], mapping: [], rows: [], errors: [] };
	Object.assign(result, await pass(path, facts, kind, codes, queues, scope, limit, true));
	if (scope.mapping && kind === 'contacts') {
		const without = await pass(path, facts, kind, codes, queues, { ...scope, mapping: null }, limit, false);
		const acceptedWithout = new Set(without.failure ? [] : without.rows.map((r) => r.row));
		result.through = { name: scope.mapping.name, fixes: result.rows.filter((r) => !acceptedWithout.has(r.row)).length };
	}
	return result;
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
): Promise<Pick<Preview, 'header' | 'mapping' | 'rows' | 'errors' | 'failure'>> {
	const result: Pick<Preview, 'header' | 'mapping' | 'rows' | 'errors' | 'failure'> = { header: [], mapping: [], rows: [], errors: [] };
	const text = readText(path, facts.encoding);
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
			else {
				const c = item.contact;
				result.rows.push({ row: c.row, reference: c.externalRef, type: c.contactType, received: new Date(c.receivedAt).toISOString(), status: statusOf(c) });
			}
			if (result.rows.length + result.errors.length >= limit) break;
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
