import { error, fail, redirect } from '@sveltejs/kit';
import * as audit from '$lib/server/audit/record.ts';
import type { Viewer } from '$lib/server/auth/access.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import { contactLogColumns } from '$lib/server/ingest/contact-log-columns.ts';
import * as mappingForm from '$lib/server/ingest/mapping-form.ts';
import * as sources from '$lib/server/ingest/sources.ts';
import * as imports from '$lib/server/ingest/web-imports.ts';
import type { Actions, PageServerLoad } from './$types';

const gone = 'This upload has finished or expired: upload the file again';

/** The upload, while it can still be previewed (a finished import's file is gone). */
function previewed(token: string, viewer: Viewer) {
	const upload = imports.find(token, viewer);
	if (!upload || upload.state !== 'previewed' || upload.preview.kind !== 'contacts') error(404, gone);
	return upload;
}

export const load = (async ({ locals, params }) => {
	const viewer = requirePermission(locals.user, 'manage');
	const upload = previewed(params.token, viewer);
	const saved = upload.mapping ? await sources.mapping(locals.db, upload.mapping).catch(() => null) : null;
	return { upload, form: mappingForm.formOf(saved, upload.preview.header), columns: [...contactLogColumns] };
}) satisfies PageServerLoad;

const fields = async (request: Request) => Object.fromEntries([...(await request.formData())].map(([k, v]) => [k, String(v)]));

export const actions = {
	/** Reads the first rows through the mapping as typed, saving nothing. */
	try: async ({ locals, params, request }) => {
		const viewer = requirePermission(locals.user, 'manage');
		previewed(params.token, viewer);
		const form = mappingForm.readForm(await fields(request));
		const made = mappingForm.mappingOf(form, false);
		if ('errors' in made) return fail(400, { form, errors: made.errors });
		const tried = await imports.tryMapping(locals.db, params.token, viewer, made.mapping);
		if (!tried) error(404, gone);
		return { form, tried };
	},
	/** Saves the mapping and goes back to the preview, read through it. */
	save: async ({ locals, params, request }) => {
		const viewer = requirePermission(locals.user, 'manage');
		previewed(params.token, viewer);
		const form = mappingForm.readForm(await fields(request));
		const made = mappingForm.mappingOf(form, true);
		if ('errors' in made) return fail(400, { form, errors: made.errors });
		const { name, ...definition } = made.mapping;
		try {
			await sources.saveMapping(locals.db, audit.actorOf(viewer), name, definition);
		} catch (cause) {
			if (cause instanceof sources.SourceError) return fail(400, { form, errors: [{ field: 'name', message: cause.message }] });
			throw cause;
		}
		if (!(await imports.useMapping(locals.db, params.token, viewer, name))) error(404, gone);
		redirect(303, `/import/${params.token}`);
	}
} satisfies Actions;
