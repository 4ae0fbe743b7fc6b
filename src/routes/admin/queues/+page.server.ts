import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '$lib/forms.ts';
import * as audit from '$lib/server/audit/record.ts';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as sources from '$lib/server/ingest/sources.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load = (async ({ locals }) => {
	requirePermission(locals.user, 'administer');
	return { queues: await sources.queues(locals.db) };
}) satisfies PageServerLoad;

const queueMapping = z.object({
	organisation: z.string().trim().min(1, 'Choose the organisation'),
	queue: z.string().trim().min(1, 'Enter the queue name as the phone system writes it').max(200, 'A queue name is at most 200 characters'),
	service: z.string().trim().min(1, 'Choose the service its calls belong to'),
	team: z.string().trim().optional()
});
const removal = z.object({ id: z.coerce.number({ error: 'Choose a queue' }).int().positive('Choose a queue') });

/** Parses the form (fields prefixed with `form`), makes the change, and answers 400 with the problems or 303 back to the page. */
async function change<T extends z.ZodType>(
	event: RequestEvent,
	formOf: string | ((values: Record<string, string>) => string),
	schema: T,
	make: (data: z.output<T>, by: audit.Actor) => Promise<unknown>
) {
	const viewer = requirePermission(event.locals.user, 'administer');
	const values = Object.fromEntries([...(await event.request.formData())].map(([k, v]) => [k, String(v)]));
	const form = typeof formOf === 'string' ? formOf : formOf(values);
	const parsed = parseForm(schema, values, { prefix: form });
	if ('errors' in parsed) return fail(400, { form, values, errors: parsed.errors });
	try {
		await make(parsed.data, audit.actorOf(viewer));
	} catch (cause) {
		if (cause instanceof sources.SourceError) {
			const field = /team/.test(cause.message) ? 'team' : /service/.test(cause.message) ? 'service' : /organisation/.test(cause.message) ? 'organisation' : 'queue';
			return fail(400, { form, values, errors: [{ field: `${form}-${field}`, message: cause.message.charAt(0).toUpperCase() + cause.message.slice(1) }] });
		}
		throw cause;
	}
	redirect(303, '/admin/queues');
}

export const actions = {
	add: (event) => change(event, 'add', queueMapping, (data, by) => sources.saveQueue(event.locals.db, by, data)),
	/** Where a mapped queue's calls go: the same queue of the same organisation, another service or team. */
	change: (event) => change(event, (values) => `change-${/^\d+$/.test(values.id ?? '') ? values.id : 'row'}`, queueMapping, (data, by) => sources.saveQueue(event.locals.db, by, data)),
	remove: (event) => change(event, 'remove', removal, (data, by) => sources.removeQueue(event.locals.db, by, data.id))
} satisfies Actions;
