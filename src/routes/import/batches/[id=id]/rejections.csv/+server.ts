import { error } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import * as imports from '$lib/server/ingest/web-imports.ts';
import * as ingest from '$lib/server/ingest/index.ts';
import type { RequestHandler } from './$types';

/** An import's rejected rows as CSV, streamed: the file's own columns, then `row` and `reason`. */
export const GET = (async ({ locals, params }) => {
	const batch = await ingest.getBatch(locals.db, Number(params.id));
	// Rejected rows hold the file's own columns (names, subjects): the person who ran it, or a manager.
	if (!batch || !imports.mayReadBatch(locals.user, batch)) error(404, 'There is no such import');
	const name = `rejected-rows-import-${batch.id}.csv`;
	return new Response(Readable.toWeb(ingest.rejectionsCsv(locals.db, batch.id)) as ReadableStream, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' }
	});
}) satisfies RequestHandler;
