import { error, json } from '@sveltejs/kit';
import { streams, STREAMS_PER_PERSON } from '$lib/server/alerts/streams.ts';
import type { RequestHandler } from './$types';

/**
 * Server-Sent Events for /alerts: an `alerts` event whenever an alert the viewer may see is
 * raised, cleared or acknowledged, so the page refreshes its queue live. Every open stream shares
 * one check every 2 s (alerts/streams.ts); a person may hold a few at once.
 */
export const GET = (({ locals, request }) => {
	const viewer = locals.user;
	if (!viewer) error(401, 'Sign in to follow alerts');
	const encoder = new TextEncoder();
	let stop = null as (() => void) | null;
	let closed = false;
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const close = () => {
				if (closed) return;
				closed = true;
				stop?.();
				try {
					controller.close();
				} catch {
					// already closed
				}
			};
			controller.enqueue(encoder.encode('retry: 3000\n\n'));
			stop = streams.open(locals.db, viewer, { send: (text) => !closed && controller.enqueue(encoder.encode(text)), close });
			request.signal.addEventListener('abort', close);
		},
		cancel() {
			closed = true;
			stop?.();
		}
	});
	if (!stop) {
		void stream.cancel();
		return json(
			{ message: `You have ${STREAMS_PER_PERSON} live alert views open already: close one (a tab or window on /alerts) for this one to update live` },
			{ status: 429, headers: { 'retry-after': '60' } }
		);
	}
	return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' } });
}) satisfies RequestHandler;
