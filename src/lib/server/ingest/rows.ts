import type { PauseReason } from '../../engine/events.ts';
import { parseInstant } from '../../engine/instants.ts';
import type { ContactStatus } from '../db/schema/contacts.ts';

/** A row every format turns into: a validated contact, ready to stage. Instants are epoch ms. */
export interface ContactRow {
	/** Where it was in the file (the line a spreadsheet shows), for messages. */
	row: number;
	organisationId: number;
	serviceId: number;
	teamId: number | null;
	/** A built-in type of the contact log, or one of the organisation's own. */
	contactType: string;
	externalRef: string;
	receivedAt: number;
	clockStartAt: number | null;
	firstResponseAt: number | null;
	resolvedAt: number | null;
	waitSeconds: number | null;
	abandoned: boolean | null;
	extended: boolean;
	pausedFrom: number | null;
	/** Null with a pausedFrom: the pause has not ended (a fee unpaid, a clarification awaited). */
	pausedTo: number | null;
	/** The pause's kind (fee-notice, clarification); null: the kind the contact's standard has. */
	pauseReason?: PauseReason | null;
	/** Of several records of one contact in a file, the highest version wins (Amazon Connect's LastUpdateTimestamp); null: a repeat is a duplicate. */
	version: number | null;
	/** Why this record cannot be stored yet (a call still in the queue): rejected unless a later version of it supersedes it. */
	pending?: string;
	/** The record's own id when it is a further leg of the contact `externalRef` (an Amazon Connect transfer to another queue, or the queued callback a caller chose): legs become one contact in staging. */
	legRef?: string | null;
	/** The record this one follows (a queued callback's PreviousContactId: the call that chose it). */
	previousRef?: string | null;
}

/** A row not stored, the reason a person can act on, and the row as it was read. */
export interface Rejection {
	row: number;
	reason: string;
	raw: Record<string, string>;
}

/**
 * A record that is not a contact this import measures (an Amazon Connect chat, an outbound call, a
 * call that never reached a queue): counted by its reason, its contents not kept. Not an error.
 */
export interface Skip {
	row: number;
	/** Short and shared by every record skipped for the same reason: the summary counts by it. */
	reason: string;
}

export type RowResult = { contact: ContactRow } | { rejection: Rejection } | { skipped: Skip };

export function statusOf(row: Pick<ContactRow, 'firstResponseAt' | 'resolvedAt'>): ContactStatus {
	return row.resolvedAt !== null ? 'closed' : row.firstResponseAt !== null ? 'responded' : 'open';
}

/**
 * The first value PostgreSQL's text cannot hold (a NUL character, or half of a UTF-16 surrogate
 * pair), as a rejection reason; null when every value can be stored. Only a JSON escape can carry
 * either (a file with a NUL byte is refused whole, and decoding a file never yields half a pair),
 * so only the JSON doors (the API's records, Amazon Connect JSON) ask this, before anything else.
 */
export function unstorableValue(values: Record<string, string>): string | null {
	for (const [column, value] of Object.entries(values)) {
		if (value.includes('\u0000')) return `${column} holds a NUL character, which cannot be stored`;
		if (!value.isWellFormed()) return `${column} holds half of a UTF-16 surrogate pair, which cannot be stored`;
	}
	return null;
}

/** Text as it can be stored: a NUL character or half a surrogate pair becomes U+FFFD. */
export const storableText = (text: string) => text.replaceAll('\u0000', '\uFFFD').toWellFormed();

/** "row 214: received '31/02/2025' is not a date" */
export const describeRejection = (rejection: Pick<Rejection, 'row' | 'reason'>) => `row ${rejection.row}: ${rejection.reason}`;

/**
 * The longest reference stored: the contacts' unique index holds it, and PostgreSQL's index
 * refuses an entry beyond about 2,700 bytes, which would fail the whole import. README "Limits".
 */
export const MAX_REFERENCE = 200;
/** The longest value of any other column of a contact-log row (codes, dates, numbers, flags: none is free text). */
export const MAX_VALUE = 1000;

/** Why a reference cannot be stored (too long), or null. */
export const referenceProblem = (column: string, value: string): string | null =>
	value.length > MAX_REFERENCE ? `${column} is ${value.length.toLocaleString('en-GB')} characters long: a reference may have at most ${MAX_REFERENCE}` : null;

/** Text cut to `max` characters, the cut marked with an ellipsis (for showing, never for storing). */
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * A row's date or date-time column read as an instant (epoch ms), or null when it is empty; a value
 * that is not a date, or an empty required one, adds its problem to `problems`.
 */
export function instantOf(r: Record<string, string>, problems: string[], column: string, isRequired = false): number | null {
	const value = (r[column] ?? '').trim();
	if (value === '') {
		if (isRequired) problems.push(`${column} is empty`);
		return null;
	}
	const parsed = parseInstant(value);
	if ('reason' in parsed) {
		problems.push(`${column} '${value}' ${parsed.reason}`);
		return null;
	}
	return parsed.ms;
}
