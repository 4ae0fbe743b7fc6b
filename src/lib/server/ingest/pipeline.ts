/**
 * One import, whichever door it came through (CLI, the /import page, the JSON API):
 *
 *   batch row ('running') → read and validate, streaming → stage in batches → settle repeats →
 *   upsert → commit → score what changed → batch row ('done' with counts)
 *
 * Everything between staging and the upsert is one transaction: an import stores all its
 * accepted rows or none. A failure rolls it back and records the batch as 'failed' with the
 * reason, outside that transaction so the record survives.
 */
import { createHash } from 'node:crypto';
import * as assessments from '../assessments/index.ts';
import type { CaseScope } from '../auth/access.ts';
import { ANALYZE_AFTER_ROWS, refreshStatistics, rootError, type Database } from '../db/client.ts';
import { connectionLost } from '../db/connection-loss.ts';
import * as batches from './batches.ts';
import { loadCodes, type Codes } from './codes.ts';
import { HeaderError, normaliseHeader } from './columns.ts';
import { contactLogColumns, contactLogValidator, type ContactLogRecord, type ContactLogScope } from './contact-log.ts';
import { FileError, inspectFile, readText, type FileFacts } from './file.ts';
import { runElectoral, ElectoralFileError } from './electoral-import.ts';
import { runFeedback, FeedbackFileError } from './feedback-import.ts';
import type { Warning } from './electoral.ts';
import { detectKind, isElectoralKind, readRows, type ContactKind, type ImportKind } from './formats.ts';
import type { Mapping } from './mappings.ts';
import type { QueueMap } from './queues.ts';
import { unstorableValue, type ContactRow, type Rejection, type RowResult } from './rows.ts';
import * as sources from './sources.ts';
import { CHOSE_CALLBACK, changedContactIds, createStaging, settleLegs, settleRepeats, stager, upsert } from './staging.ts';
import { rejectOutside } from './within.ts';

export interface ImportProgress {
	phase: 'reading' | 'saving' | 'scoring' | 'done';
	/** Rows read so far. */
	rows: number;
	bytes: number;
	totalBytes: number;
}

export interface ImportOptions {
	/** Default: detected from the file's first few KB. */
	kind?: ImportKind;
	/** The system the references belong to; default the kind ('import' for the contact log). */
	source?: string;
	/** The name to record (an upload's original name); default the path's. */
	filename?: string;
	actor?: string;
	/** Asterisk / Amazon Connect queue name → organisation and service ('*' for the rest); default: the stored queue mappings. */
	queues?: QueueMap;
	/** The import mapping to read a council's own export through, by name (or, for a preview, one not saved yet). */
	mapping?: string | Mapping;
	/** Scopes the file to one organisation (by code): its queues, its rows only; a contact-log row without an organisation is its. */
	organisation?: string;
	/** The longest wait_seconds the contact log may give (default a day): a longer one is refused as a mistake. */
	maxWaitSeconds?: number;
	onProgress?: (progress: ImportProgress) => void;
	/** Scores the inserted and changed contacts after commit (default); false skips it (tests, or scoring later). */
	score?: boolean;
	/** Rows per staging statement (default 5,000). */
	batchSize?: number;
	/**
	 * The case scope of the person importing (auth/access.ts caseScope): rows outside it, and rows
	 * for contacts of teams outside it, are rejected (ingest/within.ts). Unset: the whole installation.
	 */
	within?: CaseScope;
	/** Called after each staged batch; throwing from it simulates a crash mid-import (tests). */
	afterStagedBatch?: (batches: number) => void | Promise<void>;
	/** Stops the import before it commits (the `yardstick import` process told to stop): nothing is stored. */
	signal?: AbortSignal;
}

