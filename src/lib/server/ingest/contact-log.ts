/**
 * The generic contact log (docs/interfaces.md "The generic contact log"):
 * one record → a ContactRow, or a rejection with every plain reason found. Pure given the codes.
 */
import { PAUSE_REASONS, type PauseReason } from '../../engine/events.ts';
import { contactTypes } from '../db/schema/contacts.ts';
import { place, type Codes } from './codes.ts';
import { HeaderError, mapColumns, rawRow } from './columns.ts';
import { contactLogColumns, type ContactLogColumn, type ContactLogRecord } from './contact-log-columns.ts';
import { parseFlag, parseSeconds } from './dates.ts';
import { applyMapping, compileValues, fixedColumns, renameHeader, type Mapping } from './mappings.ts';
import { instantOf, MAX_VALUE, referenceProblem, type ContactRow, type RowResult } from './rows.ts';

export { contactLogColumns, type ContactLogColumn, type ContactLogRecord } from './contact-log-columns.ts';

/** A wait longer than this is refused as a mistake (milliseconds, or two calls' times run together), unless an import allows more. */
export const MAX_WAIT_SECONDS = 86_400;

/**
 * The check of one record, its values already text (a file's cells, or an API object's values):
 * the contact it stands for, or every problem found in it, not just the first. A plain function,
 * not a schema: with every value a string there is nothing for a schema library to check, and a
 * million rows should not each build the copies one makes.
 */
export function contactLogCheck(codes: Codes, maxWaitSeconds = MAX_WAIT_SECONDS) {
	return (r: ContactLogRecord, row: number): ContactRow | string[] => {
		const problems: string[] = [];
		// Over-long values first, and on their own: a reason never repeats a value of any length.
		for (const { name } of contactLogColumns) {
			if (name !== 'reference' && r[name].length > MAX_VALUE) problems.push(`${name} is ${r[name].length.toLocaleString('en-GB')} characters long: a value may have at most ${MAX_VALUE.toLocaleString('en-GB')}`);
		}
		const tooLong = referenceProblem('reference', r.reference.trim());
		if (tooLong) problems.push(tooLong);
		if (problems.length > 0) return problems;
		const reference = required(r, problems, 'reference');
		const organisation = required(r, problems, 'organisation').toLowerCase();
		const service = required(r, problems, 'service').toLowerCase();
		const typeText = r.type.trim();
		const contactType = typeText.toLowerCase();
		if (typeText === '') problems.push('type is empty');
		else if (!types.has(contactType) && !codes.organisations.get(organisation)?.contactTypes.has(contactType)) {
			problems.push(`type '${typeText}' is not one of ${[...contactTypes, ...(codes.organisations.get(organisation)?.contactTypes ?? [])].join(', ')}`);
		}
		const receivedAt = when(r, problems, 'received', true);
		const clockStartAt = when(r, problems, 'clock_start');
		const firstResponseAt = when(r, problems, 'responded');
		const resolvedAt = when(r, problems, 'closed');
		const waitText = r.wait_seconds.trim();
		const waitSeconds = waitText === '' ? null : (parseSeconds(waitText) ?? null);
		if (waitText !== '' && waitSeconds === null) problems.push(`wait_seconds '${waitText}' is not a whole number of seconds`);
		const abandoned = flag(r, problems, 'abandoned');
		const extended = flag(r, problems, 'extended');
		const pausedFrom = when(r, problems, 'paused_from');
		const pausedTo = when(r, problems, 'paused_to');
		const pauseReason = reasonOf(r, problems, contactType);
		const team = r.team.trim().toLowerCase() || null;

		if (problems.length === 0) {
			const placement = place(codes, organisation, service, team);
			if ('reason' in placement) problems.push(placement.reason);
			if (contactType === 'phone' && waitSeconds === null) problems.push('wait_seconds is required for a phone contact');
			if (contactType === 'phone' && abandoned === null) problems.push('abandoned is required for a phone contact (yes or no)');
			if (waitSeconds !== null && waitSeconds > maxWaitSeconds) {
				problems.push(`wait_seconds ${waitSeconds} is more than ${maxWaitSeconds.toLocaleString('en-GB')} seconds (${describeSeconds(maxWaitSeconds)}): is it in milliseconds, or from the wrong columns? Correct it, or import with a higher --max-wait-seconds`);
			}
			// A meeting's agenda is published before the meeting (its received date), so only a meeting may respond first.
			if (firstResponseAt !== null && receivedAt !== null && firstResponseAt < receivedAt && contactType !== 'meeting') {
				problems.push(`responded '${r.responded.trim()}' is before received '${r.received.trim()}': a reply cannot come before the contact; check the two dates (or their columns)`);
			}
			if (resolvedAt !== null && receivedAt !== null && resolvedAt < receivedAt && contactType !== 'meeting') {
				problems.push(`closed '${r.closed.trim()}' is before received '${r.received.trim()}': check the two dates (or their columns)`);
			}
			if (abandoned === true && firstResponseAt !== null) {
				problems.push(`abandoned is '${r.abandoned.trim()}' but the call has a responded time ('${r.responded.trim()}'): an answered call was not abandoned; clear one of them`);
			}
			// paused_from alone: a pause not yet ended (a fee notice unpaid, a clarification awaited).
			if (pausedFrom === null && pausedTo !== null) problems.push('paused_to needs paused_from (when the pause began)');
			else if (pausedFrom === null && pauseReason !== null) problems.push('pause_reason needs paused_from (when the pause began)');
			else if (pausedFrom !== null && pausedTo !== null && pausedTo < pausedFrom) problems.push('paused_to is before paused_from');
			if (problems.length === 0 && !('reason' in placement)) {
				// Named, not spread: spreading `placement` made this literal the import's hottest line (V8 builds a spread object slowly, and it halved the validation rate).
				return {
					row, organisationId: placement.organisationId, serviceId: placement.serviceId, teamId: placement.teamId, contactType, externalRef: reference, receivedAt: receivedAt!, clockStartAt, firstResponseAt, resolvedAt,
					waitSeconds, abandoned, extended: extended ?? false, pausedFrom, pausedTo, pauseReason, version: null
				};
			}
		}
		return problems;
	};
}

