/**
 * Who is asking: the session the request's cookie names (better-auth checks it is in the
 * database and not expired, and extends it while it is used), and the person's role and teams.
 */
import { APIError } from 'better-auth';
import type { Database } from '../db/client.ts';
import type { Viewer } from './access.ts';
import { authFor } from './better-auth.ts';
import * as cache from './session-cache.ts';
import * as people from './users.ts';

export interface Resolved {
	viewer: Viewer | null;
	/** Set-Cookie headers to pass on (a refreshed or cleared session cookie), if any. */
	headers: Headers | null;
}

/**
 * The signed-in viewer for a request's headers; null when there is no valid session or the person
 * is disabled. A session checked in the last minute is taken from this process's cache.
 */
export async function resolveViewer(db: Database, headers: Headers, now = Date.now()): Promise<Resolved> {
	const token = cache.sessionToken(headers.get('cookie'));
	if (!token) return { viewer: null, headers: null };
	const cached = cache.get(token, now);
	if (cached) return { viewer: cached, headers: null };
	const auth = await authFor(db);
	try {
		const { headers: setCookies, response } = await auth.api.getSession({ headers, returnHeaders: true });
		if (!response) return { viewer: null, headers: setCookies };
		const viewer = await people.viewer(db, response.user.id);
		if (viewer) cache.put(token, viewer, new Date(response.session.expiresAt), now);
		return { viewer, headers: setCookies };
	} catch (error) {
		if (error instanceof APIError) return { viewer: null, headers: null };
		throw error;
	}
}
