import { dueQuerySchema } from '$lib/due-query.ts';
import { parseForm } from '$lib/forms.ts';
import * as due from '$lib/server/cases/due.ts';
import * as directory from '$lib/server/directory/directory.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, locals }) => {
	const organisations = (await directory.list(locals.db)).map(({ code, name }) => ({ code, name }));
	const standards = due.standardChoices();
	const asked = url.searchParams.has('standard') || url.searchParams.has('received');
	if (!asked) return { organisations, standards, query: null, answer: null, errors: [] };
	const raw = Object.fromEntries(url.searchParams);
	const parsed = parseForm(dueQuerySchema, raw, { fallback: 'standard' });
	if ('errors' in parsed) return { organisations, standards, query: raw, answer: null, errors: parsed.errors };
	const result = await due.lookUp(locals.db, parsed.data);
	return { organisations, standards, query: raw, ...result };
}) satisfies PageServerLoad;
