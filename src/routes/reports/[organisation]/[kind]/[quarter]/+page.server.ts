import { error, fail, redirect } from '@sveltejs/kit';
import * as audit from '$lib/server/audit/record.ts';
import { can } from '$lib/server/auth/access.ts';
import * as indicatorEdits from '$lib/server/plan/indicator-edits.ts';
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
	// Publishing is asked twice: the button leads to a confirmation, which lists every red and amber
	// item of the figures as they are now, each with a form for its commentary and corrective action.
	const confirming = url.searchParams.get('publish') === 'confirm' && can(locals.user, 'publishReports');
	const next = confirming ? (view.status.version === null ? view.report : await reports.build(locals.db, key)) : null;
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
		confirming,
		exceptions: next?.exceptions ?? [],
		basis: next?.basis.label ?? null,
		publisher: locals.user.name,
		savedItem: url.searchParams.get('saved')
	};
}) satisfies PageServerLoad;

export const actions = {
	publish: async ({ locals, params, url, request }) => {
		if (!locals.user || !can(locals.user, 'publishReports')) error(403, { message: 'Only managers can publish reports' });
		const { key } = reportOptions(params, url);
		// Not confirmed (an old form, a script): ask first, publish nothing.
		const form = await request.formData();
		if (form.get('confirm') !== 'yes') redirect(303, `${reports.reportPath(key)}?publish=confirm`);
		const owner = String(form.get('owner') ?? '').trim();
		if (owner.length > 200) return fail(400, { form: 'publish', owner, errors: [{ field: 'report-owner', message: 'The report owner must be 200 characters or fewer' }] });
		if (!(await reports.organisationVisible(locals.db, locals.user, key.organisation))) error(404, { message: 'There is no such report' });
		const report = await reports.build(locals.db, key).catch((cause) => {
			if (cause instanceof reports.ReportRequestError) error(404, { message: cause.message });
			throw cause;
		});
		// A board report names its owner (by default who publishes it); a committee report names a post only if one is given.
		report.paper = reports.paperOf(report, owner || (key.kind === 'board' ? locals.user.name : null));
		const published = await reports.publish(locals.db, report, audit.actorOf(locals.user));
		redirect(303, `${reports.reportPath(key)}?published=${published.version}`);
	},
	/** Commentary and corrective action on a red or amber item, from the publish confirmation. */
	exception: async ({ locals, params, url, request }) => {
		if (!locals.user || !can(locals.user, 'publishReports')) error(403, { message: 'Only managers can add commentary to a report' });
		const { key } = reportOptions(params, url);
		if (!(await reports.organisationVisible(locals.db, locals.user, key.organisation))) error(404, { message: 'There is no such report' });
		const form = await request.formData();
		const text = (name: string) => String(form.get(name) ?? '');
		const item = text('item');
		const values = { body: text('body'), action: text('action'), owner: text('action-owner'), dueOn: text('action-due') };
		const failed = (field: string, message: string) => fail(400, { form: 'exception', item, values, errors: [{ field: `${field}-${item}`, message }] });
		let action: indicatorEdits.CorrectiveAction | null;
		try {
			action = indicatorEdits.correctiveAction({ action: values.action, owner: values.owner, dueOn: values.dueOn });
		} catch (cause) {
			if (!(cause instanceof RangeError)) throw cause;
			const field = /owns/.test(cause.message) ? 'action-owner' : /date/.test(cause.message) ? 'action-due' : 'action';
			return failed(field, cause.message);
		}
		try {
			await indicatorEdits.saveCommentary(locals.db, { organisation: key.organisation, indicator: item, financialYear: key.financialYear, quarter: key.quarter, body: values.body, action, author: audit.actorOf(locals.user) });
		} catch (cause) {
			if (cause instanceof RangeError) return failed('body', cause.message);
			throw cause;
		}
		redirect(303, `${reports.reportPath(key)}?publish=confirm&saved=${encodeURIComponent(item)}#exception-${encodeURIComponent(item)}`);
	}
} satisfies Actions;
