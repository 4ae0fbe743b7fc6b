import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localDate } from '$lib/engine/dates.ts';
import { parseForm, type FieldError } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import * as whatIf from '$lib/server/standards/what-if.ts';
import type { Actions, PageServerLoad } from './$types';

const organisation = z.string().trim().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'Choose an organisation').max(64).optional().or(z.literal('').transform(() => undefined));
const question = z.object({ limit: whatIf.limitField, target: whatIf.targetField, organisation });

export const load = (async ({ locals, params, url }) => {
	const parsed = parseForm(question, url.searchParams);
	const asked = 'data' in parsed ? parsed.data : {};
	const errors = 'errors' in parsed ? parsed.errors : [];
	let result: whatIf.WhatIfResult | null = null;
	try {
		result = await whatIf.compute(locals.db, params.code, { limit: asked.limit ?? null, target: asked.target ?? null }, { organisation: asked.organisation ?? null, today: localDate(new Date()) });
	} catch (problem) {
		if (!(problem instanceof whatIf.WhatIfError)) throw problem;
		errors.push({ field: 'limit', message: problem.message });
		result = await whatIf.compute(locals.db, params.code, {}, { organisation: asked.organisation ?? null, today: localDate(new Date()) });
	}
	if (!result) error(404, { message: `There is no standard ${params.code}${asked.organisation ? ` for ${asked.organisation}` : ''}` });
	return { result, asked, errors, canPublish: can(locals.user, 'administer'), values: Object.fromEntries(url.searchParams) };
}) satisfies PageServerLoad;

// This page's publish form carries the limit and target as hidden fields from the question above,
// so a problem with them is shown beside the date, by the button.
const shown = (error: FieldError) => (error.field === 'limit' || error.field === 'target' ? { ...error, field: 'effectiveFrom' } : error);

export const actions = {
	publish: async ({ locals, params, request }) => {
		if (!locals.user || !can(locals.user, 'administer')) error(403, 'Only an administrator can publish a new version of a standard');
		const form = Object.fromEntries(await request.formData());
		const done = await whatIf.publishForm(locals.db, audit.actorOf(locals.user), params.code, form);
		if ('errors' in done) return fail(400, { publishErrors: done.errors.map(shown), form });
		const token = whatIf.rescoreInBackground(locals.db, done.change, done.published, { href: `/standards/${params.code}`, text: `Back to ${params.code}` });
		redirect(303, `/admin/rescore/${token}`);
	}
} satisfies Actions;
