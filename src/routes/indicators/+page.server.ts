import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { financialYear } from '$lib/engine/periods.ts';
import { parseForm } from '$lib/forms.ts';
import { parsePlanFilters } from '$lib/plan-filters.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import * as indicatorEdits from '$lib/server/plan/indicator-edits.ts';
import * as indicators from '$lib/server/plan/indicators.ts';
import * as scope from '$lib/server/directory/scope.ts';
import { forViewer } from '$lib/server/auth/privacy.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, parent }) => {
	const { filterScope } = await parent();
	const parsed = parsePlanFilters(url.searchParams, filterScope, 'year');
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const table = await indicators.table(locals.db, { organisation: parsed.filters.organisation, financialYear: parsed.filters.financialYear });
	const progress = table.rows.some((r) => r.kind === 'es01')
		? await indicators.canvassProgress(locals.db, { organisation: parsed.filters.organisation, canvassYear: parsed.filters.financialYear })
		: null;
	return { filters: parsed.filters, table: forViewer(locals.user, table), canManage: can(locals.user, 'manage'), progress };
}) satisfies PageServerLoad;

const common = {
	organisation: z.string().trim().min(1).max(64),
	year: z.coerce.number().int().min(2000).max(2100),
	indicator: z.string().trim().min(1, 'Choose an indicator').max(64)
};
const commentaryForm = z.object({
	...common,
	quarter: z.coerce.number({ message: 'Choose a quarter' }).int().min(1, 'Choose a quarter from Q1 to Q4').max(4, 'Choose a quarter from Q1 to Q4'),
	body: z.string().trim().min(1, 'Enter the commentary').max(4000, 'Commentary must be 4,000 characters or fewer')
});
const targetForm = z.object({
	...common,
	target: z.coerce.number({ message: 'Enter the target as a number, like 90' }).min(0, 'The target must be from 0 to 100').max(100, 'The target must be from 0 to 100')
});

const back = (organisation: string, year: number, ref: string) =>
	`/indicators?organisation=${encodeURIComponent(organisation)}&year=${encodeURIComponent(financialYear(year).label)}#indicator-${encodeURIComponent(ref)}`;

export const actions = {
	commentary: async ({ locals, request }) => {
		if (!locals.user || !can(locals.user, 'manage')) error(403, { message: 'Only managers can add commentary' });
		const values = Object.fromEntries(await request.formData());
		// Field ids are per indicator, so each error links to its own form's field.
		const prefix = `commentary-${String(values.indicator ?? '')}`;
		const parsed = parseForm(commentaryForm, values, { prefix });
		if ('errors' in parsed) return fail(400, { form: 'commentary', indicator: String(values.indicator ?? ''), body: String(values.body ?? ''), errors: parsed.errors });
		const { organisation, year, indicator, quarter, body } = parsed.data;
		if (!(await scope.organisationVisible(locals.db, locals.user, organisation))) error(404, { message: 'There is no such organisation' });
		try {
			await indicatorEdits.saveCommentary(locals.db, { organisation, indicator, financialYear: year, quarter, body, author: audit.actorOf(locals.user) });
		} catch (cause) {
			if (cause instanceof RangeError) return fail(400, { form: 'commentary', indicator, body, errors: [{ field: `${prefix}-body`, message: cause.message }] });
			throw cause;
		}
		redirect(303, back(organisation, year, indicator));
	},
	target: async ({ locals, request }) => {
		if (!locals.user || !can(locals.user, 'manage')) error(403, { message: 'Only managers can set targets' });
		const values = Object.fromEntries(await request.formData());
		const prefix = `target-${String(values.indicator ?? '')}`;
		const parsed = parseForm(targetForm, values, { prefix });
		if ('errors' in parsed) return fail(400, { form: 'target', indicator: String(values.indicator ?? ''), target: String(values.target ?? ''), errors: parsed.errors });
		const { organisation, year, indicator, target } = parsed.data;
		if (!(await scope.organisationVisible(locals.db, locals.user, organisation))) error(404, { message: 'There is no such organisation' });
		try {
			await indicatorEdits.setTarget(locals.db, { organisation, indicator, financialYear: year, target, actor: audit.actorOf(locals.user) });
		} catch (cause) {
			if (cause instanceof RangeError) return fail(400, { form: 'target', indicator, target: String(target), errors: [{ field: `${prefix}-target`, message: cause.message }] });
			throw cause;
		}
		redirect(303, back(organisation, year, indicator));
	}
} satisfies Actions;
