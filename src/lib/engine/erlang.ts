/**
 * Contact-centre staffing: how many people the phones need to keep a promise such as "80% of
 * calls answered within 20 seconds" (docs/rules.md "Phone service level").
 *
 * - Erlang C (M/M/N): callers wait as long as it takes.
 *   Traffic A = arrival rate × AHT (erlangs); occupancy = A / N.
 *   Erlang B by the stable recursion B(0) = 1, B(i) = A·B(i−1) / (i + A·B(i−1)) — never factorials,
 *   so a traffic of thousands of erlangs is fine.
 *   P(wait) = N·B / (N − A·(1 − B)); SL(t) = 1 − P(wait)·e^(−(N − A)·t / AHT);
 *   ASA (over every call) = P(wait)·AHT / (N − A).
 * - Erlang A (M/M/N+M, Palm 1946; Garnett, Mandelbaum & Reiman 2002): callers hang up after an
 *   exponentially distributed patience. Computed exactly from the birth–death chain (birth λ,
 *   death min(n, N)·μ + max(n − N, 0)·θ, θ = 1 / mean patience), normalised as it is built so it
 *   cannot overflow; the service level within t comes from the tagged caller's absorbing chain by
 *   uniformisation (as pyworkforce's ErlangA does). P(abandon) = θ·Lq / λ; ASA = Lq / λ (over
 *   every caller, abandoners' waits included); occupancy = λ·(1 − P(abandon)) / (N·μ).
 *   With infinite patience it is Erlang C.
 * - Agents needed: the least N whose service level meets the target, then at least A / max
 *   occupancy; staff to schedule = ceil(N / (1 − shrinkage)) (pyworkforce required_positions).
 *
 * All times are in seconds.
 */

export interface Workload {
	/** Calls offered in the interval. */
	calls: number;
	/** Length of the interval, seconds (a half hour: 1800). */
	intervalSeconds: number;
	/** Average handle time, seconds (talk + hold + wrap-up). */
	ahtSeconds: number;
	/** Mean caller patience, seconds: Erlang A. Absent, null or Infinity: Erlang C (callers never give up). */
	patienceSeconds?: number | null;
}

export interface QueueMeasures {
	/** Agents on the phones. */
	agents: number;
	/** Offered traffic, erlangs. */
	traffic: number;
	/** Probability an arriving caller has to wait (0–1). */
	probabilityWait: number;
	/** Share of callers answered within the target time (0–1). */
	serviceLevel: number;
	/** Average speed of answer over every caller, seconds (Infinity when the queue grows without end). */
	asa: number;
	/** Share of the agents' time spent on calls (0–1). */
	occupancy: number;
	/** Probability a caller hangs up before being answered (0 under Erlang C). */
	abandonment: number;
}

export interface StaffingTarget {
	/** Answer within this many seconds (phone.answer: 20). */
	targetSeconds: number;
	/** Share of calls to answer within it, 0–1 (0.8). */
	serviceLevel: number;
	/** Highest acceptable occupancy, 0–1 (default 1: no cap). */
	maxOccupancy?: number;
	/** Share of paid time not on the phones (breaks, training, sickness), 0 ≤ s < 1 (default 0). */
	shrinkage?: number;
}

export interface Staffing {
	/** Agents needed on the phones. */
	agents: number;
	/** Staff to schedule: agents / (1 − shrinkage), rounded up. */
	scheduled: number;
	/** The queue with that many agents on the phones. */
	measures: QueueMeasures;
}

/** Offered traffic in erlangs: arrival rate × average handle time. */
export function trafficIntensity(workload: Workload): number {
	return (workload.calls / workload.intervalSeconds) * workload.ahtSeconds;
}

/** Erlang B blocking probability, by the numerically stable recursion. */
export function erlangB(agents: number, traffic: number): number {
	if (traffic <= 0) return 0;
	let b = 1;
	for (let i = 1; i <= agents; i++) b = (traffic * b) / (i + traffic * b);
	return b;
}

/** Erlang C probability of waiting; 1 when the agents cannot keep up (N ≤ A). */
export function erlangC(agents: number, traffic: number): number {
	if (traffic <= 0) return 0;
	if (agents <= traffic) return 1;
	const b = erlangB(agents, traffic);
	return (agents * b) / (agents - traffic * (1 - b));
}

