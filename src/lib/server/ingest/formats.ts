/**
 * The three formats an import reads, behind one shape: a text stream in, contacts or rejections
 * out. File-level problems (no header, missing columns) throw before any row.
 */
import type { Readable } from 'node:stream';
import { isQueueLogTable, readQueueLog, readQueueLogTable } from './asterisk.ts';
import type { QueueMap } from './queues.ts';
import type { Codes } from './codes.ts';
import { HeaderError, normaliseHeader } from './columns.ts';
import { readConnect } from './connect.ts';
import { contactLogReader, type ContactLogScope } from './contact-log.ts';
import { csvRecords } from './csv.ts';
import type { RowResult } from './rows.ts';

import { electoralKinds, type ElectoralKind } from './electoral-columns.ts';

/** Files of contacts (a contact log, a telephony export), and the electoral data files (ES01, ES02). */
export const contactKinds = ['contacts', 'asterisk', 'connect'] as const;
export type ContactKind = (typeof contactKinds)[number];
/** Survey answers collected elsewhere (src/lib/server/ingest/feedback-import.ts). */
export const importKinds = [...contactKinds, ...electoralKinds, 'feedback'] as const;
export type ImportKind = (typeof importKinds)[number];
export const isElectoralKind = (kind: string): kind is ElectoralKind => (electoralKinds as readonly string[]).includes(kind);

/** What a file most likely is, from its first few KB: --kind overrides it (an electoral file is always named by its kind). */
export function detectKind(head: string): ContactKind {
	const text = head.replace(/^\uFEFF/, '');
	if (/^\s*[[{]/.test(text)) return 'connect';
	const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
	if (/^\d+(\.\d+)?\|[^|]*\|[^|]*\|[^|]*\|[A-Z_]+/.test(firstLine) || isQueueLogTable(firstLine)) return 'asterisk';
	if (firstLine.split(',').some((cell) => normaliseHeader(cell.replaceAll('"', '')) === 'contactid')) return 'connect';
	return 'contacts';
}

export interface ReadContext extends Partial<ContactLogScope> {
	codes: Codes;
	queues?: QueueMap;
	/** The first few KB of text (to tell JSON from CSV). */
	head: string;
	/** Told the header once it is read, for the rejected-rows file. */
	onHeader?: (columns: string[]) => void;
}

export function readRows(kind: ContactKind, text: Readable, context: ReadContext): AsyncGenerator<RowResult> {
	switch (kind) {
		case 'contacts':
			return readContactLog(text, context);
		case 'asterisk':
			// A queue_log table exported with its header, or the plain file Asterisk writes.
			if (isQueueLogTable(context.head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '')) return readQueueLogTable(text, context.codes, context.queues, context.onHeader);
			context.onHeader?.(['line']);
			return readQueueLog(text, context.codes, context.queues);
		case 'connect':
			return readConnect(text, context.head, context.codes, context.queues);
	}
}

async function* readContactLog(text: Readable, context: ReadContext): AsyncGenerator<RowResult> {
	let read: ReturnType<typeof contactLogReader> | undefined;
	for await (const item of csvRecords(text)) {
		if ('unreadable' in item) {
			if (!read) throw new HeaderError(`row ${item.unreadable.row}: ${item.unreadable.reason}`);
			yield { rejection: { row: item.unreadable.row, reason: item.unreadable.reason, raw: {} } };
			continue;
		}
		if (!read) {
			// The header is told first, even one the reader refuses: the preview offers to make a mapping from it.
			context.onHeader?.(item.record);
			read = contactLogReader(context.codes, item.record, { mapping: context.mapping ?? null, organisation: context.organisation ?? null, maxWaitSeconds: context.maxWaitSeconds });
			continue;
		}
		yield read(item.record, item.row);
	}
	if (!read) throw new HeaderError('row 1: the file has no header row (it holds only blank lines)');
}
