/**
 * The dashboard benchmark (#5): the production server (`node build`) on a database already holding
 * the benchmark's contacts, the overview requested by 20 clients at once for 30 s, beside the bare
 * GROUP BY over the same assessments, and the case log's first and 500th page.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import { parseReportingPeriod } from '../lib/engine/reporting-period.ts';
import { seedDemoUsers, demoUsers } from '../lib/server/auth/demo.ts';
import { rows, type Database } from '../lib/server/db/client.ts';
import { users } from '../lib/server/db/schema/index.ts';
import { buildNeeded } from './build-needed.js';

interface LoadFigures {
	requests: number;
	median: number;
	p95: number;
	errors: number;
}

export interface DashboardFigures {
	/** As served (figures kept until a write commits: dashboard/cache.ts). */
	overview: LoadFigures;
	/** Every request computing its figures (YARDSTICK_DASHBOARD_CACHE=off). */
	uncached: LoadFigures;
	bare: { median: number };
	contacts: { first: number; page500: number; pages: number };
}

const median = (values: number[]) => percentile(values, 50);
function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/**
 * The production server (`node build`, or `entry`) with `env`, resolved once its database is ready
 * (/health answers 200), with the seconds that took; stop() ends it. `peakRssMb()` reads the
 * process's peak resident memory so far (Linux).
 */
export async function startServer(env: Record<string, string>, entry = 'build') {
	// The build as `npm start` would use it: made again when it is missing or older than the source.
	const reason = buildNeeded(process.cwd());
	if (reason) {
		console.log(`Building the app first (${reason})…`);
		execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	}
	const started = performance.now();
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [entry], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the server did not start in 120 s:\n${output}`)), 120_000);
		child.stdout.on('data', () => output.includes('Listening on') && (clearTimeout(timer), resolve()));
		child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the server exited with ${code}:\n${output}`))));
	});
	// The port answers at once; pages answer 503 until the database is migrated and ready.
	const ready = Date.now() + 300_000;
	while ((await fetch(`${url}/health`).then((r) => r.status, () => 0)) !== 200) {
		if (child.exitCode !== null || Date.now() > ready) throw new Error(`the server's database was not ready in 300 s:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return {
		url,
		seconds: (performance.now() - started) / 1000,
		output: () => output,
		peakRssMb: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

/** A manager's session cookie, through the sign-in form as a person would. */
async function signIn(url: string): Promise<string> {
	const manager = demoUsers.find((user) => user.role === 'manager')!;
	const response = await fetch(`${url}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: url },
		body: new URLSearchParams({ email: manager.email, password: manager.password })
	});
	if (response.status !== 303) throw new Error(`signing in answered ${response.status}`);
	return response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');
}

async function timedGet(url: string, cookie: string): Promise<{ ms: number; status: number; body: string }> {
	const started = performance.now();
	const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
	const body = await response.text();
	return { ms: performance.now() - started, status: response.status, body };
}

/** `clients` loops each requesting `url` back to back for `seconds`: every response time. */
async function load(url: string, cookie: string, clients: number, seconds: number): Promise<LoadFigures> {
	const until = performance.now() + seconds * 1000;
	const times: number[] = [];
	let errors = 0;
	await Promise.all(
		Array.from({ length: clients }, async () => {
			while (performance.now() < until) {
				const { ms, status } = await timedGet(url, cookie);
				if (status === 200) times.push(ms);
				else errors++;
			}
		})
	);
	return { requests: times.length, median: median(times), p95: percentile(times, 95), errors };
}

/**
 * Runs against `db` (already seeded and scored) reached at `databaseUrl`: the period is the
 * latest complete quarter of the demo's data.
 */
export async function benchDashboard(db: Database, databaseUrl: string, { period = '2025/26-Q3', clients = 20, seconds = 30 } = {}): Promise<DashboardFigures> {
	const [someone] = await db.select({ id: users.id }).from(users).limit(1);
	if (!someone) await seedDemoUsers(db);
	const overviewPath = `/?period=${encodeURIComponent(period)}`;
	const loadOverview = async (server: { url: string }, cookie: string) => {
		for (let i = 0; i < 5; i++) await timedGet(`${server.url}${overviewPath}`, cookie); // warm the server and the database's cache
		return load(`${server.url}${overviewPath}`, cookie, clients, seconds);
	};
	const plain = await startServer({ DATABASE_URL: databaseUrl, YARDSTICK_SEED: 'off', YARDSTICK_DASHBOARD_CACHE: 'off' });
	let uncached: LoadFigures;
	try {
		uncached = await loadOverview(plain, await signIn(plain.url));
	} finally {
		await plain.stop();
	}
	const server = await startServer({ DATABASE_URL: databaseUrl, YARDSTICK_SEED: 'off' });
	try {
		const cookie = await signIn(server.url);
		const overview = await loadOverview(server, cookie);

		const { start, end } = parseReportingPeriod(period);
		const bareTimes: number[] = [];
		for (let i = 0; i < 15; i++) {
			const started = performance.now();
			await rows(
				db,
				sql`select standard_id, count(*) filter (where status = 'met') as met, count(*) filter (where status = 'breached') as breached, count(*) as scored
					from assessments where clock_start_on between ${start}::date and ${end}::date group by standard_id`
			);
			bareTimes.push(performance.now() - started);
		}

		// The case log, walked by its own "Next" links to page 500, then pages 1 and 500 timed.
		const firstUrl = `${server.url}/contacts`;
		let pageUrl = firstUrl;
		let pages = 1;
		while (pages < 500) {
			const { body, status } = await timedGet(pageUrl, cookie);
			if (status !== 200) throw new Error(`/contacts answered ${status}`);
			const next = /<a[^>]*href="([^"]+)"[^>]*rel="next"/.exec(body)?.[1];
			if (!next) break;
			pageUrl = new URL(next.replaceAll('&amp;', '&'), pageUrl).toString();
			pages++;
		}
		const time = async (url: string) => {
			const times: number[] = [];
			for (let i = 0; i < 15; i++) times.push((await timedGet(url, cookie)).ms);
			return median(times);
		};
		const contacts = { first: await time(firstUrl), page500: await time(pageUrl), pages };
		return { overview, uncached, bare: { median: median(bareTimes) }, contacts };
	} finally {
		await server.stop();
	}
}
