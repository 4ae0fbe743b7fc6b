import { error } from '@sveltejs/kit';
import * as imports from '$lib/server/imports.ts';
import type { RequestHandler } from './$types';

/**
 * The import's progress as Server-Sent Events: a `progress` event at each report (about ten a
 * second at most), then one `end` event when it has finished or failed, and the stream closes.
 */
export const GET = (({ params }) => {
	if (!imports.find(params.token)) error(404, 'There is no such import');
	let stop: (() => void) | undefined;
	let heartbeat: NodeJS.Timeout | undefined;
	let closed = false;
	const end = () => {
		closed = true;
		clearInterval(heartbeat);
		// follow() may call back before it has returned the function that stops it.
		queueMicrotask(() => stop?.());
	};
	const body = new ReadableStream<string>({
		start(controller) {
			const send = (event: string, data: unknown) => controller.enqueue(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
			stop = imports.follow(params.token, (upload) => {
				if (closed) return;
				if (upload.state === 'previewed' || upload.state === 'running') return upload.progress ? send('progress', upload.progress) : undefined;
				send('end', { state: upload.state });
				controller.close();
				end();
			});
			// A comment line now and then keeps proxies from closing a quiet connection.
			if (!closed) heartbeat = setInterval(() => !closed && controller.enqueue(': importing\n\n'), 15_000);
		},
		cancel: end
	});
	return new Response(body.pipeThrough(new TextEncoderStream()), {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }
	});
}) satisfies RequestHandler;
