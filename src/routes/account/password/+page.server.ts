import { fail, redirect } from '@sveltejs/kit';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/better-auth.ts';
import { landingPage } from '$lib/server/auth/guard.ts';
import * as passwords from '$lib/server/auth/passwords.ts';
import * as audit from '$lib/server/audit/record.ts';
import { UserError } from '$lib/server/auth/users.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => ({ mustChange: !!locals.user!.mustChangePassword, next: landingPage(locals.user!), minLength: MIN_PASSWORD_LENGTH })) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, request }) => {
		const viewer = locals.user!;
		const form = await request.formData();
		const parsed = passwords.passwordChange.safeParse({ current: form.get('current') ?? '', password: form.get('password') ?? '', confirm: form.get('confirm') ?? '' });
		if (!parsed.success) {
			// One message per field, in the form's order.
			const seen = new Set<string>();
			const errors = parsed.error.issues
				.map((issue) => ({ field: String(issue.path[0]), message: issue.message }))
				.filter((e) => !seen.has(e.field) && seen.add(e.field))
				.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
			return fail(400, { errors });
		}
		try {
			await passwords.change(locals.db, viewer.id, parsed.data, audit.actorOf(viewer));
		} catch (cause) {
			if (cause instanceof passwords.PasswordMismatch) return fail(400, { errors: [{ field: 'current', message: cause.message }] });
			if (cause instanceof UserError) return fail(400, { errors: [{ field: 'current', message: cause.message }] });
			throw cause;
		}
		redirect(303, '/account/password?changed=1');
	}
} satisfies Actions;

const order = ['current', 'password', 'confirm'];
