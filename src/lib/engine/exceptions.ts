/**
 * Exception reporting, the rules a board paper follows (docs/rules.md "Board and committee
 * reports"): one RAG basis per report, stated in a legend; the periods each result is compared
 * with (the quarter before and the same quarter last year, as seasonal work such as the canvass,
 * elections and Christmas makes the quarter before a poor guide on its own); which items are
 * exceptions; and the movement sentence, which says so when there is no earlier period.
 */
import { direction, type Direction, type Rag } from './performance.ts';
import { previousQuarter, quarter, type Quarter, type QuarterNumber } from './periods.ts';

export type ReportKind = 'board' | 'committee';

/** What every RAG in a report is judged on, in words for its legend. */
export interface RagBasis {
	/** 'quarter': the report's quarter (board); 'period': the half or full year (committee). */
	basis: 'quarter' | 'period';
	/** 'Q2 2026/27' or 'April to September 2026 (half year 2026/27)'. */
	label: string;
	/** The legend: which period every rating is for, and what each rating means. */
	legend: { period: string; rules: Record<Rag, string> };
}

/**
 * A board report judges each result on its quarter; a committee report on its half or full year
 * (the year to date at Q2 or Q4). Every RAG in the report (standards, indicators, exceptions,
 * headlines) uses that one basis.
 */
export function ragBasis(kind: ReportKind, quarterLabel: string, periodLabel: string): RagBasis {
	const basis = kind === 'board' ? 'quarter' : 'period';
	const label = basis === 'quarter' ? quarterLabel : periodLabel;
	return {
		basis,
		label,
		legend: {
			period: `Every rating in this report is for ${label}${basis === 'quarter' ? ' (the quarter, not the year to date)' : ' (the whole period)'}.`,
			rules: {
				green: 'at or above target.',
				amber: 'below target by no more than the tolerance set for the measure (for most standards, 5 percentage points).',
				red: 'below target by more than the tolerance.'
			}
		}
	};
}

/** The quarters a result is shown beside: the one before, the same one last year, and the five-quarter trend ending with it. */
export interface ComparisonQuarters {
	current: Quarter;
	previous: Quarter;
	sameLastYear: Quarter;
	/** The same quarter last year through the current quarter, oldest first (five quarters). */
	trend: Quarter[];
}

export function comparisonQuarters(startYear: number, number: QuarterNumber): ComparisonQuarters {
	const current = quarter(startYear, number);
	const trend: Quarter[] = [current];
	for (let i = 0; i < 4; i++) trend.unshift(previousQuarter(trend[0]!));
	return { current, previous: previousQuarter(current), sameLastYear: quarter(startYear - 1, number), trend };
}

/** 'Q2 2026/27': a quarter as reports name it. */
export const quarterName = (q: Pick<Quarter, 'quarter' | 'fy'>) => `Q${q.quarter} ${q.fy}`;

/** Red and amber items are the exceptions, reds first, each group in the order given. */
export function exceptionsOf<T extends { rag: Rag | null }>(items: readonly T[]): T[] {
	return [...items.filter((i) => i.rag === 'red'), ...items.filter((i) => i.rag === 'amber')];
}

/** Movement against an earlier figure, or null when there is no earlier figure. */
export function movement(current: number | null, earlier: number | null, higherIsBetter = true): Direction | null {
	return direction(current, earlier, { higherIsBetter });
}

/**
 * What moved, in a sentence: 'Compared with Q1 2026/27, 3 standards improved, 1 worsened and 4
 * held steady.' With nothing to compare (a council's first period), it says so rather than
 * counting zeros.
 */
export function movementSentence(directions: readonly (Direction | null)[], against: string, noun: { one: string; many: string }): string {
	const compared = directions.filter((d): d is Direction => d !== null);
	if (compared.length === 0) return `There is no earlier period to compare with: ${against} has no figures.`;
	const count = (d: Direction) => compared.filter((x) => x === d).length;
	const things = (n: number) => `${n} ${n === 1 ? noun.one : noun.many}`;
	const parts = [`${things(count('improving'))} improved`, `${count('worsening')} worsened`, `${count('steady')} held steady`];
	const missing = directions.length - compared.length;
	return (
		`Compared with ${against}, ${parts[0]}, ${parts[1]} and ${parts[2]}.` +
		(missing ? ` ${things(missing)} had no figures then to compare with.` : '')
	);
}
