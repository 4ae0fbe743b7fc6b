import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { addCalendarDays, localDate } from '$lib/engine/dates.ts';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import * as closures from '$lib/server/standards/closures.ts';
import * as rescoreJobs from '$lib/server/standards/rescore-jobs.ts';
import type { Actions, PageServerLoad } from './$types';

const date = z
	.string({ error: 'Enter the date' })
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as year-month-day, for example 2026-12-29')
	.refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'Enter a real date, for example 2026-12-29');
const closureForm = z.object({
	organisation: z.string({ error: 'Choose the organisation' }).trim().min(1, 'Choose the organisation'),
	date,
	reason: z.string({ error: 'Say why the council is closed' }).trim().min(1, 'Say why the council is closed, for example Christmas closure').max(200, 'The reason must be 200 characters or fewer'),
	closedToo: z.literal('yes').optional()
});
const removal = z.object({ id: z.coerce.number().int().positive(), closedToo: z.literal('yes').optional() });

export const load = (async ({ locals }) => {
	const since = addCalendarDays(localDate(new Date()), -730);
	return { organisations: await closures.list(locals.db, since), since };
}) satisfies PageServerLoad;

function startRescore(db: App.Locals['db'], title: string, organisationId: number, day: string, closedToo: boolean) {
	return rescoreJobs.start(title, { href: '/admin/calendars', text: 'Back to calendars' }, (onProgress) =>
		closures.rescore(db, { organisationId, date: day, closedToo, onProgress })
	);
}

export const actions = {
	/** Which contacts a new closure day would touch. Nothing is saved. */
	check: async ({ locals, request }) => {
		const form = Object.fromEntries(await request.formData()) as Record<string, string>;
		const parsed = parseForm(closureForm, form);
		if ('errors' in parsed) return fail(400, { errors: parsed.errors, form });
		const organisation = (await closures.list(locals.db, parsed.data.date)).find((o) => o.code === parsed.data.organisation);
		if (!organisation) return fail(400, { errors: [{ field: 'organisation', message: 'Choose the organisation' }], form });
		return { checked: await closures.affectedBy(locals.db, organisation.id, parsed.data.date), form };
	},
	add: async ({ locals, request }) => {
		if (!locals.user) error(403, 'Sign in as an administrator');
		const form = Object.fromEntries(await request.formData()) as Record<string, string>;
		const parsed = parseForm(closureForm, form);
		if ('errors' in parsed) return fail(400, { errors: parsed.errors, form });
		let added;
		try {
			added = await closures.add(locals.db, audit.actorOf(locals.user), parsed.data);
		} catch (problem) {
			if (problem instanceof closures.ClosureError) return fail(400, { errors: [{ field: 'date', message: problem.message }], form });
			throw problem;
		}
		const token = startRescore(locals.db, `Closure day ${parsed.data.date} added (${parsed.data.organisation})`, added.organisationId, parsed.data.date, parsed.data.closedToo === 'yes');
		redirect(303, `/admin/rescore/${token}`);
	},
	remove: async ({ locals, request }) => {
		if (!locals.user) error(403, 'Sign in as an administrator');
		const parsed = removal.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { errors: [{ field: 'date', message: 'Choose a closure day to remove' }] });
		let removed;
		try {
			removed = await closures.remove(locals.db, audit.actorOf(locals.user), parsed.data.id);
		} catch (problem) {
			if (problem instanceof closures.ClosureError) return fail(400, { errors: [{ field: 'date', message: problem.message }] });
			throw problem;
		}
		const token = startRescore(locals.db, `Closure day ${removed.date} removed`, removed.organisationId, removed.date, parsed.data.closedToo === 'yes');
		redirect(303, `/admin/rescore/${token}`);
	}
} satisfies Actions;
