import { error } from '@sveltejs/kit';
import { parseFilters } from '$lib/filters.ts';
import * as indicators from '$lib/server/indicators.ts';
import * as overview from '$lib/server/overview.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parseFilters(url.searchParams, filterScope);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const [found, headlines] = await Promise.all([
		overview.overview(locals.db, parsed.filters),
		// The service plan's ES01 and ES02 cards: their latest figures up to the period's end.
		indicators.headlines(locals.db, { organisation: parsed.filters.organisation, periodEnd: parsed.filters.period.end })
	]);
	return { filters: parsed.filters, overview: found, indicators: headlines };
}) satisfies PageServerLoad;
