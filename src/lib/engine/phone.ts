/**
 * Telephone service level (docs/rules.md "Phone service level"):
 *   calls answered within 20 s ÷ (calls answered + calls abandoned after 20 s).
 * Calls abandoned within the short-abandon threshold (by default the same 20 s) are left out;
 * configurable to count every abandoned call as a failure instead. Average speed of answer and
 * the abandonment rate are reported beside it, as contact centres do.
 */

export type AbandonedCallPolicy = 'exclude-short' | 'include-as-failures';

export interface CallFacts {
	/** Seconds in the queue before the call was answered or abandoned. */
	waitSeconds?: number | null;
	abandoned?: boolean | null;
}

export interface ServiceLevelOptions {
	thresholdSeconds?: number;
	abandoned?: AbandonedCallPolicy;
	/** Abandoned calls up to this many seconds are left out (exclude-short); defaults to the threshold. */
	shortAbandonSeconds?: number;
}

/**
 * How one call scores:
 * - met / breached: counted in the service level;
 * - excluded: abandoned within the short-abandon threshold;
 * - unscored: no wait time recorded, so it cannot be judged.
 */
export type CallOutcome = 'met' | 'breached' | 'excluded' | 'unscored';

export function classifyCall(call: CallFacts, options: ServiceLevelOptions = {}): CallOutcome {
	const threshold = options.thresholdSeconds ?? 20;
	const wait = call.waitSeconds;
	if (wait === null || wait === undefined || !Number.isFinite(wait) || wait < 0) return 'unscored';
	if (call.abandoned) {
		const short = wait <= (options.shortAbandonSeconds ?? threshold);
		return short && (options.abandoned ?? 'exclude-short') === 'exclude-short' ? 'excluded' : 'breached';
	}
	return wait <= threshold ? 'met' : 'breached';
}

export interface ServiceLevel {
	thresholdSeconds: number;
	/** Calls answered or abandoned (with a wait time). */
	offered: number;
	answered: number;
	answeredWithinThreshold: number;
	abandoned: number;
	/** Abandoned calls left out of the service level. */
	abandonedExcluded: number;
	/** Calls without a wait time, left out of everything. */
	unscored: number;
	/** The service level's denominator: answered + abandoned calls that count. */
	counted: number;
	/** 0–1; null when no call counts. */
	serviceLevel: number | null;
	/** Mean seconds to answer, answered calls only; null when none were answered. */
	averageSpeedOfAnswer: number | null;
	/** Abandoned ÷ offered, 0–1; null when none were offered. */
	abandonmentRate: number | null;
}

export function serviceLevel(calls: Iterable<CallFacts>, options: ServiceLevelOptions = {}): ServiceLevel {
	const thresholdSeconds = options.thresholdSeconds ?? 20;
	let answered = 0;
	let answeredWithinThreshold = 0;
	let abandoned = 0;
	let abandonedExcluded = 0;
	let unscored = 0;
	let counted = 0;
	let answerSeconds = 0;
	for (const call of calls) {
		const outcome = classifyCall(call, options);
		if (outcome === 'unscored') {
			unscored++;
			continue;
		}
		if (call.abandoned) {
			abandoned++;
			if (outcome === 'excluded') abandonedExcluded++;
			else counted++;
		} else {
			answered++;
			counted++;
			answerSeconds += call.waitSeconds as number;
			if (outcome === 'met') answeredWithinThreshold++;
		}
	}
	const offered = answered + abandoned;
	return {
		thresholdSeconds,
		offered,
		answered,
		answeredWithinThreshold,
		abandoned,
		abandonedExcluded,
		unscored,
		counted,
		serviceLevel: counted ? answeredWithinThreshold / counted : null,
		averageSpeedOfAnswer: answered ? answerSeconds / answered : null,
		abandonmentRate: offered ? abandoned / offered : null
	};
}
