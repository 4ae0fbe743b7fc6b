import { z } from 'zod';
import { localDate } from './engine/dates.ts';
import { parseReportingPeriod, quarterPeriod, type ReportingPeriod } from './engine/reporting-period.ts';
import { parseForm } from './forms.ts';

/** What every dashboard page is filtered by; it lives in the URL so any view is a shareable link. */
export interface Filters {
	period: ReportingPeriod;
	organisation: string | null;
	service: string | null;
	team: string | null;
}

export interface FilterError {
	field: 'period' | 'from' | 'to' | 'organisation' | 'service' | 'team';
	message: string;
}

/** The codes a filter may name: organisations with their services and teams. */
export interface FilterScope {
	organisations: { code: string; name: string; services: { code: string; name: string; teams: { code: string; name: string }[] }[] }[];
}

const code = z.string().trim().max(64).regex(/^[a-z0-9][a-z0-9._-]*$/i, 'is not a valid code');
const query = z.object({
	period: z.string().trim().max(32).optional(),
	from: z.string().trim().max(10).optional(),
	to: z.string().trim().max(10).optional(),
	organisation: code.optional(),
	service: code.optional(),
	team: code.optional()
});

/** Reads the filter bar's values from a URL; an absent period means the current quarter. */
export function parseFilters(params: URLSearchParams, scope: FilterScope, now = new Date()): { filters: Filters } | { errors: FilterError[] } {
	const raw = Object.fromEntries([...params].filter(([, value]) => value !== ''));
	const parsed = parseForm(query, raw, { message: (issue, value) => `${String(issue.path[0])} '${String(value ?? '')}' ${issue.message.toLowerCase()}` });
	if ('errors' in parsed) return { errors: parsed.errors as FilterError[] };
	const values = parsed.data;
	const errors: FilterError[] = [];

	let period: ReportingPeriod = quarterPeriod(localDate(now));
	if (values.period) {
		try {
			period = parseReportingPeriod(values.period, values);
		} catch (error) {
			const message = (error as Error).message;
			errors.push({ field: /start of the custom/.test(message) ? 'from' : /end of the custom/.test(message) ? 'to' : 'period', message });
		}
	}

	const organisation = values.organisation ? scope.organisations.find((o) => o.code === values.organisation) : undefined;
	if (values.organisation && !organisation) {
		errors.push({ field: 'organisation', message: `There is no organisation '${values.organisation}'` });
	}
	const services = organisation ? organisation.services : scope.organisations.flatMap((o) => o.services);
	const service = values.service ? services.find((s) => s.code === values.service) : undefined;
	if (values.service && !service) {
		errors.push({ field: 'service', message: `There is no service '${values.service}'${organisation ? ` in ${organisation.name}` : ''}` });
	}
	const teams = (service ? [service] : services).flatMap((s) => s.teams);
	if (values.team && !teams.some((t) => t.code === values.team)) {
		errors.push({ field: 'team', message: `There is no team '${values.team}'${service ? ` in ${service.name}` : organisation ? ` in ${organisation.name}` : ''}` });
	}

	if (errors.length) return { errors };
	return {
		// One organisation to choose from (a viewer tied to it, or a council on its own): its figures, never "all".
		filters: { period, organisation: values.organisation ?? (scope.organisations.length === 1 ? scope.organisations[0]!.code : null), service: values.service ?? null, team: values.team ?? null }
	};
}

/** The query string for filters, with one value changed; used for links that keep the rest. */
export function filterQuery(filters: Filters, change: Partial<Record<'period' | 'organisation' | 'service' | 'team', string | null>> = {}): string {
	const params = new URLSearchParams();
	const period = change.period === undefined ? filters.period.param : change.period;
	if (period) params.set('period', period);
	if (period === 'custom' && change.period === undefined) {
		params.set('from', filters.period.start);
		params.set('to', filters.period.end);
	}
	for (const key of ['organisation', 'service', 'team'] as const) {
		const value = change[key] === undefined ? filters[key] : change[key];
		if (value) params.set(key, value);
	}
	return params.toString();
}
