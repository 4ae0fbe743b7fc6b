/**
 * Imports through the /import page: an upload is saved to a temporary file and previewed (nothing
 * written), then, once confirmed, imported in this server process while the page follows its
 * progress. Each is known by an unguessable token and belongs to the person who uploaded it (to
 * anyone else the token does not exist), and imports within their case scope (ingest/within.ts);
 * the state lives in memory (one server process), the batch and its rejected rows in the database. Temporary files are removed when
 * the import ends, when the upload is cancelled, or an hour after it was left unconfirmed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { FieldError } from '../../forms.ts';
import { can, caseScope, type Viewer } from '../auth/access.ts';
import type { Database } from '../db/client.ts';
import * as assessments from '../assessments/index.ts';
import * as ingest from './index.ts';
import type { ElectoralKind } from './electoral-columns.ts';
import type { Mapping } from './mappings.ts';
import { clip } from './rows.ts';
import { loadCodes } from './codes.ts';
import * as sources from './sources.ts';
import * as uploads from './uploads.ts';
import * as alerts from '../alerts/schedule.ts';

export interface ImportSummary extends ingest.Counts {
	batchId: number;
	skippedReasons: ingest.SkippedReasons;
	kind: ingest.ImportKind;
	source: string;
	/** The first rejections, for the page; the CSV has them all. */
	errors: { row: number; reason: string }[];
	scoringFailure?: string;
	/** Of the contacts stored or changed, those no standard scores, by organisation, service and type. */
	unscored: assessments.Unscored[];
	/** An electoral file's rows stored that deserve a second look. */
	warnings?: { row: number; reason: string }[];
}

/** What the page shows about one upload: plain data, no paths. */
export interface ImportView {
	token: string;
	filename: string;
	bytes: number;
	/** The kind chosen on the form; null when it was left to detection. */
	chosenKind: ingest.ImportKind | null;
	/** The saved import mapping the file is read through, and the organisation it is scoped to. */
	mapping: string | null;
	organisation: string | null;
	preview: ingest.Preview;
	state: 'previewed' | 'running' | 'done' | 'failed';
	progress: ingest.ImportProgress | null;
	summary: ImportSummary | null;
	/** Why the import stopped (nothing was stored). */
	failure: string | null;
	batchId: number | null;
}

interface Entry extends ImportView {
	/** Who uploaded it: nobody else may see, confirm, cancel or follow it (as if it did not exist). */
	uploaderId: string | null;
	file: uploads.SavedFile;
	listeners: Set<(view: ImportView) => void>;
	expiry?: NodeJS.Timeout;
}

export const PREVIEW_ROWS = 10;
const LISTED_ERRORS = 20;
const KEEP_FOR_MS = 60 * 60 * 1000;

// Kept on globalThis so a dev-server reload keeps the imports under way.
const entries: Map<string, Entry> = ((globalThis as { __yardstickImports?: Map<string, Entry> }).__yardstickImports ??= new Map());
process.once('exit', () => {
	for (const entry of entries.values()) uploads.discardNow(entry.file);
});

const optional = z
	.string()
	.trim()
	.max(100)
	.optional()
	.transform((value) => value || undefined);
const formSchema = z.object({
	kind: z.enum(['detect', ...ingest.importKinds], { error: 'Select what kind of file it is' }).default('detect'),
	mapping: optional,
	organisation: optional
});

export type FieldErrors = FieldError[];

/**
 * Saves an uploaded file and previews it. A file that cannot be imported at all (none, empty,
 * not text, a required column missing) is discarded and answered with the reasons.
 */
