import { error } from '@sveltejs/kit';
import { financialYear } from '$lib/engine/periods.ts';
import { parsePlanFilters } from '$lib/plan-filters.ts';
import * as duties from '$lib/server/plan/duties.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parsePlanFilters(url.searchParams, filterScope, 'year');
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const { organisation } = parsed.filters;
	const year = financialYear(parsed.filters.financialYear);
	return { filters: parsed.filters, year: year.label, register: await duties.register(locals.db, { organisation, from: year.start, to: year.end }) };
}) satisfies PageServerLoad;
