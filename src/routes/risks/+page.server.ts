import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { quarter as quarterOf } from '$lib/engine/periods.ts';
import { parseForm } from '$lib/forms.ts';
import { parsePlanFilters } from '$lib/plan-filters.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import { forViewer } from '$lib/server/auth/privacy.ts';
import * as scope from '$lib/server/directory/scope.ts';
import * as risks from '$lib/server/plan/risks.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parsePlanFilters(url.searchParams, filterScope, 'quarter');
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const { organisation, financialYear, quarter } = parsed.filters;
	const page = await risks.overview(locals.db, { organisation, financialYear, quarter: quarter! });
	return { filters: parsed.filters, ...forViewer(locals.user, page), canManage: can(locals.user, 'manage') };
}) satisfies PageServerLoad;

const where = {
	organisation: z.string().trim().min(1).max(64),
	year: z.coerce.number().int().min(2000).max(2100),
	quarter: z.coerce.number().int().min(1).max(4)
};
const decisionForm = z.object({
	...where,
	rule: z.string().trim().min(1).max(64),
	decision: z.enum(['accepted', 'rejected'], { message: 'Choose whether to accept or reject the suggestion' }),
	note: z.string().trim().max(2000, 'The note must be 2,000 characters or fewer').optional()
});
const level = (what: string) => z.coerce.number({ message: `Choose the ${what}` }).int().min(1, `Choose the ${what} from 1 to 4`).max(4, `Choose the ${what} from 1 to 4`);
const reviewForm = z.object({
	...where,
	ref: z.string().trim().min(1).max(32),
	likelihood: level('likelihood'),
	impact: level('impact'),
	note: z.string().trim().max(2000, 'The note must be 2,000 characters or fewer').optional()
});

const back = (organisation: string, year: number, quarter: number, anchor: string) =>
	`/risks?organisation=${encodeURIComponent(organisation)}&quarter=${encodeURIComponent(quarterOf(year, quarter as 1 | 2 | 3 | 4).label)}#${anchor}`;

export const actions = {
	decide: async ({ locals, request }) => {
		if (!locals.user || !can(locals.user, 'manage')) error(403, { message: 'Only managers can decide on a suggested likelihood' });
		const values = Object.fromEntries(await request.formData());
		const id = `decision-${String(values.rule ?? '')}`;
		const parsed = parseForm(decisionForm, values, { prefix: id });
		if ('errors' in parsed) return fail(400, { form: id, errors: parsed.errors });
		const { organisation, year, quarter, rule, decision, note } = parsed.data;
		if (!(await scope.organisationVisible(locals.db, locals.user, organisation))) error(404, { message: 'There is no such organisation' });
		try {
			await risks.decide(locals.db, { organisation, financialYear: year, quarter, rule, decision, note, actor: audit.actorOf(locals.user) });
		} catch (cause) {
			if (cause instanceof RangeError) return fail(400, { form: id, errors: [{ field: `${id}-decision`, message: cause.message }] });
			throw cause;
		}
		redirect(303, back(organisation, year, quarter, `evidence-${rule}`));
	},
	review: async ({ locals, request }) => {
		if (!locals.user || !can(locals.user, 'manage')) error(403, { message: 'Only managers can review risks' });
		const values = Object.fromEntries(await request.formData());
		const id = 'review';
		const parsed = parseForm(reviewForm, values, { prefix: id });
		if ('errors' in parsed) return fail(400, { form: id, errors: parsed.errors });
		const { organisation, year, quarter, ref, likelihood, impact, note } = parsed.data;
		if (!(await scope.organisationVisible(locals.db, locals.user, organisation))) error(404, { message: 'There is no such organisation' });
		try {
			await risks.review(locals.db, { organisation, ref, financialYear: year, quarter, likelihood, impact, note, actor: audit.actorOf(locals.user) });
		} catch (cause) {
			if (cause instanceof RangeError) return fail(400, { form: id, errors: [{ field: `${id}-likelihood`, message: cause.message }] });
			throw cause;
		}
		redirect(303, back(organisation, year, quarter, `risk-${ref}`));
	}
} satisfies Actions;
