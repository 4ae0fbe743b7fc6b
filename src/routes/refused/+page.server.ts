import type { PageServerLoad } from './$types';

/** The page shown (by hooks.server.ts, under its status) when a request is refused. */
export const load = (({ url, locals }) => {
	const status = url.searchParams.get('status') === '404' ? 404 : 403;
	return { status, signedIn: locals.user !== null };
}) satisfies PageServerLoad;