function checkWorkload(workload: Workload): void {
	const { calls, intervalSeconds, ahtSeconds, patienceSeconds } = workload;
	if (!(Number.isFinite(calls) && calls >= 0)) throw new RangeError('calls must be a number of 0 or more');
	if (!(Number.isFinite(intervalSeconds) && intervalSeconds > 0)) throw new RangeError('the interval must be longer than 0 seconds');
	if (!(Number.isFinite(ahtSeconds) && ahtSeconds > 0)) throw new RangeError('the average handle time must be more than 0 seconds');
	if (patienceSeconds != null && !(patienceSeconds > 0)) throw new RangeError('patience must be more than 0 seconds');
}

function checkAgents(agents: number): void {
	if (!(Number.isInteger(agents) && agents >= 1)) throw new RangeError('agents must be a whole number of 1 or more');
}

const patient = (workload: Workload) => workload.patienceSeconds == null || workload.patienceSeconds === Infinity;

/** The queue's measures with `agents` on the phones: Erlang A when a patience is given, else Erlang C. */
export function queueMeasures(workload: Workload, agents: number, targetSeconds: number): QueueMeasures {
	checkWorkload(workload);
	checkAgents(agents);
	if (!(Number.isFinite(targetSeconds) && targetSeconds >= 0)) throw new RangeError('the target time must be 0 seconds or more');
	return patient(workload) ? erlangCMeasures(workload, agents, targetSeconds) : erlangAMeasures(workload, agents, targetSeconds);
}

function erlangCMeasures(workload: Workload, agents: number, targetSeconds: number): QueueMeasures {
	const traffic = trafficIntensity(workload);
	const aht = workload.ahtSeconds;
	if (agents <= traffic) {
		// More work than agents: the queue grows without end.
		return { agents, traffic, probabilityWait: 1, serviceLevel: 0, asa: Infinity, occupancy: 1, abandonment: 0 };
	}
	const probabilityWait = erlangC(agents, traffic);
	return {
		agents,
		traffic,
		probabilityWait,
		serviceLevel: Math.max(0, 1 - probabilityWait * Math.exp((-(agents - traffic) * targetSeconds) / aht)),
		asa: (probabilityWait * aht) / (agents - traffic),
		occupancy: traffic / agents,
		abandonment: 0
	};
}

/** Stationary distribution of the M/M/N+M chain, grown until the tail is negligible. */
function stationary(lambda: number, mu: number, theta: number, agents: number): Float64Array {
	let probabilities = new Float64Array(Math.max(64, agents * 2));
	probabilities[0] = 1;
	let total = 1;
	let n = 0;
	for (;;) {
		n++;
		const death = Math.min(n, agents) * mu + Math.max(n - agents, 0) * theta;
		const term = (probabilities[n - 1]! * lambda) / death;
		if (n >= probabilities.length) {
			const grown = new Float64Array(probabilities.length * 2);
			grown.set(probabilities);
			probabilities = grown;
		}
		probabilities[n] = term;
		total += term;
		if ((n > agents && term < 1e-16 * total) || n > agents + 1_000_000) break;
		if (term > 1e250) {
			// Rescale rather than overflow under heavy traffic.
			for (let i = 0; i <= n; i++) probabilities[i]! /= 1e250;
			total /= 1e250;
		}
	}
	const out = probabilities.subarray(0, n + 1);
	let sum = 0;
	for (const p of out) sum += p;
	for (let i = 0; i < out.length; i++) out[i]! /= sum;
	return out;
}

function erlangAMeasures(workload: Workload, agents: number, targetSeconds: number): QueueMeasures {
	const traffic = trafficIntensity(workload);
	const lambda = workload.calls / workload.intervalSeconds;
	if (lambda === 0) return { agents, traffic, probabilityWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, abandonment: 0 };
	const mu = 1 / workload.ahtSeconds;
	const theta = 1 / (workload.patienceSeconds as number);
	const p = stationary(lambda, mu, theta, agents);
	let probabilityWait = 0;
	let queueLength = 0;
	for (let n = agents; n < p.length; n++) {
		probabilityWait += p[n]!;
		queueLength += (n - agents) * p[n]!;
	}
	const abandonment = (theta * queueLength) / lambda;
	const servedImmediately = 1 - probabilityWait;
	return {
		agents,
		traffic,
		probabilityWait,
		serviceLevel: Math.min(1, servedImmediately + delayedServedWithin(p, agents, mu, theta, targetSeconds)),
		asa: queueLength / lambda,
		occupancy: (lambda * (1 - abandonment)) / (agents * mu),
		abandonment
	};
}

