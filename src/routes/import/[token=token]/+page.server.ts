import { error, redirect } from '@sveltejs/kit';
import { can } from '$lib/server/auth/access.ts';
import * as imports from '$lib/server/ingest/web-imports.ts';
import type { Actions, PageServerLoad } from './$types';

const gone = 'This upload has finished or expired: upload the file again';

export const load = (async ({ params, locals }) => {
	const upload = imports.find(params.token, locals.user);
	if (!upload) error(404, gone);
	return { upload, mayMap: can(locals.user, 'manage') && upload.preview.kind === 'contacts' };
}) satisfies PageServerLoad;

export const actions = {
	confirm: async ({ locals, params }) => {
		// Only the person who uploaded it may confirm it; to anyone else it does not exist.
		if (!imports.confirm(locals.db, params.token, locals.user!)) error(404, gone);
		redirect(303, `/import/${params.token}`);
	},
	cancel: async ({ locals, params }) => {
		if (!(await imports.cancel(params.token, locals.user!))) error(404, gone);
		redirect(303, '/import');
	}
} satisfies Actions;
