/**
 * The electoral data files (docs/interfaces.md "Electoral data files"): one record → a canvass
 * property, a canvass summary by route, a register change or a notice's counts, or a rejection
 * with every plain reason found; plus the warnings a person should see before confirming (a
 * notice dated on a day that is not a working day). Then the checks that need the whole file (a
 * property in two routes, a change listed twice). Pure given the codes: no I/O.
 */
import { getCalendar } from '../../engine/calendar.ts';
import { fromEpochDay, localEpochDay } from '../../engine/dates.ts';
import { canvassPeriod, isNoticeMonth, monthlyNoticeDue, noticeCutOff } from '../../engine/duties.ts';
import type { Codes } from './codes.ts';
import { HeaderError, mapColumns, normaliseHeader, rawRow, type ColumnSpec } from './columns.ts';
import { canvassPropertyColumns, canvassSummaryColumns, noticeSummaryColumns, registerChangeColumns, type ElectoralKind } from './electoral-columns.ts';
import { applyMapping, compileValues, fixedColumns, renameHeader, type Mapping } from './mappings.ts';
import { instantOf, type Rejection } from './rows.ts';
import { day, month } from '../../format.ts';

export type ElectoralGrain = 'canvass-property' | 'canvass-summary' | 'register-change' | 'notice-summary';

export const grainNames: Record<ElectoralGrain, string> = {
	'canvass-property': 'canvass, one row per property',
	'canvass-summary': 'canvass, one row per canvass and route',
	'register-change': 'register changes, one row per change',
	'notice-summary': 'register changes, one row per notice'
};

export type ChangeKind = 'addition' | 'amendment' | 'deletion';
const changeKinds: readonly ChangeKind[] = ['addition', 'amendment', 'deletion'];

interface Base {
	row: number;
	organisationId: number;
	/** The row as read, made only when the row is rejected after all (a whole canvass is held at once). */
	raw: () => Record<string, string>;
}
export interface CanvassPropertyRecord extends Base {
	grain: 'canvass-property';
	canvassYear: number;
	propertyRef: string;
	route: number;
	respondedOn: string | null;
}
export interface CanvassSummaryRecord extends Base {
	grain: 'canvass-summary';
	canvassYear: number;
	route: number;
	properties: number;
	responses: number;
	asOf: string | null;
}
export interface RegisterChangeRecord extends Base {
	grain: 'register-change';
	changeRef: string;
	kind: ChangeKind;
	determinedOn: string;
	noticeOn: string | null;
}
export interface NoticeSummaryRecord extends Base {
	grain: 'notice-summary';
	noticeOn: string;
	determined: number;
	included: number;
}
export type ElectoralRecord = CanvassPropertyRecord | CanvassSummaryRecord | RegisterChangeRecord | NoticeSummaryRecord;

export interface Warning {
	row: number;
	reason: string;
}

export type ElectoralResult = { record: ElectoralRecord; warnings: string[] } | { rejection: Rejection };

export interface ElectoralScope {
	mapping: Mapping | null;
	/** An organisation code: rows without one are its, rows of any other are refused. */
	organisation: string | null;
}

const calendar = getCalendar('england-wales');
export const formatDate = (date: string) => day(date);
export const formatMonth = (date: string) => month(date.slice(0, 7));

/** Which grain a header is: the column only that grain has decides. */
function grainOf(kind: ElectoralKind, header: readonly string[]): ElectoralGrain {
	const names = new Set(header.map(normaliseHeader));
	if (kind === 'canvass') return names.has('property') || !names.has('properties') ? 'canvass-property' : 'canvass-summary';
	return names.has('change') || !(names.has('included') || names.has('determinedbeforecutoff')) ? 'register-change' : 'notice-summary';
}

const specsOf: Record<ElectoralGrain, readonly ColumnSpec[]> = {
	'canvass-property': canvassPropertyColumns,
	'canvass-summary': canvassSummaryColumns,
	'register-change': registerChangeColumns,
	'notice-summary': noticeSummaryColumns
};

