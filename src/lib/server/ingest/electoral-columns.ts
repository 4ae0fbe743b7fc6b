/**
 * The columns of the electoral data files (docs/interfaces.md "Electoral data files"), in the
 * order they are documented. Each kind has two grains, told apart by their columns: a canvass
 * file by property or by route (summary), a register-changes file by change or by notice.
 */
import type { ColumnSpec } from './columns.ts';

export const canvassPropertyColumns = [
	{ name: 'organisation', required: true },
	{ name: 'canvass', required: true },
	{ name: 'property', required: true },
	{ name: 'route', required: true },
	{ name: 'responded', required: false }
] as const satisfies readonly ColumnSpec[];

export const canvassSummaryColumns = [
	{ name: 'organisation', required: true },
	{ name: 'canvass', required: true },
	{ name: 'route', required: true },
	{ name: 'properties', required: true },
	{ name: 'responses', required: true },
	{ name: 'as_of', required: false }
] as const satisfies readonly ColumnSpec[];

export const registerChangeColumns = [
	{ name: 'organisation', required: true },
	{ name: 'change', required: true },
	{ name: 'kind', required: true },
	{ name: 'determined', required: true },
	{ name: 'notice', required: false }
] as const satisfies readonly ColumnSpec[];

export const noticeSummaryColumns = [
	{ name: 'organisation', required: true },
	{ name: 'notice', required: true },
	{ name: 'determined_before_cutoff', required: true },
	{ name: 'included', required: true }
] as const satisfies readonly ColumnSpec[];

export const electoralKinds = ['canvass', 'register-changes'] as const;
export type ElectoralKind = (typeof electoralKinds)[number];

/** Every column a file of the kind may have, at either grain (what a mapping of that kind may name). */
export const electoralColumnNames: Record<ElectoralKind, readonly string[]> = {
	canvass: [...new Set([...canvassPropertyColumns, ...canvassSummaryColumns].map((c) => c.name))],
	'register-changes': [...new Set([...registerChangeColumns, ...noticeSummaryColumns].map((c) => c.name))]
};

/** The date columns of each kind (a mapping's `dates` style applies to them). */
export const electoralDateColumns: Record<ElectoralKind, readonly string[]> = {
	canvass: ['responded', 'as_of'],
	'register-changes': ['determined', 'notice']
};
