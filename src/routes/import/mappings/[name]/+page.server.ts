import { error, fail, redirect } from '@sveltejs/kit';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import { contactLogColumns } from '$lib/server/ingest/contact-log-columns.ts';
import * as mappingForm from '$lib/server/ingest/mapping-form.ts';
import * as sources from '$lib/server/ingest/sources.ts';
import type { Actions, PageServerLoad } from './$types';

/** Blank rows offered under a mapping's columns, for columns its export has gained. */
const SPARE_ROWS = 3;

export const load = (async ({ locals, params }) => {
	requirePermission(locals.user, 'manage');
	const mapping = await sources.mapping(locals.db, params.name).catch((cause) => {
		if (cause instanceof sources.SourceError) error(404, cause.message);
		throw cause;
	});
	// This page edits a contact log's mapping; an electoral file's is kept in the set-up file.
	if (mapping.kind && mapping.kind !== 'contacts') error(400, `Mapping '${mapping.name}' reads a ${mapping.kind} file: change it in the set-up file and apply it with yardstick setup`);
	const form = mappingForm.formOf(mapping);
	form.rows.push(...Array.from({ length: SPARE_ROWS }, () => ({ theirs: '', ours: '' })));
	return { name: mapping.name, form, columns: [...contactLogColumns] };
}) satisfies PageServerLoad;

export const actions = {
	save: async ({ locals, params, request }) => {
		const viewer = requirePermission(locals.user, 'manage');
		const stored = await sources.mapping(locals.db, params.name).catch(() => null);
		if (stored?.kind && stored.kind !== 'contacts') error(400, `Mapping '${stored.name}' reads a ${stored.kind} file: change it in the set-up file and apply it with yardstick setup`);
		const values = Object.fromEntries([...(await request.formData())].map(([k, v]) => [k, String(v)]));
		const form = mappingForm.readForm({ ...values, name: params.name });
		const made = mappingForm.mappingOf(form, true);
		if ('errors' in made) return fail(400, { form, errors: made.errors });
		const { name, ...definition } = made.mapping;
		try {
			await sources.saveMapping(locals.db, audit.actorOf(viewer), name, definition);
		} catch (cause) {
			if (cause instanceof sources.SourceError) return fail(400, { form, errors: [{ field: 'ours-0', message: cause.message }] });
			throw cause;
		}
		redirect(303, '/import/mappings');
	}
} satisfies Actions;
