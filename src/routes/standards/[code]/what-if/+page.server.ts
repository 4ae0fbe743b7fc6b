import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localDate } from '$lib/engine/dates.ts';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import * as rescoreJobs from '$lib/server/standards/rescore-jobs.ts';
import * as whatIf from '$lib/server/standards/what-if.ts';
import type { Actions, PageServerLoad } from './$types';

const organisation = z.string().trim().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'Choose an organisation').max(64).optional().or(z.literal('').transform(() => undefined));
const question = z.object({ limit: whatIf.limitField, target: whatIf.targetField, organisation });
const issues = (e: z.ZodError) => e.issues.map((issue) => ({ field: String(issue.path[0]), message: issue.message }));

export const load = (async ({ locals, params, url }) => {
	const parsed = question.safeParse(Object.fromEntries(url.searchParams));
	const asked = parsed.success ? parsed.data : {};
	const errors = parsed.success ? [] : issues(parsed.error);
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

export const actions = {
	publish: async ({ locals, params, request }) => {
		if (!locals.user || !can(locals.user, 'administer')) error(403, 'Only an administrator can publish a new version of a standard');
		const form = Object.fromEntries(await request.formData());
		const parsed = whatIf.newVersionForm.safeParse(form);
		if (!parsed.success) return fail(400, { publishErrors: issues(parsed.error), form });
		const change = parsed.data;
		let published;
		try {
			published = await whatIf.publish(locals.db, audit.actorOf(locals.user), { code: params.code, ...change, limit: change.limit ?? null, target: change.target ?? null, wording: change.wording || null });
		} catch (problem) {
			if (problem instanceof whatIf.WhatIfError || problem instanceof RangeError) return fail(400, { publishErrors: [{ field: 'effectiveFrom', message: problem.message }], form });
			throw problem;
		}
		const db = locals.db;
		const token = rescoreJobs.start(
			`${params.code} version ${published.version} (${change.organisation}) from ${published.effectiveFrom}`,
			{ href: `/standards/${params.code}`, text: `Back to ${params.code}` },
			(onProgress) => whatIf.rescoreFrom(db, published.standardId, published.effectiveFrom, onProgress)
		);
		redirect(303, `/admin/rescore/${token}`);
	}
} satisfies Actions;
