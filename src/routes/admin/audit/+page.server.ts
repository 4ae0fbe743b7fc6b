import { error } from '@sveltejs/kit';
import * as auditLog from '$lib/server/audit/log.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	requirePermission(locals.user, 'administer');
	const parsed = auditLog.parseQuery(url.searchParams);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the search', errors: parsed.errors });
	return { query: parsed.query, ...(await auditLog.page(locals.db, parsed.query)) };
}) satisfies PageServerLoad;
