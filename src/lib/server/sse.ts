/** What a job's state means for its event stream: a progress event, the end, or nothing to say. */
export type JobEvent = { progress: unknown } | { end: unknown } | null;

/**
 * A long job's progress as Server-Sent Events (imports, re-scoring): `progress` events as
 * `follow` reports them, then one `end` event, and the stream closes. `follow` registers a
 * listener and returns the function that removes it.
 */
export function jobEvents<Job>(follow: (listener: (job: Job) => void) => (() => void) | undefined, read: (job: Job) => JobEvent, heartbeat: string): Response {
	let stop: (() => void) | undefined;
	let timer: NodeJS.Timeout | undefined;
	let closed = false;
	const end = () => {
		closed = true;
		clearInterval(timer);
		// follow() may call back before it has returned the function that stops it.
		queueMicrotask(() => stop?.());
	};
	const body = new ReadableStream<string>({
		start(controller) {
			const send = (event: string, data: unknown) => controller.enqueue(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
			stop = follow((job) => {
				if (closed) return;
				const event = read(job);
				if (!event) return;
				if ('progress' in event) return send('progress', event.progress);
				send('end', event.end);
				controller.close();
				end();
			});
			// A comment line now and then keeps proxies from closing a quiet connection.
			if (!closed) timer = setInterval(() => !closed && controller.enqueue(`: ${heartbeat}\n\n`), 15_000);
		},
		cancel: end
	});
	return new Response(body.pipeThrough(new TextEncoderStream()), {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }
	});
}
