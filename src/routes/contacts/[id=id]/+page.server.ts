import { error, fail } from '@sveltejs/kit';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can, caseScope } from '$lib/server/auth/access.ts';
import * as contactPage from '$lib/server/cases/contact.ts';
import * as records from '$lib/server/feedback/records.ts';
import * as feedback from '$lib/server/feedback/summary.ts';
import * as survey from '$lib/server/feedback/survey.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	// A contact outside the viewer's organisation or teams is not found, as if it did not exist.
	const contact = await contactPage.contact(locals.db, Number(params.id), caseScope(locals.user!));
	if (!contact) error(404, 'There is no such contact');
	const isComplaint = contact.contactType === 'complaint' || contact.contactType === 'dp-complaint';
	const [given, complaint, themes] = await Promise.all([
		feedback.forContact(locals.db, locals.user!, contact.id),
		isComplaint ? records.complaintOf(locals.db, contact.id) : null,
		isComplaint ? records.themes(locals.db, contact.organisation.code) : []
	]);
	return { contact, feedback: given, complaint: isComplaint ? { record: complaint, themes, canEdit: can(locals.user, 'manage') } : null };
}) satisfies PageServerLoad;

/** The contact, when the viewer may see it; 404 otherwise (as the page). */
async function visible(locals: App.Locals, id: string) {
	const contact = await contactPage.contact(locals.db, Number(id), caseScope(locals.user!));
	if (!contact) error(404, 'There is no such contact');
	return contact;
}

export const actions = {
	/** A survey link for this contact, to paste into the reply: shown once, here. */
	surveyLink: async ({ locals, params, url }) => {
		if (!can(locals.user, 'cases')) error(403, 'You do not have permission to do this');
		const contact = await visible(locals, params.id);
		const link = await survey.createLink(locals.db, { contactId: contact.id, actor: audit.actorOf(locals.user!) });
		return { surveyLink: { url: `${url.origin}/survey/${link.token}`, expiresAt: link.expiresAt } };
	},
	/** A complaint's stage, outcome and theme: managers and admins. */
	complaint: async ({ locals, params, request }) => {
		if (!can(locals.user, 'manage')) error(403, 'Only managers can record a complaint’s stage and outcome');
		const contact = await visible(locals, params.id);
		const values = Object.fromEntries(await request.formData());
		const parsed = parseForm(records.complaintForm, { stage: values.stage || undefined, outcome: values.outcome || undefined, theme: values.theme || undefined });
		if ('errors' in parsed) return fail(400, { complaintErrors: parsed.errors.map((e) => ({ ...e, field: `complaint-${e.field}` })) });
		try {
			await records.recordComplaint(locals.db, { contactId: contact.id, ...parsed.data, actor: audit.actorOf(locals.user!) });
		} catch (cause) {
			if (cause instanceof records.FeedbackEditError) return fail(400, { complaintErrors: [{ field: `complaint-${cause.field}`, message: cause.message }] });
			throw cause;
		}
		return { complaintSaved: true };
	}
} satisfies Actions;
