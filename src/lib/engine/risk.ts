/**
 * The risk matrix of the Elections Service Plan 2020-23: score = likelihood × impact, each 1–4,
 * banded as the plan's matrix colours its cells (1–4 Low, 6 Medium, 8–9 High, 12–16 Very High).
 */
import type { Direction } from './performance.ts';

export type Level = 1 | 2 | 3 | 4;
export type Band = 'low' | 'medium' | 'high' | 'very-high';

export const LEVELS: readonly Level[] = [1, 2, 3, 4];

/** The plan's likelihood scale, with its probabilities. */
export const LIKELIHOOD: Record<Level, { label: string; probability: string }> = {
	4: { label: 'Very likely', probability: '80% or more' },
	3: { label: 'Likely', probability: '21% to 79%' },
	2: { label: 'Unlikely', probability: '6% to 20%' },
	1: { label: 'Remote', probability: '5% or less' }
};

/** The plan's impact scale. */
export const IMPACT: Record<Level, { label: string }> = {
	4: { label: 'Catastrophic' },
	3: { label: 'Critical' },
	2: { label: 'Significant' },
	1: { label: 'Marginal' }
};

export const BAND_LABEL: Record<Band, string> = { low: 'Low', medium: 'Medium', high: 'High', 'very-high': 'Very high' };

export function isLevel(value: number): value is Level {
	return value === 1 || value === 2 || value === 3 || value === 4;
}

export function score(likelihood: number, impact: number): number {
	if (!isLevel(likelihood) || !isLevel(impact)) throw new RangeError(`Likelihood and impact are 1 to 4: ${likelihood} × ${impact}`);
	return likelihood * impact;
}

/** The band of a score, as the plan's matrix colours it: 1–4 Low, 6 Medium, 8–9 High, 12–16 Very High. */
export function band(riskScore: number): Band {
	if (riskScore >= 12) return 'very-high';
	if (riskScore >= 8) return 'high';
	if (riskScore >= 6) return 'medium';
	return 'low';
}

export interface Assessment {
	likelihood: number;
	impact: number;
}

/**
 * Direction of travel of a risk between two reviews: a lower residual score is improving, a higher
 * one worsening; the same score (even in a different cell) is steady.
 */
export function riskDirection(current: Assessment | null, previous: Assessment | null): Direction | null {
	if (!current || !previous) return null;
	const now = score(current.likelihood, current.impact);
	const then = score(previous.likelihood, previous.impact);
	return now < then ? 'improving' : now > then ? 'worsening' : 'steady';
}

/** How a risk moved on the matrix since the previous review, in words (for the matrix's labels). */
export function movement(current: Assessment, previous: Assessment | null): { kind: 'new' | 'same' | 'up' | 'down' | 'moved'; text: string } {
	if (!previous) return { kind: 'new', text: 'New this quarter' };
	const was = score(previous.likelihood, previous.impact);
	const now = score(current.likelihood, current.impact);
	if (previous.likelihood === current.likelihood && previous.impact === current.impact) return { kind: 'same', text: 'No change' };
	const from = `from ${previous.likelihood} × ${previous.impact} = ${was}`;
	if (now > was) return { kind: 'up', text: `Up ${from}` };
	if (now < was) return { kind: 'down', text: `Down ${from}` };
	return { kind: 'moved', text: `Moved ${from}` };
}

export interface MatrixCell {
	likelihood: Level;
	impact: Level;
	score: number;
	band: Band;
}

/** The 16 cells in the plan's layout: rows likelihood 4 → 1 (top to bottom), columns impact 1 → 4. */
export function matrixCells(): MatrixCell[][] {
	return [4, 3, 2, 1].map((likelihood) =>
		LEVELS.map((impact) => {
			const s = likelihood * impact;
			return { likelihood: likelihood as Level, impact, score: s, band: band(s) };
		})
	);
}

/** A risk as the matrix places it (plain data for RiskMatrix.svelte and the printed report). */
export interface MatrixRisk {
	ref: string;
	title: string;
	movement: { kind: 'new' | 'same' | 'up' | 'down' | 'moved'; text: string };
	from: { likelihood: number; impact: number } | null;
}

export interface MatrixCellData {
	likelihood: Level;
	impact: Level;
	likelihoodLabel: string;
	impactLabel: string;
	score: number;
	band: Band;
	bandLabel: string;
	risks: MatrixRisk[];
}

export interface RiskMatrixData {
	/** Rows from likelihood 4 (top) to 1; columns impact 1 to 4, as the plan lays it out. */
	rows: MatrixCellData[][];
	label: string;
}

// --- Evidence rules -------------------------------------------------------------------------

