import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import * as apiKeys from '$lib/server/auth/api-keys.ts';
import * as imports from '$lib/server/ingest/web-imports.ts';
import type { RequestHandler } from './$types';

/**
 * POST a JSON array of contact-log records (docs/interfaces.md "The generic contact log" column names); ?source= names the system
 * the references belong to (default 'api', or the mapping's name); ?mapping= reads the records through a
 * saved import mapping; ?organisation= scopes them to one organisation (a key bound to an
 * organisation may name only its own). An unknown mapping or organisation is a 400, storing nothing. Needs an API key with the 'import' scope. Answers the
 * counts and each rejected row's reason.
 */
export const POST = (async ({ locals, request, url }) => {
	const caller = await apiKeys.authorise(locals.db, request, 'import', env.YARDSTICK_API_KEY);
	if (!caller) return json({ message: 'Send an API key with the import scope as "Authorization: Bearer <key>"' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
	const answer = await imports.receiveRecords(locals.db, request, {
		source: url.searchParams.get('source'),
		mapping: url.searchParams.get('mapping'),
		organisation: url.searchParams.get('organisation'),
		actor: caller.actor, organisationId: caller.organisationId
	});
	return json(answer.body, { status: answer.status });
}) satisfies RequestHandler;
