import { fail } from '@sveltejs/kit';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as bulkUsers from '$lib/server/auth/bulk-users.ts';
import * as people from '$lib/server/auth/users.ts';
import * as organisations from '$lib/server/directory/organisations.ts';
import { roles } from '$lib/server/db/schema/auth.ts';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';

/** A people file: CSV text, at most 1 MB. */
const peopleFile = z
	.instanceof(File, { message: 'Choose a CSV file of people' })
	.refine((file) => file.size > 0, 'Choose a CSV file of people: the file chosen is empty')
	.refine((file) => file.size <= 1_000_000, 'The file must be smaller than 1 MB')
	.refine((file) => /\.(csv|txt)$/i.test(file.name) || /csv|text\/plain/.test(file.type), 'The file must be a CSV file');

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
	},
	/** Everyone in a CSV file, or nobody: each row's problems are listed with its row number. */
	bulk: async ({ locals, request }) => {
		const viewer = requirePermission(locals.user, 'administer');
		const parsed = peopleFile.safeParse((await request.formData()).get('file'));
		if (!parsed.success) return fail(400, { bulk: true, errors: [{ field: 'file', message: parsed.error.issues[0]!.message }] });
		try {
			const { created } = await bulkUsers.add(locals.db, await parsed.data.text(), audit.actorOf(viewer));
			// Shown once, on this response only.
			return { bulkCreated: created.map(({ email, name, role, teams, password }) => ({ email, name, role, teams, password })) };
		} catch (cause) {
			if (cause instanceof bulkUsers.BulkUserError) {
				return fail(400, { bulk: true, rowProblems: cause.problems, errors: [{ field: 'file', message: `The file was not used and nobody was added: ${cause.problems.length === 1 ? 'there is 1 problem' : `there are ${cause.problems.length} problems`} to fix` }] });
			}
			throw cause;
		}
	}
} satisfies Actions;
