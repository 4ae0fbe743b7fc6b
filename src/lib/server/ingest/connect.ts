/**
 * Amazon Connect contact records (the CTR data model, docs.aws.amazon.com/connect/latest/adminguide/
 * ctr-data-model.html) as they leave Connect: CSV with dotted headers (Queue.EnqueueTimestamp), the
 * analytics data lake's or an Athena table's columns (contact_id, queue_enqueue_timestamp,
 * queue_duration_ms), JSON (an array, JSON Lines, objects back to back as Kinesis Firehose writes
 * them, or the `aws connect search-contacts` answer with its `Contacts` array and `Id`s).
 * Connect writes UTC: a time without a zone is UTC, never UK local time.
 *
 * `InitiationMethod` and `Channel` decide what a record is: an inbound voice contact that reached a
 * queue is a phone contact; a queued callback is a `callback` contact (received when the caller
 * chose it, responded when an agent connected, kept under the call's InitialContactId with the wait
 * until the choice: staging.ts `settleLegs`); chats, tasks, outbound calls, monitoring and
 * contacts that never reached a queue are skipped (counted by reason, not kept). A contact's record
 * is re-sent as it changes: the one with the latest LastUpdateTimestamp wins (set-based, in
 * staging, and against the stored contact).
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { parseInstant } from '../../engine/instants.ts';
import type { Codes } from './codes.ts';
import { HeaderError, normaliseHeader, rawRow } from './columns.ts';
import { csvRecords } from './csv.ts';
import { placeQueue, type QueueMap } from './queues.ts';
import { MAX_REFERENCE, referenceProblem, unstorableValue, type RowResult } from './rows.ts';

/** Each field, by the names (normalised: lower case, no spaces, `_` or `-`) the exports give it. */
const FIELDS = {
	ContactId: ['contactid', 'id'],
	InitialContactId: ['initialcontactid'],
	PreviousContactId: ['previouscontactid'],
	Channel: ['channel'],
	InitiationMethod: ['initiationmethod'],
	InitiationTimestamp: ['initiationtimestamp'],
	DisconnectTimestamp: ['disconnecttimestamp'],
	LastUpdateTimestamp: ['lastupdatetimestamp'],
	'Queue.Name': ['queue.name', 'queuename', 'queueinfo.name', 'queue'],
	'Queue.Id': ['queue.id', 'queueid', 'queueinfo.id', 'queue.arn', 'queuearn'],
	'Queue.EnqueueTimestamp': ['queue.enqueuetimestamp', 'queueenqueuetimestamp', 'queueinfo.enqueuetimestamp', 'enqueuetimestamp'],
	'Queue.DequeueTimestamp': ['queue.dequeuetimestamp', 'queuedequeuetimestamp', 'dequeuetimestamp'],
	'Queue.Duration': ['queue.duration', 'queueduration'],
	'Queue.DurationMs': ['queuedurationms'],
	'Agent.ConnectedToAgentTimestamp': ['agent.connectedtoagenttimestamp', 'agentconnectedtoagenttimestamp', 'agentinfo.connectedtoagenttimestamp', 'connectedtoagenttimestamp'],
	'Agent.AgentInteractionDuration': ['agent.agentinteractionduration', 'agentinteractionduration'],
	'Agent.AgentInteractionDurationMs': ['agentinteractiondurationms'],
	'Agent.CustomerHoldDuration': ['agent.customerholdduration', 'customerholdduration'],
	'Agent.CustomerHoldDurationMs': ['agentcustomerholddurationms', 'customerholddurationms']
} as const;
type Field = keyof typeof FIELDS;
type ConnectRecord = Record<Field, string>;
const fieldNames = Object.keys(FIELDS) as Field[];
const fieldOf = new Map<string, Field>(fieldNames.flatMap((field) => FIELDS[field].map((alias) => [alias, field] as const)));

/** Methods of a call the council made, not one a caller waited for (docs: ContactTraceRecord InitiationMethod). */
const OUTBOUND = new Set(['OUTBOUND', 'EXTERNAL_OUTBOUND', 'AGENT_REPLY', 'API']);
const SKIPPED_METHODS: Record<string, string> = {
	MONITOR: 'a supervisor listening in on a call (MONITOR): not a call to answer',
	DISCONNECT: 'the disconnect flow run after a call ended (DISCONNECT): not a call to answer'
};
export const NEVER_QUEUED = 'never reached a queue (self-service in the IVR, or ended before queueing): no wait to measure';
const TRANSFERRED_ON = 'the rest of a call an agent transferred without queueing it again: the call is measured where it was first queued';
export const OUTBOUND_CALL = 'an outbound call made by the council: nobody waited in a queue';
const channelSkip = (channel: string) => `a ${channel.toLowerCase()} contact, not a phone call`;

