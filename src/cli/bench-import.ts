/**
 * The import benchmark (#4): a generated contact log imported through the whole pipeline (parse,
 * validate, stage, upsert, score) by the real `yardstick import` in a child process, beside a raw
 * `COPY` of the same file into an unlogged table of the same columns, in the same run.
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { DateTime } from 'luxon';
import { openDatabase } from '../lib/server/db/client.ts';
import { createScratchDatabase } from '../lib/server/db/scratch.ts';
import * as assessments from '../lib/server/assessments/index.ts';
import { sql } from 'drizzle-orm';
import { seedReference } from '../lib/server/seed/reference.ts';
import * as sources from '../lib/server/ingest/sources.ts';
import { Random } from '../lib/server/seed/random.ts';

const run = promisify(execFile);
const n = (value: number) => Math.round(value).toLocaleString('en-GB');

export const LOG_COLUMNS = ['reference', 'organisation', 'service', 'type', 'received', 'clock_start', 'responded', 'closed', 'wait_seconds', 'abandoned', 'team', 'extended', 'paused_from', 'paused_to'] as const;

/** Where each generated contact comes from: organisation, service, team and the types it handles. */
const PLACES = [
	{ organisation: 'borough', service: 'customer', team: 'csc-enquiries', types: ['phone', 'phone', 'phone', 'email', 'letter', 'complaint'] },
	{ organisation: 'borough', service: 'electoral', team: 'es-registration', types: ['email', 'registration', 'phone'] },
	{ organisation: 'borough', service: 'democratic', team: 'ds-information', types: ['foi', 'sar', 'email'] },
	{ organisation: 'county', service: 'customer', team: 'cc-contact-centre', types: ['phone', 'phone', 'phone', 'callback'] },
	{ organisation: 'county', service: 'customer', team: 'cc-correspondence', types: ['email', 'letter', 'email'] }
] as const;

/** A realistic contact log of `rows` contacts received through 2025 (UK dates, like an Excel export). */
export async function writeContactLog(file: string, rows: number, seed = 'bench-import'): Promise<void> {
	const random = new Random(seed);
	const start = DateTime.fromISO('2025-01-06T08:00', { zone: 'Europe/London' }).toMillis();
	const span = 350 * 86_400_000;
	const uk = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/London' }).toFormat('dd/MM/yyyy HH:mm');
	async function* lines() {
		yield `${LOG_COLUMNS.join(',')}\r\n`;
		let chunk = '';
		for (let i = 1; i <= rows; i++) {
			const place = PLACES[Math.floor(random.next() * PLACES.length)]!;
			const type = place.types[Math.floor(random.next() * place.types.length)]!;
			// Office hours on a weekday; 02:30 never appears, so no row falls in a clock-change gap.
			let received = start + Math.floor(random.next() * span);
			const local = DateTime.fromMillis(received, { zone: 'Europe/London' });
			if (local.hour < 8 || local.hour > 17) received = local.set({ hour: 9 + Math.floor(random.next() * 8) }).toMillis();
			const phone = type === 'phone' || type === 'callback';
			const wait = phone ? Math.floor(random.next() * random.next() * 120) : null;
			const abandoned = phone && wait !== null && wait > 30 && random.next() < 0.3;
			const open = random.next() < 0.03;
			const responded = phone ? null : open ? null : received + Math.floor(random.next() * random.next() * 12 * 86_400_000);
			chunk += [
				`BENCH-${i}`, place.organisation, place.service, type, uk(received), '', responded === null ? '' : uk(responded),
				responded === null ? '' : uk(responded), wait ?? '', phone ? (abandoned ? 'yes' : 'no') : '', place.team, '', '', ''
			].join(',') + '\r\n';
			if (i % 2000 === 0) {
				yield chunk;
				chunk = '';
			}
		}
		yield chunk;
	}
	await pipeline(lines, createWriteStream(file));
}

/**
 * A contact centre's Asterisk queue_log of about `lines` lines: calls every few seconds through
 * 2025's office hours, answered and completed, abandoned, timed out into an overflow queue and
 * answered there, or answered and blind-transferred; agents' ringing in between. Chronological,
 * as Asterisk writes it.
 */
