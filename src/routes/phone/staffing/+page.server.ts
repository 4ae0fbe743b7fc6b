import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { localDate } from '$lib/engine/dates.ts';
import { parseFilters } from '$lib/filters.ts';
import { parseForm } from '$lib/forms.ts';
import * as staffing from '$lib/server/dashboard/staffing.ts';
import type { PageServerLoad } from './$types';

const options = z.object({
	shrinkage: z.coerce.number({ error: 'Shrinkage must be a number' }).min(0, 'Shrinkage must be 0% or more').max(90, 'Shrinkage must be 90% or less').default(30),
	occupancy: z.coerce.number({ error: 'Maximum occupancy must be a number' }).min(10, 'Maximum occupancy must be 10% or more').max(100, 'Maximum occupancy must be 100% or less').default(85),
	day: z.coerce.number({ error: 'Day must be a weekday number' }).int('Day must be a weekday number').min(1, 'Day must be 1 (Monday) to 7 (Sunday)').max(7, 'Day must be 1 (Monday) to 7 (Sunday)').optional()
});

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const own = new URLSearchParams([...url.searchParams].filter(([key]) => key === 'shrinkage' || key === 'occupancy' || key === 'day'));
	const filterParams = new URLSearchParams([...url.searchParams].filter(([key]) => !own.has(key)));
	const parsed = parseFilters(filterParams, filterScope);
	const chosen = parseForm(options, Object.fromEntries([...own].filter(([, value]) => value !== '')));
	const errors = [...('errors' in parsed ? parsed.errors : []), ...('errors' in chosen ? chosen.errors : [])];
	if ('errors' in parsed || 'errors' in chosen) error(400, { message: 'There is a problem with the staffing options', errors });
	const today = localDate(new Date());
	const { from, to } = staffing.window(parsed.filters.period.end < today ? parsed.filters.period.end : today);
	const report = await staffing.report(locals.db, { ...parsed.filters, from, to, shrinkage: chosen.data.shrinkage / 100, maxOccupancy: chosen.data.occupancy / 100 });
	return { filters: parsed.filters, report, options: chosen.data };
}) satisfies PageServerLoad;
