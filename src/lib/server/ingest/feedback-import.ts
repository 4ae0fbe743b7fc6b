/**
 * Importing survey answers collected elsewhere (a GOV.UK Forms export, any survey tool's CSV),
 * read through a `feedback` mapping, by the same rules as the other imports: a batch on record
 * before anything is read, every row stored or rejected with a reason, one transaction, and
 * idempotent: answers are stored by (organisation, source, reference), so importing the same file
 * twice changes nothing. A dry run (the preview) does the same and rolls back.
 */
import { sql } from 'drizzle-orm';
import { fromEpochDay, localEpochDay } from '../../engine/dates.ts';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS, parseSatisfaction, type FeedbackKind } from '../../engine/satisfaction.ts';
import { rows, type Database } from '../db/client.ts';
import * as batches from './batches.ts';
import type { Codes } from './codes.ts';
import { HeaderError, mapColumns, rawRow } from './columns.ts';
import { readHeaded } from './csv.ts';
import { parseFlag } from './dates.ts';
import { feedbackColumns } from './feedback-columns.ts';
import { readText, type FileFacts } from './file.ts';
import { applyMapping, compileValues, fixedColumns, renameHeader, type Mapping } from './mappings.ts';
import { instantOf, type Rejection } from './rows.ts';

export interface FeedbackRecord {
	row: number;
	organisationId: number;
	serviceId: number;
	reference: string;
	givenOn: string;
	kind: FeedbackKind;
	satisfaction: number | null;
	resolved: boolean | null;
	channel: string | null;
	comment: string | null;
	contactRef: string | null;
}

export interface FeedbackScope {
	mapping: Mapping | null;
	organisation: string | null;
}

const COMMENT_LIMIT = 4000;
const RESERVED_SOURCES = ['survey-link', 'contact', 'demo'];