export async function writeQueueLog(file: string, lines: number, seed = 'bench-queue-log'): Promise<void> {
	const random = new Random(seed);
	const events: [number, string][] = [];
	let at = Date.UTC(2025, 0, 6, 8) / 1000;
	let call = 0;
	const add = (time: number, id: string, queue: string, agent: string, event: string, data: string) => events.push([time, `${time}|${id}|${queue}|${agent}|${event}|${data}`]);
	while (events.length < lines) {
		at += 1 + Math.floor(random.next() * 12);
		const id = `${at}.${++call}`;
		const agent = `PJSIP/${2000 + Math.floor(random.next() * 40)}`;
		const wait = Math.floor(random.next() * random.next() * 90);
		const talk = 60 + Math.floor(random.next() * 400);
		const fate = random.next();
		add(at, id, 'customer-services', 'NONE', 'ENTERQUEUE', `|0770090${String(call % 10000).padStart(4, '0')}|1`);
		if (wait > 15 && random.next() < 0.5) add(at + 15, id, 'customer-services', agent, 'RINGNOANSWER', '15000');
		if (fate < 0.7) {
			add(at + wait, id, 'customer-services', agent, 'CONNECT', `${wait}|${at + wait}.${call}1|3`);
			add(at + wait + talk, id, 'customer-services', agent, random.next() < 0.5 ? 'COMPLETEAGENT' : 'COMPLETECALLER', `${wait}|${talk}|1`);
		} else if (fate < 0.85) {
			add(at + wait, id, 'customer-services', 'NONE', 'ABANDON', `1|1|${wait}`);
		} else if (fate < 0.95) {
			const more = Math.floor(random.next() * 30);
			add(at + wait, id, 'customer-services', 'NONE', 'EXITWITHTIMEOUT', `1|1|${wait}`);
			add(at + wait, id, 'customer-overflow', 'NONE', 'ENTERQUEUE', `|0770090${String(call % 10000).padStart(4, '0')}|1`);
			add(at + wait + more, id, 'customer-overflow', agent, 'CONNECT', `${more}|${at + wait + more}.${call}2|2`);
			add(at + wait + more + talk, id, 'customer-overflow', agent, 'COMPLETECALLER', `${more}|${talk}|1`);
		} else {
			add(at + wait, id, 'customer-services', agent, 'CONNECT', `${wait}|${at + wait}.${call}1|3`);
			add(at + wait + talk, id, 'customer-services', agent, 'BLINDTRANSFER', `8001|from-internal|${wait}|${talk}|1`);
		}
	}
	events.sort((a, b) => a[0] - b[0]);
	async function* text() {
		let chunk = '';
		for (let i = 0; i < events.length; i++) {
			chunk += `${events[i]![1]}\n`;
			if (i % 5000 === 4999) {
				yield chunk;
				chunk = '';
			}
		}
		yield chunk;
	}
	await pipeline(text, createWriteStream(file));
}

interface ImportFigures {
	seconds: number;
	rowsPerSecond: number;
	peakRssMb: number;
	counts: Record<string, number>;
}

/** Runs `yardstick import <file> --json` in a child under /usr/bin/time, for its wall time and peak RSS. */
async function cliImport(file: string, env: Record<string, string>, args: string[] = []): Promise<ImportFigures> {
	const started = performance.now();
	const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'maxrss-kb=%M', process.execPath, 'src/cli/bin.js', 'import', file, '--json', ...args], {
		env: { ...process.env, ...env },
		maxBuffer: 64 * 1024 * 1024
	}).catch((error: { stdout?: string; stderr?: string; message: string }) => {
		// Exit status 1 means some rows were rejected: still a measurement, reported with its counts.
		if (error.stdout) return { stdout: error.stdout, stderr: error.stderr ?? '' };
		throw new Error(`the import failed: ${error.message}\n${error.stderr ?? ''}`);
	});
	const seconds = (performance.now() - started) / 1000;
	const rss = Number(/maxrss-kb=(\d+)/.exec(stderr)?.[1] ?? NaN);
	const result = JSON.parse(stdout) as Record<string, unknown>;
	const counts = Object.fromEntries(['read', 'accepted', 'updated', 'unchanged', 'skipped', 'rejected'].map((k) => [k, Number(result[k] ?? 0)]));
	return { seconds, rowsPerSecond: counts.read! / seconds, peakRssMb: rss / 1024, counts };
}

/** A fresh database holding only the reference data an import needs (organisations, services, teams, standards). */
async function prepare(url: string, dataDir?: string) {
	const handle = await openDatabase({ url, dataDir });
	await handle.migrate();
	await handle.db.transaction((tx) => seedReference(tx, { from: '2024-04-01', asOf: new Date('2026-11-24T12:00:00Z') }));
	// The queue_log's overflow queue (its main queue, customer-services, is the demo county's).
	await sources.saveQueue(handle.db, { actorId: null, actor: 'bench' }, { organisation: 'county', queue: 'customer-overflow', service: 'customer' });
	await handle.close();
}

