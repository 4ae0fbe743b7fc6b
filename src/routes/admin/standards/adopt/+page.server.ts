import { error, fail, redirect } from '@sveltejs/kit';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as adoptionForms from '$lib/server/standards/adoption-forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	const organisation = url.searchParams.get('organisation') ?? '';
	const choices = await adoptionForms.choices(locals.db, organisation);
	if (!choices) error(404, { message: `There is no organisation '${organisation}': choose one on the standards page` });
	return { choices };
}) satisfies PageServerLoad;

export const actions = {
	/** Adopts the chosen catalogue standard, then re-scores with the progress page. */
	default: async ({ locals, request, url }) => {
		const viewer = requirePermission(locals.user, 'administer');
		const organisation = url.searchParams.get('organisation') ?? '';
		const done = await adoptionForms.adopt(locals.db, audit.actorOf(viewer), organisation, await request.formData());
		if ('errors' in done) return fail(400, { errors: done.errors, values: done.values });
		const backTo = { href: `/admin/standards/${done.code}?organisation=${organisation}`, text: `Go to ${done.code}` };
		const token = adoptionForms.rescoreInBackground(locals.db, `${done.code} adopted (${organisation})`, done.outcome, backTo);
		redirect(303, token ? `/admin/rescore/${token}` : backTo.href);
	}
} satisfies Actions;
