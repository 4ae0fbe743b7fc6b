import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localDate } from '$lib/engine/dates.ts';
import { financialYear } from '$lib/engine/periods.ts';
import { dateOf, parseForm } from '$lib/forms.ts';
import { parsePlanFilters } from '$lib/plan-filters.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import * as scope from '$lib/server/directory/scope.ts';
import * as duties from '$lib/server/plan/duties.ts';
import * as publications from '$lib/server/plan/publications.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parsePlanFilters(url.searchParams, filterScope, 'year');
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const { organisation } = parsed.filters;
	const year = financialYear(parsed.filters.financialYear);
	const canRecord = !!locals.user && can(locals.user, 'manage') && (await scope.organisationVisible(locals.db, locals.user, organisation));
	return {
		filters: parsed.filters,
		year: year.label,
		register: await duties.register(locals.db, { organisation, from: year.start, to: year.end }),
		canRecord,
		recorded: url.searchParams.get('recorded')
	};
}) satisfies PageServerLoad;

const publicationForm = z.object({
	organisation: z.string().trim().min(1).max(64),
	year: z.coerce.number().int().min(2000).max(2100),
	occurrence: z
		.string()
		.trim()
		.refine((value) => publications.publicationOf(value) !== null, 'Choose the notice or register that was published'),
	published: z.string().superRefine((value, ctx) => {
		if (value === '') ctx.addIssue({ code: 'custom', message: 'Enter the date it was published' });
		else if (value === 'not a date') ctx.addIssue({ code: 'custom', message: 'The date published must be a real date' });
	})
});

export const actions = {
	/** Record publication: when a monthly notice of alteration or the revised register was published. */
	publication: async ({ locals, request }) => {
		if (!locals.user || !can(locals.user, 'manage')) error(403, { message: 'Only managers can record a publication' });
		const values = Object.fromEntries(await request.formData());
		const sent = { occurrence: String(values.occurrence ?? ''), day: String(values['published-day'] ?? ''), month: String(values['published-month'] ?? ''), year: String(values['published-year'] ?? '') };
		const parsed = parseForm(publicationForm, { ...values, published: dateOf(values, 'published') }, { prefix: 'publication' });
		if ('errors' in parsed) {
			// The date's errors link to its first box.
			return fail(400, { sent, errors: parsed.errors.map((e) => (e.field === 'publication-published' ? { ...e, field: 'published-day' } : e)) });
		}
		const { organisation, year, occurrence, published } = parsed.data;
		if (!(await scope.organisationVisible(locals.db, locals.user, organisation))) error(403, { message: 'You can record publications for your own organisation only' });
		const publication = publications.publicationOf(occurrence)!;
		try {
			await publications.recordPublication(locals.db, { organisation, publication, publishedOn: published, today: localDate(new Date()), actor: audit.actorOf(locals.user) });
		} catch (cause) {
			if (cause instanceof RangeError) return fail(400, { sent, errors: [{ field: 'published-day', message: cause.message }] });
			throw cause;
		}
		const back = `/duties?organisation=${encodeURIComponent(organisation)}&year=${encodeURIComponent(financialYear(year).label)}&recorded=${encodeURIComponent(occurrence)}`;
		redirect(303, `${back}#record-publication`);
	}
} satisfies Actions;
