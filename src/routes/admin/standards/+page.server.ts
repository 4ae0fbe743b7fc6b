import * as organisations from '$lib/server/directory/organisations.ts';
import * as standardVersions from '$lib/server/standards/versions.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const [standards, tree] = await Promise.all([standardVersions.list(locals.db), organisations.tree(locals.db)]);
	return { standards, organisations: tree.map(({ code, name }) => ({ code, name })) };
}) satisfies PageServerLoad;
