import { fail, redirect } from '@sveltejs/kit';
import { can } from '$lib/server/auth/access.ts';
import * as sources from '$lib/server/ingest/sources.ts';
import * as imports from '$lib/server/ingest/web-imports.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const [recent, mappings] = await Promise.all([imports.recent(locals.db, locals.user!), sources.mappings(locals.db)]);
	return { recent, mappings: mappings.map((m) => m.name), mayMap: can(locals.user, 'manage'), canRemove: can(locals.user, 'manage') };
}) satisfies PageServerLoad;

export const actions = {
	upload: async ({ locals, request }) => {
		const received = await imports.receive(locals.db, request, locals.user);
		if ('errors' in received) return fail(400, received);
		redirect(303, `/import/${received.token}`);
	}
} satisfies Actions;
