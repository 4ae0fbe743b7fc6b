import { error } from '@sveltejs/kit';
import { parseFilters } from '$lib/filters.ts';
import * as phone from '$lib/server/dashboard/phone.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parseFilters(url.searchParams, filterScope);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	return { filters: parsed.filters, report: await phone.report(locals.db, parsed.filters) };
}) satisfies PageServerLoad;