/** Reads one file's records against its header; throws a HeaderError (before any row) when a required column is missing. */
export function feedbackReader(codes: Codes, header: readonly string[], scope: FeedbackScope) {
	const { mapping } = scope;
	if (mapping && (mapping.kind ?? 'contacts') !== 'feedback') {
		throw new HeaderError(`row 1: mapping '${mapping.name}' reads ${mapping.kind ? `a ${mapping.kind} file` : 'a contact log'}, not a file of survey answers`);
	}
	const renamed = renameHeader(mapping, header);
	const fixed = new Set([...fixedColumns(mapping), ...(scope.organisation ? ['organisation'] : [])]);
	let index: Partial<Record<string, number>>;
	try {
		index = mapColumns(renamed, feedbackColumns.map((c) => ({ ...c, required: c.required && !fixed.has(c.name) }))).index;
	} catch (error) {
		if (!(error instanceof HeaderError)) throw error;
		throw new HeaderError(`${error.message}${mapping ? ` (through mapping '${mapping.name}': add the export's name for it under columns, or a value under fixed)` : ''}`);
	}
	const values = compileValues(mapping);
	return (record: readonly string[], row: number): { record: FeedbackRecord } | { rejection: Rejection } => {
		if (record.length !== header.length) {
			return { rejection: { row, reason: `has ${record.length} values but the header has ${header.length} columns`, raw: rawRow(header, record) } };
		}
		const input: Record<string, string> = {};
		for (const c of feedbackColumns) input[c.name] = index[c.name] === undefined ? '' : (record[index[c.name]!] ?? '');
		const mapped = mapping ? applyMapping(mapping, values, input) : null;
		const problems = [...(mapped?.problems ?? [])];
		const organisationText = input.organisation!.trim();
		if (scope.organisation !== null && organisationText !== '' && organisationText.toLowerCase() !== scope.organisation) {
			problems.push(`organisation '${organisationText}' is not ${scope.organisation}, the organisation this import is for`);
		}
		const code = (organisationText || scope.organisation || '').toLowerCase();
		const organisation = code ? codes.organisations.get(code) : undefined;
		if (!code) problems.push('organisation is empty');
		else if (!organisation) problems.push(`organisation '${organisationText}' is not one of ${[...codes.organisations.keys()].sort().join(', ')}`);
		const serviceText = input.service!.trim();
		const serviceId = organisation?.services.get(serviceText.toLowerCase());
		if (!serviceText) problems.push('service is empty');
		else if (organisation && serviceId === undefined) problems.push(`service '${serviceText}' is not one of ${organisation.code}'s (${[...organisation.services.keys()].sort().join(', ')})`);
		const reference = input.reference!.trim();
		if (!reference) problems.push('reference is empty');
		else if (reference.length > 200) problems.push('reference is longer than 200 characters');
		const ms = instantOf(input, problems, 'given', true);
		const kindText = input.kind!.trim().toLowerCase() || 'survey';
		if (!(FEEDBACK_KINDS as readonly string[]).includes(kindText)) problems.push(`kind '${input.kind!.trim()}' is not one of ${FEEDBACK_KINDS.join(', ')}`);
		const satisfactionText = input.satisfaction!.trim();
		const satisfaction = satisfactionText ? parseSatisfaction(satisfactionText) : null;
		if (satisfactionText && satisfaction === null) problems.push(`satisfaction '${satisfactionText}' is not 1 to 5 or one of Very satisfied, Satisfied, Neither satisfied nor dissatisfied, Dissatisfied, Very dissatisfied`);
		if (kindText === 'survey' && !satisfactionText) problems.push('satisfaction is empty (a survey answer needs one)');
		const resolved = parseFlag(input.resolved!);
		if (resolved === undefined) problems.push(`resolved '${input.resolved!.trim()}' is not yes or no`);
		const channelText = input.channel!.trim().toLowerCase();
		if (channelText && !(FEEDBACK_CHANNELS as readonly string[]).includes(channelText)) problems.push(`channel '${input.channel!.trim()}' is not one of ${FEEDBACK_CHANNELS.join(', ')}`);
		const comment = input.comment!.trim();
		if (comment.length > COMMENT_LIMIT) problems.push(`comment is longer than ${COMMENT_LIMIT.toLocaleString('en-GB')} characters`);
		if (problems.length || !organisation || serviceId === undefined || ms === null) {
			return { rejection: { row, reason: [...new Set([...problems, ...(mapped?.hints ?? [])])].join('; '), raw: rawRow(header, record) } };
		}
		return {
			record: {
				row,
				organisationId: organisation.id,
				serviceId,
				reference,
				givenOn: fromEpochDay(localEpochDay(ms)),
				kind: kindText as FeedbackKind,
				satisfaction,
				resolved: resolved ?? null,
				channel: channelText || null,
				comment: comment || null,
				contactRef: input.contact!.trim() || null
			}
		};
	};
}

export interface FeedbackRun {
	path: string;
	facts: FileFacts;
	filename: string;
	source: string;
	actor?: string;
	codes: Codes;
	scope: FeedbackScope;
}

export interface FeedbackOutcome extends batches.Counts {
	batchId: number | null;
	header: string[];
	rejections: Rejection[];
	sample: FeedbackRecord[];
}

export class FeedbackFileError extends Error {
	constructor(
		message: string,
		readonly batchId: number | null
	) {
		super(message);
	}
}

class DryRun extends Error {
	constructor(readonly outcome: FeedbackOutcome) {
		super('dry run');
	}
}

/** Imports (or, with dryRun, previews and rolls back) one file of survey answers. */
export async function runFeedback(db: Database, job: FeedbackRun, dryRun = false): Promise<FeedbackOutcome> {
	// Answers from survey links, the demo and complaints recorded on contacts have sources of their own: an import never overwrites them.
	if (RESERVED_SOURCES.includes(job.source)) throw new FeedbackFileError(`the source '${job.source}' is Yardstick's own: import survey answers under another source name`, null);
	const batchId = dryRun ? null : await batches.start(db, { kind: 'feedback', source: job.source, filename: job.filename, fileHash: job.facts.sha256, actor: job.actor });
	const text = readText(job.path, job.facts.encoding, () => {});
	let header: string[] = [];
	let read = 0;
	const records: FeedbackRecord[] = [];
	const rejections: Rejection[] = [];
	try {
		({ header, read } = await readHeaded(
			text,
			(columns) => {
				const reader = feedbackReader(job.codes, columns, job.scope);
				return (record, row) => {
					const result = reader(record, row);
					if ('rejection' in result) rejections.push(result.rejection);
					else records.push(result.record);
				};
			},
			(rejection) => rejections.push(rejection)
		));
	} catch (error) {
		text.destroy();
		const message = error instanceof HeaderError ? error.message : `the file could not be read: ${(error as Error).message}`;
		if (batchId !== null) await batches.fail(db, batchId, message);
		throw new FeedbackFileError(message, batchId);
	}
	// The same answer twice in one file keeps the first.
	const seen = new Map<string, number>();
	const kept: FeedbackRecord[] = [];
	for (const r of records) {
		const key = `${r.organisationId}:${r.reference}`;
		const first = seen.get(key);
		if (first !== undefined) rejections.push({ row: r.row, reason: `reference '${r.reference}' is already on row ${first}: the first is kept`, raw: {} });
		else seen.set(key, r.row), kept.push(r);
	}
	try {
		const outcome = await db.transaction(async (tx) => {
			const stored = await store(tx as unknown as Database, kept, job.source, batchId);
			const rejected = [...rejections, ...stored.rejected].sort((a, b) => a.row - b.row);
			if (batchId !== null) for (let i = 0; i < rejected.length; i += 1000) await batches.addRejections(tx as unknown as Database, batchId, rejected.slice(i, i + 1000));
			const result: FeedbackOutcome = { batchId, header, read, accepted: stored.accepted, updated: stored.updated, unchanged: stored.unchanged, skipped: 0, rejected: rejected.length, rejections: rejected, sample: kept.slice(0, 10) };
			if (dryRun) throw new DryRun(result);
			return result;
		});
		await batches.finish(db, batchId!, outcome, header);
		return outcome;
	} catch (error) {
		if (error instanceof DryRun) return error.outcome;
		const message = `the import stopped and nothing was stored: ${(error as Error).message}`;
		if (batchId !== null) await batches.fail(db, batchId, message, { read }).catch(() => {});
		throw new FeedbackFileError(message, batchId);
	}
}

/** Upserts by (organisation, source, reference); a row the same as stored is unchanged. A contact reference must be the organisation's. */
async function store(db: Database, records: FeedbackRecord[], source: string, batchId: number | null) {
	const out = { accepted: 0, updated: 0, unchanged: 0, rejected: [] as Rejection[] };
	for (let i = 0; i < records.length; i += 2000) {
		const chunk = records.slice(i, i + 2000);
		const json = JSON.stringify(
			chunk.map((r) => ({ n: r.row, o: r.organisationId, s: r.serviceId, ref: r.reference, d: r.givenOn, k: r.kind, sat: r.satisfaction, res: r.resolved, ch: r.channel, com: r.comment, c: r.contactRef }))
		);
		// Contact references that are not the organisation's: the row is refused, not stored unlinked.
		const unknown = await rows<{ n: number; c: string }>(
			db,
			sql`select x.n, x.c from jsonb_to_recordset(${json}::jsonb) as x(n int, o int, c text)
				where x.c is not null and not exists (select 1 from contacts k where k.organisation_id = x.o and k.external_ref = x.c)`
		);
		const refused = new Set(unknown.map((u) => Number(u.n)));
		for (const u of unknown) out.rejected.push({ row: Number(u.n), reason: `contact '${u.c}' is not a contact of this organisation`, raw: {} });
		const changed = await rows<{ inserted: boolean }>(
			db,
			sql`insert into feedback (organisation_id, service_id, team_id, contact_id, kind, satisfaction, resolved, channel, comment, given_on, source, external_ref, import_batch_id)
				select x.o, x.s, k.team_id, k.id, x.k, x.sat, x.res, x.ch, x.com, x.d, ${source}, x.ref, ${batchId}::bigint
				from jsonb_to_recordset(${json}::jsonb) as x(n int, o int, s int, ref text, d date, k text, sat smallint, res boolean, ch text, com text, c text)
				left join lateral (select id, team_id from contacts k where k.organisation_id = x.o and k.external_ref = x.c order by k.id limit 1) k on true
				where not (x.n = any(${`{${[...refused].join(',')}}`}::int[]))
				on conflict (organisation_id, source, external_ref) do update
					set service_id = excluded.service_id, team_id = excluded.team_id, contact_id = excluded.contact_id, kind = excluded.kind, satisfaction = excluded.satisfaction,
						resolved = excluded.resolved, channel = excluded.channel, comment = excluded.comment, given_on = excluded.given_on, import_batch_id = excluded.import_batch_id
					where (feedback.service_id, feedback.contact_id, feedback.kind, feedback.satisfaction, feedback.resolved, feedback.channel, feedback.comment, feedback.given_on)
						is distinct from (excluded.service_id, excluded.contact_id, excluded.kind, excluded.satisfaction, excluded.resolved, excluded.channel, excluded.comment, excluded.given_on)
				returning (xmax = 0) as inserted`
		);
		const inserted = changed.filter((c) => c.inserted).length;
		out.accepted += inserted;
		out.updated += changed.length - inserted;
		out.unchanged += chunk.length - refused.size - changed.length;
	}
	return out;
}
