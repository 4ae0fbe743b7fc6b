import { error } from '@sveltejs/kit';
import { parseFilters } from '$lib/filters.ts';
import * as indicators from '$lib/server/plan/indicators.ts';
import * as overview from '$lib/server/dashboard/overview.ts';
import { cached, toMinute } from '$lib/server/dashboard/cache.ts';
import * as assessments from '$lib/server/assessments/index.ts';
import { can } from '$lib/server/auth/access.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parseFilters(url.searchParams, filterScope);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const { filters } = parsed;
	const db = locals.db;
	// Recomputed after any committed write, or at the next minute ("overdue now"): see dashboard/cache.ts.
	const minute = toMinute(new Date());
	const [[found, headlines], unscored] = await Promise.all([
		cached(db, `overview:${minute.toISOString()}:${JSON.stringify(filters)}`, () =>
			Promise.all([
				overview.overview(db, filters, minute),
				// The service plan's ES01 and ES02 cards: their latest figures up to the period's end.
				indicators.headlines(db, { organisation: filters.organisation, periodEnd: filters.period.end, asOf: minute })
			])
		),
		// Admins are told, loudly, of stored contacts no standard scores (whatever the filters): until the next write, from the cache.
		can(locals.user, 'administer') ? cached(db, 'unscored', () => assessments.unscored(db)) : Promise.resolve([])
	]);
	return { filters, overview: found, indicators: headlines, unscored };
}) satisfies PageServerLoad;
