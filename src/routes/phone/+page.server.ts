import { error } from '@sveltejs/kit';
import { parseFilters } from '$lib/filters.ts';
import * as phone from '$lib/server/dashboard/phone.ts';
import { localDate } from '$lib/engine/dates.ts';
import { labelSoFar } from '$lib/engine/reporting-period.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parseFilters(url.searchParams, filterScope);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const today = localDate(new Date());
	// A period (or a day) under way is 'so far': its figures are not final.
	return { filters: parsed.filters, today, periodLabel: labelSoFar(parsed.filters.period, today), report: await phone.report(locals.db, parsed.filters) };
}) satisfies PageServerLoad;