export interface ImportResult extends batches.Counts {
	batchId: number;
	/** How many records were skipped for each reason (not contacts this import measures). */
	skippedReasons: batches.SkippedReasons;
	kind: ImportKind;
	source: string;
	/** Rejections by row (the first MAX_ERRORS; all are kept in import_rejections). */
	errors: { row: number; reason: string }[];
	/** Contacts inserted or changed, scored after commit. */
	changedIds: number[];
	file?: Pick<FileFacts, 'encoding' | 'bom' | 'bytes' | 'sha256'>;
	/** Why scoring failed after the rows were stored (`yardstick assess` catches them up). */
	scoringFailure?: string;
	/** Of the contacts this import stored or changed, those no standard scores, by organisation, service and type. */
	unscored?: assessments.Unscored[];
	/** Rows stored that deserve a second look (an electoral file: a notice dated on a day that is not a working day). */
	warnings?: Warning[];
}

/** The import could not run at all (not a text file, no header, a missing column, a database error). */
export class ImportError extends Error {
	constructor(
		message: string,
		readonly batchId: number,
		/** 1 for a header problem, 0 for the file as a whole. */
		readonly row: number,
		options?: ErrorOptions
	) {
		super(message, options);
	}
}

export const MAX_ERRORS = 10_000;
const BATCH = 5000;
const defaultSource = (kind: ImportKind) => (kind === 'contacts' ? 'import' : kind);
const mappingName = (mapping: ImportOptions['mapping']) => (typeof mapping === 'object' ? mapping.name : mapping || undefined);

/** Imports a file from disk (a CLI argument, or an upload the web server saved). */
export async function importFile(db: Database, path: string, options: ImportOptions = {}): Promise<ImportResult> {
	const filename = options.filename ?? path.split(/[\\/]/).at(-1) ?? path;
	let facts: FileFacts;
	try {
		facts = await inspectFile(path);
	} catch (error) {
		const kind = options.kind ?? 'contacts';
		const batchId = await batches.start(db, { kind, source: options.source ?? mappingName(options.mapping) ?? defaultSource(kind), filename, actor: options.actor });
		const reason = error instanceof FileError ? error.message : `the file could not be read: ${(error as Error).message}`;
		await batches.fail(db, batchId, reason);
		throw new ImportError(reason, batchId, 0, { cause: error });
	}
	const detected = options.kind ?? detectKind(facts.head);
	const codes = await loadCodes(db);
	const scope = await scopeOf(db, codes, options);
	if (isElectoralKind(detected)) {
		const source = options.source ?? mappingName(options.mapping) ?? detected;
		try {
			const outcome = await runElectoral(db, { path, facts, filename, kind: detected, source, actor: options.actor, codes, scope, onProgress: options.onProgress, batchSize: options.batchSize });
			const { read, accepted, updated, unchanged, rejected } = outcome;
			const errors = outcome.rejections.slice(0, MAX_ERRORS).map(({ row, reason }) => ({ row, reason }));
			const file = { encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, sha256: facts.sha256 };
			return { batchId: outcome.batchId!, kind: detected, source, read, accepted, updated, unchanged, skipped: 0, skippedReasons: [], rejected, errors, changedIds: [], file, warnings: outcome.warnings };
		} catch (error) {
			if (error instanceof ElectoralFileError) throw new ImportError(error.message, error.batchId ?? 0, error.row, { cause: error });
			throw error;
		}
	}
	if (detected === 'feedback') {
		const source = options.source ?? mappingName(options.mapping) ?? 'survey';
		try {
			const outcome = await runFeedback(db, { path, facts, filename, source, actor: options.actor, codes, scope: { mapping: scope.mapping ?? null, organisation: scope.organisation ?? null } });
			const { read, accepted, updated, unchanged, rejected } = outcome;
			const errors = outcome.rejections.slice(0, MAX_ERRORS).map(({ row, reason }) => ({ row, reason }));
			const file = { encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, sha256: facts.sha256 };
			return { batchId: outcome.batchId!, kind: detected, source, read, accepted, updated, unchanged, skipped: 0, skippedReasons: [], rejected, errors, changedIds: [], file, warnings: [] };
		} catch (error) {
			if (error instanceof FeedbackFileError) throw new ImportError(error.message, error.batchId ?? 0, 0, { cause: error });
			throw error;
		}
	}
	const kind: ContactKind = detected;
	const queues = options.queues ?? (kind === 'contacts' ? {} : await sources.queueMap(db, options.organisation));
	let bytes = 0;
	const text = readText(path, facts.encoding, (n) => (bytes = n), facts.gzip);
	return run(db, {
		close: () => text.destroy(),
		kind,
		options,
		filename,
		fileHash: facts.sha256,
		file: { encoding: facts.encoding, bom: facts.bom, bytes: facts.bytes, sha256: facts.sha256 },
		totalBytes: facts.bytes,
		bytesRead: () => bytes,
		rows: (onHeader) => readRows(kind, text, { codes, queues, head: facts.head, onHeader, ...scope })
	});
}

