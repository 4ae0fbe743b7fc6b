import { error } from '@sveltejs/kit';
import { caseScope } from '$lib/server/auth/access.ts';
import * as caseLog from '$lib/server/cases/case-log.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	// The hook let only viewers with 'cases' in; the query shows them only the cases of their organisation and teams.
	const log = await caseLog.caseLog(locals.db, url.searchParams, filterScope, caseScope(locals.user!));
	if ('errors' in log) error(400, { message: 'There is a problem with the search', errors: log.errors });
	return { log };
}) satisfies PageServerLoad;
