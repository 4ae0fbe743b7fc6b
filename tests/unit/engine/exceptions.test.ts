import { describe, expect, it } from 'vitest';
import { comparisonQuarters, exceptionsOf, movementSentence, ragBasis } from '../../../src/lib/engine/exceptions.ts';

describe('exception reporting rules', () => {
	it('compares a quarter with the one before and the same quarter last year, across a year end', () => {
		const q1 = comparisonQuarters(2026, 1);
		expect([q1.previous.label, q1.sameLastYear.label]).toEqual(['2025/26-Q4', '2025/26-Q1']);
		expect(q1.trend.map((q) => q.label)).toEqual(['2025/26-Q1', '2025/26-Q2', '2025/26-Q3', '2025/26-Q4', '2026/27-Q1']);
		const q2 = comparisonQuarters(2026, 2);
		expect(q2.sameLastYear).toMatchObject({ start: '2025-07-01', end: '2025-09-30' });
		expect(q2.trend[0]).toEqual(q2.sameLastYear);
	});

	it('lists red items first, then amber, leaving green and unjudged out', () => {
		const items = [
			{ name: 'a', rag: 'amber' as const },
			{ name: 'b', rag: 'green' as const },
			{ name: 'c', rag: 'red' as const },
			{ name: 'd', rag: null },
			{ name: 'e', rag: 'red' as const }
		];
		expect(exceptionsOf(items).map((i) => i.name)).toEqual(['c', 'e', 'a']);
	});

	it('says there is no earlier period rather than "0 standards improved" for a council with no earlier figures', () => {
		const noun = { one: 'standard', many: 'standards' };
		expect(movementSentence([null, null, null], 'Q1 2026/27', noun)).toBe('There is no earlier period to compare with: Q1 2026/27 has no figures.');
		expect(movementSentence(['improving', 'worsening', 'steady', 'improving', null], 'Q1 2026/27', noun)).toBe(
			'Compared with Q1 2026/27, 2 standards improved, 1 worsened and 1 held steady. 1 standard had no figures then to compare with.'
		);
	});

	it('judges a board report on its quarter and a committee report on its whole period, and says so', () => {
		expect(ragBasis('board', 'Q2 2026/27', 'Q2 2026/27')).toMatchObject({ basis: 'quarter', label: 'Q2 2026/27' });
		const committee = ragBasis('committee', 'Q2 2026/27', 'April to September 2026 (half year 2026/27)');
		expect(committee.basis).toBe('period');
		expect(committee.legend.period).toContain('April to September 2026 (half year 2026/27)');
	});
});
