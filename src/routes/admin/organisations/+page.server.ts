import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as organisations from '$lib/server/directory/organisations.ts';
import type { Actions, RequestEvent } from './$types';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	requirePermission(locals.user, 'administer');
	return { tree: await organisations.tree(locals.db) };
}) satisfies PageServerLoad;

/** Parses the form with `schema`, makes the change, and answers 400 with the problems or 303 back to the page. */
async function change<T extends z.ZodType>(event: RequestEvent, form: string, schema: T, make: (data: z.output<T>, by: audit.Actor) => Promise<unknown>) {
	const viewer = requirePermission(event.locals.user, 'administer');
	const values = Object.fromEntries([...(await event.request.formData())].map(([k, v]) => [k, String(v)]));
	const parsed = parseForm(schema, values, { prefix: form });
	if ('errors' in parsed) return fail(400, { form, values, errors: parsed.errors });
	try {
		await make(parsed.data, audit.actorOf(viewer));
	} catch (cause) {
		if (cause instanceof organisations.DirectoryError) return fail(400, { form, values, errors: [{ field: `${form}-code`, message: cause.message }] });
		throw cause;
	}
	redirect(303, '/admin/organisations');
}

export const actions = {
	organisation: (event) => change(event, 'organisation', organisations.newOrganisation, (data, by) => organisations.addOrganisation(event.locals.db, data, by)),
	service: (event) => change(event, 'service', organisations.newService, (data, by) => organisations.addService(event.locals.db, data, by)),
	contactType: (event) => change(event, 'contactType', organisations.newContactType, (data, by) => organisations.addContactType(event.locals.db, data, by)),
	team: (event) => change(event, 'team', organisations.newTeam, (data, by) => organisations.addTeam(event.locals.db, data, by)),
	active: (event) =>
		change(event, 'active', z.object({ teamId: z.coerce.number().int().positive(), active: z.enum(['true', 'false']) }), (data, by) =>
			organisations.setTeamActive(event.locals.db, data.teamId, data.active === 'true', by)
		)
} satisfies Actions;
