import { error, fail, redirect } from '@sveltejs/kit';
import type { z } from 'zod';
import * as audit from '$lib/server/audit/record.ts';
import * as rescoreJobs from '$lib/server/standards/rescore-jobs.ts';
import * as standardVersions from '$lib/server/standards/versions.ts';
import * as whatIf from '$lib/server/standards/what-if.ts';
import type { Actions, PageServerLoad } from './$types';

const issues = (e: z.ZodError) => e.issues.map((issue) => ({ field: String(issue.path[0]), message: issue.message }));

export const load = (async ({ locals, params, url }) => {
	const standards = await standardVersions.list(locals.db, params.code);
	if (standards.length === 0) error(404, { message: `There is no standard ${params.code}` });
	const organisation = url.searchParams.get('organisation');
	return { standards, organisation: standards.some((s) => s.organisation.code === organisation) ? organisation : standards[0]!.organisation.code };
}) satisfies PageServerLoad;

async function parse(locals: App.Locals, code: string, request: Request) {
	const form = Object.fromEntries(await request.formData()) as Record<string, string>;
	const parsed = whatIf.newVersionForm.safeParse(form);
	if (!parsed.success) return { failure: fail(400, { errors: issues(parsed.error), form }) };
	const standard = (await standardVersions.list(locals.db, code)).find((s) => s.organisation.code === parsed.data.organisation);
	if (!standard) return { failure: fail(400, { errors: [{ field: 'organisation', message: `That organisation has no ${code}` }], form }) };
	const latest = standard.versions[0]!;
	if (parsed.data.effectiveFrom <= latest.effectiveFrom) {
		return { failure: fail(400, { errors: [{ field: 'effectiveFrom', message: `The new version must start after ${latest.effectiveFrom}, when version ${latest.version} started: history is never changed` }], form }) };
	}
	if (parsed.data.limit == null && parsed.data.target == null && !parsed.data.wording) {
		return { failure: fail(400, { errors: [{ field: 'limit', message: 'Change the limit, the target or the wording' }], form }) };
	}
	if (parsed.data.limit != null && latest.limit === null) {
		return { failure: fail(400, { errors: [{ field: 'limit', message: `${code} has no limit to change` }], form }) };
	}
	return { change: parsed.data, standard, form };
}

export const actions = {
	/** Which contacts the new version would re-score: a count and a sample. Nothing is saved. */
	check: async ({ locals, params, request }) => {
		const parsed = await parse(locals, params.code, request);
		if ('failure' in parsed) return parsed.failure;
		const affected = await whatIf.affectedFrom(locals.db, parsed.standard.id, parsed.change.effectiveFrom);
		return { checked: { ...affected, effectiveFrom: parsed.change.effectiveFrom }, form: parsed.form };
	},
	publish: async ({ locals, params, request }) => {
		if (!locals.user) error(403, 'Sign in as an administrator');
		const parsed = await parse(locals, params.code, request);
		if ('failure' in parsed) return parsed.failure;
		const { change } = parsed;
		let published;
		try {
			published = await whatIf.publish(locals.db, audit.actorOf(locals.user), { code: params.code, ...change, limit: change.limit ?? null, target: change.target ?? null, wording: change.wording || null });
		} catch (problem) {
			if (problem instanceof whatIf.WhatIfError || problem instanceof RangeError) return fail(400, { errors: [{ field: 'effectiveFrom', message: problem.message }], form: parsed.form });
			throw problem;
		}
		const db = locals.db;
		const token = rescoreJobs.start(
			`${params.code} version ${published.version} (${change.organisation}) from ${published.effectiveFrom}`,
			{ href: `/admin/standards/${params.code}?organisation=${change.organisation}`, text: `Back to ${params.code}` },
			(onProgress) => whatIf.rescoreFrom(db, published.standardId, published.effectiveFrom, onProgress)
		);
		redirect(303, `/admin/rescore/${token}`);
	}
} satisfies Actions;
