import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import * as apiKeys from '$lib/server/auth/api-keys.ts';
import * as imports from '$lib/server/ingest/web-imports.ts';
import type { RequestHandler } from './$types';

/**
 * POST the register-changes file (docs/interfaces.md "Electoral data files") as text/csv, or a JSON array of its
 * records (objects keyed by its column names); ?mapping= reads it through a saved register-changes mapping,
 * ?organisation= scopes it to one organisation (a key bound to an organisation imports for it
 * only). Needs an API key with the 'import' scope. Answers the counts, each rejected row's reason
 * and the warnings, as `yardstick import --kind register-changes --json` prints them.
 */
export const POST = (async ({ locals, request, url }) => {
	const caller = await apiKeys.authorise(locals.db, request, 'import', env.YARDSTICK_API_KEY);
	if (!caller) return json({ message: 'Send an API key with the import scope as "Authorization: Bearer <key>"' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
	const answer = await imports.receiveElectoral(locals.db, request, 'register-changes', {
		source: url.searchParams.get('source'),
		mapping: url.searchParams.get('mapping'),
		organisation: url.searchParams.get('organisation'),
		actor: caller.actor,
		organisationCode: await imports.organisationCodeOf(locals.db, caller.organisationId)
	});
	return json(answer.body, { status: answer.status });
}) satisfies RequestHandler;
