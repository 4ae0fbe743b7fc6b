import { error } from '@sveltejs/kit';
import { authFor } from '$lib/server/auth/better-auth.ts';
import type { RequestHandler } from './$types';

/**
 * better-auth's HTTP endpoints, limited to the identity provider's callback: signing in with a
 * password, signing out and everything else go through Yardstick's own pages, and sign-up does
 * not exist.
 */
const handle = (async ({ locals, params, request }) => {
	if (!/^callback\/[a-z0-9-]+$/.test(params.path)) error(404, 'Not found');
	return (await authFor(locals.db)).handler(request);
}) satisfies RequestHandler;

export const GET = handle;
export const POST = handle;
