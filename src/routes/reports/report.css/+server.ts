import * as reports from '$lib/server/reports/index.ts';
import type { RequestHandler } from './$types';

// The report's stylesheet (the same rules as the print view), as a file: the pages' CSP admits no <style> element.
const css = `${reports.REPORT_CSS}
@media print {
	.govuk-header, .govuk-service-navigation, .govuk-footer, .govuk-skip-link, .app-account, .app-report-page__actions, .govuk-back-link { display: none !important; }
}
`;

export const GET = (() => new Response(css, { headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'private, max-age=300' } })) satisfies RequestHandler;
