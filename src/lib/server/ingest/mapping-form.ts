/**
 * The "make a mapping" form (the /import preview's and /import/mappings'): its fields to a
 * mapping definition, with GOV.UK field errors, and a stored mapping back to its fields.
 *
 * Fields: `theirs-<i>` (their header) and `ours-<i>` (a contact-log column, or '' to ignore it);
 * `fixed-organisation`, `fixed-service`, `fixed-team`; `values-type`, `values-team` (lines
 * `theirs = ours`); `dates` ('any' for any); `name`.
 */
import type { FieldError } from '../../forms.ts';
import { normaliseHeader } from './columns.ts';
import { contactLogColumns, type ContactLogColumn } from './contact-log-columns.ts';
import { dateStyles, mappingDefinition, mappingName, type Mapping, type MappingDefinition } from './mappings.ts';

export const fixableColumns = ['organisation', 'service', 'team'] as const satisfies readonly ContactLogColumn[];
export const valueMappedColumns = ['type', 'team'] as const satisfies readonly ContactLogColumn[];

export interface MappingForm {
	name: string;
	rows: { theirs: string; ours: string }[];
	fixed: Record<(typeof fixableColumns)[number], string>;
	values: Record<(typeof valueMappedColumns)[number], string>;
	dates: string;
}

const columnNames = new Set<string>(contactLogColumns.map((c) => c.name));

/** The form for a file's header: through `mapping` when given, else each header cell that is already one of ours. */
export function formOf(mapping: Mapping | null, header: readonly string[] = []): MappingForm {
	const columns = new Map(Object.entries(mapping?.columns ?? {}).map(([theirs, ours]) => [normaliseHeader(theirs), { theirs, ours }]));
	const ours = new Map(contactLogColumns.map((c) => [normaliseHeader(c.name), c.name as string]));
	const rows = header.map((cell) => ({ theirs: cell, ours: columns.get(normaliseHeader(cell))?.ours ?? ours.get(normaliseHeader(cell)) ?? '' }));
	const seen = new Set(header.map(normaliseHeader));
	for (const { theirs, ours: column } of columns.values()) if (!seen.has(normaliseHeader(theirs))) rows.push({ theirs, ours: column });
	const lines = (column: ContactLogColumn) =>
		Object.entries(mapping?.values[column] ?? {})
			.map(([theirs, ours]) => `${theirs} = ${ours}`)
			.join('\n');
	return {
		name: mapping?.name ?? '',
		rows,
		fixed: { organisation: mapping?.fixed.organisation ?? '', service: mapping?.fixed.service ?? '', team: mapping?.fixed.team ?? '' },
		values: { type: lines('type'), team: lines('team') },
		dates: mapping?.dates ?? ''
	};
}

/** The form's fields as sent (FormData entries as strings). */
export function readForm(values: Record<string, string>): MappingForm {
	const rows: MappingForm['rows'] = [];
	for (let i = 0; `theirs-${i}` in values || `ours-${i}` in values; i++) rows.push({ theirs: (values[`theirs-${i}`] ?? '').trim(), ours: values[`ours-${i}`] ?? '' });
	return {
		name: (values.name ?? '').trim(),
		rows,
		fixed: { organisation: values['fixed-organisation'] ?? '', service: values['fixed-service'] ?? '', team: values['fixed-team'] ?? '' },
		values: { type: values['values-type'] ?? '', team: values['values-team'] ?? '' },
		dates: values.dates === 'any' ? '' : (values.dates ?? '')
	};
}

/**
 * The mapping the form describes, or its problems. `needName`: saving needs a name; trying one
 * does not (it is called 'new mapping' in the preview's reasons).
 */
export function mappingOf(form: MappingForm, needName: boolean): { mapping: Mapping } | { errors: FieldError[] } {
	const errors: FieldError[] = [];
	let name = 'new mapping';
	if (needName || form.name !== '') {
		const checked = mappingName.safeParse(form.name);
		if (checked.success) name = checked.data;
		else errors.push({ field: 'name', message: form.name === '' ? 'Enter a name for the mapping' : checked.error.issues[0]!.message });
	}
	const columns: Record<string, string> = {};
	const mappedTo = new Map<string, string>();
	form.rows.forEach((row, i) => {
		if (row.ours === '' || row.theirs === '') return;
		if (!columnNames.has(row.ours)) errors.push({ field: `ours-${i}`, message: `Choose a contact-log column for ${row.theirs}, or ignore it` });
		else if (mappedTo.has(row.ours)) errors.push({ field: `ours-${i}`, message: `Both ${mappedTo.get(row.ours)} and ${row.theirs} are matched to ${row.ours}: choose one` });
		else {
			mappedTo.set(row.ours, row.theirs);
			columns[row.theirs] = row.ours;
		}
	});
	const fixed: Record<string, string> = {};
	for (const column of fixableColumns) if (form.fixed[column].trim() !== '') fixed[column] = form.fixed[column].trim();
	const values: Record<string, Record<string, string>> = {};
	for (const column of valueMappedColumns) {
		const lines = form.values[column].split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
		const map: Record<string, string> = {};
		lines.forEach((line, n) => {
			const at = line.lastIndexOf('=');
			const theirs = at < 0 ? '' : line.slice(0, at).trim();
			const ours = at < 0 ? '' : line.slice(at + 1).trim();
			if (theirs === '' || ours === '') errors.push({ field: `values-${column}`, message: `Line ${n + 1} of the ${column} values, ‘${line}’, is not written as their value = ours` });
			else map[theirs] = ours;
		});
		if (Object.keys(map).length) values[column] = map;
	}
	if (form.dates !== '' && !(dateStyles as readonly string[]).includes(form.dates)) errors.push({ field: 'dates-any', message: 'Choose how the file writes dates' });
	if (errors.length) return { errors };
	const parsed = mappingDefinition.safeParse({ columns, fixed, values, ...(form.dates ? { dates: form.dates } : {}) });
	if (!parsed.success) return { errors: parsed.error.issues.map((issue) => ({ field: fieldOf(issue.path, form), message: issue.message })) };
	return { mapping: { name, ...(parsed.data as MappingDefinition) } };
}

function fieldOf(path: readonly PropertyKey[], form: MappingForm): string {
	const [part, key] = path.map(String);
	if (part === 'fixed' && key) return `fixed-${key}`;
	if (part === 'values' && key) return `values-${key}`;
	if (part === 'columns' && key) return `ours-${Math.max(0, form.rows.findIndex((r) => r.theirs === key))}`;
	return 'name';
}