const issue = (ctx: z.RefinementCtx, message: string) => ctx.addIssue({ code: 'custom', message });
/** A time: Connect writes UTC, so a time without a zone is UTC; epoch seconds or milliseconds as the APIs give them. */
const instant = (field: Field) =>
	z.string().transform((value, ctx): number | null => {
		const text = value.trim();
		if (text === '') return null;
		if (/^\d{10}(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
		if (/^\d{13}$/.test(text)) return Number(text);
		const parsed = parseInstant(text, 'UTC');
		if ('reason' in parsed) issue(ctx, `${field} '${text}' ${parsed.reason}`);
		return 'ms' in parsed ? parsed.ms : null;
	});
/** A duration in seconds, from a field in seconds or in milliseconds (the data lake's *_ms columns). */
const duration = (field: Field, perSecond: 1 | 1000) =>
	z.string().transform((value, ctx): number | null => {
		const text = value.trim();
		if (text === '') return null;
		if (/^\d+(\.\d+)?$/.test(text)) return Number(text) / perSecond;
		issue(ctx, `${field} '${text}' is not a number of ${perSecond === 1 ? 'seconds' : 'milliseconds'}`);
		return null;
	});
const text = z.string().trim();

const recordSchema = z.object({
	ContactId: text
		.min(1, 'ContactId is empty')
		.refine((id) => id.length <= MAX_REFERENCE, { error: (issue) => referenceProblem('ContactId', String(issue.input).trim()) ?? 'ContactId is too long' }),
	InitialContactId: text,
	PreviousContactId: text,
	Channel: text.toUpperCase(),
	InitiationMethod: text.toUpperCase(),
	InitiationTimestamp: instant('InitiationTimestamp'),
	DisconnectTimestamp: instant('DisconnectTimestamp'),
	LastUpdateTimestamp: instant('LastUpdateTimestamp'),
	'Queue.Name': text,
	'Queue.Id': text,
	'Queue.EnqueueTimestamp': instant('Queue.EnqueueTimestamp'),
	'Queue.DequeueTimestamp': instant('Queue.DequeueTimestamp'),
	'Queue.Duration': duration('Queue.Duration', 1),
	'Queue.DurationMs': duration('Queue.DurationMs', 1000),
	'Agent.ConnectedToAgentTimestamp': instant('Agent.ConnectedToAgentTimestamp'),
	'Agent.AgentInteractionDuration': duration('Agent.AgentInteractionDuration', 1),
	'Agent.AgentInteractionDurationMs': duration('Agent.AgentInteractionDurationMs', 1000),
	'Agent.CustomerHoldDuration': duration('Agent.CustomerHoldDuration', 1),
	'Agent.CustomerHoldDurationMs': duration('Agent.CustomerHoldDurationMs', 1000)
});

/** One record (CSV row or JSON object, flattened) → a phone or callback contact, a skip, or a rejection. */
export function connectRow(codes: Codes, queues: QueueMap, record: ConnectRecord, row: number, raw: Record<string, string>): RowResult {
	const reject = (reason: string): RowResult => ({ rejection: { row, reason, raw } });
	const skip = (reason: string): RowResult => ({ skipped: { row, reason } });
	const unstorable = unstorableValue(raw);
	if (unstorable) return reject(unstorable);
	// What the record is comes first: a chat with an odd timestamp is still only a chat.
	const channel = record.Channel.trim().toUpperCase();
	const method = record.InitiationMethod.trim().toUpperCase();
	if (record.ContactId.trim() !== '') {
		if (channel !== '' && channel !== 'VOICE') return skip(channelSkip(channel));
		if (OUTBOUND.has(method)) return skip(OUTBOUND_CALL);
		if (method in SKIPPED_METHODS) return skip(SKIPPED_METHODS[method]!);
	}
	const parsed = recordSchema.safeParse(record);
	if (!parsed.success) return reject([...new Set(parsed.error.issues.map((i) => i.message))].join('; '));
	const r = parsed.data;
	const id = r.ContactId;
	const initiated = r.InitiationTimestamp;
	const disconnected = r.DisconnectTimestamp;
	const updated = r.LastUpdateTimestamp;
	const enqueued = r['Queue.EnqueueTimestamp'];
	const dequeued = r['Queue.DequeueTimestamp'];
	const answered = r['Agent.ConnectedToAgentTimestamp'];
	const queued = r['Queue.Duration'] ?? r['Queue.DurationMs'];
	const interaction = r['Agent.AgentInteractionDuration'] ?? r['Agent.AgentInteractionDurationMs'];
	const hold = r['Agent.CustomerHoldDuration'] ?? r['Agent.CustomerHoldDurationMs'];
	if (enqueued === null && method !== 'CALLBACK') return skip(method === 'TRANSFER' ? TRANSFERRED_ON : NEVER_QUEUED);

	const queue = r['Queue.Name'] || r['Queue.Id'];
	const placement = placeQueue(codes, queues, queue);
	if ('reason' in placement) return reject(placement.reason);
	// Handle time is the agent's: talk and hold, not the minutes after a transfer out (DisconnectTimestamp).
	const handled = answered !== null && interaction !== null ? answered + Math.round((interaction + (hold ?? 0)) * 1000) : disconnected;
	const common = { row, ...placement, externalRef: id, clockStartAt: null, extended: false, pausedFrom: null, pausedTo: null, version: updated ?? 0 };
	const previous = r.PreviousContactId || null;

	if (method === 'CALLBACK') {
		// A queued callback: the caller asked for it when it was created; kept when an agent connected.
		const received = initiated ?? enqueued;
		if (received === null) return reject('InitiationTimestamp is empty: when the callback was asked for is not known');
		// The rest of the call that chose it, kept under that call's first contact (InitialContactId) as a
		// transfer's legs are: staging gives it the wait until the choice and drops the inbound record.
		const chosenFrom = r.InitialContactId || previous || '';
		const joined = chosenFrom !== '' && chosenFrom !== id ? { externalRef: chosenFrom, legRef: id } : {};
		return { contact: { ...common, ...joined, previousRef: previous, contactType: 'callback', receivedAt: received, firstResponseAt: answered, resolvedAt: answered === null ? disconnected : handled, waitSeconds: null, abandoned: null } };
	}
	const left = dequeued ?? answered ?? disconnected;
	// Queue.Duration is the time in queue; without it, from enqueue to dequeue.
	const waited = queued ?? (left !== null ? (left - enqueued!) / 1000 : null);
	// Still in the queue when exported: a later record of it in the same file may settle it.
	const pending = waited === null ? 'the call was still in the queue when this record was written: no wait to measure yet' : undefined;
	// A transfer to another queue is a further leg of the call that was first queued (staging makes them one).
	const initial = r.InitialContactId;
	const leg = (method === 'TRANSFER' || method === 'QUEUE_TRANSFER') && initial !== '' && initial !== id;
	return {
		contact: {
			...common,
			...(leg ? { externalRef: initial, legRef: id } : {}),
			contactType: 'phone',
			receivedAt: enqueued!,
			firstResponseAt: answered,
			resolvedAt: handled,
			waitSeconds: waited === null ? null : Math.max(0, Math.round(waited)),
			abandoned: answered === null,
			pending
		}
	};
}

/** The record's fields from normalised names (a CSV header's or flattened JSON keys). */
function recordOf(lookup: (field: Field) => string): ConnectRecord {
	const record = {} as ConnectRecord;
	for (const field of fieldNames) record[field] = lookup(field);
	return record;
}

/** Records of a CSV or JSON export, by the first character of the file. */
export async function* readConnect(text: Readable, head: string, codes: Codes, queues: QueueMap = {}): AsyncGenerator<RowResult> {
	if (/^\s*[[{]/.test(head)) {
		let row = 0;
		for await (const item of jsonObjects(text)) {
			if ('error' in item) {
				yield { rejection: { row: ++row, reason: item.error, raw: {} } };
				continue;
			}
			for (const value of contactsIn(item.value)) {
				row++;
				const flat = flatten(value);
				const found = new Map<Field, string>();
				for (const [key, text] of Object.entries(flat)) {
					const field = fieldOf.get(key);
					if (field && (!found.has(field) || found.get(field) === '')) found.set(field, text);
				}
				yield connectRow(codes, queues, recordOf((f) => found.get(f) ?? ''), row, flat);
			}
		}
		return;
	}
	let header: string[] | undefined;
	let index = new Map<Field, number>();
	for await (const item of csvRecords(text)) {
		if ('unreadable' in item) {
			yield { rejection: { row: item.unreadable.row, reason: item.unreadable.reason, raw: {} } };
			continue;
		}
		if (!header) {
			header = item.record;
			index = columnsOf(header);
			continue;
		}
		const cells = item.record;
		yield connectRow(codes, queues, recordOf((f) => (index.has(f) ? (cells[index.get(f)!] ?? '') : '')), item.row, rawRow(header, cells));
	}
}

/** Which column holds each field; a header without the times a wait is measured from is refused whole. */
function columnsOf(header: readonly string[]): Map<Field, number> {
	const index = new Map<Field, number>();
	header.forEach((cell, i) => {
		const field = fieldOf.get(normaliseHeader(cell));
		if (field && !index.has(field)) index.set(field, i);
	});
	if (!index.has('ContactId')) throw new HeaderError(`row 1: the header has no ContactId column (or contact_id); the header read was: ${header.join(', ')}`);
	if (!index.has('Queue.EnqueueTimestamp') && !index.has('Agent.ConnectedToAgentTimestamp')) {
		throw new HeaderError(
			'row 1: the file has no queue times (Queue.EnqueueTimestamp, Agent.ConnectedToAgentTimestamp, or the data lake\'s queue_enqueue_timestamp): ' +
				'a contact search download lists contacts without them. Export the contact records themselves (Kinesis Firehose, the data lake, or Athena)'
		);
	}
	return index;
}

/** The contacts in one top-level JSON value: a contact record, or the `aws connect search-contacts` / describe-contact answer around them. */
function contactsIn(value: unknown): unknown[] {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const wrapper = value as Record<string, unknown>;
		if (Array.isArray(wrapper.Contacts)) return wrapper.Contacts;
		if (wrapper.Contact !== null && typeof wrapper.Contact === 'object' && !('ContactId' in wrapper)) return [wrapper.Contact];
	}
	return [value];
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