/**
 * The mapping and organisation an import was asked for, checked before anything is written:
 * an unknown name is a SourceError naming what there is.
 */
export async function scopeOf(db: Database, codes: Codes, options: Pick<ImportOptions, 'mapping' | 'organisation' | 'maxWaitSeconds'>): Promise<ContactLogScope> {
	const mapping = !options.mapping ? null : typeof options.mapping === 'string' ? await sources.mapping(db, options.mapping) : options.mapping;
	const maxWaitSeconds = options.maxWaitSeconds;
	if (options.organisation === undefined) return { mapping, organisation: null, maxWaitSeconds };
	const organisation = codes.organisations.get(options.organisation.toLowerCase());
	if (!organisation) throw new sources.SourceError(`there is no organisation '${options.organisation}' (${[...codes.organisations.keys()].sort().join(', ') || 'none yet'})`);
	return { mapping, organisation: organisation.code, maxWaitSeconds };
}

/** Imports contact-log records posted as JSON objects (keys as the CSV's columns); row n is the nth object. */
export async function importRecords(
	db: Database,
	records: readonly unknown[],
	options: Omit<ImportOptions, 'kind'> & { /** An API key's organisation: records for any other are rejected. */ onlyOrganisationId?: number | null } = {}
): Promise<ImportResult> {
	const codes = await loadCodes(db);
	const scope = await scopeOf(db, codes, options);
	const only = options.onlyOrganisationId ?? null;
	if (only !== null && scope.organisation !== null && codes.organisations.get(scope.organisation)?.id !== only) {
		const own = [...codes.organisations.values()].find((o) => o.id === only)?.code;
		throw new sources.SourceError(`this API key imports for ${own ? `'${own}'` : 'one organisation'} only, not '${scope.organisation}'`);
	}
	const fileHash = createHash('sha256').update(JSON.stringify(records)).digest('hex');
	return run(db, {
		kind: 'contacts',
		options: { ...options, source: options.source ?? 'api' },
		filename: options.filename ?? null,
		fileHash,
		totalBytes: 0,
		bytesRead: () => 0,
		rows: () => recordRows(codes, records, scope, options.onlyOrganisationId ?? null)
	});
}

