import { describe, expect, it } from 'vitest';
import { band, EVIDENCE_RULES, matrixCells, movement, riskDirection, score, suggest, type Signal } from '../../../src/lib/engine/risk.ts';

describe('the risk matrix of the Elections Service Plan', () => {
	// Every cell as the plan's matrix shows it: likelihood rows 4 → 1, impact columns 1 → 4.
	const plan = [
		[4, ['Low 4', 'High 8', 'Very high 12', 'Very high 16']],
		[3, ['Low 3', 'Medium 6', 'High 9', 'Very high 12']],
		[2, ['Low 2', 'Low 4', 'Medium 6', 'High 8']],
		[1, ['Low 1', 'Low 2', 'Low 3', 'Low 4']]
	] as const;
	const label = { low: 'Low', medium: 'Medium', high: 'High', 'very-high': 'Very high' } as const;

	it.each(plan.flatMap(([likelihood, cells]) => cells.map((cell, i) => [likelihood, i + 1, cell] as const)))(
		'likelihood %s × impact %s is %s',
		(likelihood, impact, expected) => {
			const s = score(likelihood, impact);
			expect(`${label[band(s)]} ${s}`).toBe(expected);
		}
	);

	it('lays the 16 cells out as the plan does', () => {
		const cells = matrixCells();
		expect(cells.map((row) => row.map((c) => `${label[c.band]} ${c.score}`))).toEqual(plan.map(([, row]) => [...row]));
		expect(cells.map((row) => row[0]!.likelihood)).toEqual([4, 3, 2, 1]);
		expect(cells[0]!.map((c) => c.impact)).toEqual([1, 2, 3, 4]);
	});

	it('scores the plan’s five risks as it does', () => {
		const register = [
			['Insufficient staff', 2, 2, 4, 'low'],
			['Total failure of ICT systems', 2, 3, 6, 'medium'],
			['Loss of accommodation', 1, 3, 3, 'low'],
			['Fraudulent activity', 2, 1, 2, 'low'],
			['Failure to provide statutory elections or referenda', 1, 3, 3, 'low']
		] as const;
		expect(register.map(([, l, i]) => [score(l, i), band(score(l, i))])).toEqual(register.map(([, , , s, b]) => [s, b]));
	});

	it('refuses a likelihood or impact outside 1 to 4', () => {
		expect(() => score(0, 2)).toThrow(RangeError);
		expect(() => score(2, 5)).toThrow(RangeError);
	});
});

describe('direction of travel and movement of a risk', () => {
	it('is improving when the residual score falls, worsening when it rises, steady when it holds', () => {
		expect(riskDirection({ likelihood: 2, impact: 2 }, { likelihood: 3, impact: 2 })).toBe('improving');
		expect(riskDirection({ likelihood: 3, impact: 3 }, { likelihood: 3, impact: 2 })).toBe('worsening');
		expect(riskDirection({ likelihood: 1, impact: 4 }, { likelihood: 2, impact: 2 })).toBe('steady');
		expect(riskDirection({ likelihood: 1, impact: 4 }, null)).toBeNull();
	});

	it('describes the movement on the matrix', () => {
		expect(movement({ likelihood: 3, impact: 2 }, { likelihood: 2, impact: 2 })).toEqual({ kind: 'up', text: 'Up from 2 × 2 = 4' });
		expect(movement({ likelihood: 2, impact: 2 }, { likelihood: 3, impact: 2 }).kind).toBe('down');
		expect(movement({ likelihood: 1, impact: 4 }, { likelihood: 2, impact: 2 }).kind).toBe('moved');
		expect(movement({ likelihood: 2, impact: 2 }, { likelihood: 2, impact: 2 }).kind).toBe('same');
		expect(movement({ likelihood: 2, impact: 2 }, null).kind).toBe('new');
	});
});

describe('evidence rules', () => {
	const staffing = EVIDENCE_RULES.find((r) => r.code === 'staffing-standards')!;
	const signal = (code: string, values: [number | null, number][]): Signal => ({
		kind: 'standard',
		code,
		name: code,
		quarters: values.map(([actual, target], i) => ({ label: `Q${i + 1}`, actual, target }))
	});

	it('suggests "Insufficient staff" is more likely when both standards were below target two quarters running', () => {
		const s = suggest(staffing, [signal('es.email', [[95, 90], [88, 90], [87, 90]]), signal('es.registration', [[96, 95], [93, 95], [90, 95]])], { likelihood: 2, targetLikelihood: 1 });
		expect(s).toMatchObject({ triggered: true, suggestedLikelihood: 3 });
		expect(s.reason).toBe('es.email and es.registration below target 2 quarters running.');
	});

	it('suggests nothing when only one quarter was below target', () => {
		const s = suggest(staffing, [signal('es.email', [[91, 90], [88, 90]]), signal('es.registration', [[93, 95], [90, 95]])], { likelihood: 2, targetLikelihood: 1 });
		expect(s).toMatchObject({ triggered: false, suggestedLikelihood: 2 });
	});

	it('needs both standards for an "all" rule', () => {
		const s = suggest(staffing, [signal('es.email', [[88, 90], [88, 90]]), signal('es.registration', [[96, 95], [90, 95]])], { likelihood: 2, targetLikelihood: 1 });
		expect(s.triggered).toBe(false);
	});

	it('suggests one step lower when every figure met its target, never below the target likelihood', () => {
		const clear = [signal('es.email', [[95, 90], [96, 90]]), signal('es.registration', [[97, 95], [96, 95]])];
		expect(suggest(staffing, clear, { likelihood: 3, targetLikelihood: 1 }).suggestedLikelihood).toBe(2);
		expect(suggest(staffing, clear, { likelihood: 1, targetLikelihood: 1 }).suggestedLikelihood).toBe(1);
	});

	it('never suggests more than 4', () => {
		const s = suggest(staffing, [signal('es.email', [[80, 90], [80, 90]]), signal('es.registration', [[80, 95], [80, 95]])], { likelihood: 4, targetLikelihood: 1 });
		expect(s.suggestedLikelihood).toBe(4);
	});

	it('treats a quarter without a figure as neither below nor met', () => {
		const s = suggest(staffing, [signal('es.email', [[null, 90], [80, 90]]), signal('es.registration', [[80, 95], [80, 95]])], { likelihood: 2, targetLikelihood: 1 });
		expect(s).toMatchObject({ triggered: false, allClear: false, suggestedLikelihood: 2 });
	});
});
