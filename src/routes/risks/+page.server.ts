import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { quarter as quarterOf } from '$lib/engine/periods.ts';
import { parseForm } from '$lib/forms.ts';
import { parsePlanFilters } from '$lib/plan-filters.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import { forViewer } from '$lib/server/auth/privacy.ts';
import * as scope from '$lib/server/directory/scope.ts';
import * as riskEdits from '$lib/server/plan/risk-edits.ts';
import * as risks from '$lib/server/plan/risks.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parsePlanFilters(url.searchParams, filterScope, 'quarter');
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const { organisation, financialYear, quarter } = parsed.filters;
	const canManage = can(locals.user, 'manage');
	const [page, services, closed] = await Promise.all([
		risks.overview(locals.db, { organisation, financialYear, quarter: quarter! }),
		canManage ? riskEdits.services(locals.db, organisation) : [],
		riskEdits.closed(locals.db, organisation)
	]);
	return { filters: parsed.filters, ...forViewer(locals.user, page), canManage, services, closed };
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

const closeForm = z.object({
	organisation: where.organisation,
	ref: z.string({ error: 'Choose the risk to close' }).trim().min(1, 'Choose the risk to close').max(32),
	reason: z.string().trim().max(2000, 'The reason must be 2,000 characters or fewer').optional()
});

/** Back to the register after adding or closing a risk (the quarter shown stays the one the form came from). */
const backFrom = (values: Record<string, FormDataEntryValue>, anchor: string) => {
	const year = Number(values.year);
	const quarter = Number(values.quarter);
	const organisation = String(values.organisation);
	return year && quarter >= 1 && quarter <= 4 ? back(organisation, year, quarter, anchor) : `/risks?organisation=${encodeURIComponent(organisation)}#${anchor}`;
};

export const actions = {
	addRisk: async ({ locals, request }) => {
		if (!locals.user || !can(locals.user, 'manage')) error(403, { message: 'Only managers can add risks' });
		const values = Object.fromEntries(await request.formData());
		const organisation = z.string().trim().min(1).max(64).safeParse(values.organisation);
		if (!organisation.success) return fail(400, { form: 'add', values, errors: [{ field: 'add-ref', message: 'Choose the organisation' }] });
		const parsed = parseForm(riskEdits.newRisk, { ...values, service: values.service || undefined }, { prefix: 'add' });
		if ('errors' in parsed) return fail(400, { form: 'add', values, errors: parsed.errors });
		if (!(await scope.organisationVisible(locals.db, locals.user, organisation.data))) error(404, { message: 'There is no such organisation' });
		try {
			await riskEdits.add(locals.db, organisation.data, parsed.data, audit.actorOf(locals.user));
		} catch (cause) {
			if (cause instanceof riskEdits.RiskEditError) return fail(400, { form: 'add', values, errors: [{ field: `add-${cause.field}`, message: cause.message }] });
			throw cause;
		}
		redirect(303, backFrom(values, `risk-${parsed.data.ref}`));
	},
	closeRisk: async ({ locals, request }) => {
		if (!locals.user || !can(locals.user, 'manage')) error(403, { message: 'Only managers can close risks' });
		const values = Object.fromEntries(await request.formData());
		const parsed = parseForm(closeForm, values, { prefix: 'close' });
		if ('errors' in parsed) return fail(400, { form: 'close', errors: parsed.errors });
		if (!(await scope.organisationVisible(locals.db, locals.user, parsed.data.organisation))) error(404, { message: 'There is no such organisation' });
		try {
			await riskEdits.close(locals.db, parsed.data, audit.actorOf(locals.user));
		} catch (cause) {
			if (cause instanceof riskEdits.RiskEditError) return fail(400, { form: 'close', errors: [{ field: 'close-ref', message: cause.message }] });
			throw cause;
		}
		redirect(303, backFrom(values, 'closed-risks'));
	},
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
