/**
 * The filter bar of the service-plan pages (indicators, duties, risks): an organisation and a
 * financial year ('2025/26') or a quarter ('2025/26-Q2'), in the URL so any view is a link.
 */
import { z } from 'zod';
import { localDate } from './engine/dates.ts';
import { financialYear, parseFinancialYear, parseQuarter, quarterOf, quartersOfFinancialYear } from './engine/periods.ts';
import type { FilterError, FilterScope } from './filters.ts';

export interface PlanFilters {
	organisation: string;
	/** Start year of the financial year: 2026 for 2026/27. */
	financialYear: number;
	/** 1–4 when the page is filtered by quarter. */
	quarter: number | null;
}

export interface PlanChoice {
	value: string;
	label: string;
}

const query = z.object({
	organisation: z.string().trim().max(64).optional(),
	year: z.string().trim().max(16).optional(),
	quarter: z.string().trim().max(16).optional()
});

/** The organisation shown when none is chosen: the first that runs the service plan (the borough in the demo). */
export function defaultOrganisation(scope: FilterScope): string | null {
	const withElectoral = scope.organisations.find((o) => o.services.some((s) => s.code === 'electoral'));
	return (withElectoral ?? scope.organisations[0])?.code ?? null;
}

/** Reads organisation and year (or quarter) from a URL; errors say what to fix. Defaults: the current year or quarter. */
export function parsePlanFilters(params: URLSearchParams, scope: FilterScope, kind: 'year' | 'quarter', now = new Date()): { filters: PlanFilters } | { errors: FilterError[] } {
	const raw = Object.fromEntries([...params].filter(([, value]) => value !== ''));
	const parsed = query.safeParse(raw);
	if (!parsed.success) return { errors: [{ field: 'period', message: 'The filters are too long' }] };
	const values = parsed.data;
	const errors: FilterError[] = [];
	const organisation = values.organisation ?? defaultOrganisation(scope);
	if (!organisation || !scope.organisations.some((o) => o.code === organisation)) {
		errors.push({ field: 'organisation', message: `There is no organisation '${values.organisation ?? ''}'` });
	}
	const today = quarterOf(localDate(now));
	let financial = today.startYear;
	let quarter: number | null = kind === 'quarter' ? today.quarter : null;
	if (kind === 'year' && values.year) {
		try {
			financial = parseFinancialYear(values.year).startYear;
		} catch {
			errors.push({ field: 'period', message: `'${values.year}' is not a financial year: use the form 2025/26` });
		}
	}
	if (kind === 'quarter' && values.quarter) {
		try {
			const q = parseQuarter(values.quarter);
			financial = q.startYear;
			quarter = q.quarter;
		} catch {
			errors.push({ field: 'period', message: `'${values.quarter}' is not a quarter: use the form 2025/26-Q2 (Q1 is April to June)` });
		}
	}
	if (!errors.length && (financial < 2000 || financial > today.startYear + 1)) {
		errors.push({ field: 'period', message: `Choose a financial year from 2000/01 to ${financialYear(today.startYear + 1).label}` });
	}
	if (errors.length) return { errors };
	return { filters: { organisation: organisation!, financialYear: financial, quarter } };
}

/** Quarters newest first, from the current one back to the first with data. */
export function quarterChoices(earliest: string, now = new Date()): PlanChoice[] {
	const first = quarterOf(earliest).startYear;
	const today = localDate(now);
	const out: PlanChoice[] = [];
	for (let year = quarterOf(today).startYear; year >= first; year--) {
		for (const q of [...quartersOfFinancialYear(year)].reverse()) {
			if (q.start <= today) out.push({ value: q.label, label: `Q${q.quarter} ${q.fy}` });
		}
	}
	return out;
}
