import { error } from '@sveltejs/kit';
import * as contacts from '$lib/server/contacts.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	const contact = await contacts.contact(locals.db, Number(params.id));
	if (!contact) error(404, 'There is no such contact');
	return { contact };
}) satisfies PageServerLoad;
