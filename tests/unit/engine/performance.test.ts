import { describe, expect, it } from 'vitest';
import { compliancePercent, direction, rag } from '../../../src/lib/engine/performance.ts';

describe('RAG against target', () => {
	it.each([
		[95, 90, 5, 'green'],
		[90, 90, 5, 'green'],
		[89.96, 90, 5, 'green'], // shown as 90.0%
		[89.9, 90, 5, 'amber'],
		[85, 90, 5, 'amber'],
		[84.9, 90, 5, 'red'],
		[99.9, 100, 2, 'amber'],
		[97.9, 100, 2, 'red']
	] as const)('%s%% against a %s%% target (amber within %s points) is %s', (actual, target, margin, expected) => {
		expect(rag(actual, target, margin)).toBe(expected);
	});

	it('has nothing to judge without a figure or a target', () => {
		expect(rag(null, 90)).toBeNull();
		expect(rag(80, null)).toBeNull();
	});
});

describe('direction of travel', () => {
	it.each([
		[91, 90, 'improving'],
		[89, 90, 'worsening'],
		[90.3, 90, 'steady'],
		[90, 90.4, 'steady']
	] as const)('%s after %s is %s', (current, previous, expected) => {
		expect(direction(current, previous)).toBe(expected);
	});

	it('reads a fall as improving where lower is better', () => {
		expect(direction(4, 6, { higherIsBetter: false })).toBe('improving');
	});

	it('has no direction without both periods', () => {
		expect(direction(90, null)).toBeNull();
	});
});

describe('compliance', () => {
	it('is met out of decided contacts', () => {
		expect(compliancePercent(9, 1)).toBe(90);
		expect(compliancePercent(0, 0)).toBeNull();
	});
});