async function* recordRows(codes: Codes, records: readonly unknown[], scope: ContactLogScope, onlyOrganisationId: number | null): AsyncGenerator<RowResult> {
	const validate = contactLogValidator(codes, scope);
	const known = new Map(contactLogColumns.map((c) => [normaliseHeader(c.name), c.name]));
	const renamed = new Map(Object.entries(scope.mapping?.columns ?? {}).map(([theirs, ours]) => [normaliseHeader(theirs), ours]));
	for (let i = 0; i < records.length; i++) {
		const object = records[i];
		const raw: Record<string, string> = {};
		if (object !== null && typeof object === 'object' && !Array.isArray(object)) {
			for (const [key, value] of Object.entries(object)) raw[key] = value === null || value === undefined ? '' : String(value);
		} else {
			yield { rejection: { row: i + 1, reason: 'is not an object of column names and values', raw: { value: JSON.stringify(object) ?? '' } } };
			continue;
		}
		const input = Object.fromEntries(contactLogColumns.map((c) => [c.name, ''])) as ContactLogRecord;
		for (const [key, value] of Object.entries(raw)) {
			const name = renamed.get(normaliseHeader(key)) ?? known.get(normaliseHeader(key));
			if (name && name in input) input[name as keyof ContactLogRecord] = value;
		}
		const unstorable = unstorableValue(input);
		if (unstorable) {
			yield { rejection: { row: i + 1, reason: unstorable, raw } };
			continue;
		}
		const result = validate(input, i + 1, () => raw);
		if (onlyOrganisationId !== null && 'contact' in result && result.contact.organisationId !== onlyOrganisationId) {
			yield { rejection: { row: i + 1, reason: `organisation '${input.organisation}' is not the one this API key imports for`, raw } };
		} else yield result;
	}
}

interface Run {
	/** Releases the file when the import ends early. */
	close?: () => void;
	kind: ContactKind;
	options: ImportOptions;
	filename: string | null;
	fileHash: string;
	file?: ImportResult['file'];
	totalBytes: number;
	bytesRead: () => number;
	rows: (onHeader: (columns: string[]) => void) => AsyncGenerator<RowResult>;
}

async function run(db: Database, job: Run): Promise<ImportResult> {
	const { kind, options } = job;
	const source = options.source ?? mappingName(options.mapping) ?? defaultSource(kind);
	const batchId = await batches.start(db, { kind, source, filename: job.filename, fileHash: job.fileHash, actor: options.actor });
	const stopHeartbeat = batches.keepAlive(db, batchId);
	try {
		return await runBatch(db, job, source, batchId);
	} finally {
		stopHeartbeat();
	}
}