interface Floor {
	/** The raw COPY of the file into an unlogged table of text columns. */
	copy: { seconds: number; rows: number };
	/** Those rows written into `contacts` by one INSERT … SELECT (codes looked up, dates cast), rolled back. */
	insert: { seconds: number; rows: number };
}

/**
 * The floors any import is measured against, in the same run: `COPY` of the file into an unlogged
 * table of the same (text) columns, then the same rows written into `contacts` by SQL alone (its
 * indexes, keys and triggers; no validation, no scoring), rolled back.
 */
async function floors(url: string, file: string): Promise<Floor> {
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await client.unsafe(`create unlogged table bench_copy (${LOG_COLUMNS.map((c) => `${c} text`).join(', ')})`);
		let started = performance.now();
		const writable = await client.unsafe(`copy bench_copy (${LOG_COLUMNS.join(', ')}) from stdin with (format csv, header true)`).writable();
		await pipeline(createReadStream(file), writable);
		const copy = { seconds: (performance.now() - started) / 1000, rows: 0 };
		const [counted] = await client.unsafe<{ count: string }[]>('select count(*) from bench_copy');
		copy.rows = Number(counted?.count ?? 0);
		const at = (column: string) => `to_timestamp(nullif(b.${column}, ''), 'DD/MM/YYYY HH24:MI')::timestamp at time zone 'Europe/London'`;
		let inserted = 0;
		started = performance.now();
		await client
			.begin(async (tx) => {
				const result = await tx.unsafe(`insert into contacts (organisation_id, source, external_ref, service_id, team_id, contact_type, received_at,
						first_response_at, resolved_at, wait_seconds, abandoned, extended, status)
					select o.id, 'bench-floor', b.reference, s.id, t.id, b.type, ${at('received')}, ${at('responded')}, ${at('closed')},
						nullif(b.wait_seconds, '')::int, case b.abandoned when 'yes' then true when 'no' then false end, false,
						case when b.closed <> '' then 'closed' when b.responded <> '' then 'responded' else 'open' end
					from bench_copy b join organisations o on o.code = b.organisation join services s on s.organisation_id = o.id and s.code = b.service
						left join teams t on t.organisation_id = o.id and t.code = b.team`);
				inserted = result.count;
				throw new RolledBack();
			})
			.catch((error) => {
				if (!(error instanceof RolledBack)) throw error;
			});
		const insert = { seconds: (performance.now() - started) / 1000, rows: inserted };
		await client.unsafe('drop table bench_copy');
		return { copy, insert };
	} finally {
		await client.end();
	}
}

class RolledBack extends Error {}

/**
 * The assessment job over the imported contacts: a first scoring (every verdict inserted, the
 * daily-count triggers included) and a re-run that changes nothing, each beside the rate of the
 * engine alone in the same run (scoring in memory, no database) and the raw COPY. The verdicts
 * are truncated first, not deleted: a first scoring grows the table and its indexes from nothing,
 * as an import's does.
 */
async function scoringLines(database: string, open: { url: string; dataDir?: string }, copyRate: number | null): Promise<string[]> {
	const handle = await openDatabase(open);
	try {
		await handle.db.execute(sql`truncate assessments, assessment_days`);
		await handle.db.execute(sql`analyze assessments`);
		const line = (run: string, s: assessments.JobSummary) => {
			const rate = s.contacts / s.seconds;
			return `| ${database} | ${n(s.contacts)} | ${run} (${n(s.changed)} written) | ${s.seconds.toFixed(1)} | ${n(rate)} | ${n(s.contacts / s.engineSeconds)} | ${copyRate === null ? '—' : (rate / copyRate).toFixed(2)} |`;
		};
		const first = await assessments.scoreAll(handle.db);
		const again = await assessments.scoreAll(handle.db);
		return [line('first scoring', first), line('re-score, nothing changed', again)];
	} finally {
		await handle.close();
	}
}

export interface ImportBenchOptions {
	/** Rows of the PostgreSQL measurement (default 1,000,000). */
	postgresRows: number;
	/** Rows of the PGlite measurement (default 100,000). */
	pgliteRows: number;
	engine?: 'pglite' | 'postgres';
}

