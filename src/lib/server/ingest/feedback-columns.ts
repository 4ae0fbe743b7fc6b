/**
 * The columns of a survey answers file (docs/interfaces.md is unchanged: this is read through a
 * `feedback` mapping, or written with these names): answers collected outside Yardstick, from a
 * GOV.UK Forms export or any survey tool's CSV.
 */
import type { ColumnSpec } from './columns.ts';

export const feedbackColumns = [
	{ name: 'organisation', required: true },
	{ name: 'service', required: true },
	/** The survey tool's own id for the answer: a re-import updates it, never adds it twice. */
	{ name: 'reference', required: true },
	{ name: 'given', required: true },
	/** 1–5, or the GOV.UK five words. */
	{ name: 'satisfaction', required: false },
	{ name: 'resolved', required: false },
	{ name: 'channel', required: false },
	{ name: 'comment', required: false },
	/** The contact's reference in the contact log, to link the answer to it. */
	{ name: 'contact', required: false },
	/** survey (the default), compliment, comment or complaint. */
	{ name: 'kind', required: false }
] as const satisfies readonly ColumnSpec[];

export const feedbackColumnNames: readonly string[] = feedbackColumns.map((c) => c.name);
export const feedbackDateColumns: readonly string[] = ['given'];
