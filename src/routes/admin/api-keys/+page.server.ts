import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import * as apiKeys from '$lib/server/auth/api-keys.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as organisations from '$lib/server/directory/organisations.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	requirePermission(locals.user, 'administer');
	const [keys, tree] = await Promise.all([apiKeys.list(locals.db), organisations.tree(locals.db)]);
	return { keys, organisations: tree.map(({ id, name }) => ({ id, name })), scopes: Object.entries(apiKeys.scopes).map(([value, text]) => ({ value, text })) };
}) satisfies PageServerLoad;

export const actions = {
	create: async ({ locals, request }) => {
		const viewer = requirePermission(locals.user, 'administer');
		const form = await request.formData();
		const values = { name: String(form.get('name') ?? ''), organisationId: String(form.get('organisationId') ?? '') };
		const parsed = parseForm(apiKeys.newKey, { ...values, scopes: form.getAll('scopes') });
		if ('errors' in parsed) return fail(400, { values, errors: parsed.errors });
		let created: Awaited<ReturnType<typeof apiKeys.create>>;
		try {
			created = await apiKeys.create(locals.db, parsed.data, audit.actorOf(viewer));
		} catch (error) {
			if (error instanceof apiKeys.KeyError) return fail(400, { values, errors: [{ field: 'organisationId', message: error.message }] });
			throw error;
		}
		// The key is in this response only: it is stored hashed and never shown again.
		return { created: { name: parsed.data.name, key: created.key } };
	},
	revoke: async ({ locals, request }) => {
		const viewer = requirePermission(locals.user, 'administer');
		const id = z.coerce.number().int().positive().safeParse((await request.formData()).get('id'));
		if (!id.success) return fail(400, { errors: [{ message: 'Choose a key to revoke' }] });
		await apiKeys.revoke(locals.db, id.data, audit.actorOf(viewer));
		redirect(303, '/admin/api-keys');
	}
} satisfies Actions;
