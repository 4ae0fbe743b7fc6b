/**
 * Customer feedback: what a satisfaction answer means and how satisfaction is judged
 * (docs/rules.md "Customer satisfaction"). The scale is the GOV.UK feedback survey's five points,
 * 1 Very dissatisfied to 5 Very satisfied; "satisfied" means satisfied or very satisfied (4 or 5),
 * the share every satisfaction figure reports.
 */
import { direction, rag, type Direction, type Rag } from './performance.ts';

export type SatisfactionScore = 1 | 2 | 3 | 4 | 5;

/** The five answers, from 5 down as GOV.UK lists them on its survey pages. */
export const SATISFACTION_LABELS: Record<SatisfactionScore, string> = {
	5: 'Very satisfied',
	4: 'Satisfied',
	3: 'Neither satisfied nor dissatisfied',
	2: 'Dissatisfied',
	1: 'Very dissatisfied'
};

export const SATISFACTION_SCORES: readonly SatisfactionScore[] = [5, 4, 3, 2, 1];

/** Satisfied or very satisfied. */
export const SATISFIED_FROM: SatisfactionScore = 4;

/** The default target: 85% satisfied or very satisfied; an organisation may set its own per year. */
export const DEFAULT_SATISFACTION_TARGET = 85;

/** Amber within this many points below the target. */
export const SATISFACTION_AMBER_MARGIN = 5;

export const FEEDBACK_KINDS = ['survey', 'compliment', 'comment', 'complaint'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** The local government complaints process: informal, two internal stages, then the Local Government and Social Care Ombudsman. */
export const COMPLAINT_STAGES = ['informal', 'stage-1', 'stage-2', 'ombudsman'] as const;
export type ComplaintStage = (typeof COMPLAINT_STAGES)[number];
export const COMPLAINT_STAGE_LABELS: Record<ComplaintStage, string> = { informal: 'Informal', 'stage-1': 'Stage 1', 'stage-2': 'Stage 2', ombudsman: 'Ombudsman' };

export const COMPLAINT_OUTCOMES = ['upheld', 'partly-upheld', 'not-upheld'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];
export const COMPLAINT_OUTCOME_LABELS: Record<ComplaintOutcome, string> = { upheld: 'Upheld', 'partly-upheld': 'Partly upheld', 'not-upheld': 'Not upheld' };

export const ACTION_STATUSES = ['planned', 'in-progress', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = { planned: 'Planned', 'in-progress': 'In progress', done: 'Done' };

export const FEEDBACK_CHANNELS = ['phone', 'email', 'letter', 'web', 'in-person'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

export function isSatisfactionScore(value: unknown): value is SatisfactionScore {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}

export function isSatisfied(score: SatisfactionScore): boolean {
	return score >= SATISFIED_FROM;
}

/**
 * A satisfaction answer as written by people and by survey tools: a number 1–5, or one of the five
 * words (any case; "Neither" alone is accepted). Null when it is none of them.
 */
export function parseSatisfaction(value: string): SatisfactionScore | null {
	const text = value.trim().toLowerCase().replace(/\s+/g, ' ');
	if (/^[1-5]$/.test(text)) return Number(text) as SatisfactionScore;
	for (const score of SATISFACTION_SCORES) {
		if (SATISFACTION_LABELS[score].toLowerCase() === text) return score;
	}
	if (text === 'neither' || text === 'neutral') return 3;
	return null;
}

/** Satisfied ÷ answered, as a percentage; null when nobody answered. */
export function satisfactionPercent(satisfied: number, answered: number): number | null {
	return answered === 0 ? null : (satisfied / answered) * 100;
}

export interface SatisfactionJudgement {
	percent: number | null;
	target: number;
	rag: Rag | null;
}

export function judgeSatisfaction(satisfied: number, answered: number, target = DEFAULT_SATISFACTION_TARGET): SatisfactionJudgement {
	const percent = satisfactionPercent(satisfied, answered);
	return { percent, target, rag: rag(percent, target, SATISFACTION_AMBER_MARGIN) };
}

export function satisfactionDirection(current: number | null, previous: number | null): Direction | null {
	return direction(current, previous);
}

export interface SpeedGroup {
	satisfied: number;
	answered: number;
}

/**
 * Does speed matter to the people asked? Satisfaction of those whose contact was answered on time
 * (met every standard it was scored against) against those answered late (breached one); the gap
 * in points, positive when on-time contacts are the more satisfied. Null percent where a group is empty.
 */
export function speedAgainstSatisfaction(onTime: SpeedGroup, late: SpeedGroup) {
	const onTimePercent = satisfactionPercent(onTime.satisfied, onTime.answered);
	const latePercent = satisfactionPercent(late.satisfied, late.answered);
	return {
		onTime: { ...onTime, percent: onTimePercent },
		late: { ...late, percent: latePercent },
		gap: onTimePercent === null || latePercent === null ? null : onTimePercent - latePercent
	};
}

/**
 * Upheld rate: complaints upheld or partly upheld ÷ complaints with an outcome (the Ombudsman's
 * own "upheld" counts partly upheld complaints as upheld). Null with no decided complaint.
 */
export function upheldPercent(upheld: number, partlyUpheld: number, notUpheld: number): number | null {
	const decided = upheld + partlyUpheld + notUpheld;
	return decided === 0 ? null : ((upheld + partlyUpheld) / decided) * 100;
}
