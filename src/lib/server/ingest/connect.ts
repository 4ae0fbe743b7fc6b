/**
 * Amazon Connect contact records (the CTR data model, docs.aws.amazon.com/connect/latest/adminguide/
 * ctr-data-model.html), exported as CSV with dotted headers (Queue.EnqueueTimestamp) or as JSON
 * (an array, JSON Lines, or objects back to back as Kinesis Firehose writes them). Each voice
 * contact that reached a queue becomes a phone contact. A contact's record is re-sent as it
 * changes: the one with the latest LastUpdateTimestamp wins (set-based, in staging).
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { parseInstant } from '../../engine/instants.ts';
import type { Codes } from './codes.ts';
import { mapColumns, normaliseHeader, rawRow } from './columns.ts';
import { csvRecords } from './csv.ts';
import { placeQueue, type QueueMap } from './queues.ts';
import { MAX_REFERENCE, referenceProblem, unstorableValue, type RowResult } from './rows.ts';

const fields = [
	'ContactId',
	'Channel',
	'InitiationTimestamp',
	'DisconnectTimestamp',
	'LastUpdateTimestamp',
	'Queue.Name',
	'Queue.EnqueueTimestamp',
	'Queue.DequeueTimestamp',
	'Queue.Duration',
	'Agent.ConnectedToAgentTimestamp'
] as const;
type Field = (typeof fields)[number];
type ConnectRecord = Record<Field, string>;
const required = new Set<Field>(['ContactId', 'InitiationTimestamp']);
const specs = fields.map((name) => ({ name, required: required.has(name) }));

const issue = (ctx: z.RefinementCtx, message: string) => ctx.addIssue({ code: 'custom', message });
const instant = (field: Field) =>
	z.string().transform((value, ctx): number | null => {
		const text = value.trim();
		if (text === '') return null;
		const parsed = parseInstant(text);
		if ('reason' in parsed) issue(ctx, `${field} '${text}' ${parsed.reason}`);
		return 'ms' in parsed ? parsed.ms : null;
	});

const recordSchema = z.object({
	ContactId: z
		.string()
		.trim()
		.min(1, 'ContactId is empty')
		.refine((id) => id.length <= MAX_REFERENCE, { error: (issue) => referenceProblem('ContactId', String(issue.input).trim()) ?? 'ContactId is too long' }),
	Channel: z.string().trim().toUpperCase(),
	InitiationTimestamp: instant('InitiationTimestamp'),
	DisconnectTimestamp: instant('DisconnectTimestamp'),
	LastUpdateTimestamp: instant('LastUpdateTimestamp'),
	'Queue.Name': z.string().trim(),
	'Queue.EnqueueTimestamp': instant('Queue.EnqueueTimestamp'),
	'Queue.DequeueTimestamp': instant('Queue.DequeueTimestamp'),
	'Queue.Duration': z.string().trim().regex(/^(\d+(\.\d+)?)?$/, 'Queue.Duration is not a number of seconds'),
	'Agent.ConnectedToAgentTimestamp': instant('Agent.ConnectedToAgentTimestamp')
});

/** One record (CSV row or JSON object, flattened) → a phone contact or a rejection. */
export function connectRow(codes: Codes, queues: QueueMap, record: ConnectRecord, row: number, raw: Record<string, string>): RowResult {
	const reject = (reason: string): RowResult => ({ rejection: { row, reason, raw } });
	const unstorable = unstorableValue(raw);
	if (unstorable) return reject(unstorable);
	const parsed = recordSchema.safeParse(record);
	if (!parsed.success) return reject([...new Set(parsed.error.issues.map((i) => i.message))].join('; '));
	const r = parsed.data;
	if (r.InitiationTimestamp === null) return reject('InitiationTimestamp is empty');
	if (r.Channel !== '' && r.Channel !== 'VOICE') return reject(`Channel '${r.Channel}' is not imported: only VOICE contacts are calls`);
	const enqueued = r['Queue.EnqueueTimestamp'];
	if (enqueued === null) return reject(`contact ${r.ContactId} never reached a queue (self-service, or transferred out): there is no wait to measure`);
	const placement = placeQueue(codes, queues, r['Queue.Name']);
	if ('reason' in placement) return reject(placement.reason);
	const answered = r['Agent.ConnectedToAgentTimestamp'];
	const left = r['Queue.DequeueTimestamp'] ?? answered ?? r.DisconnectTimestamp;
	// Queue.Duration is the time in queue; without it, from enqueue to dequeue.
	const duration = r['Queue.Duration'] !== '' ? Number(r['Queue.Duration']) : left !== null ? (left - enqueued) / 1000 : null;
	// Still in the queue when exported: a later record of it in the same file may settle it.
	const pending = duration === null ? 'the call was still in the queue when this record was written: no wait to measure yet' : undefined;
	return {
		contact: {
			row,
			...placement,
			contactType: 'phone',
			externalRef: r.ContactId,
			receivedAt: enqueued,
			clockStartAt: null,
			firstResponseAt: answered,
			resolvedAt: r.DisconnectTimestamp,
			waitSeconds: duration === null ? null : Math.max(0, Math.round(duration)),
			abandoned: answered === null,
			extended: false,
			pausedFrom: null,
			pausedTo: null,
			version: r.LastUpdateTimestamp ?? 0,
			pending
		}
	};
}

