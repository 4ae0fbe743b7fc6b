import { redirect } from '@sveltejs/kit';
import { applySetCookies } from '$lib/server/auth/cookies.ts';
import * as signIn from '$lib/server/auth/sign-in.ts';
import type { RequestHandler } from './$types';

/** Ends the session (a form POST: SvelteKit refuses one from another site) and goes to the sign-in page. */
export const POST = (async ({ locals, request, cookies }) => {
	applySetCookies(cookies, await signIn.signOut(locals.db, request.headers));
	redirect(303, '/sign-in');
}) satisfies RequestHandler;
