import { describe, expect, it } from 'vitest';
import { filterQuery, parseFilters, type FilterScope } from '../../src/lib/filters.ts';

const scope: FilterScope = {
	organisations: [
		{
			code: 'borough',
			name: 'Brackenford Borough Council',
			services: [
				{ code: 'electoral', name: 'Electoral Services', teams: [{ code: 'es-registration', name: 'Registration' }] },
				{ code: 'customer', name: 'Customer Service Centre', teams: [{ code: 'csc-enquiries', name: 'CSC' }] }
			]
		},
		{ code: 'county', name: 'Lindenshire County Council', services: [{ code: 'customer', name: 'Customer Services', teams: [{ code: 'cc-correspondence', name: 'Correspondence' }] }] }
	]
};
const now = new Date('2026-11-24T12:00:00Z');
const parse = (query: string) => parseFilters(new URLSearchParams(query), scope, now);

describe('the filter bar in the URL', () => {
	it('defaults to the current quarter, every organisation, service and team', () => {
		expect(parse('')).toEqual({
			filters: {
				period: { kind: 'quarter', param: '2026/27-Q3', label: 'Q3 2026/27', start: '2026-10-01', end: '2026-12-31' },
				organisation: null,
				service: null,
				team: null
			}
		});
	});

	it('reads a financial year and a team of a service of an organisation', () => {
		expect(parse('period=2025/26&organisation=borough&service=electoral&team=es-registration')).toMatchObject({
			filters: { period: { start: '2025-04-01', end: '2026-03-31' }, organisation: 'borough', service: 'electoral', team: 'es-registration' }
		});
	});

	it('says what is wrong with each bad value', () => {
		expect(parse('period=2025/27&organisation=county&service=electoral&team=nobody')).toEqual({
			errors: [
				{ field: 'period', message: "'2025/27' is not a financial year: use the form 2025/26" },
				{ field: 'service', message: "There is no service 'electoral' in Lindenshire County Council" },
				{ field: 'team', message: "There is no team 'nobody' in Lindenshire County Council" }
			]
		});
		expect(parse('organisation=<script>')).toEqual({ errors: [{ field: 'organisation', message: "organisation '<script>' is not a valid code" }] });
		expect(parse('period=custom&from=2025-02-30&to=2025-03-01')).toEqual({
			errors: [{ field: 'from', message: 'Enter the start of the custom period as a real date, like 2025-07-01' }]
		});
	});

	it('writes links that change one filter and keep the rest', () => {
		const result = parse('period=custom&from=2025-07-01&to=2025-07-31&organisation=borough');
		if (!('filters' in result)) throw new Error('expected filters');
		expect(filterQuery(result.filters)).toBe('period=custom&from=2025-07-01&to=2025-07-31&organisation=borough');
		expect(filterQuery(result.filters, { period: '2025/26', organisation: null })).toBe('period=2025%2F26');
	});
});
