import { localDate } from '$lib/engine/dates.ts';
import { periodChoices } from '$lib/engine/reporting-period.ts';
import * as scope from '$lib/server/scope.ts';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const [filterScope, earliest] = await Promise.all([scope.filterScope(locals.db), scope.earliestContactDate(locals.db)]);
	const today = localDate(new Date());
	return { filterScope, periods: periodChoices(today, earliest ?? today) };
}) satisfies LayoutServerLoad;