export async function benchImport({ postgresRows, pgliteRows, engine }: ImportBenchOptions): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-bench-import-'));
	try {
		console.log('\nImport of a generated contact log (`yardstick import --json` in a child process: parse, validate, upsert, score)\n');
		console.log('| database | rows | run | seconds | rows/s | peak RSS | vs raw COPY |');
		console.log('|---|---:|---|---:|---:|---:|---:|');
		const scoring: string[] = [];
		const url = process.env.DATABASE_URL;
		if (url && engine !== 'pglite') {
			const file = path.join(dir, `contacts-${postgresRows}.csv`);
			await writeContactLog(file, postgresRows);
			// The floors in a database of their own: the rolled-back INSERT leaves a million dead rows and index
			// entries behind, and an import into that table took 57.6 s where a new one takes 50.7–51.6 s.
			const floorScratch = await createScratchDatabase(url, 'yardstick_bench_floor');
			const { copy, insert } = await prepare(floorScratch.url)
				.then(() => floors(floorScratch.url, file))
				.finally(() => floorScratch.drop());
			const scratch = await createScratchDatabase(url, 'yardstick_bench_import');
			try {
				await prepare(scratch.url);
				const copyRate = copy.rows / copy.seconds;
				console.log(`| PostgreSQL | ${n(copy.rows)} | raw COPY into an unlogged table | ${copy.seconds.toFixed(1)} | ${n(copyRate)} | — | 1.00 |`);
				const insertRate = insert.rows / insert.seconds;
				console.log(`| PostgreSQL | ${n(insert.rows)} | those rows into \`contacts\` by one INSERT … SELECT (its indexes, keys and triggers; rolled back) | ${insert.seconds.toFixed(1)} | ${n(insertRate)} | — | ${(insertRate / copyRate).toFixed(2)} |`);
				const first = await cliImport(file, { DATABASE_URL: scratch.url });
				console.log(`| PostgreSQL | ${n(first.counts.read!)} | full import (${n(first.counts.accepted!)} new, ${n(first.counts.rejected!)} rejected) | ${first.seconds.toFixed(1)} | ${n(first.rowsPerSecond)} | ${first.peakRssMb.toFixed(0)} MB | ${(first.rowsPerSecond / copyRate).toFixed(2)} |`);
				const again = await cliImport(file, { DATABASE_URL: scratch.url });
				console.log(`| PostgreSQL | ${n(again.counts.read!)} | the same file again (${n(again.counts.unchanged!)} unchanged) | ${again.seconds.toFixed(1)} | ${n(again.rowsPerSecond)} | ${again.peakRssMb.toFixed(0)} MB | ${(again.rowsPerSecond / copyRate).toFixed(2)} |`);
				scoring.push(...(await scoringLines('PostgreSQL', { url: scratch.url }, copyRate)));
			} finally {
				await scratch.drop();
			}
		}
		if (engine !== 'postgres') {
			const file = path.join(dir, `contacts-${pgliteRows}.csv`);
			await writeContactLog(file, pgliteRows);
			const dataDir = path.join(dir, 'pglite');
			await prepare('', dataDir);
			const env = { DATABASE_URL: '', YARDSTICK_DATA_DIR: dataDir };
			const first = await cliImport(file, env);
			console.log(`| PGlite | ${n(first.counts.read!)} | full import (${n(first.counts.accepted!)} new, ${n(first.counts.rejected!)} rejected) | ${first.seconds.toFixed(1)} | ${n(first.rowsPerSecond)} | ${first.peakRssMb.toFixed(0)} MB | — |`);
			const again = await cliImport(file, env);
			console.log(`| PGlite | ${n(again.counts.read!)} | the same file again (${n(again.counts.unchanged!)} unchanged) | ${again.seconds.toFixed(1)} | ${n(again.rowsPerSecond)} | ${again.peakRssMb.toFixed(0)} MB | — |`);
			scoring.push(...(await scoringLines('PGlite', { url: '', dataDir }, null)));
		}
		console.log('\nThe assessment job over the imported contacts (in this process; engine only: the same scoring in memory, no database)\n');
		console.log('| database | contacts | run | seconds | contacts/s | engine only, contacts/s | vs raw COPY |');
		console.log('|---|---:|---|---:|---:|---:|---:|');
		for (const line of scoring) console.log(line);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** An Asterisk queue_log of `lines` lines through `yardstick import --kind asterisk` (default 200,000 lines), on each database. */
export async function benchQueueLogImport({ lines = 200_000, engine }: { lines?: number; engine?: 'pglite' | 'postgres' } = {}): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-bench-queue-log-'));
	try {
		const file = path.join(dir, 'queue_log');
		await writeQueueLog(file, lines);
		console.log(`\nImport of a generated Asterisk queue_log (${n(lines)} lines; \`yardstick import --kind asterisk --json\` in a child process)\n`);
		console.log('| database | lines | calls | run | seconds | lines/s | peak RSS |');
		console.log('|---|---:|---:|---|---:|---:|---:|');
		const report = (name: string, figures: ImportFigures, run: string) =>
			console.log(`| ${name} | ${n(lines)} | ${n(figures.counts.read!)} | ${run} (${n(figures.counts.accepted!)} new, ${n(figures.counts.rejected!)} rejected) | ${figures.seconds.toFixed(1)} | ${n(lines / figures.seconds)} | ${figures.peakRssMb.toFixed(0)} MB |`);
		const url = process.env.DATABASE_URL;
		if (url && engine !== 'pglite') {
			const scratch = await createScratchDatabase(url, 'yardstick_bench_queue_log');
			try {
				await prepare(scratch.url);
				report('PostgreSQL', await cliImport(file, { DATABASE_URL: scratch.url }, ['--kind', 'asterisk']), 'full import');
			} finally {
				await scratch.drop();
			}
		}
		if (engine !== 'postgres') {
			const dataDir = path.join(dir, 'pglite');
			await prepare('', dataDir);
			report('PGlite', await cliImport(file, { DATABASE_URL: '', YARDSTICK_DATA_DIR: dataDir }, ['--kind', 'asterisk']), 'full import');
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * A canvass file of `properties` properties at the property grain (docs/interfaces.md "Electoral
 * data files"): UPRN-like references, routes as after data matching (about 70% route 1, 27%
 * route 2, 3% route 3), about 90% of route 2 responding between July and November.
 */
export async function writeCanvassFile(file: string, properties: number, seed = 'bench-canvass'): Promise<void> {
	const random = new Random(seed);
	const july = Date.UTC(2025, 6, 1);
	async function* lines() {
		yield 'organisation,canvass,property,route,responded\r\n';
		let chunk = '';
		for (let i = 1; i <= properties; i++) {
			const draw = random.next();
			const route = draw < 0.7 ? 1 : draw < 0.97 ? 2 : 3;
			const rate = route === 2 ? 0.9 : route === 3 ? 0.97 : 0.35;
			const responded = random.next() < rate ? new Date(july + Math.floor(random.next() * 150) * 86_400_000).toISOString().slice(0, 10) : '';
			chunk += `borough,2025,${100_000_000_000 + i * 7},${route},${responded}\r\n`;
			if (i % 5000 === 0) {
				yield chunk;
				chunk = '';
			}
		}
		yield chunk;
	}
	await pipeline(lines, createWriteStream(file));
}

/** The canvass import (#17): a `properties`-property canvass file through `yardstick import --kind canvass`, then the same file again. */
export async function benchCanvassImport({ properties, engine }: { properties: number; engine?: 'pglite' | 'postgres' }): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-bench-canvass-'));
	try {
		console.log(`\nImport of a ${n(properties)}-property canvass file (\`yardstick import --kind canvass --json\` in a child process: parse, check, upsert by property)\n`);
		console.log('| database | properties | run | seconds | rows/s | peak RSS |');
		console.log('|---|---:|---|---:|---:|---:|');
		const file = path.join(dir, `canvass-${properties}.csv`);
		await writeCanvassFile(file, properties);
		const line = (database: string, figures: ImportFigures, what: string) =>
			console.log(`| ${database} | ${n(figures.counts.read!)} | ${what} | ${figures.seconds.toFixed(1)} | ${n(figures.rowsPerSecond)} | ${figures.peakRssMb.toFixed(0)} MB |`);
		const measure = async (database: string, env: Record<string, string>) => {
			const first = await cliImport(file, env, ['--kind', 'canvass']);
			line(database, first, `full import (${n(first.counts.accepted!)} new, ${n(first.counts.rejected!)} rejected)`);
			const again = await cliImport(file, env, ['--kind', 'canvass']);
			line(database, again, `the same file again (${n(again.counts.unchanged!)} unchanged)`);
		};
		const url = process.env.DATABASE_URL;
		if (url && engine !== 'pglite') {
			const scratch = await createScratchDatabase(url, 'yardstick_bench_canvass');
			try {
				await prepare(scratch.url);
				await measure('PostgreSQL', { DATABASE_URL: scratch.url });
			} finally {
				await scratch.drop();
			}
		}
		if (engine !== 'postgres') {
			const dataDir = path.join(dir, 'pglite');
			await prepare('', dataDir);
			await measure('PGlite', { DATABASE_URL: '', YARDSTICK_DATA_DIR: dataDir });
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
