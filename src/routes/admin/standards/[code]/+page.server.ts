import { error, fail, redirect } from '@sveltejs/kit';
import * as audit from '$lib/server/audit/record.ts';
import * as adoption from '$lib/server/standards/adoption.ts';
import * as adoptionForms from '$lib/server/standards/adoption-forms.ts';
import * as standardVersions from '$lib/server/standards/versions.ts';
import * as whatIf from '$lib/server/standards/what-if.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
	const standards = await standardVersions.list(locals.db, params.code);
	if (standards.length === 0) error(404, { message: `There is no standard ${params.code}` });
	const organisation = url.searchParams.get('organisation');
	return { standards, organisation: standards.some((s) => s.organisation.code === organisation) ? organisation : standards[0]!.organisation.code };
}) satisfies PageServerLoad;

const formOf = async (request: Request) => Object.fromEntries(await request.formData()) as Record<string, string>;

export const actions = {
	/** Which contacts the new version would re-score: a count and a sample. Nothing is saved. */
	check: async ({ locals, params, request }) => {
		const form = await formOf(request);
		const checked = await whatIf.publishForm(locals.db, null, params.code, form, { dryRun: true });
		if ('errors' in checked) return fail(400, { errors: checked.errors, form });
		const affected = await whatIf.affectedFrom(locals.db, checked.published.standardId, checked.change.effectiveFrom);
		return { checked: { ...affected, effectiveFrom: checked.change.effectiveFrom }, form };
	},
	publish: async ({ locals, params, request }) => {
		if (!locals.user) error(403, 'Sign in as an administrator');
		const form = await formOf(request);
		const done = await whatIf.publishForm(locals.db, audit.actorOf(locals.user), params.code, form);
		if ('errors' in done) return fail(400, { errors: done.errors, form });
		const token = whatIf.rescoreInBackground(locals.db, done.change, done.published, {
			href: `/admin/standards/${params.code}?organisation=${done.change.organisation}`,
			text: `Back to ${params.code}`
		});
		redirect(303, `/admin/rescore/${token}`);
	},
	/** The council's own short reference for the standard in reports ('CS01'); empty clears it. */
	ref: async ({ locals, params, request }) => {
		if (!locals.user) error(403, 'Sign in as an administrator');
		const form = await request.formData();
		const values: Record<string, string> = { organisation: String(form.get('organisation') ?? ''), ref: String(form.get('ref') ?? '') };
		try {
			await locals.db.transaction((tx) => adoption.setRef(tx, audit.actorOf(locals.user!), { organisation: values.organisation!, code: params.code, ref: values.ref! }));
		} catch (cause) {
			if (cause instanceof adoption.AdoptionError) return fail(400, { errors: [{ field: 'ref', message: cause.message }], values });
			throw cause;
		}
		redirect(303, `/admin/standards/${params.code}?organisation=${encodeURIComponent(values.organisation!)}`);
	},
	/** Stops the standard applying from a date (contacts whose clock starts on or after it), then re-scores. */
	retire: async ({ locals, params, request }) => {
		if (!locals.user) error(403, 'Sign in as an administrator');
		const form = await request.formData();
		const organisation = String(form.get('organisation') ?? '');
		const done = await adoptionForms.retire(locals.db, audit.actorOf(locals.user), organisation, params.code, form);
		if ('errors' in done) return fail(400, { errors: done.errors, values: done.values });
		const backTo = { href: `/admin/standards/${params.code}?organisation=${organisation}`, text: `Back to ${params.code}` };
		const token = adoptionForms.rescoreInBackground(locals.db, `${params.code} retired (${organisation})`, done.outcome, backTo);
		redirect(303, token ? `/admin/rescore/${token}` : backTo.href);
	}
} satisfies Actions;
