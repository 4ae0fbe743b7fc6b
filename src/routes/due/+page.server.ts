import { dueQuerySchema } from '$lib/due-query.ts';
import { parseForm } from '$lib/forms.ts';
import * as due from '$lib/server/cases/due.ts';
import { caseScope } from '$lib/server/auth/access.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, locals }) => {
	const scope = caseScope(locals.user!);
	const organisations = await due.organisationChoices(locals.db, scope);
	const standards = due.standardChoices();
	const asked = url.searchParams.has('standard') || url.searchParams.has('received');
	if (!asked) return { organisations, standards, query: null, answer: null, errors: [] };
	const raw = Object.fromEntries(url.searchParams);
	const parsed = parseForm(dueQuerySchema, raw, { fallback: 'standard' });
	if ('errors' in parsed) return { organisations, standards, query: raw, answer: null, errors: parsed.errors };
	const result = await due.lookUp(locals.db, parsed.data, scope);
	return { organisations, standards, query: raw, ...result };
}) satisfies PageServerLoad;
