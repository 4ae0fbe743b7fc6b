import { error } from '@sveltejs/kit';
import { jobEvents } from '$lib/server/sse.ts';
import * as rescoreJobs from '$lib/server/standards/rescore-jobs.ts';
import type { RequestHandler } from './$types';

/** The re-score's progress as Server-Sent Events: `progress` events, then one `end`, then the stream closes. */
export const GET = (({ params }) => {
	if (!rescoreJobs.find(params.token)) error(404, 'There is no such re-scoring run');
	return jobEvents<rescoreJobs.RescoreJob>(
		(listener) => rescoreJobs.follow(params.token, listener),
		(job) => (job.state === 'running' ? { progress: job.progress } : { end: { state: job.state } }),
		'scoring'
	);
}) satisfies RequestHandler;
