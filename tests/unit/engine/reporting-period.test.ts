import { describe, expect, it } from 'vitest';
import { parseReportingPeriod, periodChoices, previousReportingPeriod } from '../../../src/lib/engine/reporting-period.ts';

describe('reporting periods in the URL', () => {
	it.each([
		['2025-07', { kind: 'month', label: 'July 2025', start: '2025-07-01', end: '2025-07-31' }],
		['2024-02', { kind: 'month', label: 'February 2024', start: '2024-02-01', end: '2024-02-29' }],
		['2025/26-Q2', { kind: 'quarter', label: 'Q2 2025/26', start: '2025-07-01', end: '2025-09-30' }],
		['2025/26-Q4', { kind: 'quarter', label: 'Q4 2025/26', start: '2026-01-01', end: '2026-03-31' }],
		['2025/26', { kind: 'year', label: '2025/26', start: '2025-04-01', end: '2026-03-31' }]
	])('reads %s', (param, expected) => {
		expect(parseReportingPeriod(param)).toMatchObject({ param, ...expected });
	});

	it('reads a custom range, inclusive of both ends', () => {
		expect(parseReportingPeriod('custom', { from: '2025-07-01', to: '2025-08-15' })).toEqual({
			kind: 'custom',
			param: 'custom',
			label: '1 Jul 2025 to 15 Aug 2025',
			start: '2025-07-01',
			end: '2025-08-15'
		});
	});

	it.each([
		['2025-13', {}, /not a month/],
		['2025/27', {}, /not a financial year/],
		['2025/26-Q5', {}, /not a quarter/],
		['last-week', {}, /not a period/],
		['custom', { from: '2025-02-31', to: '2025-03-01' }, /start of the custom period as a real date/],
		['custom', { from: '2025-03-01' }, /end of the custom period/],
		['custom', { from: '2025-03-01', to: '2025-02-01' }, /on or after its start/]
	])('rejects %s with a sentence a person can act on', (param, range, message) => {
		expect(() => parseReportingPeriod(param, range)).toThrow(message);
	});

	it.each([
		['2025-01', '2024-12'],
		['2025/26-Q1', '2024/25-Q4'],
		['2025/26-Q3', '2025/26-Q2'],
		['2025/26', '2024/25']
	])('compares %s with %s', (param, previous) => {
		expect(previousReportingPeriod(parseReportingPeriod(param)).param).toBe(previous);
	});

	it('compares a custom range with the same number of days before it', () => {
		const previous = previousReportingPeriod(parseReportingPeriod('custom', { from: '2025-03-01', to: '2025-03-10' }));
		expect(previous).toMatchObject({ start: '2025-02-19', end: '2025-02-28' });
	});
});

describe('the periods offered in the filter bar', () => {
	it('offers nine quarters, the financial years with data and thirteen months, newest first', () => {
		const [quarters, years, months] = periodChoices('2026-11-24', '2024-04-01');
		expect(quarters!.options.map((o) => o.param)).toEqual([
			'2026/27-Q3', '2026/27-Q2', '2026/27-Q1', '2025/26-Q4', '2025/26-Q3', '2025/26-Q2', '2025/26-Q1', '2024/25-Q4', '2024/25-Q3'
		]);
		expect(years!.options).toEqual([
			{ param: '2026/27', label: '2026/27' },
			{ param: '2025/26', label: '2025/26' },
			{ param: '2024/25', label: '2024/25' }
		]);
		expect(months!.options[0]).toEqual({ param: '2026-11', label: 'November 2026' });
		expect(months!.options.at(-1)).toEqual({ param: '2025-11', label: 'November 2025' });
	});
});
