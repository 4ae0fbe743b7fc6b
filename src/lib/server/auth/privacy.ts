/**
 * Committee viewers see aggregates and nobody's name (docs/rules.md "Privacy": the committee report
 * holds no personal data), on the pages as in the committee report: who wrote a commentary, set a target or
 * reviewed a risk is left out for them.
 */
import type { Viewer } from './access.ts';

const NAMED = new Set(['author', 'authorId', 'setBy', 'reviewedBy']);

/** `value` as the viewer may see it: for a committee viewer, every author / setter / reviewer emptied. */
export function forViewer<T>(viewer: Pick<Viewer, 'role'> | null, value: T): T {
	if (viewer?.role !== 'committee') return value;
	return strip(value) as T;
}

function strip(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(strip);
	if (value === null || typeof value !== 'object' || value instanceof Date) return value;
	return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, NAMED.has(key) ? (key === 'author' ? '' : null) : strip(inner)]));
}
