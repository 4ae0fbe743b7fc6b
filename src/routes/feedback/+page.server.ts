import { error, fail, redirect } from '@sveltejs/kit';
import { parseFilters } from '$lib/filters.ts';
import { dateOf, parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import * as scope from '$lib/server/directory/scope.ts';
import * as records from '$lib/server/feedback/records.ts';
import * as feedback from '$lib/server/feedback/summary.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parseFilters(url.searchParams, filterScope);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const { filters } = parsed;
	const viewer = locals.user!;
	const canManage = can(viewer, 'manage');
	const where = { organisation: filters.organisation, service: filters.service, team: filters.team };
	const [summary, comments, actions, themes, complaints] = await Promise.all([
		feedback.summary(locals.db, where, filters.period),
		// Free text: managers and admins all, team leads their teams'; committee members none.
		feedback.comments(locals.db, viewer, where, filters.period),
		// Committee members see what was done, never who owns it.
		feedback.actions(locals.db, where, filters.period, { withOwner: viewer.role !== 'committee' }),
		canManage && filters.organisation ? records.themes(locals.db, filters.organisation) : [],
		canManage && filters.organisation ? feedback.complaintChoices(locals.db, filters.organisation, filters.period) : []
	]);
	return { filters, summary, comments, readsComments: feedback.mayReadComments(viewer), actions, canManage, themes, complaints };
}) satisfies PageServerLoad;

/** The organisation a manager's form is about: it must be one they may see. */
async function organisationOf(locals: App.Locals, values: Record<string, FormDataEntryValue>): Promise<string> {
	if (!locals.user || !can(locals.user, 'manage')) error(403, 'Only managers can change the feedback log');
	const organisation = typeof values.organisation === 'string' ? values.organisation.trim() : '';
	if (!organisation) error(400, 'Choose the organisation');
	if (!(await scope.organisationVisible(locals.db, locals.user, organisation))) error(404, 'There is no such organisation');
	return organisation;
}

/** Back to the page as it was filtered (the form's `back` is the filter query string; anything else falls back to the organisation). */
const back = (values: Record<string, FormDataEntryValue>, anchor: string) =>
	`/feedback?${typeof values.back === 'string' && /^[A-Za-z0-9=&%._/-]{0,300}$/.test(values.back) ? values.back : `organisation=${encodeURIComponent(String(values.organisation))}`}#${anchor}`;

export const actions = {
	addTheme: async ({ locals, request }) => {
		const values = Object.fromEntries(await request.formData());
		const organisation = await organisationOf(locals, values);
		const parsed = parseForm(records.themeForm, values, { prefix: 'theme' });
		if ('errors' in parsed) return fail(400, { form: 'theme', values, errors: parsed.errors });
		try {
			await records.addTheme(locals.db, organisation, parsed.data.name, audit.actorOf(locals.user!));
		} catch (cause) {
			if (cause instanceof records.FeedbackEditError) return fail(400, { form: 'theme', values, errors: [{ field: cause.field, message: cause.message }] });
			throw cause;
		}
		redirect(303, back(values, 'themes'));
	},
	addAction: async ({ locals, request }) => {
		const data = await request.formData();
		const values = Object.fromEntries(data);
		const organisation = await organisationOf(locals, values);
		const input = { ...values, dueOn: dateOf(values, 'action-dueOn'), service: values.service || undefined, theme: values.theme || undefined, complaints: data.getAll('complaints') };
		const parsed = parseForm(records.actionForm, input, { prefix: 'action' });
		if ('errors' in parsed) return fail(400, { form: 'action', values, errors: parsed.errors });
		try {
			await records.addAction(locals.db, organisation, parsed.data, audit.actorOf(locals.user!));
		} catch (cause) {
			if (cause instanceof records.FeedbackEditError) return fail(400, { form: 'action', values, errors: [{ field: `action-${cause.field}`, message: cause.message }] });
			throw cause;
		}
		redirect(303, back(values, 'actions'));
	},
	actionStatus: async ({ locals, request }) => {
		const values = Object.fromEntries(await request.formData());
		const organisation = await organisationOf(locals, values);
		const parsed = parseForm(records.statusForm, values);
		if ('errors' in parsed) return fail(400, { form: 'status', values, errors: parsed.errors });
		try {
			await records.setActionStatus(locals.db, organisation, parsed.data, audit.actorOf(locals.user!));
		} catch (cause) {
			if (cause instanceof records.FeedbackEditError) return fail(400, { form: 'status', values, errors: [{ field: `status-${parsed.data.id}`, message: cause.message }] });
			throw cause;
		}
		redirect(303, back(values, `action-${parsed.data.id}`));
	}
} satisfies Actions;
