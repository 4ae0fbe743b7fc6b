import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import * as alerts from '$lib/server/alerts/index.ts';
import { can } from '$lib/server/auth/access.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	if (!locals.user) error(401, 'Sign in to see alerts');
	const parsed = alerts.parseFilters(url.searchParams);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const queue = await alerts.list(locals.db, locals.user, parsed.filters);
	const notifications = alerts.notify.describe(alerts.notify.configFromEnv());
	return {
		queue,
		filters: parsed.filters,
		// How to switch notifications on is for the administrator; everyone else is told whether they are on.
		notifications: can(locals.user, 'administer') ? notifications.messages : alerts.notify.inWords(notifications),
		done: doneOf(url.searchParams, queue)
	};
}) satisfies PageServerLoad;

const back = z.string().max(300).default('');
const count = (text: string | null) => (text && /^\d{1,4}$/.test(text) ? Number(text) : 0);
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** What the last action did, from the address it came back to (counts and an officer of the queue only: nothing else is shown). */
function doneOf(params: URLSearchParams, queue: alerts.Queue): string | null {
	const gone = count(params.get('gone'));
	const left = gone ? `; ${plural(gone, 'was', 'were')} no longer in your queue` : '';
	if (params.has('acknowledged')) return `${plural(count(params.get('acknowledged')), 'alert', 'alerts')} acknowledged${left}.`;
	const officer = Object.values(queue.officers).flat().find((o) => o.id === params.get('to'));
	if (params.has('assigned')) return `${plural(count(params.get('assigned')), 'alert', 'alerts')} assigned${officer ? ` to ${officer.name}` : ''}.`;
	return null;
}

/** The queue to return to after an action (same filters, order and page), saying what was done. */
function returnTo(backQuery: string, done: Record<string, string> = {}): string {
	const parsed = alerts.parseFilters(new URLSearchParams(backQuery));
	const query = new URLSearchParams('filters' in parsed ? alerts.returnQuery(parsed.filters) : '');
	for (const [key, value] of Object.entries(done)) query.set(key, value);
	const text = query.toString();
	return `/alerts${text ? `?${text}` : ''}`;
}

/** Acknowledge or assign the ticked alerts (one or many): one server function, back to the same page (303). */
async function bulk(request: Request, locals: App.Locals, action: 'acknowledged' | 'assigned', run: (viewer: NonNullable<App.Locals['user']>, ids: number[], form: FormData) => Promise<alerts.ActionResult>) {
	if (!locals.user) error(401, 'Sign in to act on alerts');
	const form = await request.formData();
	const ids = alerts.alertIdsSchema.safeParse(form.getAll('alert'));
	if (!ids.success) return fail(400, { errors: [{ field: 'alerts', message: ids.error.issues[0]?.message ?? 'Select at least one alert' }], alert: null });
	const result = await run(locals.user, ids.data, form);
	if (!result.ok) return fail(result.status, { errors: result.errors, alert: ids.data.length === 1 ? ids.data[0] : null });
	const done: Record<string, string> = { [action]: String(result.done) };
	if (result.gone) done.gone = String(result.gone);
	if (action === 'assigned') done.to = String(form.get('officer'));
	redirect(303, returnTo(back.parse(form.get('back') ?? ''), done));
}

const noteForm = z.object({ alert: alerts.alertIdSchema, back, note: z.string().default('') });

export const actions = {
	acknowledge: ({ request, locals }) => bulk(request, locals, 'acknowledged', (viewer, ids) => alerts.acknowledge(locals.db, viewer, ids)),
	assign: ({ request, locals }) => bulk(request, locals, 'assigned', (viewer, ids, form) => alerts.assign(locals.db, viewer, ids, String(form.get('officer') ?? '').slice(0, 200))),
	note: async ({ request, locals }) => {
		if (!locals.user) error(401, 'Sign in to act on alerts');
		const parsed = noteForm.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { errors: [{ field: 'alerts', message: 'Choose an alert from the queue' }], alert: null });
		const result = await alerts.addNote(locals.db, locals.user, parsed.data.alert, parsed.data.note);
		if (!result.ok) return fail(result.status, { errors: result.errors, alert: parsed.data.alert });
		redirect(303, `${returnTo(parsed.data.back)}#alert-${parsed.data.alert}`);
	}
} satisfies Actions;
