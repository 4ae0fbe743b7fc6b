import * as assessments from '$lib/server/assessments/index.ts';
import * as directory from '$lib/server/directory.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const [organisations, compliance] = await Promise.all([directory.list(locals.db), assessments.compliance(locals.db)]);
	return { organisations, compliance };
}) satisfies PageServerLoad;
