import * as directory from '$lib/server/directory/directory.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	return { organisations: await directory.list(locals.db) };
}) satisfies PageServerLoad;
