import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import * as alerts from '$lib/server/alerts/index.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	if (!locals.user) error(401, 'Sign in to see alerts');
	const parsed = alerts.parseFilters(url.searchParams);
	if ('errors' in parsed) error(400, { message: 'There is a problem with the filters', errors: parsed.errors });
	const queue = await alerts.list(locals.db, locals.user, parsed.filters);
	return { queue, filters: parsed.filters, notifications: alerts.notify.describe(alerts.notify.configFromEnv()) };
}) satisfies PageServerLoad;

const form = z.object({ alert: alerts.alertIdSchema, back: z.string().max(300).default(''), officer: z.string().max(200).default(''), note: z.string().default('') });

/** Each action: parse the form, call one server function, go back to the same queue (303). */
async function act(request: Request, locals: App.Locals, run: (viewer: NonNullable<App.Locals['user']>, input: z.infer<typeof form>) => Promise<alerts.ActionResult>) {
	if (!locals.user) error(401, 'Sign in to act on alerts');
	const parsed = form.safeParse(Object.fromEntries(await request.formData()));
	if (!parsed.success) return fail(400, { errors: [{ field: 'alerts', message: 'Choose an alert from the queue' }], alert: null });
	const result = await run(locals.user, parsed.data);
	if (!result.ok) return fail(result.status, { errors: result.errors, alert: parsed.data.alert });
	const back = alerts.parseFilters(new URLSearchParams(parsed.data.back));
	redirect(303, `/alerts${'filters' in back ? alerts.returnQuery(back.filters) : ''}#alert-${parsed.data.alert}`);
}

export const actions = {
	acknowledge: ({ request, locals }) => act(request, locals, (viewer, input) => alerts.acknowledge(locals.db, viewer, input.alert)),
	assign: ({ request, locals }) => act(request, locals, (viewer, input) => alerts.assign(locals.db, viewer, input.alert, input.officer)),
	note: ({ request, locals }) => act(request, locals, (viewer, input) => alerts.addNote(locals.db, viewer, input.alert, input.note))
} satisfies Actions;