/** Records of a CSV or JSON export, by the first character of the file. */
export async function* readConnect(text: Readable, head: string, codes: Codes, queues: QueueMap = {}): AsyncGenerator<RowResult> {
	if (/^\s*[[{]/.test(head)) {
		let row = 0;
		for await (const item of jsonObjects(text)) {
			row++;
			if ('error' in item) {
				yield { rejection: { row, reason: item.error, raw: {} } };
				continue;
			}
			const flat = flatten(item.value);
			const record = Object.fromEntries(fields.map((f) => [f, flat[normaliseHeader(f)] ?? ''])) as ConnectRecord;
			yield connectRow(codes, queues, record, row, flat);
		}
		return;
	}
	let header: string[] | undefined;
	let index: Partial<Record<Field, number>> = {};
	for await (const item of csvRecords(text)) {
		if ('unreadable' in item) {
			yield { rejection: { row: item.unreadable.row, reason: item.unreadable.reason, raw: {} } };
			continue;
		}
		if (!header) {
			header = item.record;
			index = mapColumns(header, specs).index;
			continue;
		}
		const cells = item.record;
		const record = Object.fromEntries(fields.map((f) => [f, index[f] === undefined ? '' : (cells[index[f]!] ?? '')])) as ConnectRecord;
		yield connectRow(codes, queues, record, item.row, rawRow(header, cells));
	}
}

/** Nested CTR objects as dotted, normalised keys: { Queue: { Name } } → 'queue.name'. */
function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
	} else if (prefix) {
		out[normaliseHeader(prefix)] = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
	return out;
}

/** Top-level JSON objects from a stream: inside an array, one per line, or back to back. */
export async function* jsonObjects(text: AsyncIterable<string | Buffer>): AsyncGenerator<{ value: unknown } | { error: string }> {
	let depth = 0;
	let inString = false;
	let escaped = false;
	let start = -1;
	let buffer = '';
	for await (const chunk of text) {
		const piece = String(chunk);
		const offset = buffer.length;
		buffer += piece;
		for (let i = offset; i < buffer.length; i++) {
			const c = buffer[i];
			if (inString) {
				if (escaped) escaped = false;
				else if (c === '\\') escaped = true;
				else if (c === '"') inString = false;
			} else if (c === '"') inString = true;
			else if (c === '{') {
				if (depth === 0) start = i;
				depth++;
			} else if (c === '}') {
				depth--;
				if (depth === 0 && start !== -1) {
					yield parseObject(buffer.slice(start, i + 1));
					start = -1;
				}
			}
		}
		// Keep only the object being read.
		if (start === -1) buffer = '';
		else {
			buffer = buffer.slice(start);
			start = 0;
		}
	}
	if (depth !== 0) yield { error: 'the file ends inside this record (is it cut short?)' };
}

function parseObject(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) };
	} catch (error) {
		return { error: `this record is not valid JSON (${(error as Error).message})` };
	}
}
