import { error } from '@sveltejs/kit';
import * as rescoreJobs from '$lib/server/standards/rescore-jobs.ts';
import type { PageServerLoad } from './$types';

export const load = (({ params }) => {
	const job = rescoreJobs.find(params.token);
	if (!job) error(404, 'There is no such re-scoring run (they are kept for an hour)');
	return { job: { ...job } };
}) satisfies PageServerLoad;
