import { describe, expect, it } from 'vitest';
import {
	DEFAULT_SATISFACTION_TARGET,
	SATISFACTION_LABELS,
	isSatisfied,
	judgeSatisfaction,
	parseSatisfaction,
	speedAgainstSatisfaction,
	upheldPercent
} from '../../../src/lib/engine/satisfaction.ts';

describe('what counts as satisfied', () => {
	it('is satisfied or very satisfied, 4 or 5 on the GOV.UK five-point scale', () => {
		expect([1, 2, 3, 4, 5].map((s) => isSatisfied(s as 1))).toEqual([false, false, false, true, true]);
		expect(SATISFACTION_LABELS[5]).toBe('Very satisfied');
		expect(SATISFACTION_LABELS[3]).toBe('Neither satisfied nor dissatisfied');
		expect(SATISFACTION_LABELS[1]).toBe('Very dissatisfied');
	});

	it.each([
		['5', 5],
		[' 1 ', 1],
		['Very satisfied', 5],
		['very  DISSATISFIED', 1],
		['Satisfied', 4],
		['Dissatisfied', 2],
		['Neither satisfied nor dissatisfied', 3],
		['neither', 3],
		['6', null],
		['0', null],
		['4.5', null],
		['great', null],
		['', null]
	] as const)('reads %j as %s', (text, expected) => {
		expect(parseSatisfaction(text)).toBe(expected);
	});
});

describe('satisfaction against its target', () => {
	it('defaults to 85% satisfied or very satisfied, green at or above it, amber within 5 points', () => {
		expect(DEFAULT_SATISFACTION_TARGET).toBe(85);
		expect(judgeSatisfaction(85, 100)).toEqual({ percent: 85, target: 85, rag: 'green' });
		expect(judgeSatisfaction(80, 100).rag).toBe('amber');
		expect(judgeSatisfaction(79, 100).rag).toBe('red');
		expect(judgeSatisfaction(9, 10, 95).rag).toBe('amber');
	});

	it('has nothing to judge when nobody answered', () => {
		expect(judgeSatisfaction(0, 0)).toEqual({ percent: null, target: 85, rag: null });
	});
});

describe('speed against satisfaction', () => {
	it('gives the gap in points between contacts answered on time and late ones', () => {
		const found = speedAgainstSatisfaction({ satisfied: 9, answered: 10 }, { satisfied: 2, answered: 5 });
		expect(found.onTime.percent).toBe(90);
		expect(found.late.percent).toBe(40);
		expect(found.gap).toBe(50);
	});

	it('says nothing about the gap when one side has no answers', () => {
		expect(speedAgainstSatisfaction({ satisfied: 9, answered: 10 }, { satisfied: 0, answered: 0 }).gap).toBeNull();
	});
});

describe('upheld rate', () => {
	it('counts partly upheld complaints as upheld, over complaints with an outcome', () => {
		expect(upheldPercent(1, 1, 2)).toBe(50);
		expect(upheldPercent(0, 0, 0)).toBeNull();
	});
});