const types = new Set<string>(contactTypes);

/** 86400 → 'a day', 3600 → '1 hour', 90 → '90 seconds'. */
function describeSeconds(seconds: number): string {
	if (seconds === 86_400) return 'a day';
	if (seconds % 86_400 === 0) return `${seconds / 86_400} days`;
	if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
	return `${seconds} seconds`;
}

// Module-level, not per-row closures: a million rows should not allocate three functions each.
function required(r: ContactLogRecord, problems: string[], column: ContactLogColumn): string {
	const value = r[column].trim();
	if (value === '') problems.push(`${column} is empty`);
	return value;
}

const when = (r: ContactLogRecord, problems: string[], column: ContactLogColumn, isRequired = false) => instantOf(r, problems, column, isRequired);

/** The pause kinds the built-in types' standards have (engine/events.ts): a FOI's fee notice, a SAR's clarification. */
const PAUSE_OF_TYPE: Record<string, PauseReason> = { foi: 'fee-notice', sar: 'clarification' };

/** pause_reason: fee-notice or clarification ('Fee notice', 'fee_notice' too), and the one the type's standard has. */
function reasonOf(r: ContactLogRecord, problems: string[], contactType: string): PauseReason | null {
	const text = r.pause_reason.trim();
	if (text === '') return null;
	const reason = text.toLowerCase().replace(/[\s_]+/g, '-');
	if (!(PAUSE_REASONS as readonly string[]).includes(reason)) {
		problems.push(`pause_reason '${text}' is not ${PAUSE_REASONS.join(' or ')}`);
		return null;
	}
	const expected = PAUSE_OF_TYPE[contactType];
	if (expected && expected !== reason) problems.push(`pause_reason '${text}' is not a ${contactType} pause: a ${contactType} is paused by ${expected}`);
	return reason as PauseReason;
}

