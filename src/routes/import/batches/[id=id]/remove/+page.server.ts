import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requirePermission } from '$lib/server/auth/require.ts';
import * as audit from '$lib/server/audit/record.ts';
import * as batches from '$lib/server/ingest/batches.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
	requirePermission(locals.user, 'manage');
	const preview = await batches.removalPreview(locals.db, Number(params.id));
	if (!preview) error(404, 'There is no such import');
	const { batch } = preview;
	return {
		batch: { id: batch.id, filename: batch.filename ?? `${batch.source} (${batch.kind})`, by: batch.createdBy, startedAt: batch.startedAt.toISOString(), status: batch.status },
		created: preview.created,
		assessments: preview.assessments,
		updatedOnly: preview.updatedOnly
	};
}) satisfies PageServerLoad;

const confirmation = z.object({ confirm: z.literal('yes', { error: 'Select yes to confirm that the contacts should be removed' }) });

export const actions = {
	default: async ({ locals, params, request }) => {
		const viewer = requirePermission(locals.user, 'manage');
		const parsed = confirmation.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { errors: [{ field: 'confirm', message: parsed.error.issues[0]!.message }] });
		let removed;
		try {
			removed = await batches.remove(locals.db, Number(params.id), audit.actorOf(viewer));
		} catch (cause) {
			if (cause instanceof batches.BatchRemovalError) return fail(400, { errors: [{ field: 'confirm', message: cause.message }] });
			throw cause;
		}
		redirect(303, `/import?removed=${removed.contacts}`);
	}
} satisfies Actions;
