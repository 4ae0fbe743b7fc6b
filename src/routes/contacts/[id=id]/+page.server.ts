import { error } from '@sveltejs/kit';
import { visibleTeams } from '$lib/server/auth/access.ts';
import * as contacts from '$lib/server/cases/contacts.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	// A contact outside the viewer's teams is not found, as if it did not exist.
	const contact = await contacts.contact(locals.db, Number(params.id), visibleTeams(locals.user!));
	if (!contact) error(404, 'There is no such contact');
	return { contact };
}) satisfies PageServerLoad;
