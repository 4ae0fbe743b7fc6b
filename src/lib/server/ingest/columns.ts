/**
 * Matching a file's header to the columns a format knows: case-insensitively, ignoring spaces,
 * `_` and `-` (docs/interfaces.md "The generic contact log"), so 'Wait Seconds', 'wait_seconds' and 'WAIT-SECONDS' are one column.
 * Pure: no I/O.
 */

import { clip } from './rows.ts';

export interface ColumnSpec<Name extends string = string> {
	name: Name;
	required: boolean;
	/** Other spellings a system's export uses for it (already normalised). */
	aliases?: readonly string[];
}

export type ColumnMapping<Name extends string = string> = {
	/** Where each known column is in a record; absent when the file lacks it. */
	index: Partial<Record<Name, number>>;
	/** Header cells that matched nothing: kept in the raw row, otherwise ignored. */
	ignored: string[];
};

export class HeaderError extends Error {}

export const normaliseHeader = (cell: string) => cell.replace(/^\uFEFF/, '').replace(/[\s_-]+/g, '').toLowerCase();

/** Maps a header row to the columns, or throws one HeaderError naming every problem. */
export function mapColumns<Name extends string>(header: readonly string[], specs: readonly ColumnSpec<Name>[]): ColumnMapping<Name> {
	const lookup = new Map<string, Name>();
	for (const spec of specs) {
		lookup.set(normaliseHeader(spec.name), spec.name);
		for (const alias of spec.aliases ?? []) lookup.set(alias, spec.name);
	}
	const index: Partial<Record<Name, number>> = {};
	const ignored: string[] = [];
	const problems: string[] = [];
	header.forEach((cell, i) => {
		const name = lookup.get(normaliseHeader(cell));
		if (name === undefined) ignored.push(cell);
		else if (index[name] !== undefined) problems.push(`column '${name}' appears twice (columns ${index[name]! + 1} and ${i + 1})`);
		else index[name] = i;
	});
	const missing = specs.filter((spec) => spec.required && index[spec.name] === undefined).map((spec) => spec.name);
	if (missing.length > 0) {
		const list = missing.map((name) => `'${name}'`).join(', ');
		problems.unshift(`the header has no ${missing.length === 1 ? 'column' : 'columns'} ${list} (required: ${specs.filter((s) => s.required).map((s) => s.name).join(', ')}; the header read was: ${clip(header.join(', '), 500)})`);
	}
	if (problems.length > 0) throw new HeaderError(`row 1: ${problems.join('; ')}`);
	return { index, ignored };
}

/** The record as the person wrote it, keyed by their own header, for the rejected-rows file. */
export function rawRow(header: readonly string[], record: readonly string[]): Record<string, string> {
	const raw: Record<string, string> = {};
	const width = Math.max(header.length, record.length);
	for (let i = 0; i < width; i++) raw[header[i] ?? `column ${i + 1}`] = record[i] ?? '';
	return raw;
}