export async function receive(
	db: Database,
	request: Request,
	viewer: Viewer | null = null
): Promise<{ token: string } | { errors: FieldErrors; kind?: string; mapping?: string; organisation?: string; mappable?: string }> {
	let upload: uploads.Upload;
	try {
		upload = await uploads.receive(request);
	} catch (error) {
		if (error instanceof uploads.UploadError) return { errors: [{ field: 'file', message: error.message }] };
		throw error;
	}
	const { file } = upload;
	const form = formSchema.safeParse(upload.fields);
	const errors: FieldErrors = [];
	if (!file || (file.filename === '' && file.bytes === 0)) errors.push({ field: 'file', message: 'Select a file to import' });
	else if (file.bytes === 0) errors.push({ field: 'file', message: `The file ${file.filename} is empty` });
	if (!form.success) errors.push({ field: 'kind-detect', message: 'Select what kind of file it is' });
	if (errors.length > 0 || !file || !form.success) {
		if (file) await uploads.discard(file);
		return { errors, kind: upload.fields.kind, mapping: upload.fields.mapping, organisation: upload.fields.organisation };
	}

	const chosenKind = form.data.kind === 'detect' ? null : form.data.kind;
	const { mapping, organisation } = form.data;
	let preview: ingest.Preview;
	try {
		preview = await ingest.preview(db, file.path, { kind: chosenKind ?? undefined, rows: PREVIEW_ROWS, mapping, organisation });
	} catch (error) {
		await uploads.discard(file);
		if (error instanceof sources.SourceError) {
			return { errors: [{ field: /mapping/.test(error.message) ? 'mapping' : 'organisation', message: capitalise(error.message) }], kind: form.data.kind, mapping, organisation };
		}
		throw error;
	}
	const mayMap = preview.kind === 'contacts' && preview.header.length > 0 && can(viewer, 'manage');
	if (preview.failure && !mayMap) {
		await uploads.discard(file);
		return { errors: [{ field: 'file', message: `The file ${file.filename} cannot be imported: ${preview.failure}` }], kind: form.data.kind, mapping, organisation };
	}
	const token = randomBytes(16).toString('base64url');
	const entry: Entry = {
		token,
		filename: file.filename,
		bytes: file.bytes,
		chosenKind,
		mapping: mapping ?? null,
		organisation: organisation ?? null,
		preview,
		state: 'previewed',
		progress: null,
		summary: null,
		failure: null,
		batchId: null,
		uploaderId: viewer?.id ?? null,
		file,
		listeners: new Set()
	};
	entries.set(token, entry);
	expireLater(entry);
	// A contact log whose columns are not ours: refused as it is, but a manager can make a mapping from it.
	if (preview.failure) return { errors: [{ field: 'file', message: `The file ${file.filename} cannot be imported: ${preview.failure}` }], kind: form.data.kind, mapping, organisation, mappable: token };
	return { token };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The upload's first rows read through a mapping not saved yet ("Try it"); changes nothing. */
export async function tryMapping(db: Database, token: string, viewer: Viewer, mapping: Mapping): Promise<ingest.Preview | undefined> {
	const entry = entryOf(token, viewer);
	if (!entry || entry.state !== 'previewed') return undefined;
	return ingest.preview(db, entry.file.path, { kind: 'contacts', rows: PREVIEW_ROWS, mapping, organisation: entry.organisation ?? undefined });
}

/** Reads the upload through a saved mapping from now on (its preview again, and the import). */
export async function useMapping(db: Database, token: string, viewer: Viewer, name: string): Promise<ImportView | undefined> {
	const entry = entryOf(token, viewer);
	if (!entry || entry.state !== 'previewed') return undefined;
	entry.preview = await ingest.preview(db, entry.file.path, { kind: 'contacts', rows: PREVIEW_ROWS, mapping: name, organisation: entry.organisation ?? undefined });
	entry.mapping = name;
	return view(entry);
}

export const kindNames: Record<ingest.ImportKind, string> = {
	contacts: 'a contact log',
	asterisk: 'an Asterisk queue_log',
	connect: 'an Amazon Connect export',
	canvass: 'a canvass file (ES01)',
	'register-changes': 'a register-changes file (ES02)',
	feedback: 'survey answers (customer feedback)'
};

/** The upload, if `viewer` uploaded it. */
function entryOf(token: string, viewer: Pick<Viewer, 'id'> | null): Entry | undefined {
	const entry = entries.get(token);
	return entry && viewer && entry.uploaderId === viewer.id ? entry : undefined;
}

export function find(token: string, viewer: Pick<Viewer, 'id'> | null): ImportView | undefined {
	const entry = entryOf(token, viewer);
	return entry && view(entry);
}

/**
 * Starts the import of a previewed upload and returns at once; the import runs on in this process
 * (through the same database, so one after another on PGlite). Confirming twice starts it once.
 */
export function confirm(db: Database, token: string, viewer: Viewer): ImportView | undefined {
	const entry = entryOf(token, viewer);
	if (!entry) return undefined;
	if (entry.state !== 'previewed' || entry.preview.failure) return view(entry);
	clearTimeout(entry.expiry);
	entry.state = 'running';
	entry.progress = { phase: 'reading', rows: 0, bytes: 0, totalBytes: entry.bytes };
	const notify = () => {
		const current = view(entry);
		for (const listener of entry.listeners) listener(current);
	};
	ingest
		.importFile(db, entry.file.path, {
			kind: entry.preview.kind,
			filename: entry.filename,
			mapping: entry.mapping ?? undefined,
			organisation: entry.organisation ?? undefined,
			// Recorded on the batch as who ran it (the history and the rejected rows' download use it).
			actor: viewer.email,
			within: caseScope(viewer),
			onProgress: (progress) => {
				entry.progress = progress;
				notify();
			}
		})
		.then(
			(result) => {
				const { read, accepted, updated, unchanged, skipped, skippedReasons, rejected, batchId, kind, source, scoringFailure } = result;
				entry.summary = {
					read,
					accepted,
					updated,
					unchanged,
					skipped,
					skippedReasons,
					rejected,
					batchId,
					kind,
					source,
					scoringFailure,
					errors: result.errors.slice(0, LISTED_ERRORS).map(({ row, reason }) => ({ row, reason: clip(reason, ingest.PREVIEW_LIMITS.reason) })),
					unscored: result.unscored ?? [],
					warnings: result.warnings?.slice(0, LISTED_ERRORS).map(({ row, reason }) => ({ row, reason: clip(reason, ingest.PREVIEW_LIMITS.reason) }))
				};
				entry.batchId = batchId;
				entry.state = 'done';
				void alerts.afterImport(db); // logs its own failures; never fails the import
			},
			(error: unknown) => {
				entry.state = 'failed';
				entry.failure =
					error instanceof ingest.ImportError || error instanceof sources.SourceError ? error.message : 'the import stopped and nothing was stored';
				if (error instanceof ingest.ImportError) entry.batchId = error.batchId;
				else console.error(error);
			}
		)
		.finally(async () => {
			await uploads.discard(entry.file).catch(() => {});
			notify();
			entry.listeners.clear();
			expireLater(entry);
		});
	return view(entry);
}

/** Drops an upload that was not confirmed, and its temporary file. */
export async function cancel(token: string, viewer: Viewer): Promise<boolean> {
	const entry = entryOf(token, viewer);
	if (!entry) return false;
	if (entry.state !== 'previewed') return true;
	clearTimeout(entry.expiry);
	entries.delete(token);
	await uploads.discard(entry.file);
	return true;
}

/**
 * Tells `listener` the import's state now and at each change until it ends; returns the function
 * that stops it. Undefined for an unknown token.
 */
export function follow(token: string, viewer: Viewer, listener: (view: ImportView) => void): (() => void) | undefined {
	const entry = entryOf(token, viewer);
	if (!entry) return undefined;
	listener(view(entry));
	if (entry.state !== 'running' && entry.state !== 'previewed') return () => {};
	entry.listeners.add(listener);
	return () => entry.listeners.delete(listener);
}

function view(entry: Entry): ImportView {
	const { file: _file, listeners: _listeners, expiry: _expiry, uploaderId: _uploaderId, ...rest } = entry;
	return { ...rest };
}

/** An upload left unconfirmed, or a finished import's summary, is forgotten after an hour. */
function expireLater(entry: Entry) {
	clearTimeout(entry.expiry);
	entry.expiry = setTimeout(() => {
		if (entry.state === 'running') return;
		entries.delete(entry.token);
		uploads.discard(entry.file).catch(() => {});
	}, KEEP_FOR_MS);
	entry.expiry.unref();
}

/** The most records one API request may carry; send more in several requests. */
export const MAX_API_RECORDS = 10_000;

const apiQuery = z.object({
	source: z
		.string()
		.trim()
		.min(1, 'source must not be empty')
		.max(100, 'source must be at most 100 characters')
		.nullable()
		.transform((source) => source ?? 'api'),
	mapping: z.string().trim().max(100).nullable().transform((value) => value || undefined),
	organisation: z.string().trim().max(100).nullable().transform((value) => value || undefined)
});
const apiBody = z
	.array(z.unknown(), { error: 'The body must be a JSON array of contact records (objects with the contact log’s column names)' })
	.max(MAX_API_RECORDS, `Send at most ${MAX_API_RECORDS.toLocaleString('en-GB')} records per request (split the rest into further requests)`);

/** The JSON API's import (POST /api/v1/contacts): the CLI's --json answer, or a 4xx message. */
export async function receiveRecords(
	db: Database,
	request: Request,
	/** organisationId: the API key's organisation, whose contacts alone it may import (null: any). */
	options: { source: string | null; mapping?: string | null; organisation?: string | null; actor: string; organisationId?: number | null }
): Promise<{ status: number; body: object }> {
	const query = apiQuery.safeParse({ source: options.source, mapping: options.mapping ?? null, organisation: options.organisation ?? null });
	if (!query.success) return { status: 400, body: { message: query.error.issues[0]!.message } };
	let parsed: unknown;
	try {
		parsed = await request.json();
	} catch (error) {
		if ((error as { status?: number }).status === 413) return { status: 413, body: { message: 'The body is larger than this server accepts (its BODY_SIZE_LIMIT)' } };
		return { status: 400, body: { message: 'The body is not valid JSON: send a JSON array of contact records' } };
	}
	const records = apiBody.safeParse(parsed);
	if (!records.success) return { status: 400, body: { message: records.error.issues[0]!.message } };
	try {
		const { source, mapping, organisation } = query.data;
		// A mapping names the source unless ?source= says otherwise.
		const result = await ingest.importRecords(db, records.data, {
			source: options.source === null && mapping ? mapping : source,
			mapping,
			organisation,
			actor: options.actor,
			onlyOrganisationId: options.organisationId ?? null
		});
		void alerts.afterImport(db); // logs its own failures; never fails the import
		const { read, accepted, updated, unchanged, skipped, skippedReasons, rejected, errors } = result;
		return { status: 200, body: { read, accepted, updated, unchanged, skipped, rejected, skippedReasons, errors: errors.map(({ row, reason }) => ({ row, reason })) } };
	} catch (error) {
		// An unknown mapping or organisation, or one the key may not import for: refused before anything is stored.
		if (error instanceof sources.SourceError) return { status: 400, body: { message: capitalise(error.message) } };
		if (!(error instanceof ingest.ImportError)) throw error;
		return { status: 500, body: { message: error.message } };
	}
}

/**
 * The JSON API's electoral imports (POST /api/v1/canvass, POST /api/v1/register-changes): the body
 * is the file itself (text/csv) or a JSON array of records with the file's column names; it is
 * imported as the CLI imports a file, and answered with the CLI's --json object (with its
 * warnings). A key bound to an organisation imports for that organisation only.
 */
export async function receiveElectoral(
	db: Database,
	request: Request,
	kind: ElectoralKind,
	options: { mapping?: string | null; organisation?: string | null; source?: string | null; actor: string; organisationCode?: string | null }
): Promise<{ status: number; body: object }> {
	const query = apiQuery.safeParse({ source: options.source ?? null, mapping: options.mapping ?? null, organisation: options.organisation ?? null });
	if (!query.success) return { status: 400, body: { message: query.error.issues[0]!.message } };
	const { mapping, organisation } = query.data;
	const own = options.organisationCode ?? null;
	if (own !== null && organisation !== undefined && organisation.toLowerCase() !== own) {
		return { status: 400, body: { message: `This API key imports for '${own}' only, not '${organisation}'` } };
	}
	let text: string;
	try {
		if (/json/i.test(request.headers.get('content-type') ?? '')) {
			const records = apiBody.safeParse(await request.json());
			if (!records.success) return { status: 400, body: { message: records.error.issues[0]!.message.replace('contact records (objects with the contact log’s column names)', `${kind} records (objects with the ${kind} file’s column names)`) } };
			const objects = records.data.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object' && !Array.isArray(r));
			if (objects.length !== records.data.length) return { status: 400, body: { message: `Each record must be an object of the ${kind} file’s column names and values` } };
			const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
			const cell = (value: unknown) => {
				const written = value === null || value === undefined ? '' : String(value);
				return /[",\r\n]/.test(written) ? `"${written.replaceAll('"', '""')}"` : written;
			};
			text = [columns.map(cell).join(','), ...objects.map((o) => columns.map((c) => cell(o[c])).join(','))].join('\r\n') + '\r\n';
		} else text = await request.text();
	} catch (error) {
		if ((error as { status?: number }).status === 413) return { status: 413, body: { message: 'The body is larger than this server accepts (its BODY_SIZE_LIMIT)' } };
		return { status: 400, body: { message: `The body is neither CSV nor a JSON array of ${kind} records` } };
	}
	if (text.trim() === '') return { status: 400, body: { message: `The body is empty: send the ${kind} file (text/csv) or a JSON array of its records` } };
	const dir = await mkdtemp(join(tmpdir(), 'yardstick-api-'));
	const path = join(dir, `${kind}.csv`);
	try {
		await writeFile(path, text, 'utf8');
		const result = await ingest.importFile(db, path, { kind, mapping, organisation: organisation ?? own ?? undefined, source: options.source === null || options.source === undefined ? (mapping ?? 'api') : query.data.source, filename: `${kind} (API)`, actor: options.actor });
		const { read, accepted, updated, unchanged, skipped, rejected, skippedReasons, errors } = result;
		// The contact API's answer (read = accepted + updated + unchanged + skipped + rejected), with the warnings after the errors.
		return { status: 200, body: { read, accepted, updated, unchanged, skipped, rejected, skippedReasons, errors: errors.map(({ row, reason }) => ({ row, reason })), warnings: (result.warnings ?? []).map(({ row, reason }) => ({ row, reason })) } };
	} catch (error) {
		if (error instanceof sources.SourceError) return { status: 400, body: { message: capitalise(error.message) } };
		if (error instanceof ingest.ImportError) return { status: error.row === 1 ? 400 : 500, body: { message: capitalise(error.message) } };
		throw error;
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** The code of an API key's organisation (null: the key imports for any). */
export async function organisationCodeOf(db: Database, organisationId: number | null): Promise<string | null> {
	if (organisationId === null) return null;
	const codes = await loadCodes(db);
	return [...codes.organisations.values()].find((o) => o.id === organisationId)?.code ?? null;
}

export interface PastImport {
	id: number;
	filename: string | null;
	kind: string;
	source: string;
	by: string | null;
	status: 'running' | 'done' | 'failed' | 'removed';
	failure: string | null;
	startedAt: string;
	counts: ingest.Counts;
}

/**
 * Whether the viewer may see a batch and its rejected rows (which hold the file's own columns):
 * the person who ran it, or a manager or admin, who see every import from every door.
 */
export function mayReadBatch(viewer: Viewer | null, batch: Pick<ingest.Batch, 'createdBy'>): boolean {
	return !!viewer && (can(viewer, 'manage') || batch.createdBy === viewer.email);
}

/** The latest imports the viewer may see, through any door (page, CLI, API), for the import page's history. */
export async function recent(db: Database, viewer: Viewer, limit = 15): Promise<PastImport[]> {
	const batches = await ingest.recentBatches(db, limit, can(viewer, 'manage') ? null : viewer.email);
	return batches.map((batch) => ({
		id: batch.id,
		filename: batch.filename,
		kind: batch.kind,
		source: batch.source,
		by: batch.createdBy,
		status: batch.status,
		failure: batch.failure,
		startedAt: batch.startedAt.toISOString(),
		counts: ingest.countsOf(batch)
	}));
}
