/**
 * The public survey page's rate limit: at most `limit` requests a minute from one client address
 * (a survey takes four or five). In memory, per server process: it blunts scripted guessing and
 * flooding; the signed token is what keeps a link from being guessed.
 */
export class RateLimit {
	private readonly hits = new Map<string, number[]>();

	constructor(
		readonly limit = 30,
		readonly windowMs = 60_000
	) {}

	/** Counts a request from `key`; false when it is over the limit (the request should be refused). */
	take(key: string, now = Date.now()): boolean {
		const since = now - this.windowMs;
		const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
		if (recent.length >= this.limit) {
			this.hits.set(key, recent);
			return false;
		}
		recent.push(now);
		this.hits.set(key, recent);
		// Forget quiet addresses now and then, so the map cannot grow without end.
		if (this.hits.size > 10_000) for (const [k, times] of this.hits) if (times.every((t) => t <= since)) this.hits.delete(k);
		return true;
	}
}

/** The survey page's limit: YARDSTICK_SURVEY_RATE requests a minute per address (30 by default). */
export const surveyLimit = new RateLimit(Number(process.env.YARDSTICK_SURVEY_RATE) > 0 ? Number(process.env.YARDSTICK_SURVEY_RATE) : 30);
