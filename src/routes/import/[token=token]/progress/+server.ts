import { error } from '@sveltejs/kit';
import * as imports from '$lib/server/ingest/web-imports.ts';
import { jobEvents } from '$lib/server/sse.ts';
import type { RequestHandler } from './$types';

/**
 * The import's progress as Server-Sent Events: a `progress` event at each report (about ten a
 * second at most), then one `end` event when it has finished or failed, and the stream closes.
 */
export const GET = (({ params, locals }) => {
	const viewer = locals.user!;
	if (!imports.find(params.token, viewer)) error(404, 'There is no such import');
	return jobEvents<imports.ImportView>(
		(listener) => imports.follow(params.token, viewer, listener),
		(upload) =>
			upload.state === 'previewed' || upload.state === 'running' ? (upload.progress ? { progress: upload.progress } : null) : { end: { state: upload.state } },
		'importing'
	);
}) satisfies RequestHandler;
