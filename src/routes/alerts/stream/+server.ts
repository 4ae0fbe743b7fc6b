import { error } from '@sveltejs/kit';
import * as alerts from '$lib/server/alerts/index.ts';
import type { RequestHandler } from './$types';

const CHECK_EVERY_MS = 2000;
const KEEP_ALIVE_MS = 20_000;

/**
 * Server-Sent Events for /alerts: an `alerts` event whenever an alert the viewer may see is
 * raised, cleared or acknowledged (checked every 2 s), so the page refreshes its queue live.
 */
export const GET = (({ locals, request }) => {
	const viewer = locals.user;
	if (!viewer) error(401, 'Sign in to follow alerts');
	const encoder = new TextEncoder();
	let timer: NodeJS.Timeout | undefined;
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			let last: string | null = null;
			let quiet = 0;
			let checking = false;
			const send = (text: string) => controller.enqueue(encoder.encode(text));
			const check = async () => {
				if (checking) return;
				checking = true;
				try {
					const now = await alerts.signature(locals.db, viewer);
					if (last !== null && now !== last) send(`event: alerts\ndata: ${JSON.stringify({ signature: now })}\n\n`);
					else if ((quiet += CHECK_EVERY_MS) >= KEEP_ALIVE_MS) send(': still here\n\n');
					if (now !== last) quiet = 0;
					last = now;
				} catch {
					// The database is away for a moment: try again at the next tick.
				} finally {
					checking = false;
				}
			};
			send('retry: 3000\n\n');
			void check();
			timer = setInterval(() => void check(), CHECK_EVERY_MS);
			request.signal.addEventListener('abort', () => {
				clearInterval(timer);
				try {
					controller.close();
				} catch {
					// already closed
				}
			});
		},
		cancel() {
			clearInterval(timer);
		}
	});
	return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' } });
}) satisfies RequestHandler;
