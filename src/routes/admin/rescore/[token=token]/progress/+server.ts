import { error } from '@sveltejs/kit';
import * as rescoreJobs from '$lib/server/rescore-jobs.ts';
import type { RequestHandler } from './$types';

/** The re-score's progress as Server-Sent Events: `progress` events, then one `end`, then the stream closes. */
export const GET = (({ params }) => {
	if (!rescoreJobs.find(params.token)) error(404, 'There is no such re-scoring run');
	let stop: (() => void) | undefined;
	let heartbeat: NodeJS.Timeout | undefined;
	let closed = false;
	const end = () => {
		closed = true;
		clearInterval(heartbeat);
		queueMicrotask(() => stop?.());
	};
	const body = new ReadableStream<string>({
		start(controller) {
			const send = (event: string, data: unknown) => controller.enqueue(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
			stop = rescoreJobs.follow(params.token, (job) => {
				if (closed) return;
				if (job.state === 'running') return send('progress', job.progress);
				send('end', { state: job.state });
				controller.close();
				end();
			});
			if (!closed) heartbeat = setInterval(() => !closed && controller.enqueue(': scoring\n\n'), 15_000);
		},
		cancel: end
	});
	return new Response(body.pipeThrough(new TextEncoderStream()), {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }
	});
}) satisfies RequestHandler;
