import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/lib/server/db/client.ts';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';
import { signInCookie } from '../support/auth.ts';
import { startPgProxy } from '../support/pg-proxy.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * The database goes away under a running server: every one of the server's PostgreSQL sessions is
 * ended (pg_terminate_backend, as a failover or a restart of PostgreSQL does) while an upload is
 * importing, while an API import is in its transaction, and while pages are loading. The server
 * must stay up, answer /health (503 while the database is unreachable, 200 once it answers),
 * serve pages afterwards, and record each interrupted import as failed with the reason.
 *
 * It needs a PostgreSQL server: YARDSTICK_JOURNEY_DATABASE_URL (as CI sets for the browser
 * journey) or DATABASE_URL; the test makes its own scratch database there and drops it after.
 */
const serverUrl = process.env.YARDSTICK_JOURNEY_DATABASE_URL || process.env.DATABASE_URL;
if (!serverUrl) {
	console.warn(
		`\n${'!'.repeat(100)}\n  No PostgreSQL (YARDSTICK_JOURNEY_DATABASE_URL or DATABASE_URL): THE DATABASE FAULT TESTS ARE SKIPPED.\n${'!'.repeat(100)}\n`
	);
}

const API_KEY = 'fault-test-key';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!serverUrl)('a server on PostgreSQL whose connections are ended under it', () => {
	let scratch: { url: string; drop(): Promise<void> };
	let server: RunningServer;
	let admin: postgres.Sql;
	let cookie: string;
	let abandoned: number;

	/** Ends every session of the server's database but the test's own. */
	const terminate = async (spare: number[] = []) => {
		const ended = await admin`select pg_terminate_backend(pid) as ended from pg_stat_activity
			where datname = current_database() and pid <> pg_backend_pid() and not (pid = any(${spare}::int[]))`;
		return ended.length;
	};
	const batch = async (id: number) => (await admin<{ status: string; failure: string | null }[]>`select status, failure from import_batches where id = ${id}`)[0];
	const untilSettled = async (id: number) => {
		for (let i = 0; i < 300; i++) {
			const found = await batch(id);
			if (found && found.status !== 'running') return found;
			await sleep(100);
		}
		return batch(id);
	};
	const runningBatch = async (source: string, after: number) => {
		for (let i = 0; i < 600; i++) {
			const [found] = await admin<{ id: number }[]>`select id from import_batches where source = ${source} and status = 'running' and id > ${after}`;
			if (found) return Number(found.id);
			await sleep(50);
		}
		throw new Error(`no running '${source}' import:\n${server.output()}`);
	};
	const lastBatch = async () => Number((await admin<{ id: number }[]>`select coalesce(max(id), 0)::int as id from import_batches`)[0]!.id);
	/** /health until it answers 200, with every status seen on the way. */
	const recovered = async () => {
		const seen: number[] = [];
		for (let i = 0; i < 100; i++) {
			// 0: no answer on this connection (a kept-alive socket the server had just closed).
			const status = await fetch(`${server.url}/health`).then((response) => response.status, () => 0);
			seen.push(status);
			if (status === 200) break;
			await sleep(100);
		}
		return seen;
	};
	/**
	 * Imports of one source take turns at the upsert (an advisory lock): holding a source's turn
	 * keeps its import inside its transaction, uncommitted, however fast it reads and stages.
	 */
	const holdTurn = async (source: string) => {
		const locker = postgres(scratch.url, { max: 1, onnotice: () => {} });
		const pid = (await locker<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
		let release!: () => void;
		let locked!: () => void;
		const taken = new Promise<void>((resolve) => (locked = resolve));
		const holding = locker.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(hashtext('yardstick.ingest'), hashtext(${source}))`;
			locked();
			await new Promise<void>((resolve) => (release = resolve));
		});
		await taken;
		return {
			pid,
			async release() {
				release();
				await holding;
				await locker.end();
			}
		};
	};
	const stillUp = () => expect(server.process.exitCode, server.output()).toBeNull();
	const pageServes = async () => {
		const response = await fetch(`${server.url}/contacts`, { headers: { cookie, accept: 'text/html' } });
		expect(response.status).toBe(200);
		expect(await response.text()).toMatch(/Contacts/);
	};

	beforeAll(async () => {
		scratch = await createScratchDatabase(serverUrl!, 'yardstick_faults');
		// An import a crashed server left 'running' (its pid gone): the next server start fails it.
		const handle = await openDatabase({ url: scratch.url });
		await handle.migrate();
		const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
		const [row] = await rows<{ id: number }>(
			handle.db,
			sql`insert into import_batches (kind, source, owner_host, owner_pid, owner_token, heartbeat_at) values ('contacts', 'import', ${hostname()}, ${dead}, 'crashed', now()) returning id`
		);
		abandoned = Number(row!.id);
		await handle.close();
		server = await startServer({ DATABASE_URL: scratch.url, YARDSTICK_API_KEY: API_KEY, BODY_SIZE_LIMIT: '201M' });
		admin = postgres(scratch.url, { max: 1, onnotice: () => {} });
		cookie = await signInCookie(server.url, 'manager');
	}, 240_000);
	afterAll(async () => {
		await admin?.end();
		await server?.stop();
		await scratch?.drop();
	});

	it('marks an import a previous server left running as failed when it starts', async () => {
		expect(await batch(abandoned)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/the process running this import stopped before it finished/) });
	});

	it('survives losing its connections while an uploaded file is importing, and fails that import with the reason', async () => {
		const lines = ['reference,organisation,service,type,received,responded'];
		for (let i = 0; i < 150_000; i++) lines.push(`FAULT-${i},county,customer,email,2025-03-03T09:15:00Z,2025-03-04T10:00:00Z`);
		const form = new FormData();
		form.set('file', new Blob([lines.join('\n')]), 'big.csv');
		form.set('kind', 'contacts');
		const uploaded = await fetch(`${server.url}/import?/upload`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: server.url, accept: 'text/html', cookie } });
		expect(uploaded.status, await uploaded.clone().text()).toBe(303);
		const page = uploaded.headers.get('location')!;
		const after = await lastBatch();
		const turn = await holdTurn('import');
		const confirmed = await fetch(`${server.url}${page}?/confirm`, {
			method: 'POST',
			redirect: 'manual',
			body: new URLSearchParams(),
			headers: { origin: server.url, accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' }
		});
		expect(confirmed.status).toBe(303);
		const id = await runningBatch('import', after);
		await sleep(1000); // reading and staging (COPY) by now, or waiting for its turn to upsert
		expect(await terminate([turn.pid])).toBeGreaterThan(0);
		await turn.release();
		const health = await recovered();
		stillUp();
		expect(health.at(-1)).toBe(200);
		expect(health.every((status) => status === 200 || status === 503 || status === 0)).toBe(true);
		expect(await untilSettled(id)).toMatchObject({
			status: 'failed',
			failure: expect.stringMatching(/^the import stopped and nothing was stored: the connection to the database was lost/)
		});
		expect((await admin`select count(*)::int as n from contacts where external_ref like 'FAULT-%'`)[0]!.n).toBe(0);
		// The page says so too.
		let html = '';
		for (let i = 0; i < 50 && !/stopped: the import stopped/.test(html); i++) {
			if (i) await sleep(200);
			html = await (await fetch(`${server.url}${page}`, { headers: { cookie, accept: 'text/html' } })).text();
		}
		expect(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toMatch(/The import of big\.csv stopped: the import stopped and nothing was stored: the connection to the database was lost/);
		await pageServes();
	}, 120_000);

	it('survives losing its connections in the middle of an API import, and answers that request with the reason', async () => {
		const records = Array.from({ length: 2000 }, (_, i) => ({ reference: `API-FAULT-${i}`, organisation: 'county', service: 'customer', type: 'email', received: '2025-03-03T09:15:00Z' }));
		const after = await lastBatch();
		// Its rows staged, it waits for its turn to upsert until the sessions are ended.
		const turn = await holdTurn('api');
		const answer = fetch(`${server.url}/api/v1/contacts`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
			body: JSON.stringify(records)
		});
		const id = await runningBatch('api', after);
		for (let i = 0; i < 100; i++) {
			const [waiting] = await admin`select 1 from pg_locks where locktype = 'advisory' and not granted`;
			if (waiting) break;
			await sleep(100);
		}
		expect(await terminate([turn.pid])).toBeGreaterThan(0);
		await turn.release();
		const response = await answer;
		expect(response.status).toBe(500);
		expect(await response.json()).toEqual({ message: expect.stringMatching(/^the import stopped and nothing was stored: the connection to the database was lost/) });
		stillUp();
		expect((await recovered()).at(-1)).toBe(200);
		expect(await untilSettled(id)).toMatchObject({ status: 'failed' });
		expect((await admin`select count(*)::int as n from contacts where external_ref like 'API-FAULT-%'`)[0]!.n).toBe(0);
		await pageServes();
	}, 120_000);

	it('survives losing its connections while pages load, and serves them again after', async () => {
		const paths = ['/', '/standards', '/contacts', '/phone', '/reports', '/alerts', '/import'];
		const loads = paths.map((path) => fetch(`${server.url}${path}?period=2025/26`, { headers: { cookie, accept: 'text/html' } }).then((r) => r.status, () => 0));
		await sleep(20);
		await terminate();
		const statuses = await Promise.all(loads);
		// A page caught by the loss may fail; none may go unanswered.
		expect(statuses.every((status) => status === 200 || status >= 500), `the pages answered ${statuses.join(' ')}; the server's output:\n${server.output()}`).toBe(true);
		stillUp();
		const health = await recovered();
		expect(health.at(-1), `/health answered ${health.join(' ')}; the server's output:\n${server.output()}`).toBe(200);
		for (const path of paths) {
			const response = await fetch(`${server.url}${path}?period=2025/26`, { headers: { cookie, accept: 'text/html' } });
			expect(response.status, path).toBe(200);
		}
		stillUp();
	}, 120_000);
});

/**
 * postgres.js's first statement on a new connection asks for the array types, and it drops that
 * query's promise (porsager/postgres#1192): a connection lost just then, as a restart or failover
 * does to the connections a server is opening, ended the server. A proxy cuts the server's first
 * connection off as it asks.
 */
describe.skipIf(!serverUrl)('a server whose first database connection is lost as it opens', () => {
	it('stays up, says so in its log, and answers /health once it has connected again', async () => {
		const scratch = await createScratchDatabase(serverUrl!, 'yardstick_opening');
		const proxy = await startPgProxy(scratch.url);
		proxy.cutTypeQueries(1);
		let server: RunningServer | undefined;
		try {
			server = await startServer({ DATABASE_URL: proxy.url, YARDSTICK_SEED: 'off' });
			const response = await fetch(`${server.url}/health`);
			expect(response.status, server.output()).toBe(200);
			expect(server.process.exitCode, server.output()).toBeNull();
			expect(server.output()).toMatch(/A database connection was lost while it opened: terminating connection due to administrator command/);
		} finally {
			await server?.stop();
			await proxy.close();
			await scratch.drop();
		}
	}, 240_000);
});