/**
 * Reads the records of one file against its header (through a mapping, when it is an EMS's own
 * report): throws a HeaderError (before any row) when required columns are missing.
 */
export function electoralReader(kind: ElectoralKind, codes: Codes, header: readonly string[], scope: ElectoralScope) {
	const { mapping } = scope;
	if (mapping && (mapping.kind ?? 'contacts') !== kind) {
		throw new HeaderError(`row 1: mapping '${mapping.name}' reads ${mapping.kind ? `a ${mapping.kind} file` : 'a contact log'}, not a ${kind} file`);
	}
	const renamed = renameHeader(mapping, header);
	const grain = grainOf(kind, renamed);
	const specs = specsOf[grain];
	const fixed = new Set([...fixedColumns(mapping), ...(scope.organisation ? ['organisation'] : [])]);
	let index: Partial<Record<string, number>>;
	try {
		index = mapColumns(renamed, specs.map((c) => ({ ...c, required: c.required && !fixed.has(c.name) }))).index;
	} catch (error) {
		if (!(error instanceof HeaderError)) throw error;
		const other = kind === 'canvass' ? 'or, one row per canvass and route: organisation, canvass, route, properties, responses, as_of' : 'or, one row per notice: organisation, notice, determined_before_cutoff, included';
		throw new HeaderError(`${error.message} (a ${kind} file ${other})${mapping ? ` (through mapping '${mapping.name}': add the report's name for it under columns, or a value under fixed)` : ''}`);
	}
	const values = compileValues(mapping);
	const columns = specs.map((c) => [c.name, index[c.name]] as const);
	const read = (record: readonly string[], row: number): ElectoralResult => {
		const raw = () => rawRow(header, record);
		if (record.length !== header.length) {
			const reason = `has ${record.length} ${record.length === 1 ? 'value' : 'values'} but the header has ${header.length} columns${record.length < header.length ? ' (is the file cut short?)' : ''}`;
			return { rejection: { row, reason, raw: raw() } };
		}
		const input: Record<string, string> = {};
		for (const [name, i] of columns) input[name] = i === undefined ? '' : (record[i] ?? '');
		const mapped = mapping ? applyMapping(mapping, values, input) : null;
		const problems = [...(mapped?.problems ?? [])];
		const warnings: string[] = [];
		const organisationText = input.organisation!.trim();
		if (scope.organisation !== null && organisationText !== '' && organisationText.toLowerCase() !== scope.organisation) {
			problems.push(`organisation '${organisationText}' is not ${scope.organisation}, the organisation this import is for`);
		}
		const code = (organisationText || scope.organisation || '').toLowerCase();
		const organisation = code === '' ? undefined : codes.organisations.get(code);
		if (code === '') problems.push('organisation is empty');
		else if (!organisation) problems.push(`organisation '${organisationText}' is not one of ${[...codes.organisations.keys()].sort().join(', ') || 'the organisations (none yet)'}`);
		const parsed = parse(grain, input, problems, warnings);
		if (problems.length === 0 && parsed && organisation) return { record: { ...parsed, row, raw, organisationId: organisation.id } as ElectoralRecord, warnings };
		const reasons = [...problems, ...(mapped?.hints ?? [])];
		return { rejection: { row, reason: [...new Set(reasons)].join('; '), raw: raw() } };
	};
	return { grain, read };
}

type Parsed = ElectoralRecord extends infer R ? (R extends ElectoralRecord ? Omit<R, 'row' | 'raw' | 'organisationId'> : never) : never;

function parse(grain: ElectoralGrain, r: Record<string, string>, problems: string[], warnings: string[]): Parsed | null {
	switch (grain) {
		case 'canvass-property': {
			const canvassYear = year(r, problems);
			const propertyRef = required(r, problems, 'property');
			const route = routeOf(r, problems);
			const respondedOn = dateOf(r, problems, 'responded');
			if (canvassYear !== null && respondedOn !== null) {
				const start = canvassPeriod(canvassYear).start;
				if (respondedOn < start) problems.push(`responded ${respondedOn} is before the ${canvassYear} canvass began on ${formatDate(start)}`);
			}
			return problems.length ? null : { grain, canvassYear: canvassYear!, propertyRef, route: route!, respondedOn };
		}
		case 'canvass-summary': {
			const canvassYear = year(r, problems);
			const route = routeOf(r, problems);
			const properties = count(r, problems, 'properties');
			const responses = count(r, problems, 'responses');
			const asOf = dateOf(r, problems, 'as_of');
			if (properties !== null && responses !== null && responses > properties) problems.push(`responses (${responses}) is more than properties (${properties})`);
			if (canvassYear !== null && asOf !== null) {
				const start = canvassPeriod(canvassYear).start;
				if (asOf < start) problems.push(`as_of ${asOf} is before the ${canvassYear} canvass began on ${formatDate(start)}`);
			}
			return problems.length ? null : { grain, canvassYear: canvassYear!, route: route!, properties: properties!, responses: responses!, asOf };
		}
		case 'register-change': {
			const changeRef = required(r, problems, 'change');
			const kindText = r.kind!.trim();
			const kind = kindText.toLowerCase() as ChangeKind;
			if (kindText === '') problems.push('kind is empty');
			else if (!changeKinds.includes(kind)) problems.push(`kind '${kindText}' is not addition, amendment or deletion`);
			const determinedOn = dateOf(r, problems, 'determined', true);
			const noticeOn = dateOf(r, problems, 'notice');
			if (determinedOn !== null && noticeOn !== null) {
				if (determinedOn > noticeOn) problems.push(`determined ${determinedOn} is after the notice of ${noticeOn} that includes it`);
				else {
					const cutOff = noticeCutOff(monthlyNoticeDue(noticeOn, calendar).dueOn, calendar);
					if (determinedOn > cutOff) warnings.push(`determined ${determinedOn} is after the ${formatMonth(noticeOn)} notice's cut-off (${formatDate(cutOff)}): it belongs in the next notice`);
				}
			}
			if (noticeOn !== null) noticeWarnings(noticeOn, warnings);
			return problems.length ? null : { grain, changeRef, kind, determinedOn: determinedOn!, noticeOn };
		}
		case 'notice-summary': {
			const noticeOn = dateOf(r, problems, 'notice', true);
			const determined = count(r, problems, 'determined_before_cutoff');
			const included = count(r, problems, 'included');
			if (determined !== null && included !== null && included > determined) problems.push(`included (${included}) is more than determined_before_cutoff (${determined})`);
			if (noticeOn !== null) noticeWarnings(noticeOn, warnings);
			return problems.length ? null : { grain, noticeOn: noticeOn!, determined: determined!, included: included! };
		}
	}
}

/** A notice is published on a working day (the first of its month): another day is worth a second look. */
function noticeWarnings(noticeOn: string, warnings: string[]) {
	if (!isNoticeMonth(noticeOn)) warnings.push(`notice ${noticeOn} falls in the canvass (August to December), when no monthly notices are published: check the date`);
	const why = calendar.nonWorkingReason(noticeOn);
	if (why) warnings.push(`notice ${noticeOn} is not a working day (${why}): notices are published on the first working day of the month`);
}

function required(r: Record<string, string>, problems: string[], column: string): string {
	const value = r[column]!.trim();
	if (value === '') problems.push(`${column} is empty`);
	return value;
}

function year(r: Record<string, string>, problems: string[]): number | null {
	const value = r.canvass!.trim();
	if (value === '') {
		problems.push('canvass is empty');
		return null;
	}
	if (!/^\d{4}$/.test(value) || Number(value) < 1990 || Number(value) > 2100) {
		problems.push(`canvass '${value}' is not a year such as 2025 (the year the canvass began)`);
		return null;
	}
	return Number(value);
}

function routeOf(r: Record<string, string>, problems: string[]): number | null {
	const value = r.route!.trim();
	if (value === '') problems.push('route is empty');
	else if (!/^[123]$/.test(value)) problems.push(`route '${value}' is not 1, 2 or 3`);
	else return Number(value);
	return null;
}

function count(r: Record<string, string>, problems: string[], column: string): number | null {
	const value = r[column]!.trim();
	if (value === '') problems.push(`${column} is empty`);
	else if (!/^\d{1,9}$/.test(value)) problems.push(`${column} '${value}' is not a whole number`);
	else return Number(value);
	return null;
}

/** A date column as a London calendar date (a date-time is taken on its day). */
function dateOf(r: Record<string, string>, problems: string[], column: string, isRequired = false): string | null {
	const ms = instantOf(r, problems, column, isRequired);
	return ms === null ? null : fromEpochDay(localEpochDay(ms));
}

/**
 * The checks that need the whole file: a property twice in one canvass (in two routes, or with
 * two response dates) keeps none of its rows; an exact repeat of a row is a duplicate of the
 * first; a change, a notice or a summary listed twice keeps the first.
 */
export function settleFile(records: ElectoralRecord[]): { kept: ElectoralRecord[]; rejected: Rejection[] } {
	const rejected: Rejection[] = [];
	const first = new Map<string, ElectoralRecord>();
	const conflicted = new Set<string>();
	const kept: ElectoralRecord[] = [];
	for (const record of records) {
		const key = keyOf(record);
		const seen = first.get(key);
		if (!seen) {
			first.set(key, record);
			continue;
		}
		if (sameValues(seen, record)) {
			rejected.push({ row: record.row, reason: `duplicate of row ${seen.row}`, raw: record.raw() });
			continue;
		}
		if (record.grain === 'canvass-property' && seen.grain === 'canvass-property') {
			conflicted.add(key);
			const reason =
				seen.route !== record.route
					? `property ${record.propertyRef} is in route ${record.route} here and in route ${seen.route} in row ${seen.row}: a property is in one route in a canvass (neither row is stored)`
					: `property ${record.propertyRef} is also in row ${seen.row} with another response date (neither row is stored)`;
			rejected.push({ row: record.row, reason, raw: record.raw() });
			continue;
		}
		rejected.push({ row: record.row, reason: `${describeKey(record)} is also in row ${seen.row} with other values: the first is kept`, raw: record.raw() });
	}
	for (const [key, record] of first) {
		if (!conflicted.has(key)) kept.push(record);
		else if (record.grain === 'canvass-property') {
			rejected.push({ row: record.row, reason: `property ${record.propertyRef} is in more than one row of this canvass (see the later rows; neither is stored)`, raw: record.raw() });
		}
	}
	kept.sort((a, b) => a.row - b.row);
	return { kept, rejected };
}

function keyOf(r: ElectoralRecord): string {
	switch (r.grain) {
		case 'canvass-property':
			return `${r.organisationId}:${r.canvassYear}:${r.propertyRef}`;
		case 'canvass-summary':
			return `${r.organisationId}:${r.canvassYear}:${r.route}:${r.asOf ?? ''}`;
		case 'register-change':
			return `${r.organisationId}:${r.changeRef}`;
		case 'notice-summary':
			return `${r.organisationId}:${r.noticeOn.slice(0, 7)}`;
	}
}

function describeKey(r: ElectoralRecord): string {
	switch (r.grain) {
		case 'canvass-property':
			return `property ${r.propertyRef}`;
		case 'canvass-summary':
			return `the ${r.canvassYear} canvass's route ${r.route}${r.asOf ? ` as of ${r.asOf}` : ' (final)'}`;
		case 'register-change':
			return `change ${r.changeRef}`;
		case 'notice-summary':
			return `the ${formatMonth(r.noticeOn)} notice`;
	}
}

function sameValues(a: ElectoralRecord, b: ElectoralRecord): boolean {
	const strip = ({ row: _row, raw: _raw, ...rest }: ElectoralRecord) => JSON.stringify(rest);
	return strip(a) === strip(b);
}
