import { fail, redirect } from '@sveltejs/kit';
import { can } from '$lib/server/auth/access.ts';
import * as imports from '$lib/server/ingest/web-imports.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({ recent: await imports.recent(locals.db, locals.user!), canRemove: can(locals.user, 'manage') })) satisfies PageServerLoad;

export const actions = {
	upload: async ({ locals, request }) => {
		const received = await imports.receive(locals.db, request);
		if ('errors' in received) return fail(400, { errors: received.errors, kind: received.kind });
		redirect(303, `/import/${received.token}`);
	}
} satisfies Actions;
