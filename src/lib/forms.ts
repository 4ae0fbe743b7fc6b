import type { z } from 'zod';

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
 * A GOV.UK date input's three fields (`<name>`, `<name>-month`, `<name>-year`: the day's id is the
 * name so an error summary links to it) as YYYY-MM-DD: '' when all three are empty, else what was
 * typed, for a schema to refuse if it is not a date ('2020-4-x').
 */
export function dateOf(values: Record<string, unknown>, name: string): string {
	const part = (key: string) => String(values[key] ?? '').trim();
	const [day, month, year] = [part(name), part(`${name}-month`), part(`${name}-year`)];
	if (day === '' && month === '' && year === '') return '';
	const pad = (text: string) => (/^\d$/.test(text) ? `0${text}` : text);
	return `${year}-${pad(month)}-${pad(day)}`;
}

/** Every value of a repeated field (ticked checkboxes), as strings. */
export const allOf = (input: FormData, name: string): string[] => input.getAll(name).map(String).filter((value) => value !== '');
