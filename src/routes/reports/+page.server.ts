import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localDate } from '$lib/engine/dates.ts';
import { financialYear, previousQuarter, quarterOf } from '$lib/engine/periods.ts';
import { parseForm } from '$lib/forms.ts';
import * as reports from '$lib/server/reports/index.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, parent }) => {
	if (!locals.user) error(401, { message: 'Sign in to see reports' });
	const { filterScope } = await parent();
	// The quarter a manager reports on: the last one to have ended.
	const current = previousQuarter(quarterOf(localDate(new Date())));
	const years = Array.from({ length: 6 }, (_, i) => financialYear(quarterOf(localDate(new Date())).startYear - i)).map((fy) => ({ value: String(fy.startYear), label: fy.label }));
	return {
		organisations: filterScope.organisations.map(({ code, name }) => ({ code, name })),
		years,
		current: { year: current.startYear, quarter: current.quarter },
		access: reports.accessOf(locals.user),
		published: await reports.publishedFor(locals.db, locals.user)
	};
}) satisfies PageServerLoad;

const choice = z.object({
	organisation: z.string({ message: 'Choose an organisation' }).trim().min(1, 'Choose an organisation').max(64),
	year: z.coerce.number({ message: 'Choose a financial year' }).int('Choose a financial year').min(2000, 'Choose a financial year').max(2100, 'Choose a financial year'),
	quarter: z.coerce.number({ message: 'Choose a quarter' }).int().min(1, 'Choose a quarter from Q1 to Q4').max(4, 'Choose a quarter from Q1 to Q4'),
	kind: z.enum(reports.REPORT_KINDS, { message: 'Choose the board report or the committee report' })
});

export const actions = {
	open: async ({ request }) => {
		const values = Object.fromEntries(await request.formData());
		const kept = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
		const parsed = parseForm(choice, values);
		if ('errors' in parsed) return fail(400, { values: kept, errors: parsed.errors });
		const key = { organisation: parsed.data.organisation, kind: parsed.data.kind, financialYear: parsed.data.year, quarter: parsed.data.quarter as 1 | 2 | 3 | 4 };
		try {
			reports.checkRequest(key);
		} catch (cause) {
			if (cause instanceof reports.ReportRequestError) return fail(400, { values: kept, errors: [{ field: 'quarter', message: cause.message }] });
			throw cause;
		}
		redirect(303, reports.reportPath(key));
	}
} satisfies Actions;