async function runBatch(db: Database, job: Run, source: string, batchId: number): Promise<ImportResult> {
	const { kind, options } = job;
	const errors: { row: number; reason: string }[] = [];
	let columns: string[] | null = null;
	let read = 0;
	let rejected = 0;
	const skipped = batches.skipTally();
	let lastReport = 0;
	const report = (phase: ImportProgress['phase'], force = false) => {
		const now = performance.now();
		if (!options.onProgress || (!force && now - lastReport < 100)) return;
		lastReport = now;
		options.onProgress({ phase, rows: read, bytes: job.bytesRead(), totalBytes: job.totalBytes });
	};
	const noteErrors = (list: readonly Rejection[]) => {
		rejected += list.length;
		for (const r of list) if (errors.length < MAX_ERRORS) errors.push({ row: r.row, reason: r.reason });
	};

	let outcome: { counts: batches.Counts; skippedReasons: batches.SkippedReasons; changedIds: number[] };
	try {
		outcome = await db.transaction(async (tx) => {
			await createStaging(tx);
			const staging = stager(tx);
			const size = options.batchSize ?? BATCH;
			let contacts: ContactRow[] = [];
			let rejections: Rejection[] = [];
			let staged = 0;
			try {
				for await (const result of job.rows((header) => (columns = header))) {
					options.signal?.throwIfAborted();
					read++;
					if ('contact' in result) {
						contacts.push(result.contact);
						if (contacts.length >= size) {
							await staging.add(contacts);
							contacts = [];
							await options.afterStagedBatch?.(++staged);
						}
					} else if ('skipped' in result) {
						skipped.add(result.skipped.reason);
					} else {
						rejections.push(result.rejection);
						if (rejections.length >= 1000) {
							noteErrors(rejections);
							await staging.flush();
							await batches.addRejections(tx, batchId, rejections);
							rejections = [];
						}
					}
					report('reading');
				}
				await staging.add(contacts);
				if (contacts.length > 0) await options.afterStagedBatch?.(++staged);
				await staging.flush();
			} catch (error) {
				// A batch still on its way must land (or fail) before the transaction can roll back.
				await staging.flush().catch(() => {});
				throw error;
			}
			noteErrors(rejections);
			await batches.addRejections(tx, batchId, rejections);
			report('saving', true);

			const settled = await settleRepeats(tx, source, staging.versioned);
			const legs = await settleLegs(tx, source, staging.versioned);
			skipped.add(CHOSE_CALLBACK, legs.choseCallback);
			// Further legs of one call are part of it, as superseded versions are: not rows of their own.
			const superseded = settled.superseded + legs.merged;
			noteErrors(settled.rejected);
			await batches.addRejections(tx, batchId, settled.rejected);
			if (options.within) {
				const outside = await rejectOutside(tx, options.within, source);
				noteErrors(outside);
				await batches.addRejections(tx, batchId, outside);
			}
			options.signal?.throwIfAborted();
			const upserted = await upsert(tx, source, batchId);
			const counts = { read: read - superseded, accepted: upserted.accepted, updated: upserted.updated, unchanged: upserted.unchanged, skipped: skipped.total, rejected };
			const changedIds = await changedContactIds(tx);
			// The last moment to stop: returning commits.
			options.signal?.throwIfAborted();
			return { counts, skippedReasons: skipped.reasons(), changedIds };
		});
	} catch (error) {
		job.close?.();
		const reason = describeFailure(error);
		await recordFailure(db, batchId, reason, { read, skipped: skipped.total, rejected });
		const row = error instanceof HeaderError ? 1 : 0;
		throw new ImportError(reason, batchId, row, { cause: error });
	}

	errors.sort((a, b) => a.row - b.row);
	let scoringFailure: string | undefined;
	const unscored = new assessments.UnscoredTally();
	if (options.score !== false && outcome.changedIds.length > 0 && options.signal?.aborted) {
		// Told to stop just after the commit: the rows stay stored; scoring is left for later.
		scoringFailure = `the rows are stored, but the import was stopped before scoring them; run 'yardstick assess' to score them`;
	} else if (options.score !== false && outcome.changedIds.length > 0) {
		report('scoring', true);
		try {
			await assessments.scoreContacts(db, outcome.changedIds, { unscored });
		} catch (error) {
			scoringFailure = `the rows are stored, but scoring them failed (${(error as Error).message}); run 'yardstick assess' to score them`;
		}
	}
	if (outcome.changedIds.length > ANALYZE_AFTER_ROWS) await refreshStatistics(db, ['contacts', 'contact_events', 'assessments']);
	await batches.finish(db, batchId, outcome.counts, columns, outcome.skippedReasons);
	report('done', true);
	return {
		batchId, kind, source, ...outcome.counts, skippedReasons: outcome.skippedReasons, errors, changedIds: outcome.changedIds, file: job.file, scoringFailure,
		unscored: scoringFailure ? [] : await unscored.named(db)
	};
}

/**
 * Records the failure, trying again for a few seconds while the database is unreachable (the
 * pool reconnects); if it never answers, the batch is marked failed as abandoned when this process
 * next imports or the server next starts (batches.failAbandoned).
 */
async function recordFailure(db: Database, batchId: number, reason: string, counts: Partial<batches.Counts>): Promise<void> {
	for (const wait of [0, 500, 1500, 3000]) {
		if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
		try {
			await batches.fail(db, batchId, reason, counts);
			return;
		} catch (error) {
			if (wait === 3000) console.error(`Import batch ${batchId} failed (${reason}), and that could not be recorded: ${(error as Error).message}`);
		}
	}
}

/** The message for the person who ran it: ours as written, a database's without its SQL. */
function describeFailure(error: unknown): string {
	if (error instanceof HeaderError || error instanceof FileError) return error.message;
	if (connectionLost(error)) return 'the import stopped and nothing was stored: the connection to the database was lost (it was restarted, failed over or ended the session); import the file again';
	const message = rootError(error).message ?? String(error);
	return `the import stopped and nothing was stored: ${/^Failed query/.test(message) ? 'the database refused a statement' : message}`;
}