/** One quarter of a signal: the standard's or indicator's figure and the target it was judged against. */
export interface SignalQuarter {
	label: string;
	actual: number | null;
	target: number | null;
}

export interface Signal {
	/** 'standard' or 'indicator', and its code. */
	kind: 'standard' | 'indicator';
	code: string;
	name: string;
	/** Oldest first; the last is the quarter under review. */
	quarters: SignalQuarter[];
}

export interface EvidenceRule {
	code: string;
	riskRef: string;
	/** What the rule watches, in words, for the page. */
	description: string;
	signals: { kind: 'standard' | 'indicator'; code: string }[];
	/** 'all': every signal must be below target; 'any': one is enough. */
	when: 'all' | 'any';
	/** Consecutive quarters below target that trigger the rule. */
	quarters: number;
}

/**
 * The rules linking risks to the figures that evidence them. "Insufficient staff" follows the
 * plan's reading: when the service's response standards slip two quarters running, staffing is
 * the likely cause.
 */
export const EVIDENCE_RULES: readonly EvidenceRule[] = [
	{
		code: 'staffing-standards',
		riskRef: 'ES-R1',
		description: 'Electoral Services email replies and registration confirmations both below target two quarters running',
		signals: [
			{ kind: 'standard', code: 'es.email' },
			{ kind: 'standard', code: 'es.registration' }
		],
		when: 'all',
		quarters: 2
	},
	{
		code: 'key-staff-absent-vote',
		riskRef: 'ES-R7',
		description: 'Registration or postal and proxy vote confirmations below target two quarters running',
		signals: [
			{ kind: 'standard', code: 'es.registration' },
			{ kind: 'standard', code: 'es.absent-vote' }
		],
		when: 'any',
		quarters: 2
	},
	{
		// docs/rules.md "Customer satisfaction": people unhappy with the service two quarters running is a reputational risk.
		code: 'satisfaction-reputation',
		riskRef: 'ES-R8',
		description: 'Customer satisfaction (CS01) below target two quarters running',
		signals: [{ kind: 'indicator', code: 'CS01' }],
		when: 'any',
		quarters: 2
	},
	{
		code: 'statutory-register',
		riskRef: 'ES-R5',
		description: 'Canvass return (ES01) or monthly alterations (ES02) below target',
		signals: [
			{ kind: 'indicator', code: 'ES01' },
			{ kind: 'indicator', code: 'ES02' }
		],
		when: 'any',
		quarters: 1
	}
];

export type SignalState = 'below' | 'met' | 'no-data';

/** Whether a quarter's figure fell short of its target (one decimal place, as shown). */
export function quarterState(q: SignalQuarter | undefined): SignalState {
	if (!q || q.actual === null || q.target === null) return 'no-data';
	return Math.round(q.actual * 10) / 10 < q.target ? 'below' : 'met';
}

export interface Suggestion {
	rule: EvidenceRule;
	triggered: boolean;
	/** Every signal met its target in each of the rule's quarters. */
	allClear: boolean;
	currentLikelihood: number;
	suggestedLikelihood: number;
	reason: string;
}

/**
 * A suggested likelihood: one step up (at most 4) when the rule is triggered; one step down (not
 * below the target likelihood) when every signal met its target throughout; otherwise unchanged.
 * A person decides: the suggestion never changes the register by itself.
 */
export function suggest(rule: EvidenceRule, signals: readonly Signal[], current: { likelihood: number; targetLikelihood: number }): Suggestion {
	const states = signals.map((s) => s.quarters.slice(-rule.quarters).map(quarterState));
	const complete = states.map((st) => st.length === rule.quarters);
	const below = states.map((st, i) => complete[i]! && st.every((x) => x === 'below'));
	const triggered = signals.length > 0 && (rule.when === 'all' ? below.every(Boolean) : below.some(Boolean));
	const allClear = signals.length > 0 && states.every((st, i) => complete[i]! && st.every((x) => x === 'met'));
	const run = rule.quarters === 1 ? 'in the quarter' : `${rule.quarters} quarters running`;
	let suggestedLikelihood = current.likelihood;
	let reason = `The evidence does not point to a change (${LIKELIHOOD[current.likelihood as Level]?.label ?? current.likelihood} stays).`;
	if (triggered) {
		suggestedLikelihood = Math.min(4, current.likelihood + 1);
		const names = signals.filter((_, i) => below[i]).map((s) => s.name);
		reason = `${names.join(' and ')} below target ${run}.`;
	} else if (allClear && current.likelihood > current.targetLikelihood) {
		suggestedLikelihood = current.likelihood - 1;
		reason = `Every linked figure met its target ${run}.`;
	}
	return { rule, triggered, allClear, currentLikelihood: current.likelihood, suggestedLikelihood, reason };
}
