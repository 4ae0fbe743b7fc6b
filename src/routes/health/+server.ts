import { json } from '@sveltejs/kit';
import { health, starting } from '$lib/server/startup.ts';
import type { RequestHandler } from './$types';

/** The database the server is configured for, as openDatabase chooses it. */
const engine = () => (process.env.DATABASE_URL ? 'postgresql' : 'embedded');
let lastProblem: string | null = null;

/**
 * Anyone may ask (load balancers, monitoring): the answer is only whether the database answers
 * and its kind, never where it is or who connects to it. Why it does not answer goes to the log
 * (once per change), for the operator.
 */
export const GET: RequestHandler = async () => {
	const progress = starting();
	if (progress !== undefined) {
		return json({ database: 'starting', engine: engine(), progress }, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '5' } });
	}
	const result = await health();
	if (result.database !== 'ok' && result.message !== lastProblem) console.error(`Health check: the database does not answer: ${result.message}`);
	lastProblem = result.database === 'ok' ? null : result.message;
	return json(
		result.database === 'ok' ? { database: 'ok', engine: engine() } : { database: 'unavailable', engine: engine(), message: 'The database does not answer: the server log says why' },
		{ status: result.database === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
