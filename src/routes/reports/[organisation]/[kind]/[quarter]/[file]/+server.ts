import { error } from '@sveltejs/kit';
import { can } from '$lib/server/auth/access.ts';
import * as reports from '$lib/server/reports/index.ts';
import { reportOptions } from '../options.ts';
import type { RequestHandler } from './$types';

const files = {
	'report.pdf': 'application/pdf',
	'report.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'report.csv': 'text/csv; charset=utf-8',
	'print.html': 'text/html; charset=utf-8'
} as const;

/** The report's downloads and its A4 print view, from the same snapshot (or draft) as the page. */
export const GET = (async ({ locals, params, url }) => {
	if (!locals.user) error(401, { message: 'Sign in to see reports' });
	const file = params.file as keyof typeof files;
	if (!Object.hasOwn(files, file)) error(404, { message: `There is no ${params.file} for a report: choose report.pdf, report.xlsx, report.csv or print.html` });
	const { key, options } = reportOptions(params, url);
	const view = await reports.viewFor(locals.db, key, locals.user, { ...options, compare: false }).catch((cause) => {
		if (cause instanceof reports.ReportRequestError) error(404, { message: cause.message });
		throw cause;
	});
	if (!view) error(404, { message: 'This report has not been published' });
	const name = `${reports.reportPath(key).slice('/reports/'.length).replaceAll('/', '-')}${view.status.version ? `-v${view.status.version}` : '-draft'}`;
	// The SHA-256 content hash is for administrators checking a stored copy, not for readers.
	const shown = can(locals.user, 'administer') ? view : { ...view, status: { ...view.status, contentHash: null } };
	const body = await reports.renderFile(shown, file, locals.db).catch((cause) => {
		if (cause instanceof reports.PdfUnavailableError) error(503, { message: cause.message });
		throw cause;
	});
	const headers: Record<string, string> = { 'content-type': files[file], 'cache-control': 'private, no-store' };
	if (file !== 'print.html') headers['content-disposition'] = `attachment; filename="${name}.${file.split('.').pop()}"`;
	return new Response(body, { headers });
}) satisfies RequestHandler;
