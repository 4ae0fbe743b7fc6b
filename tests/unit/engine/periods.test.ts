import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	financialYearOf,
	parseFinancialYear,
	quarterOf,
	parseQuarter,
	quartersBetween,
	quartersOfFinancialYear,
	nextQuarter,
	previousQuarter,
	halfYearOf,
	monthOf,
	monthsBetween,
	addMonthsClamped,
	contains
} from '../../../src/lib/engine/periods.ts';
import { fromEpochDay, toEpochDay } from '../../../src/lib/engine/dates.ts';

describe('financial years', () => {
	it.each([
		['2025-04-01', '2025/26', '2025-04-01', '2026-03-31', 2025],
		['2026-03-31', '2025/26', '2025-04-01', '2026-03-31', 2025],
		['2026-04-01', '2026/27', '2026-04-01', '2027-03-31', 2026],
		['2020-01-15', '2019/20', '2019-04-01', '2020-03-31', 2019],
		['2099-12-31', '2099/00', '2099-04-01', '2100-03-31', 2099]
	])('%s is in %s', (date, label, start, end, startYear) => {
		expect(financialYearOf(date)).toEqual({ label, start, end, startYear });
	});

	it('parses a label and refuses a malformed one', () => {
		expect(parseFinancialYear('2020/21').start).toBe('2020-04-01');
		expect(() => parseFinancialYear('2020/22')).toThrow(RangeError);
		expect(() => parseFinancialYear('2020-21')).toThrow(RangeError);
	});
});

describe('quarters', () => {
	it.each([
		['2025-04-01', '2025/26-Q1', '2025-04-01', '2025-06-30'],
		['2025-08-15', '2025/26-Q2', '2025-07-01', '2025-09-30'],
		['2025-12-31', '2025/26-Q3', '2025-10-01', '2025-12-31'],
		['2026-02-28', '2025/26-Q4', '2026-01-01', '2026-03-31'],
		['2024-02-29', '2023/24-Q4', '2024-01-01', '2024-03-31']
	])('%s is in %s', (date, label, start, end) => {
		const q = quarterOf(date);
		expect(q).toMatchObject({ label, start, end });
		expect(parseQuarter(label)).toEqual(q);
	});

	it('parses "2025/26-Q2" and refuses nonsense', () => {
		expect(parseQuarter('2025/26-Q2')).toEqual({
			fy: '2025/26',
			quarter: 2,
			label: '2025/26-Q2',
			start: '2025-07-01',
			end: '2025-09-30',
			startYear: 2025
		});
		expect(() => parseQuarter('2025/26-Q5')).toThrow(RangeError);
		expect(() => parseQuarter('2025/27-Q1')).toThrow(RangeError);
	});

	it('steps across the financial year boundary', () => {
		expect(nextQuarter(parseQuarter('2025/26-Q4')).label).toBe('2026/27-Q1');
		expect(previousQuarter(parseQuarter('2026/27-Q1')).label).toBe('2025/26-Q4');
		expect(quartersOfFinancialYear(2020).map((q) => q.label)).toEqual([
			'2020/21-Q1',
			'2020/21-Q2',
			'2020/21-Q3',
			'2020/21-Q4'
		]);
	});

	it('lists the quarters a date range touches', () => {
		expect(quartersBetween('2025-03-15', '2025-10-01').map((q) => q.label)).toEqual([
			'2024/25-Q4',
			'2025/26-Q1',
			'2025/26-Q2',
			'2025/26-Q3'
		]);
		expect(quartersBetween('2025-05-01', '2025-05-02').map((q) => q.label)).toEqual(['2025/26-Q1']);
		expect(quartersBetween('2025-05-02', '2025-05-01')).toEqual([]);
	});

	it('tiles time: every date is in exactly one quarter, which follows the previous one (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: toEpochDay('2000-01-01'), max: toEpochDay('2060-01-01') }), (day) => {
				const date = fromEpochDay(day);
				const q = quarterOf(date);
				expect(contains(q, date)).toBe(true);
				expect(contains(financialYearOf(date), date)).toBe(true);
				expect(fromEpochDay(toEpochDay(previousQuarter(q).end) + 1)).toBe(q.start);
				expect(q.fy).toBe(financialYearOf(date).label);
			})
		);
	});
});

describe('half years for the committee', () => {
	it('splits the year after Q2', () => {
		expect(halfYearOf('2025-09-30')).toEqual({
			fy: '2025/26',
			half: 1,
			label: '2025/26-H1',
			start: '2025-04-01',
			end: '2025-09-30',
			startYear: 2025
		});
		expect(halfYearOf('2026-01-10')).toMatchObject({ label: '2025/26-H2', start: '2025-10-01', end: '2026-03-31' });
	});
});

describe('months', () => {
	it('describes a month', () => {
		expect(monthOf('2024-02-10')).toEqual({
			label: '2024-02',
			name: 'February 2024',
			start: '2024-02-01',
			end: '2024-02-29',
			year: 2024,
			month: 2
		});
	});

	it('lists the months a range touches', () => {
		expect(monthsBetween('2025-11-30', '2026-02-01').map((m) => m.label)).toEqual([
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02'
		]);
	});

	it.each([
		['2025-01-31', 1, '2025-02-28'],
		['2024-01-31', 1, '2024-02-29'],
		['2025-01-30', 1, '2025-02-28'],
		['2025-03-31', 1, '2025-04-30'],
		['2025-11-30', 3, '2026-02-28'],
		['2025-03-31', -1, '2025-02-28'],
		['2025-06-15', 12, '2026-06-15']
	] as const)('%s + %i month(s) is %s (corresponding date, or the last day)', (date, months, expected) => {
		expect(addMonthsClamped(date, months)).toBe(expected);
	});
});
