import type { z } from 'zod';
import { readDateInput } from './date-input.ts';

/** A GOV.UK field error: the field's id (the error summary links to it) and what to do about it. */
export interface FieldError {
	field: string;
	message: string;
}

export interface FormOptions {
	/** Before each field name, for a page with several forms whose ids differ ('review' → 'review-likelihood'). */
	prefix?: string;
	/** The field for an issue about the whole input (one with no path). */
	fallback?: string;
	/** Other words than the schema's message (a filter quotes the value it refuses); given the issue and the value sent. */
	message?: (issue: z.core.$ZodIssue, value: unknown) => string;
}

/**
 * Form fields or a query string (or the object a route made of them) checked by a zod schema: the
 * data, or one field error per issue, in the schema's order, for the page's error summary.
 */
export function parseForm<S extends z.ZodType>(schema: S, input: FormData | URLSearchParams | Record<string, unknown>, options: FormOptions = {}): { data: z.output<S> } | { errors: FieldError[] } {
	const values: Record<string, unknown> = input instanceof FormData || input instanceof URLSearchParams ? Object.fromEntries(input) : input;
	const parsed = schema.safeParse(values);
	if (parsed.success) return { data: parsed.data };
	return {
		errors: parsed.error.issues.map((issue) => {
			const name = String(issue.path[0] ?? options.fallback);
			return { field: options.prefix ? `${options.prefix}-${name}` : name, message: options.message ? options.message(issue, values[name]) : issue.message };
		})
	};
}

/**
 * A GOV.UK date input's three boxes (`name-day`, `name-month`, `name-year`) as YYYY-MM-DD, read
 * by the one date-input reader: '' when all three are empty, 'not a date' for a schema to refuse.
 */
export function dateOf(values: Record<string, unknown>, name: string): string {
	const read = readDateInput({ day: values[`${name}-day`], month: values[`${name}-month`], year: values[`${name}-year`] }, name);
	// A schema's date check then says what is wrong; one that is not a real date fails it.
	return 'date' in read ? read.date : 'empty' in read ? '' : 'not a date';
}

/** Every value of a repeated field (ticked checkboxes), as strings. */
export const allOf = (input: FormData, name: string): string[] => input.getAll(name).map(String).filter((value) => value !== '');

/**
 * What a refused form sent, to fill it in again: `text` for a field with one value, `list` for
 * ticked checkboxes; undefined on a first visit (the page's defaults then apply).
 */
export function sentValues(form: { values?: Record<string, unknown> } | null | undefined) {
	const values = (form?.values ?? {}) as Record<string, string | string[]>;
	return {
		text: (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
		list: (name: string): string[] | undefined => (Array.isArray(values[name]) ? (values[name] as string[]) : undefined)
	};
}
