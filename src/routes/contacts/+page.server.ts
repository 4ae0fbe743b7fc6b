import { error } from '@sveltejs/kit';
import * as contacts from '$lib/server/contacts.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const log = await contacts.caseLog(locals.db, url.searchParams, filterScope);
	if ('errors' in log) error(400, { message: 'There is a problem with the search', errors: log.errors });
	return { log };
}) satisfies PageServerLoad;
