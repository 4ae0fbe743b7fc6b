/** The columns of the generic contact log (README "The contact log"), in the order they are documented. */
import type { ColumnSpec } from './columns.ts';

export const contactLogColumns = [
	{ name: 'reference', required: true },
	{ name: 'organisation', required: true },
	{ name: 'service', required: true },
	{ name: 'type', required: true },
	{ name: 'received', required: true },
	{ name: 'clock_start', required: false },
	{ name: 'responded', required: false },
	{ name: 'closed', required: false },
	{ name: 'wait_seconds', required: false },
	{ name: 'abandoned', required: false },
	{ name: 'team', required: false },
	{ name: 'extended', required: false },
	{ name: 'paused_from', required: false },
	{ name: 'paused_to', required: false },
	{ name: 'pause_reason', required: false }
] as const satisfies readonly ColumnSpec[];

export type ContactLogColumn = (typeof contactLogColumns)[number]['name'];
/** One record keyed by column name ('' where the file has no such column). */
export type ContactLogRecord = Record<ContactLogColumn, string>;