function flag(r: ContactLogRecord, problems: string[], column: ContactLogColumn): boolean | null {
	const parsed = parseFlag(r[column]);
	if (parsed === undefined) problems.push(`${column} '${r[column].trim()}' is not yes, no, true, false, 1 or 0`);
	return parsed ?? null;
}

/**
 * Reads records of one file against its header (through a mapping, when the file is a council's
 * own export): throws a HeaderError (before any row) when required columns are missing, then
 * turns each record into a contact or a rejection.
 */
export function contactLogReader(codes: Codes, header: readonly string[], scope: ContactLogScope = NO_SCOPE) {
	const { mapping } = scope;
	const fixed = new Set([...fixedColumns(mapping), ...(scope.organisation ? ['organisation'] : [])]);
	let index;
	try {
		index = mapColumns(renameHeader(mapping, header), contactLogColumns.map((c) => ({ ...c, required: c.required && !fixed.has(c.name) }))).index;
	} catch (error) {
		if (!(error instanceof HeaderError) || !mapping) throw error;
		throw new HeaderError(`${error.message} (through mapping '${mapping.name}': add the export's name for it under columns, or a value under fixed)`);
	}
	const validate = contactLogValidator(codes, scope);
	const columns = contactLogColumns.map((c) => [c.name, index[c.name]] as const);
	return (record: readonly string[], row: number): RowResult => {
		if (record.length !== header.length) {
			const reason = `has ${record.length} ${record.length === 1 ? 'value' : 'values'} but the header has ${header.length} columns${record.length < header.length ? ' (is the file cut short?)' : ''}`;
			return { rejection: { row, reason, raw: rawRow(header, record) } };
		}
		const input = {} as ContactLogRecord;
		for (const [name, i] of columns) input[name] = i === undefined ? '' : (record[i] ?? '');
		return validate(input, row, () => rawRow(header, record));
	};
}

/** How a file is read: through a council's mapping, and for one organisation only. */
export interface ContactLogScope {
	mapping: Mapping | null;
	/** An organisation code: rows without one are its, rows of any other are refused. */
	organisation: string | null;
	/** The longest wait_seconds accepted (default MAX_WAIT_SECONDS, a day). */
	maxWaitSeconds?: number;
}
const NO_SCOPE: ContactLogScope = { mapping: null, organisation: null };

/**
 * One record (from a file, or an object posted to the API) through the mapping, if any, and the
 * schema. A refused row's reason says which of its values a mapping did not cover.
 */
export function contactLogValidator(codes: Codes, scope: ContactLogScope = NO_SCOPE) {
	const { mapping, organisation } = scope;
	const check = contactLogCheck(codes, scope.maxWaitSeconds);
	const values = compileValues(mapping);
	return (input: ContactLogRecord, row: number, raw: () => Record<string, string>): RowResult => {
		const mapped = mapping ? applyMapping(mapping, values, input) : null;
		const problems = mapped?.problems ?? [];
		if (organisation !== null) {
			if (input.organisation.trim() === '') input.organisation = organisation;
			else if (input.organisation.trim().toLowerCase() !== organisation) problems.push(`organisation '${input.organisation.trim()}' is not ${organisation}, the organisation this import is for`);
		}
		const checked = check(input, row);
		if (!Array.isArray(checked) && problems.length === 0) return { contact: checked };
		const reasons = [...problems, ...(Array.isArray(checked) ? checked : []), ...(mapped?.hints ?? [])];
		return { rejection: { row, reason: [...new Set(reasons)].join('; '), raw: raw() } };
	};
}
