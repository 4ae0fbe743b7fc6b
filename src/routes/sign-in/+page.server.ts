import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '$lib/forms.ts';
import { applySetCookies } from '$lib/server/auth/cookies.ts';
import * as demo from '$lib/server/auth/demo.ts';
import { landingPage, safeRedirect } from '$lib/server/auth/guard.ts';
import { oidcFromEnv } from '$lib/server/auth/oidc.ts';
import * as signIn from '$lib/server/auth/sign-in.ts';
import * as people from '$lib/server/auth/users.ts';
import type { Actions, PageServerLoad } from './$types';

const credentials = z.object({
	email: z.string().trim().min(1, 'Enter your email address').max(254, 'Enter your email address'),
	password: z.string().min(1, 'Enter your password').max(1024, 'Enter your password')
});

export const load = (async ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo'), landingPage(locals.user)));
	const [isDemo, firstRun] = await Promise.all([demo.isDemo(locals.db), people.noneYet(locals.db)]);
	return {
		firstRun,
		demoUsers: isDemo ? demo.demoUsers.map(({ role, email, password, description }) => ({ role, email, password, description })) : [],
		provider: oidcFromEnv(process.env)?.settings.name ?? null,
		redirectTo: safeRedirect(url.searchParams.get('redirectTo'), ''),
		// Back from the identity provider without a session (no role, disabled, or it failed).
		providerFailed: url.searchParams.has('error')
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, request, cookies, url }) => {
		const form = Object.fromEntries(await request.formData());
		const email = typeof form.email === 'string' ? form.email.trim() : '';
		const parsed = parseForm(credentials, form);
		if ('errors' in parsed) return fail(400, { email, errors: parsed.errors });
		const result = await signIn.signInWithPassword(locals.db, { ...parsed.data, headers: request.headers });
		if (result.outcome === 'locked') {
			return fail(429, { email, errors: [{ field: 'email', message: 'Too many attempts to sign in to this account. Wait a minute, then try again.' }] });
		}
		if (result.outcome === 'invalid') {
			return fail(400, { email, errors: [{ field: 'email', message: 'The email address or password is not right' }] });
		}
		applySetCookies(cookies, result.headers);
		const viewer = await people.viewer(locals.db, result.userId);
		redirect(303, safeRedirect(url.searchParams.get('redirectTo'), viewer ? landingPage(viewer) : '/'));
	}
} satisfies Actions;
