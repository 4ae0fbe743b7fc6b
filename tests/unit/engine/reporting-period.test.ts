import { describe, expect, it } from 'vitest';
import { comparison, DAYS_BEFORE_DIRECTION, labelSoFar, parseReportingPeriod, periodName, periodChoices, previousReportingPeriod, progress } from '../../../src/lib/engine/reporting-period.ts';

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
			label: '1 July 2025 to 15 August 2025',
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

describe('a period under way is not read as final', () => {
	const q3 = parseReportingPeriod('2026/27-Q3');

	it('is finished only once its last day has passed', () => {
		expect(progress(q3, '2026-12-31')).toEqual({ finished: false, elapsedDays: 92, totalDays: 92 });
		expect(progress(q3, '2027-01-01')).toEqual({ finished: true, elapsedDays: 92, totalDays: 92 });
		expect(progress(q3, '2026-10-02')).toEqual({ finished: false, elapsedDays: 2, totalDays: 92 });
		expect(progress(q3, '2026-09-30')).toEqual({ finished: false, elapsedDays: 0, totalDays: 92 });
	});

	it("says 'so far' in the name of a period under way, and not once it is over or before it starts", () => {
		expect(labelSoFar(q3, '2026-12-04')).toBe('Q3 2026/27 (so far)');
		expect(labelSoFar(parseReportingPeriod('2026-12'), '2026-12-02')).toBe('December 2026 (so far)');
		// A machine-read file keys rows by the period's own name, so it loses the mark.
		expect(periodName(labelSoFar(q3, '2026-12-04'))).toBe('Q3 2026/27');
		expect(periodName('Q2 2026/27')).toBe('Q2 2026/27');
		expect(labelSoFar(q3, '2027-01-01')).toBe('Q3 2026/27');
		expect(labelSoFar(q3, '2026-09-01')).toBe('Q3 2026/27');
	});

	it('compares a finished quarter with the whole quarter before', () => {
		const c = comparison(q3, '2027-02-01');
		expect(c).toMatchObject({ partial: false, tooEarly: false, current: { start: '2026-10-01', end: '2026-12-31' } });
		expect(c.previous).toMatchObject({ label: 'Q2 2026/27', start: '2026-07-01', end: '2026-09-30' });
	});

	it('compares a quarter two-thirds done with the same number of days at the start of the quarter before', () => {
		const c = comparison(q3, '2026-12-01'); // 62 days in
		expect(c).toMatchObject({ partial: true, tooEarly: false, elapsedDays: 62, current: { start: '2026-10-01', end: '2026-12-01' } });
		expect(c.previous).toMatchObject({ start: '2026-07-01', end: '2026-08-31', label: 'the first 62 days of Q2 2026/27' });
	});

	it(`says it is too early fewer than ${DAYS_BEFORE_DIRECTION} days in`, () => {
		expect(comparison(parseReportingPeriod('2026-12'), '2026-12-02')).toMatchObject({ partial: true, tooEarly: true, elapsedDays: 2 });
		expect(comparison(parseReportingPeriod('2026-12'), '2026-12-14')).toMatchObject({ partial: true, tooEarly: false, elapsedDays: 14 });
	});

	it('never runs the previous stretch past the end of a shorter period before (31 March against February)', () => {
		const c = comparison(parseReportingPeriod('2027-03'), '2027-03-31');
		expect(c.previous).toMatchObject({ start: '2027-02-01', end: '2027-02-28' });
	});
});
