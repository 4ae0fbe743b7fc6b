import { error, redirect } from '@sveltejs/kit';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import * as reports from '$lib/server/reports/index.ts';
import type { Actions, PageServerLoad } from './$types';
import { reportOptions } from './options.ts';

export const load = (async ({ locals, params, url }) => {
	if (!locals.user) error(401, { message: 'Sign in to see reports' });
	const { key, options } = reportOptions(params, url);
	const view = await reports.viewFor(locals.db, key, locals.user, options).catch((cause) => {
		if (cause instanceof reports.ReportRequestError) error(404, { message: cause.message });
		throw cause;
	});
	if (!view) error(404, { message: options.version ? `Version ${options.version} of this report has not been published` : 'This report has not been published' });
	return {
		path: reports.reportPath(key),
		kind: key.kind,
		title: view.report.title,
		organisation: view.report.organisation.name,
		cover: reports.cover(view.report, view.status),
		body: reports.sections(view.report),
		// The SHA-256 content hash is for administrators checking a stored copy, not for readers.
		status: { ...view.status, contentHash: null },
		contentHash: can(locals.user, 'administer') ? view.status.contentHash : null,
		versions: view.versions,
		changes: view.changes,
		intact: view.intact,
		live: options.live === true,
		version: options.version ?? null,
		canPublish: can(locals.user, 'publishReports'),
		publishedOnly: reports.accessOf(locals.user).publishedOnly,
		justPublished: url.searchParams.get('published'),
		// Publishing is asked twice: the button leads to a confirmation, which publishes.
		confirming: url.searchParams.get('publish') === 'confirm' && can(locals.user, 'publishReports')
	};
}) satisfies PageServerLoad;

export const actions = {
	publish: async ({ locals, params, url, request }) => {
		if (!locals.user || !can(locals.user, 'publishReports')) error(403, { message: 'Only managers can publish reports' });
		const { key } = reportOptions(params, url);
		// Not confirmed (an old form, a script): ask first, publish nothing.
		if ((await request.formData()).get('confirm') !== 'yes') redirect(303, `${reports.reportPath(key)}?publish=confirm`);
		if (!(await reports.organisationVisible(locals.db, locals.user, key.organisation))) error(404, { message: 'There is no such report' });
		const report = await reports.build(locals.db, key).catch((cause) => {
			if (cause instanceof reports.ReportRequestError) error(404, { message: cause.message });
			throw cause;
		});
		const published = await reports.publish(locals.db, report, audit.actorOf(locals.user));
		redirect(303, `${reports.reportPath(key)}?published=${published.version}`);
	}
} satisfies Actions;
