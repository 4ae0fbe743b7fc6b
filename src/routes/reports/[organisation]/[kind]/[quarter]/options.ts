import { error } from '@sveltejs/kit';
import { z } from 'zod';
import * as reports from '$lib/server/reports/index.ts';

const query = z.object({
	version: z.coerce.number().int().min(1).max(100_000).optional(),
	live: z.enum(['1', 'true', '']).optional()
});

/** The report a URL names (400 for a malformed one) and whether a version or the live figures are asked for. */
export function reportOptions(params: { organisation: string; kind: string; quarter: string }, url: URL) {
	let key: reports.ReportKey;
	try {
		key = reports.parseReportKey(params);
	} catch (cause) {
		if (cause instanceof reports.ReportRequestError) error(400, { message: 'There is a problem with the report address', errors: [{ message: cause.message }] });
		throw cause;
	}
	const parsed = query.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) error(400, { message: 'There is a problem with the report address', errors: [{ message: 'The version must be a whole number from 1' }] });
	return { key, options: { version: parsed.data.version, live: parsed.data.live !== undefined } };
}
