/**
 * Import mappings: how one data source's export reads as the contact log, so a council imports
 * its case-management or CRM export as it comes, with no converter. A mapping names
 *
 * - `columns`: their header → a contact-log column ("Case Ref" → reference), matched loosely as
 *   every header is (case, spaces, `_` and `-` ignored);
 * - `fixed`: a value for a column the export lacks, or leaves empty (organisation, service, team);
 * - `values`: per column, their value → ours ("E-mail" → email, "Corr" → correspondence);
 * - `dates`: how the export writes dates (iso, dd/mm/yyyy or excel), so a date written otherwise
 *   is refused rather than read another way.
 *
 * Pure: the stored definitions are read by directory code; this turns a record into the
 * contact log's record, with the problems it found.
 */
import { z } from 'zod';
import { normaliseHeader } from './columns.ts';
import { contactLogColumns, type ContactLogColumn, type ContactLogRecord } from './contact-log-columns.ts';
import { electoralColumnNames, electoralDateColumns, electoralKinds } from './electoral-columns.ts';
import { feedbackColumnNames, feedbackDateColumns } from './feedback-columns.ts';

const columnNames = contactLogColumns.map((c) => c.name) as [ContactLogColumn, ...ContactLogColumn[]];
export const dateStyles = ['iso', 'dd/mm/yyyy', 'excel'] as const;
export type DateStyle = (typeof dateStyles)[number];

/** What a mapping reads: a contact log (the default), an electoral data file, or survey answers. */
export const mappingKinds = ['contacts', ...electoralKinds, 'feedback'] as const;
export type MappingKind = (typeof mappingKinds)[number];
const kindColumns: Record<MappingKind, readonly string[]> = { contacts: columnNames, ...electoralColumnNames, feedback: feedbackColumnNames };
const kindNoun: Record<MappingKind, string> = { contacts: 'a contact-log column', canvass: 'a column of the canvass file', 'register-changes': 'a column of the register-changes file', feedback: 'a column of a survey answers file' };

const column = z.string();
const cell = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const mappingName = z
	.string()
	.trim()
	.regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'A mapping name is lower-case letters, digits, dots, dashes or underscores (at most 63), starting with a letter or digit');

/** What is stored and what the set-up file's `mappings.<name>` holds. */
export const mappingDefinition = z
	.strictObject({
		/** Absent: a contact log. */
		kind: z.enum(mappingKinds, { error: `kind is one of ${mappingKinds.join(', ')}` }).optional(),
		columns: z.record(cell, column).default({}),
		fixed: z.record(column, cell).default({}),
		values: z.record(column, z.record(cell, cell)).default({}),
		dates: z.enum(dateStyles, { error: `dates is one of ${dateStyles.join(', ')}` }).optional()
	})
	.superRefine((m, ctx) => {
		const kind = m.kind ?? 'contacts';
		const known = kindColumns[kind];
		const check = (name: string, path: PropertyKey[]) => {
			if (!known.includes(name)) ctx.addIssue({ code: 'custom', path, message: `'${name}' is not ${kindNoun[kind]} (${known.join(', ')})` });
		};
		for (const [theirs, ours] of Object.entries(m.columns)) check(ours, ['columns', theirs]);
		for (const name of Object.keys(m.fixed)) check(name, ['fixed', name]);
		for (const name of Object.keys(m.values)) check(name, ['values', name]);
		const targets = new Map<string, string>();
		for (const [theirs, ours] of Object.entries(m.columns)) {
			const seen = targets.get(ours);
			if (seen !== undefined) ctx.addIssue({ code: 'custom', path: ['columns', theirs], message: `both '${seen}' and '${theirs}' map to ${ours}` });
			targets.set(ours, theirs);
		}
	});
export type MappingDefinition = z.output<typeof mappingDefinition>;

export interface Mapping extends MappingDefinition {
	name: string;
}

const DATE_COLUMNS: Record<MappingKind, readonly string[]> = { contacts: ['received', 'clock_start', 'responded', 'closed', 'paused_from', 'paused_to'], ...electoralDateColumns, feedback: feedbackDateColumns };
const DATE_FORMS: Record<DateStyle, RegExp> = {
	iso: /^\d{4}-\d{2}-\d{2}/,
	'dd/mm/yyyy': /^\d{1,2}\/\d{1,2}\/\d{4}/,
	excel: /^\d+(\.\d+)?$/
};

/** The header as the contact log reads it: their names renamed to ours. */
export function renameHeader(mapping: Mapping | null, header: readonly string[]): string[] {
	if (!mapping) return [...header];
	const renamed = new Map(Object.entries(mapping.columns).map(([theirs, ours]) => [normaliseHeader(theirs), ours]));
	return header.map((cell) => renamed.get(normaliseHeader(cell)) ?? cell);
}

/** Columns a mapping supplies a fixed value for: the file need not have them. */
export const fixedColumns = (mapping: Mapping | null): ReadonlySet<string> => new Set(Object.keys(mapping?.fixed ?? {}));

/** Value maps, keyed by the value as written, trimmed and lower-cased. */
export type CompiledValues = Partial<Record<string, Map<string, string>>>;

export function compileValues(mapping: Mapping | null): CompiledValues {
	const compiled: CompiledValues = {};
	for (const [name, map] of Object.entries(mapping?.values ?? {})) {
		compiled[name] = new Map(Object.entries(map).map(([theirs, ours]) => [theirs.trim().toLowerCase(), ours]));
	}
	return compiled;
}

/**
 * Applies fixed values, value maps and the date style to one record, in place. Returns the
 * problems found, and the hints for values the maps did not cover (added to the row's reason
 * only when the row is refused: an unmapped value that is already one of ours is fine).
 */
export function applyMapping(mapping: Mapping, values: CompiledValues, record: ContactLogRecord | Record<string, string>): { problems: string[]; hints: string[] } {
	const problems: string[] = [];
	const hints: string[] = [];
	const cells = record as Record<string, string>;
	for (const [name, value] of Object.entries(mapping.fixed)) {
		if ((cells[name] ?? '').trim() === '') cells[name] = value;
	}
	for (const [name, map] of Object.entries(values) as [string, Map<string, string>][]) {
		const written = (cells[name] ?? '').trim();
		if (written === '') continue;
		const ours = map.get(written.toLowerCase());
		if (ours !== undefined) cells[name] = ours;
		else hints.push(`'${written}' has no value in mapping '${mapping.name}' under values.${name}: add it there`);
	}
	if (mapping.dates) {
		const form = DATE_FORMS[mapping.dates];
		for (const name of DATE_COLUMNS[mapping.kind ?? 'contacts']) {
			const written = (cells[name] ?? '').trim();
			if (written !== '' && !form.test(written)) problems.push(`${name} '${written}' is not written ${mapping.dates}, as mapping '${mapping.name}' says this export writes dates`);
		}
	}
	return { problems, hints };
}
