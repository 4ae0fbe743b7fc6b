import { describe, expect, it } from 'vitest';
import {
	canvassWeeks,
	countCanvass,
	summaryCounts,
	es01,
	es01Stage,
	es02,
	es02For,
	indicatorDirection,
	indicatorRag,
	sumRatios,
	targetInForce,
	type CanvassProperty,
	type ChangeCount,
	type Notice
} from '../../../src/lib/engine/indicators.ts';

/** n properties of a route, the first `responded` of them responding on the given date. */
function properties(route: number, n: number, responded: number, respondedOn: string, contactedOn = '2025-07-14'): CanvassProperty[] {
	return Array.from({ length: n }, (_, i) => ({ route, contactedOn, respondedOn: i < responded ? respondedOn : null }));
}

describe('ES01, the annual canvass return', () => {
	// 200 Route 1 (matched; 40 replied anyway), 100 Route 2 (88 replied by 1 Dec, 3 more after), 10 Route 3 (all replied).
	const canvass = [
		...properties(1, 200, 40, '2025-08-01'),
		...properties(2, 60, 60, '2025-09-10'),
		...properties(2, 28, 28, '2025-11-03'),
		...properties(2, 3, 3, '2025-12-05'),
		...properties(2, 9, 0, '2025-12-05'),
		...properties(3, 10, 10, '2025-08-20')
	];

	it('is the Route 2 response rate after the 2020 canvass reform: 88 of 100 = 88%', () => {
		const result = es01(countCanvass(canvass, '2025-12-01'), 2025);
		expect(result).toEqual({ numerator: 88, denominator: 100, actual: 88 });
	});

	it('shows the canvass in progress at the end of Q2: 60 of 100 by 30 September', () => {
		expect(es01(countCanvass(canvass, '2025-09-30'), 2025).actual).toBe(60);
	});

	it('never counts a response after the register was published', () => {
		expect(es01(countCanvass(canvass, '2025-12-31'), 2025).numerator).toBe(91);
		expect(es01(countCanvass(canvass, '2025-12-01'), 2025).numerator).toBe(88);
	});

	it('counts every property before the reform: (40 + 88 + 10) of 310 = 44.5%', () => {
		const result = es01(countCanvass(canvass, '2025-12-01'), 2019);
		expect(result.numerator).toBe(138);
		expect(result.denominator).toBe(310);
		expect(result.actual).toBeCloseTo(44.516, 3);
	});

	it('counts only properties contacted by the date', () => {
		const late = properties(2, 10, 10, '2025-10-01', '2025-09-15');
		expect(countCanvass(late, '2025-09-14')).toEqual([]);
		expect(countCanvass(late, '2025-09-30')).toEqual([{ route: 2, canvassed: 10, responded: 0 }]);
	});

	it('has no figure in Q1 or Q4, progress in Q2 and the final return in Q3', () => {
		expect([1, 2, 3, 4].map((quarter) => es01Stage({ canvassYear: 2025, quarter, publicationOn: '2025-12-01', today: '2026-03-31' }))).toEqual(['none', 'progress', 'final', 'none']);
	});

	// The stage follows the publication date (1 December, or 1 February after a poll in the canvass) and whether it has passed.
	const stages: { why: string; canvassYear: number; publicationOn: string; today: string; expected: [string, string, string, string] }[] = [
		{ why: '1 December, published', canvassYear: 2025, publicationOn: '2025-12-01', today: '2025-12-02', expected: ['none', 'progress', 'final', 'none'] },
		{ why: '1 December, on the day (not yet out at the start of it)', canvassYear: 2025, publicationOn: '2025-12-01', today: '2025-12-01', expected: ['none', 'progress', 'progress', 'none'] },
		{ why: '1 December, canvass under way', canvassYear: 2025, publicationOn: '2025-12-01', today: '2025-09-30', expected: ['none', 'progress', 'progress', 'none'] },
		{ why: '1 February after a poll, published', canvassYear: 2024, publicationOn: '2025-02-01', today: '2025-04-01', expected: ['none', 'progress', 'progress', 'final'] },
		{ why: '1 February after a poll, not yet published', canvassYear: 2024, publicationOn: '2025-02-01', today: '2025-01-15', expected: ['none', 'progress', 'progress', 'progress'] },
		{ why: 'before the canvass reform, 1 December', canvassYear: 2019, publicationOn: '2019-12-01', today: '2020-01-10', expected: ['none', 'progress', 'final', 'none'] }
	];
	it.each(stages)('stages the quarters for $why', ({ canvassYear, publicationOn, today, expected }) => {
		expect([1, 2, 3, 4].map((quarter) => es01Stage({ canvassYear, quarter, publicationOn, today }))).toEqual(expected);
	});

	it('refuses a publication date outside the canvass year', () => {
		expect(() => es01Stage({ canvassYear: 2025, quarter: 2, publicationOn: '2026-04-01', today: '2026-05-01' })).toThrow(RangeError);
	});
});

