import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, openDatabase, rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';
import * as batches from '../../src/lib/server/ingest/batches.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

/** A pid no process has any more: a child that has already exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

async function batch(db: Database, id: number) {
	const [row] = await rows<{ status: string; failure: string | null; accepted_count: number }>(db, sql`select status, failure, accepted_count from import_batches where id = ${id}`);
	return row;
}

/** A batch row as another process would have left it. */
async function leftRunning(db: Database, owner: { host: string | null; pid: number | null; token: string | null; silentFor: number }) {
	const [row] = await rows<{ id: number }>(
		db,
		sql`insert into import_batches (kind, source, owner_host, owner_pid, owner_token, heartbeat_at, started_at)
			values ('contacts', 'import', ${owner.host}, ${owner.pid}, ${owner.token}, now() - make_interval(secs => ${owner.silentFor}), now() - make_interval(secs => ${owner.silentFor}))
			returning id`
	);
	return Number(row!.id);
}

describe.each(engines)('imports whose process has gone, on $name', (engine) => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let dir: string;
	beforeEach(async () => {
		handle = await engine.open();
		db = handle.db;
		await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-abandoned-'));
	});
	afterEach(async () => {
		await handle.dispose();
		rmSync(dir, { recursive: true, force: true });
	});

	it('are marked failed with the reason, while imports still running elsewhere or here are left alone', async () => {
		const runningHere = await batches.start(db, { kind: 'contacts', source: 'import' });
		const crashedHere = await leftRunning(db, { host: hostname(), pid: deadPid(), token: 'earlier', silentFor: 5 });
		const silentElsewhere = await leftRunning(db, { host: 'another-server', pid: 4242, token: 'theirs', silentFor: batches.SILENT_AFTER_MS / 1000 + 30 });
		const beforeOwners = await leftRunning(db, { host: null, pid: null, token: null, silentFor: 24 * 3600 });
		const aliveElsewhere = await leftRunning(db, { host: 'another-server', pid: 4242, token: 'theirs', silentFor: 5 });

		const failed = await batches.failAbandoned(db);
		expect(failed.sort((a, b) => a - b)).toEqual([crashedHere, silentElsewhere, beforeOwners]);
		for (const id of failed) {
			expect(await batch(db, id)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^the process running this import stopped before it finished .*nothing was stored/) });
		}
		expect(await batch(db, aliveElsewhere)).toMatchObject({ status: 'running' });
		expect(await batch(db, runningHere)).toMatchObject({ status: 'running' });
		await batches.finish(db, runningHere, { read: 0, accepted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0 }, null);
	});

	it('are failed by the next import, and one that had committed its rows is marked done', async () => {
		const crashed = await leftRunning(db, { host: hostname(), pid: deadPid(), token: 'earlier', silentFor: 5 });
		const file = path.join(dir, 'log.csv');
		writeFileSync(file, 'reference,organisation,service,type,received\nA-1,county,customer,email,2025-03-03T09:15:00Z\n');
		const first = await ingest.importFile(db, file, { score: false });
		expect(await batch(db, crashed)).toMatchObject({ status: 'failed' });
		// Its process went after the commit, while scoring: the rows are there, so it is done.
		await db.execute(sql`update import_batches set status = 'running', owner_host = ${hostname()}, owner_pid = ${deadPid()}, owner_token = 'gone' where id = ${first.batchId}`);
		writeFileSync(file, 'reference,organisation,service,type,received\nA-2,county,customer,email,2025-03-03T09:15:00Z\n');
		await ingest.importFile(db, file, { score: false });
		expect(await batch(db, first.batchId)).toMatchObject({ status: 'done', accepted_count: 1, failure: expect.stringMatching(/run 'yardstick assess'/) });
	});

	it('include this process\'s own batch when its import ended without recording it', async () => {
		const id = await batches.start(db, { kind: 'contacts', source: 'import' });
		batches.keepAlive(db, id)(); // the import ended; its end was never recorded (the database was down)
		expect(await batches.failAbandoned(db)).toEqual([id]);
		expect(await batch(db, id)).toMatchObject({ status: 'failed' });
	});
});

// The embedded database cannot be read while the command holds it, so this runs on PostgreSQL.
describe.skipIf(!process.env.DATABASE_URL)('stopping `yardstick import` on PostgreSQL', () => {
	let scratch: { url: string; drop(): Promise<void> };
	let handle: DatabaseHandle;
	let dir: string;
	let file: string;
	beforeAll(async () => {
		scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'yardstick_cli_stop');
		handle = await openDatabase({ url: scratch.url });
		await handle.migrate();
		await seedReference(handle.db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-cli-stop-'));
		file = path.join(dir, 'big.csv');
		const lines = ['reference,organisation,service,type,received,responded'];
		for (let i = 0; i < 300_000; i++) lines.push(`S-${i},county,customer,email,2025-03-03T09:15:00Z,2025-03-04T10:00:00Z`);
		writeFileSync(file, lines.join('\n'));
	});
	afterAll(async () => {
		await handle?.close();
		await scratch?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	/** Starts the command, waits until its import is under way, and returns it with the worker's pid. */
	async function startImport() {
		const [before] = await rows<{ id: number }>(handle.db, sql`select coalesce(max(id), 0)::int as id from import_batches`);
		const command = spawn(process.execPath, ['src/cli/bin.js', 'import', file], { env: { ...process.env, DATABASE_URL: scratch.url }, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		command.stdout.on('data', (chunk) => (output += chunk));
		command.stderr.on('data', (chunk) => (output += chunk));
		const exited = new Promise<number | null>((resolve) => command.once('exit', (code) => resolve(code)));
		for (let i = 0; i < 600; i++) {
			const [found] = await rows<{ id: number; owner_pid: number }>(handle.db, sql`select id, owner_pid from import_batches where id > ${before!.id} and status = 'running'`);
			if (found) {
				await new Promise((resolve) => setTimeout(resolve, 500)); // well into reading and staging
				return { command, exited, id: Number(found.id), worker: Number(found.owner_pid), output: () => output };
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(`the import never started:\n${output}`);
	}

	const settled = async (pid: number) => {
		for (let i = 0; i < 600 && isAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
		return !isAlive(pid);
	};
	const contacts = async () => Number((await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from contacts`))[0]!.n);

	it('killed outright, its worker stops without committing and the batch says so', async () => {
		const run = await startImport();
		expect(run.worker).not.toBe(run.command.pid);
		run.command.kill('SIGKILL');
		await run.exited;
		expect(await settled(run.worker)).toBe(true);
		expect(await batch(handle.db, run.id)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/the import was stopped \(the yardstick command that started it ended\)/) });
		expect(await contacts()).toBe(0);
	});

	it('sent SIGTERM, it stops, says why and exits with status 1', async () => {
		const run = await startImport();
		run.command.kill('SIGTERM');
		expect(await run.exited).toBe(1);
		expect(run.output()).toMatch(/the import stopped and nothing was stored: the import was stopped \(SIGTERM\)/);
		expect(await batch(handle.db, run.id)).toMatchObject({ status: 'failed' });
		expect(await contacts()).toBe(0);
	});
});
