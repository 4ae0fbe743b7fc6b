/**
 * Re-scoring runs started by an admin (a new standard version, a closure day): run in this server
 * process while the page follows the progress (Server-Sent Events, like an import). Each is known
 * by an unguessable token; the state lives in memory and is forgotten an hour after it ends.
 */
import { randomBytes } from 'node:crypto';
import type { JobSummary, Progress } from '../assessments/index.ts';

export interface RescoreJob {
	token: string;
	/** What is being re-scored, for the page's heading. */
	title: string;
	/** Where to go afterwards. */
	backTo: { href: string; text: string };
	state: 'running' | 'done' | 'failed';
	progress: Progress;
	summary: JobSummary | null;
	failure: string | null;
}

const jobs = new Map<string, RescoreJob>();
const listeners = new Map<string, Set<(job: RescoreJob) => void>>();
const KEEP_MS = 3_600_000;

function notify(job: RescoreJob) {
	for (const listener of listeners.get(job.token) ?? []) listener(job);
}

/** Starts the work now and answers its token; the work reports progress through the callback it is given. */
export function start(title: string, backTo: RescoreJob['backTo'], work: (onProgress: (progress: Progress) => void) => Promise<JobSummary>): string {
	const token = randomBytes(16).toString('base64url');
	const job: RescoreJob = { token, title, backTo, state: 'running', progress: { done: 0, total: 0 }, summary: null, failure: null };
	jobs.set(token, job);
	let last = 0;
	const onProgress = (progress: Progress) => {
		job.progress = progress;
		const now = Date.now();
		if (now - last >= 100 || progress.done >= progress.total) {
			last = now;
			notify(job);
		}
	};
	queueMicrotask(() => {
		work(onProgress)
			.then((summary) => {
				job.summary = summary;
				job.progress = { done: summary.contacts, total: summary.contacts };
				job.state = 'done';
			})
			.catch((error: unknown) => {
				job.failure = (error as Error).message;
				job.state = 'failed';
			})
			.finally(() => {
				notify(job);
				setTimeout(() => jobs.delete(token), KEEP_MS).unref?.();
			});
	});
	return token;
}

export function find(token: string): RescoreJob | null {
	return jobs.get(token) ?? null;
}

/** Calls back now and at every change until the job ends; answers a function that stops following. */
export function follow(token: string, listener: (job: RescoreJob) => void): () => void {
	const job = jobs.get(token);
	if (!job) return () => {};
	let set = listeners.get(token);
	if (!set) listeners.set(token, (set = new Set()));
	set.add(listener);
	listener(job);
	return () => {
		set.delete(listener);
		if (set.size === 0) listeners.delete(token);
	};
}