describe('ES02, monthly alterations', () => {
	const notices: Notice[] = [
		{ id: 1, month: '2026-01-01', cutOffOn: '2025-12-19', dueOn: '2026-01-02', publishedOn: '2026-01-02' },
		{ id: 2, month: '2026-02-01', cutOffOn: '2026-01-21', dueOn: '2026-02-02', publishedOn: '2026-02-03' },
		{ id: 3, month: '2026-03-01', cutOffOn: '2026-02-18', dueOn: '2026-03-02', publishedOn: null }
	];
	const changes: ChangeCount[] = [
		{ determinedOn: '2025-12-10', noticeId: 1, count: 50 },
		{ determinedOn: '2025-12-19', noticeId: 1, count: 10 }, // on the cut-off day: belongs in January's
		{ determinedOn: '2026-01-05', noticeId: 2, count: 40 },
		{ determinedOn: '2026-01-21', noticeId: null, count: 2 }, // left out of February's
		{ determinedOn: '2026-01-20', noticeId: 3, count: 3 }, // went into March's instead: still missed by February's
		{ determinedOn: '2026-02-10', noticeId: 3, count: 25 },
		{ determinedOn: '2026-02-25', noticeId: null, count: 7 } // after the last cut-off: no notice yet
	];
	const results = es02(notices, changes, '2026-03-10');

	it('judges each notice on the changes determined by its cut-off', () => {
		expect(results.map((r) => [r.numerator, r.denominator, r.missed])).toEqual([
			[60, 60, 0],
			[40, 45, 5],
			[25, 25, 0]
		]);
		expect(results[1]!.actual).toBeCloseTo(88.889, 3);
	});

	it('says whether each notice was published on its date', () => {
		expect(results.map((r) => r.publishedOnTime)).toEqual([true, false, false]);
		expect(es02(notices, [], '2026-03-01')[2]!.publishedOnTime).toBeNull();
	});

	it('sums a quarter by changes, not by averaging notices: 125 of 130', () => {
		const q4 = es02For(results, { start: '2026-01-01', end: '2026-03-31' });
		expect(q4).toMatchObject({ numerator: 125, denominator: 130, notices: 3, late: 2 });
		expect(q4.actual).toBeCloseTo(96.154, 3);
	});

	it('has no figure for a quarter without notices (the canvass)', () => {
		expect(es02For(results, { start: '2025-10-01', end: '2025-12-31' })).toMatchObject({ actual: null, notices: 0 });
	});
});

