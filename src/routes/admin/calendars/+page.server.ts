import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { readDateInput, type DatePart } from '$lib/date-input.ts';
import { addCalendarDays, localDate } from '$lib/engine/dates.ts';
import { parseForm, type FieldError } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import * as closures from '$lib/server/standards/closures.ts';
import * as rescoreJobs from '$lib/server/standards/rescore-jobs.ts';
import type { Actions, PageServerLoad } from './$types';

const closureForm = z.object({
	organisation: z.string({ error: 'Choose the organisation' }).trim().min(1, 'Choose the organisation'),
	reason: z.string({ error: 'Say why the council is closed' }).trim().min(1, 'Say why the council is closed, for example Christmas closure').max(200, 'The reason must be 200 characters or fewer'),
	closedToo: z.literal('yes').optional()
});
const removal = z.object({ id: z.coerce.number().int().positive(), closedToo: z.literal('yes').optional() });

/**
 * The add-a-closure form: organisation, the first day and (optionally) the last as GOV.UK date
 * inputs, the reason. Every problem at once, each linked to its box; the form as sent, to show again.
 */
function readClosure(form: Record<string, string>) {
	const errors: FieldError[] = [];
	const errorParts: Record<string, DatePart[]> = {};
	const from = readDateInput({ day: form['from-day'], month: form['from-month'], year: form['from-year'] }, 'the first day of the closure');
	const to = readDateInput({ day: form['to-day'], month: form['to-month'], year: form['to-year'] }, 'the last day of the closure');
	if ('empty' in from) errors.push({ field: 'from-day', message: 'Enter the first day of the closure' });
	else if ('error' in from) {
		errors.push({ field: `from-${from.parts[0]}`, message: from.error });
		errorParts.from = from.parts;
	}
	if ('error' in to) {
		errors.push({ field: `to-${to.parts[0]}`, message: to.error });
		errorParts.to = to.parts;
	}
	if ('date' in from && 'date' in to && to.date < from.date) errors.push({ field: 'to-day', message: 'The last day of the closure must be the same as or after the first day' });
	const parsed = parseForm(closureForm, form);
	if ('errors' in parsed) errors.push(...parsed.errors);
	if (errors.length || 'errors' in parsed || !('date' in from)) return { errors, errorParts };
	return { errors, errorParts, closure: { ...parsed.data, from: from.date, to: 'date' in to ? to.date : from.date } };
}

export const load = (async ({ locals }) => {
	const since = addCalendarDays(localDate(new Date()), -730);
	return { organisations: await closures.list(locals.db, since), since };
}) satisfies PageServerLoad;

function startRescore(db: App.Locals['db'], title: string, organisationId: number, day: string, closedToo: boolean, to = day) {
	return rescoreJobs.start(title, { href: '/admin/calendars', text: 'Back to calendars' }, (onProgress) =>
		closures.rescore(db, { organisationId, date: day, to, closedToo, onProgress })
	);
}

const rangeText = (from: string, to: string) => (from === to ? from : `${from} to ${to}`);

export const actions = {
	/** Which contacts a new closure day would touch. Nothing is saved. */
	check: async ({ locals, request }) => {
		const form = Object.fromEntries(await request.formData()) as Record<string, string>;
		const read = readClosure(form);
		if (!read.closure) return fail(400, { errors: read.errors, errorParts: read.errorParts, form });
		const { organisation: code, from, to } = read.closure;
		const organisation = (await closures.list(locals.db, from)).find((o) => o.code === code);
		if (!organisation) return fail(400, { errors: [{ field: 'organisation', message: 'Choose the organisation' }], form });
		const already = organisation.days.filter((d) => d.date >= from && d.date <= to).length;
		return { checked: { ...(await closures.affectedBy(locals.db, organisation.id, from, to)), from, to, already }, form };
	},
	add: async ({ locals, request }) => {
		if (!locals.user) error(403, 'Sign in as an administrator');
		const form = Object.fromEntries(await request.formData()) as Record<string, string>;
		const read = readClosure(form);
		if (!read.closure) return fail(400, { errors: read.errors, errorParts: read.errorParts, form });
		const closure = read.closure;
		let added;
		try {
			added = await closures.addRange(locals.db, audit.actorOf(locals.user), closure);
		} catch (problem) {
			if (problem instanceof closures.ClosureError) return fail(400, { errors: [{ field: 'from-day', message: problem.message }], form });
			throw problem;
		}
		const days = added.added.length === 1 ? 'Closure day' : `${added.added.length} closure days`;
		const token = startRescore(locals.db, `${days} ${rangeText(closure.from, closure.to)} added (${closure.organisation})`, added.organisationId, closure.from, closure.closedToo === 'yes', closure.to);
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
