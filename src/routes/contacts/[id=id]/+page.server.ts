import { error } from '@sveltejs/kit';
import { caseScope } from '$lib/server/auth/access.ts';
import * as contactPage from '$lib/server/cases/contact.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	// A contact outside the viewer's organisation or teams is not found, as if it did not exist.
	const contact = await contactPage.contact(locals.db, Number(params.id), caseScope(locals.user!));
	if (!contact) error(404, 'There is no such contact');
	return { contact };
}) satisfies PageServerLoad;
