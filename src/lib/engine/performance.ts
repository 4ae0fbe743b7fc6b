/**
 * How a performance figure is judged against its target (RAG) and against the period before
 * (direction of travel), for standards and indicators alike.
 */

export type Rag = 'green' | 'amber' | 'red';
export type Direction = 'improving' | 'worsening' | 'steady';

/**
 * Green at or above target; amber within `amberMargin` percentage points below it; red beyond.
 * Null when there is nothing to judge (no decided contacts, or no target).
 */
export function rag(actualPercent: number | null, targetPercent: number | null, amberMargin = 5): Rag | null {
	if (actualPercent === null || targetPercent === null) return null;
	// Compare at a tenth of a point, as the figures are shown, so 89.96% is not "below 90%".
	const actual = Math.round(actualPercent * 10) / 10;
	if (actual >= targetPercent) return 'green';
	return actual >= targetPercent - amberMargin ? 'amber' : 'red';
}

/**
 * Whether performance moved between two periods; a change smaller than `tolerance` points is
 * steady. For a measure where lower is better, pass higherIsBetter = false.
 */
export function direction(current: number | null, previous: number | null, options: { tolerance?: number; higherIsBetter?: boolean } = {}): Direction | null {
	if (current === null || previous === null) return null;
	const { tolerance = 0.5, higherIsBetter = true } = options;
	const change = (current - previous) * (higherIsBetter ? 1 : -1);
	if (Math.abs(change) < tolerance) return 'steady';
	return change > 0 ? 'improving' : 'worsening';
}

/** Met ÷ (met + breached) as a percentage; null when nothing was decided. */
export function compliancePercent(met: number, breached: number): number | null {
	const decided = met + breached;
	return decided === 0 ? null : (met / decided) * 100;
}