/**
 * Probability that a caller who has to wait is answered within t (and does not hang up first).
 * A caller arriving to n ≥ N in the system has j = n − N callers ahead; the queue ahead moves at
 * N·μ + j·θ and the caller gives up at θ. Uniformisation of that absorbing chain, started from
 * the arrival distribution (PASTA) rather than from each j in turn, so one pass suffices.
 */
function delayedServedWithin(p: Float64Array, agents: number, mu: number, theta: number, t: number): number {
	const ahead = p.length - agents; // positions j = 0 .. ahead - 1
	if (ahead <= 0 || t <= 0) return 0;
	let state = new Float64Array(ahead);
	for (let j = 0; j < ahead; j++) state[j] = p[agents + j]!;
	const rate = agents * mu + (ahead - 1) * theta + theta;
	const l = rate * t;
	const steps = Math.ceil(l + 10 * Math.sqrt(l) + 50);
	let served = 0;
	let result = 0;
	let logWeight = -l; // log P(N(t) = 0), kept in logs so a long horizon cannot underflow
	let next = new Float64Array(ahead);
	for (let k = 1; k <= steps; k++) {
		next.fill(0);
		for (let j = 0; j < ahead; j++) {
			const mass = state[j]!;
			if (mass === 0) continue;
			const advance = agents * mu + j * theta;
			const stay = rate - advance - theta;
			if (j === 0) served += (mass * advance) / rate;
			else next[j - 1]! += (mass * advance) / rate;
			next[j]! += (mass * stay) / rate;
		}
		[state, next] = [next, state];
		logWeight += Math.log(l) - Math.log(k);
		result += Math.exp(logWeight) * served;
	}
	return result;
}

/** Least agents on the phones meeting the service level (and max occupancy), and the staff to schedule. */
export function agentsNeeded(workload: Workload, target: StaffingTarget): Staffing {
	checkWorkload(workload);
	const maxOccupancy = target.maxOccupancy ?? 1;
	const shrinkage = target.shrinkage ?? 0;
	if (!(target.serviceLevel >= 0 && target.serviceLevel <= 1)) throw new RangeError('the service level must be between 0 and 1');
	if (!(maxOccupancy > 0 && maxOccupancy <= 1)) throw new RangeError('the maximum occupancy must be more than 0 and at most 1');
	if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError('shrinkage must be at least 0 and less than 1');
	if (!(Number.isFinite(target.targetSeconds) && target.targetSeconds >= 0)) throw new RangeError('the target time must be 0 seconds or more');
	const traffic = trafficIntensity(workload);
	const meets = (n: number) => {
		const m = queueMeasures(workload, n, target.targetSeconds);
		return m.serviceLevel >= target.serviceLevel && m.occupancy <= maxOccupancy;
	};
	// Erlang C needs N > A; with patience the chain is stable for any N.
	let low = patient(workload) ? Math.max(1, Math.floor(traffic) + 1) : 1;
	if (!meets(low)) {
		// Service level and occupancy both improve with every agent: gallop, then bisect.
		let step = 1;
		let high = low + step;
		while (!meets(high)) {
			low = high;
			step *= 2;
			high = low + step;
			if (high > 10_000_000) throw new RangeError('no number of agents meets that target');
		}
		while (high - low > 1) {
			const middle = Math.floor((low + high) / 2);
			if (meets(middle)) high = middle;
			else low = middle;
		}
		low = high;
	}
	return { agents: low, scheduled: Math.ceil(low / (1 - shrinkage) - 1e-9), measures: queueMeasures(workload, low, target.targetSeconds) };
}

/** Agents on the phones out of a scheduled staff after shrinkage (pyworkforce scale_positions: rounded down). */
export function agentsOnPhones(scheduled: number, shrinkage = 0): number {
	return Math.floor(scheduled * (1 - shrinkage) + 1e-9);
}
