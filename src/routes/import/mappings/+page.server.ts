import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as sources from '$lib/server/ingest/sources.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	requirePermission(locals.user, 'manage');
	return { mappings: await sources.mappings(locals.db) };
}) satisfies PageServerLoad;

export const actions = {
	remove: async ({ locals, request }) => {
		const viewer = requirePermission(locals.user, 'manage');
		const parsed = parseForm(z.object({ name: z.string().trim().min(1, 'Choose a mapping to remove') }), await request.formData());
		if ('errors' in parsed) return fail(400, { errors: parsed.errors });
		if (!(await sources.removeMapping(locals.db, audit.actorOf(viewer), parsed.data.name))) {
			return fail(400, { errors: [{ message: `There is no import mapping ${parsed.data.name}: it may have been removed already` }] });
		}
		redirect(303, '/import/mappings');
	}
} satisfies Actions;
