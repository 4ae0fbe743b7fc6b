import { error } from '@sveltejs/kit';
import { parseFilters } from '$lib/filters.ts';
import { can, caseScope } from '$lib/server/auth/access.ts';
import * as standards from '$lib/server/dashboard/standards.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parseFilters(url.searchParams, filterScope);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const page = Number(url.searchParams.get('page') ?? '1');
	if (!Number.isInteger(page) || page < 1 || page > 100_000) error(400, { message: 'There is a problem with the page number', errors: [{ message: 'The page must be a whole number from 1' }] });
	const cases = can(locals.user, 'cases') && locals.user ? caseScope(locals.user) : null;
	const detail = await standards.detail(locals.db, params.code, parsed.filters, page, cases);
	if (!detail) {
		if (await standards.exists(locals.db, params.code)) error(404, { message: `${params.code} does not apply to this organisation` });
		error(404, { message: `There is no standard ${params.code}` });
	}
	return { filters: parsed.filters, detail, whatIf: can(locals.user, 'whatIf') };
}) satisfies PageServerLoad;