describe('judging an indicator', () => {
	it.each([
		[90, 90, 2.5, 'green'],
		[88, 90, 2.5, 'amber'],
		[87.4, 90, 2.5, 'red'],
		[99.5, 100, 1, 'amber'],
		[98.9, 100, 1, 'red']
	] as const)('%s%% against %s%% with an amber margin of %s points is %s', (actual, target, margin, expected) => {
		expect(indicatorRag(actual, target, { amberMargin: margin, higherIsBetter: true })).toBe(expected);
	});

	it('mirrors the judgement for a measure where lower is better', () => {
		expect(indicatorRag(4, 5, { amberMargin: 1, higherIsBetter: false })).toBe('green');
		expect(indicatorRag(5.5, 5, { amberMargin: 1, higherIsBetter: false })).toBe('amber');
		expect(indicatorRag(7, 5, { amberMargin: 1, higherIsBetter: false })).toBe('red');
	});

	it('gives the direction of travel', () => {
		expect(indicatorDirection(91, 88.7, { higherIsBetter: true })).toBe('improving');
		expect(indicatorDirection(88.7, 91.5, { higherIsBetter: true })).toBe('worsening');
		expect(indicatorDirection(3, 5, { higherIsBetter: false })).toBe('improving');
		expect(indicatorDirection(null, 5, { higherIsBetter: true })).toBeNull();
	});

	it('adds quarters by numerator and denominator', () => {
		expect(sumRatios([{ numerator: 9, denominator: 10 }, { numerator: 1, denominator: 90 }]).actual).toBe(10);
	});

	it('uses the target in force at the moment of reporting, for that year', () => {
		const targets = [
			{ financialYear: 2025, target: 90, effectiveFrom: new Date('2025-03-01T00:00:00Z') },
			{ financialYear: 2025, target: 92, effectiveFrom: new Date('2025-10-15T00:00:00Z') },
			{ financialYear: 2026, target: 95, effectiveFrom: new Date('2025-10-20T00:00:00Z') }
		];
		expect(targetInForce(targets, 2025, new Date('2025-10-10T00:00:00Z'))?.target).toBe(90);
		expect(targetInForce(targets, 2025, new Date('2025-11-01T00:00:00Z'))?.target).toBe(92);
		expect(targetInForce(targets, 2024, new Date('2025-11-01T00:00:00Z'))).toBeNull();
	});
});

describe('a canvass or notices imported as counts (the summary grain)', () => {
	const summaries = [
		{ route: 2, asOf: '2025-09-30', canvassed: 8, responded: 3 },
		{ route: 2, asOf: null, canvassed: 8, responded: 5 },
		{ route: 1, asOf: null, canvassed: 2, responded: 1 }
	];
	it('takes, per route, the latest counts dated by then; the undated final return counts from the publication', () => {
		expect(summaryCounts(summaries, '2025-09-29', '2025-12-01')).toBeUndefined();
		expect(summaryCounts(summaries, '2025-10-31', '2025-12-01')).toEqual([{ route: 2, canvassed: 8, responded: 3 }]);
		expect(summaryCounts(summaries, '2025-12-01', '2025-12-01')).toEqual([
			{ route: 1, canvassed: 2, responded: 1 },
			{ route: 2, canvassed: 8, responded: 5 }
		]);
		expect(es01(summaryCounts(summaries, '2025-12-01', '2025-12-01')!, 2025)).toEqual({ numerator: 5, denominator: 8, actual: 62.5 });
	});

	it("a notice's own counts are its ES02 figures, whatever changes are recorded", () => {
		const notice = { id: 1, month: '2026-02-01', cutOffOn: '2026-01-22', dueOn: '2026-02-02', publishedOn: '2026-02-02', counted: { determinedBeforeCutOff: 3, included: 2 } };
		const [result] = es02([notice], [{ determinedOn: '2026-01-10', noticeId: 1, count: 7 }], '2026-04-01');
		expect(result).toMatchObject({ numerator: 2, denominator: 3, missed: 1, publishedOnTime: true });
	});

	it('weeks of a canvass run from 1 July, the last one ending at the register’s publication', () => {
		const weeks = canvassWeeks(2025, '2025-12-01');
		expect(weeks[0]).toEqual({ week: 1, on: '2025-07-07' });
		expect(weeks.at(-1)).toEqual({ week: 22, on: '2025-12-01' });
		expect(canvassWeeks(2024, '2025-02-01').at(-1)).toEqual({ week: 31, on: '2025-02-01' });
	});
});
