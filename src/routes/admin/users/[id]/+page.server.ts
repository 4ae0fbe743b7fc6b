import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as passwords from '$lib/server/auth/passwords.ts';
import * as people from '$lib/server/auth/users.ts';
import * as organisations from '$lib/server/directory/organisations.ts';
import { roles } from '$lib/server/db/schema/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	requirePermission(locals.user, 'administer');
	const [user, tree] = await Promise.all([people.find(locals.db, params.id), organisations.tree(locals.db)]);
	if (!user) error(404, 'There is no such user');
	return { user, tree, roles, self: user.id === locals.user!.id };
}) satisfies PageServerLoad;

const change = z.object({
	role: z.enum(roles, { message: 'Choose a role' }),
	teamIds: z.array(z.coerce.number().int().positive())
});

async function apply(locals: App.Locals, id: string, update: people.UserChange) {
	const viewer = requirePermission(locals.user, 'administer');
	try {
		await people.update(locals.db, id, update, audit.actorOf(viewer));
	} catch (cause) {
		if (cause instanceof people.UserError) return fail(400, { errors: [{ field: 'role', message: cause.message }] });
		throw cause;
	}
	redirect(303, `/admin/users/${id}?saved=1`);
}

export const actions = {
	update: async ({ locals, params, request }) => {
		requirePermission(locals.user, 'administer');
		const form = await request.formData();
		const parsed = parseForm(change, { role: form.get('role'), teamIds: form.getAll('teams') });
		if ('errors' in parsed) return fail(400, { errors: parsed.errors });
		return apply(locals, params.id, parsed.data);
	},
	/** A one-time password, shown on this response only; they must change it at their next sign-in. */
	reset: async ({ locals, params }) => {
		const viewer = requirePermission(locals.user, 'administer');
		try {
			const { password } = await passwords.reset(locals.db, params.id, audit.actorOf(viewer));
			return { reset: { password } };
		} catch (cause) {
			if (cause instanceof people.UserError) return fail(400, { errors: [{ field: 'reset', message: cause.message }] });
			throw cause;
		}
	},
	disable: ({ locals, params }) => apply(locals, params.id, { disabled: true }),
	enable: ({ locals, params }) => apply(locals, params.id, { disabled: false })
} satisfies Actions;
