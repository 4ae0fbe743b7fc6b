import { error, redirect } from '@sveltejs/kit';
import { authFor } from '$lib/server/auth/better-auth.ts';
import { applySetCookies } from '$lib/server/auth/cookies.ts';
import { safeRedirect } from '$lib/server/auth/guard.ts';
import { oidcFromEnv } from '$lib/server/auth/oidc.ts';
import type { RequestHandler } from './$types';

/**
 * Starts sign-in with the identity provider (a link, not a form: the page's CSP allows forms to
 * post only to this site). The provider sends the person back to /api/auth/callback/<provider>.
 */
export const GET = (async ({ locals, request, cookies, url }) => {
	const oidc = oidcFromEnv(process.env);
	if (!oidc) error(404, 'Sign-in with an identity provider is not set up');
	const auth = await authFor(locals.db);
	const { headers, response } = await auth.api.signInSocial({
		body: { provider: oidc.settings.providerId, callbackURL: safeRedirect(url.searchParams.get('redirectTo'), '/'), errorCallbackURL: '/sign-in?error=provider' },
		headers: request.headers,
		returnHeaders: true
	});
	applySetCookies(cookies, headers);
	if (!response?.url) error(502, 'The identity provider could not be reached');
	redirect(303, response.url);
}) satisfies RequestHandler;
