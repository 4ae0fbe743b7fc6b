/**
 * Runs the evaluator in the server process: once at start, every minute, and after each import;
 * never two runs at once (a run asked for while one is under way runs once, right after it).
 * Notifications are queued after each run and sent apart from it, so a slow or failing mail
 * server never holds up evaluation.
 */
import type { Database } from '../db/client.ts';
import { evaluate, type EvaluationSummary } from './evaluate.ts';
import * as notify from './notify.ts';

export const EVALUATE_EVERY_MS = 60_000;

interface Runner {
	database: () => Promise<Database>;
	timer?: NodeJS.Timeout;
	running?: Promise<void>;
	again: boolean;
	sending?: Promise<void>;
	stopped: boolean;
	log: (line: string) => void;
}

// On globalThis so a dev-server reload never starts a second scheduler.
const state = globalThis as { __yardstickAlerts?: Runner };

/** Starts the scheduler (once per process); returns the function that stops it. */
export function start(database: () => Promise<Database>, options: { everyMs?: number; log?: (line: string) => void } = {}): () => void {
	stop();
	const runner: Runner = { database, again: false, stopped: false, log: options.log ?? ((line) => console.log(line)) };
	state.__yardstickAlerts = runner;
	runner.timer = setInterval(() => void trigger(), options.everyMs ?? EVALUATE_EVERY_MS);
	runner.timer.unref();
	void trigger();
	return stop;
}

export function stop(): void {
	const runner = state.__yardstickAlerts;
	if (!runner) return;
	runner.stopped = true;
	clearInterval(runner.timer);
	state.__yardstickAlerts = undefined;
}

/** Asks for a run now; resolves when it (or the run it joined) has finished. Never rejects. */
export function trigger(): Promise<void> {
	const runner = state.__yardstickAlerts;
	if (!runner) return Promise.resolve();
	if (runner.running) {
		runner.again = true;
		return runner.running;
	}
	runner.running = (async () => {
		do {
			runner.again = false;
			try {
				const db = await runner.database();
				await runOnce(db, new Date());
				if (!runner.sending && !runner.stopped) {
					runner.sending = notify.deliver(db).then(
						() => undefined,
						(error: unknown) => runner.log(`Alert notifications: ${(error as Error).message}`)
					).finally(() => (runner.sending = undefined));
				}
			} catch (error) {
				runner.log(`Alert evaluation failed: ${(error as Error).message}`);
			}
		} while (runner.again && !runner.stopped);
	})().finally(() => (runner.running = undefined));
	return runner.running;
}

/** One evaluation and the notifications it calls for (queued, not sent). */
export async function runOnce(db: Database, now: Date): Promise<EvaluationSummary> {
	const summary = await evaluate(db, { now });
	await notify.enqueue(db, now);
	return summary;
}

/**
 * Called where an import commits (the /import page, the API, the CLI). In the server process it
 * asks the scheduler for a run; elsewhere (the CLI) it evaluates here. It never throws: a failure
 * is logged and the import stands.
 */
export async function afterImport(db: Database): Promise<void> {
	try {
		if (state.__yardstickAlerts) await trigger();
		else await runOnce(db, new Date());
	} catch (error) {
		console.error(`Alerts were not evaluated after the import: ${(error as Error).message}`);
	}
}
