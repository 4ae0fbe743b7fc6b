import { json, type RequestHandler } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import * as apiKeys from '../auth/api-keys.ts';
import type { ElectoralKind } from './electoral-columns.ts';
import * as imports from './web-imports.ts';

/**
 * POST /api/v1/canvass and /api/v1/register-changes: the kind's file (docs/interfaces.md "Electoral
 * data files") as text/csv, or a JSON array of its records (objects keyed by its column names);
 * ?mapping= reads it through a saved mapping of that kind, ?organisation= scopes it to one
 * organisation (a key bound to an organisation imports for it only). Needs an API key with the
 * 'import' scope. Answers as `yardstick import --kind <kind> --json` prints: the counts, each
 * rejected row's reason and the warnings.
 */
export function electoralEndpoint(kind: ElectoralKind): RequestHandler {
	return async ({ locals, request, url }) => {
		const caller = await apiKeys.authorise(locals.db, request, 'import', env.YARDSTICK_API_KEY);
		if (!caller) return json({ message: 'Send an API key with the import scope as "Authorization: Bearer <key>"' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
		const answer = await imports.receiveElectoral(locals.db, request, kind, {
			source: url.searchParams.get('source'),
			mapping: url.searchParams.get('mapping'),
			organisation: url.searchParams.get('organisation'),
			actor: caller.actor,
			organisationCode: await imports.organisationCodeOf(locals.db, caller.organisationId)
		});
		return json(answer.body, { status: answer.status });
	};
}
