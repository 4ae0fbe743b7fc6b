import { fail } from '@sveltejs/kit';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as people from '$lib/server/auth/users.ts';
import * as organisations from '$lib/server/directory/organisations.ts';
import { roles } from '$lib/server/db/schema/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	requirePermission(locals.user, 'administer');
	const [users, tree] = await Promise.all([people.list(locals.db), organisations.tree(locals.db)]);
	return { users, tree, roles };
}) satisfies PageServerLoad;

export const actions = {
	invite: async ({ locals, request }) => {
		const viewer = requirePermission(locals.user, 'administer');
		const form = await request.formData();
		const values = { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? ''), role: String(form.get('role') ?? '') };
		const teamIds = form.getAll('teams').map(Number);
		const parsed = parseForm(people.newUser.omit({ teamCodes: true, password: true }), { ...values, teamIds });
		if ('errors' in parsed) return fail(400, { values, teamIds, errors: parsed.errors });
		try {
			const created = await people.create(locals.db, parsed.data, audit.actorOf(viewer));
			// Shown once, on this response only.
			return { created: { email: created.user.email, password: created.generatedPassword } };
		} catch (cause) {
			if (cause instanceof people.UserError) return fail(400, { values, teamIds, errors: [{ field: 'email', message: cause.message }] });
			throw cause;
		}
	}
} satisfies Actions;
