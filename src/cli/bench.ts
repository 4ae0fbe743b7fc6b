import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Holidays from 'date-holidays';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { getCalendar, type WorkingCalendar } from '../lib/engine/calendar.ts';
import { computeDue } from '../lib/engine/deadline.ts';
import { endOfLocalDayMs, epochDayOf, isoWeekday, localEpochDay, startOfLocalDayMs, toEpochDay, ZONE } from '../lib/engine/dates.ts';
import type { DeadlineRule } from '../lib/engine/rules.ts';
import * as assessments from '../lib/server/assessments/index.ts';
import { openDatabase, rows, type DatabaseHandle } from '../lib/server/db/client.ts';
import { createScratchDatabase } from '../lib/server/db/scratch.ts';
import { Random } from '../lib/server/seed/random.ts';
import { seed } from '../lib/server/seed/index.ts';
import * as whatIf from '../lib/server/standards/what-if.ts';
import * as alerts from '../lib/server/alerts/evaluate.ts';
import * as reports from '../lib/server/reports/index.ts';
import { benchDashboard, type DashboardFigures } from './bench-dashboard.ts';
import { benchCanvassImport, benchImport, benchQueueLogImport } from './bench-import.ts';
import { benchFirstStart } from './bench-start.ts';

export interface BenchOptions {
	contacts: number;
	/** Only this database (default: PGlite, and PostgreSQL when DATABASE_URL is set). */
	engine?: 'pglite' | 'postgres';
	/** Synthetic contacts for the due-date measurement (default 1,000,000). */
	dueContacts?: number;
	/** Properties in the canvass import step (default 300,000). */
	properties?: number;
	/** Only the canvass import step, or only the contact log import (with its scoring). */
	only?: 'canvass-import' | 'import' | 'first-start';
}

const n = (value: number) => Math.round(value).toLocaleString('en-GB');

/**
 * Performance harness (`npm run bench`). Each database gets a fresh, throwaway home: a temporary
 * PGlite directory, and a scratch database on the PostgreSQL server at DATABASE_URL.
 */
export async function bench({ contacts, engine, dueContacts = 1_000_000, properties = 300_000, only }: BenchOptions) {
	if (only === 'canvass-import') return benchCanvassImport({ properties, engine });
	if (only === 'import') return benchImport({ postgresRows: contacts, pgliteRows: Math.min(contacts, 100_000), engine });
	if (only === 'first-start') return benchFirstStart();
	benchDueDates(dueContacts);

	const targets: { name: string; open: () => Promise<{ handle: DatabaseHandle; url?: string; cleanUp: () => Promise<void> }> }[] = [];
	if (engine !== 'postgres') {
		targets.push({
			name: 'PGlite (embedded)',
			open: async () => {
				const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-bench-'));
				const handle = await openDatabase({ url: '', dataDir: dir });
				return { handle, cleanUp: async () => { await handle.close(); rmSync(dir, { recursive: true, force: true }); } };
			}
		});
	}
	const url = process.env.DATABASE_URL;
	if (url && engine !== 'pglite') {
		targets.push({
			name: 'PostgreSQL',
			open: async () => {
				const scratch = await createScratchDatabase(url, 'yardstick_bench');
				const handle = await openDatabase({ url: scratch.url });
				return { handle, url: scratch.url, cleanUp: async () => { await handle.close(); await scratch.drop(); } };
			}
		});
	} else if (!url && engine !== 'pglite') {
		console.log('DATABASE_URL is not set: PostgreSQL is not measured.');
	}

	const results: string[] = [];
	const whatIfLines: string[] = [];
	const alertLines: string[] = [];
	const reportLines: string[] = [];
	const dashboardLines: string[] = [];
	console.log(`\nSeeding ${n(contacts)} contacts (demo generator, one transaction)\n`);
	console.log('| database | contacts | seconds | contacts/s |');
	console.log('|---|---:|---:|---:|');
	for (const target of targets) {
		const { handle, url: databaseUrl, cleanUp } = await target.open();
		try {
			await handle.migrate();
			const started = performance.now();
			const summary = await seed(handle.db, { asOf: new Date('2026-11-24T12:00:00Z'), contacts, score: false });
			const seconds = (performance.now() - started) / 1000;
			console.log(`| ${target.name} | ${n(summary.contacts)} | ${seconds.toFixed(1)} | ${n(summary.contacts / seconds)} |`);
			results.push(...(await benchAssessmentJob(target.name, handle)));
			// The dashboard over HTTP needs a server process on the same database: PostgreSQL only.
			if (databaseUrl) dashboardLines.push(...dashboardTable(target.name, n(summary.contacts), await benchDashboard(handle.db, databaseUrl)));
			reportLines.push(...(await reportPdf(target.name, handle)));
			whatIfLines.push(...(await benchWhatIf(target.name, handle)));
			alertLines.push(...(await benchAlerts(target.name, handle)));
		} finally {
			await cleanUp();
		}
	}
	console.log(`\nAssessment job (every contact, batches of 8,000; PostgreSQL writes 3 batches at once)\n`);
	console.log('| database | run | contacts | assessments | changed | seconds | contacts/s | 1M contacts would take |');
	console.log('|---|---|---:|---:|---:|---:|---:|---:|');
	for (const line of results) console.log(line);
	if (dashboardLines.length) {
		console.log(`\nDashboard over HTTP (\`node build\`, signed in as a manager): the overview for Q3 2025/26 under 20 concurrent clients for 30 s, as served and with every request computing its figures (YARDSTICK_DASHBOARD_CACHE=off); the bare GROUP BY over the same assessments; the case log\n`);
		console.log('| database | contacts | overview | requests | median | p95 | bare GROUP BY median | median ÷ bare | /contacts page 1 | /contacts page 500 |');
		console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
		for (const line of dashboardLines) console.log(line);
	}
	await benchImport({ postgresRows: contacts, pgliteRows: Math.min(contacts, 100_000), engine });
	await benchQueueLogImport({ engine });
	await benchCanvassImport({ properties, engine });
	if (engine !== 'postgres') await benchFirstStart();
	console.log(`\nBoard report for a quarter (borough, Q2 2025/26): built from the data, then printed to PDF by Chromium\n`);
	console.log('| database | report | build seconds | PDF seconds | PDF bytes | total seconds |');
	console.log('|---|---|---:|---:|---:|---:|');
	for (const line of reportLines) console.log(line);
	console.log(`\nWhat-if: email.reply in 2 working days instead of 3, the last eight quarters recomputed from the stored verdicts (nothing saved)\n`);
	console.log('| database | run | email verdicts in the 8 quarters | method | milliseconds |');
	console.log('|---|---|---:|---|---:|');
	for (const line of whatIfLines) console.log(line);
	console.log(`\nAlert evaluator (every open assessment, at 2026-11-24 12:00; ${n(ALERT_BENCH_OPEN)} open contacts)\n`);
	console.log('| database | run | contacts | open assessments | alerts raised | cleared | seconds |');
	console.log('|---|---|---:|---:|---:|---:|---:|');
	for (const line of alertLines) console.log(line);
}

const ALERT_BENCH_OPEN = 50_000;

function dashboardTable(name: string, contacts: string, figures: DashboardFigures): string[] {
	const ms = (value: number) => `${value.toFixed(1)} ms`;
	const { bare, contacts: log } = figures;
	const page500 = log.pages >= 500 ? ms(log.page500) : `${ms(log.page500)} (only ${log.pages} pages)`;
	const line = (label: string, run: DashboardFigures['overview'], caseLog: string[]) =>
		`| ${name} | ${contacts} | ${label} | ${n(run.requests)}${run.errors ? ` (${n(run.errors)} errors)` : ''} | ${ms(run.median)} | ${ms(run.p95)} | ${ms(bare.median)} | ${(run.median / bare.median).toFixed(2)} | ${caseLog.join(' | ')} |`;
	return [line('as served', figures.overview, [ms(log.first), page500]), line('every request computed', figures.uncached, ['', ''])];
}

/**
 * The alert evaluator over the whole log with 50,000 contacts open: the demo leaves a few
 * thousand open, so the latest answered non-phone contacts are reopened first. Runs: the first
 * (raises every level already crossed), one a minute later (nothing new: the steady state), and
 * one after 1,000 of them are answered (clearing).
 */
async function benchAlerts(name: string, handle: DatabaseHandle): Promise<string[]> {
	const db = handle.db;
	const now = new Date('2026-11-24T12:00:00Z');
	const [open] = await rows<{ count: number }>(db, sql`select count(*)::int as count from contacts where status = 'open' and contact_type <> 'phone'`);
	const reopen = Math.max(0, ALERT_BENCH_OPEN - Number(open?.count ?? 0));
	// One statement: postgres.js spreads statements over a pool, so no temporary table.
	await db.execute(sql`with reopen as (
			select id from contacts where status <> 'open' and contact_type <> 'phone' and received_at < ${now.toISOString()}::timestamptz
			order by received_at desc limit ${reopen}
		), reopened as (
			update contacts set status = 'open', first_response_at = null, resolved_at = null where id in (select id from reopen) returning id
		)
		update assessments set status = 'open', responded_at = null, elapsed = null, margin = null where contact_id in (select id from reopened)`);
	await db.execute(sql`analyze contacts`);
	await db.execute(sql`analyze assessments`);
	const [contacts] = await rows<{ count: number }>(db, sql`select count(*)::int as count from contacts`);
	const lines: string[] = [];
	const run = async (label: string, at: Date) => {
		const summary = await alerts.evaluate(db, { now: at });
		lines.push(`| ${name} | ${label} | ${n(Number(contacts?.count ?? 0))} | ${n(summary.open)} | ${n(summary.raised)} | ${n(summary.cleared)} | ${summary.seconds.toFixed(2)} |`);
	};
	await run('first run (raises every level crossed)', now);
	await run('a minute later (nothing new)', new Date(now.getTime() + 60_000));
	await run('again', new Date(now.getTime() + 120_000));
	await db.execute(sql`update contacts set status = 'responded', first_response_at = ${now.toISOString()}::timestamptz
		where id in (select contact_id from alerts where cleared_at is null and contact_id is not null order by id limit 1000)`);
	await db.execute(sql`update assessments set status = 'met' where status = 'open' and contact_id in (select id from contacts where status = 'responded' and first_response_at = ${now.toISOString()}::timestamptz)`);
	await run('after 1,000 contacts answered (clearing)', new Date(now.getTime() + 180_000));
	return lines;
}

/** The quarter's board and committee reports: building the model, then the PDF (the issue's goal: under 10 s). */
async function reportPdf(name: string, handle: DatabaseHandle): Promise<string[]> {
	const lines: string[] = [];
	for (const kind of ['board', 'committee'] as const) {
		const started = performance.now();
		const report = await reports.build(handle.db, { organisation: 'borough', kind, financialYear: 2025, quarter: 2 }, new Date('2026-11-24T12:00:00Z'));
		const built = performance.now();
		const pdf = await reports.renderPdf(report, { version: null, publishedAt: null, publishedBy: null, contentHash: null });
		const done = performance.now();
		lines.push(`| ${name} | ${kind} | ${((built - started) / 1000).toFixed(2)} | ${((done - built) / 1000).toFixed(2)} | ${n(pdf.length)} | ${((done - started) / 1000).toFixed(2)} |`);
	}
	await reports.closePdfPrinter();
	return lines;
}

/** The what-if page's question for the email standard, three times (the first is cold), and a target-only change. */
async function benchWhatIf(name: string, handle: DatabaseHandle): Promise<string[]> {
	const today = '2026-11-24';
	const [first, last] = [whatIf.lastEightQuarters(today)[0]!.start, whatIf.lastEightQuarters(today).at(-1)!.end];
	const [counted] = await rows<{ count: number }>(
		handle.db,
		sql`select count(*)::int as count from assessments a join standards s on s.id = a.standard_id
			where s.code = 'email.reply' and a.clock_start_on between ${first}::date and ${last}::date`
	);
	const lines: string[] = [];
	for (const [run, change] of [['limit 2, first run', { limit: 2 }], ['limit 2, again', { limit: 2 }], ['limit 2, third run', { limit: 2 }], ['target 95% only', { target: 95 }]] as const) {
		const started = performance.now();
		const result = await whatIf.compute(handle.db, 'email.reply', change, { today });
		const ms = performance.now() - started;
		lines.push(`| ${name} | ${run} | ${n(Number(counted?.count ?? 0))} | ${result?.method} | ${ms.toFixed(0)} |`);
	}
	return lines;
}

/** First scoring, a re-run that changes nothing, and a re-run that rewrites every row. */
async function benchAssessmentJob(name: string, handle: DatabaseHandle): Promise<string[]> {
	const concurrency = handle.kind === 'postgres' ? 3 : 1;
	const line = (run: string, s: assessments.JobSummary) =>
		`| ${name} | ${run} | ${n(s.contacts)} | ${n(s.assessments)} | ${n(s.changed)} | ${s.seconds.toFixed(1)} | ${n(s.contacts / s.seconds)} | ${(1_000_000 / (s.contacts / s.seconds)).toFixed(0)} s |`;
	const lines = [line('first scoring (insert)', await assessments.scoreAll(handle.db, { concurrency }))];
	lines.push(line('re-score, nothing changed', await assessments.scoreAll(handle.db, { concurrency })));
	// As after a holiday-data or calendar change: every stored fingerprint is stale, every row is rewritten.
	await handle.db.execute(sql`update assessments set fingerprint = ''`);
	await handle.db.execute(sql`vacuum analyze assessments`);
	lines.push(line('re-score, every row rewritten', await assessments.scoreAll(handle.db, { concurrency })));
	return lines;
}

// --- Due dates: the engine against a naive day-by-day date-holidays loop -------------------

interface SyntheticContact {
	receivedMs: number;
	standard: number;
}

/** The working-day standards, the ones a naive implementation counts day by day. */
const DUE_STANDARDS: { code: string; rule: Extract<DeadlineRule, { kind: 'working-days' }>; calendar: 'england-wales' | 'foia-uk' }[] = [
	{ code: 'email.reply', rule: { kind: 'working-days', days: 3 }, calendar: 'england-wales' },
	{ code: 'letter.reply', rule: { kind: 'working-days', days: 10 }, calendar: 'england-wales' },
	{ code: 'foi.response', rule: { kind: 'working-days', days: 20 }, calendar: 'foia-uk' }
];

function syntheticContacts(count: number): SyntheticContact[] {
	const random = new Random('bench:due');
	const from = startOfLocalDayMs(epochDayOf(2018, 1, 1));
	const to = startOfLocalDayMs(epochDayOf(2027, 11, 30));
	return Array.from({ length: count }, () => ({ receivedMs: from + Math.floor(random.next() * (to - from)), standard: random.int(0, DUE_STANDARDS.length - 1) }));
}

/**
 * What a first attempt looks like: step a day at a time, asking date-holidays about each day.
 * (FOIA's Christmas Day and Good Friday are England and Wales bank holidays whenever they fall on
 * a weekday, so asking about every UK region covers them.)
 */
function naiveDueMs(receivedMs: number, days: number, regions: Holidays[]): number {
	let day = DateTime.fromMillis(receivedMs, { zone: ZONE }).startOf('day');
	let counted = 0;
	while (counted < days) {
		day = day.plus({ days: 1 });
		if (day.weekday >= 6) continue;
		const noon = day.set({ hour: 12 }).toJSDate();
		if (!regions.some((region) => region.isHoliday(noon))) counted++;
	}
	return day.endOf('day').toMillis();
}

function benchDueDates(count: number) {
	const contacts = syntheticContacts(count);
	const calendars: WorkingCalendar[] = DUE_STANDARDS.map((s) => getCalendar(s.calendar));
	let started = performance.now();
	let checksum = 0;
	const engineDue = new Float64Array(count);
	for (let i = 0; i < count; i++) {
		const contact = contacts[i]!;
		const standard = DUE_STANDARDS[contact.standard]!;
		const due = computeDue(standard.rule, calendars[contact.standard]!, { receivedAt: new Date(contact.receivedMs) }, { explain: false });
		engineDue[i] = due.dueMs;
		checksum += due.dueDay;
	}
	const engineSeconds = (performance.now() - started) / 1000;

	const england = new Holidays('GB', 'ENG', { types: ['public'] });
	const uk = [england, new Holidays('GB', 'SCT', { types: ['public'] }), new Holidays('GB', 'NIR', { types: ['public'] })];
	const sample = Math.min(count, 1_000);
	let disagreements = 0;
	started = performance.now();
	for (let i = 0; i < sample; i++) {
		const contact = contacts[i]!;
		const standard = DUE_STANDARDS[contact.standard]!;
		const due = naiveDueMs(contact.receivedMs, standard.rule.days, standard.calendar === 'foia-uk' ? uk : [england]);
		if (due !== engineDue[i]) disagreements++;
	}
	const naiveSeconds = ((performance.now() - started) / 1000) * (count / sample);

	// A fairer naive loop: still a day at a time, but against holiday sets built once from date-holidays.
	const holidaySet = (regions: Holidays[]) => {
		const days = new Set<number>();
		for (const region of regions) {
			for (let year = 2017; year <= 2029; year++) for (const h of region.getHolidays(year)) days.add(toEpochDay(h.date.slice(0, 10)));
		}
		return days;
	};
	const sets = [holidaySet([england]), holidaySet(uk)];
	started = performance.now();
	let cachedDisagreements = 0;
	for (let i = 0; i < count; i++) {
		const contact = contacts[i]!;
		const standard = DUE_STANDARDS[contact.standard]!;
		const holidays = sets[standard.calendar === 'foia-uk' ? 1 : 0]!;
		let day = localEpochDay(contact.receivedMs);
		for (let counted = 0; counted < standard.rule.days; ) {
			day++;
			if (isoWeekday(day) < 6 && !holidays.has(day)) counted++;
		}
		if (endOfLocalDayMs(day) !== engineDue[i]) cachedDisagreements++;
	}
	const cachedSeconds = (performance.now() - started) / 1000;

	// The same arithmetic through the engine's working-day index alone (no Due object, no Dates).
	started = performance.now();
	let indexDisagreements = 0;
	for (let i = 0; i < count; i++) {
		const contact = contacts[i]!;
		const day = calendars[contact.standard]!.addWorkingEpochDays(localEpochDay(contact.receivedMs), DUE_STANDARDS[contact.standard]!.rule.days);
		if (endOfLocalDayMs(day) !== engineDue[i]) indexDisagreements++;
	}
	const indexSeconds = (performance.now() - started) / 1000;

	console.log(`\nDue dates of ${n(count)} synthetic contacts received 2018–2027 (email.reply, letter.reply, foi.response)\n`);
	console.log('| method | contacts | seconds | contacts/s |');
	console.log('|---|---:|---:|---:|');
	console.log(`| engine (computeDue, precomputed working-day index) | ${n(count)} | ${engineSeconds.toFixed(2)} | ${n(count / engineSeconds)} |`);
	console.log(`| naive day-by-day date-holidays loop (${n(sample)} timed, extrapolated) | ${n(count)} | ${naiveSeconds.toFixed(1)} | ${n(count / naiveSeconds)} |`);
	console.log(`| engine working-day index alone (addWorkingEpochDays) | ${n(count)} | ${indexSeconds.toFixed(2)} | ${n(count / indexSeconds)} |`);
	console.log(`| day-by-day loop over holiday sets built once from date-holidays | ${n(count)} | ${cachedSeconds.toFixed(2)} | ${n(count / cachedSeconds)} |`);
	console.log(`\ncomputeDue is ${(naiveSeconds / engineSeconds).toFixed(0)}× faster than the naive date-holidays loop (goal ≥ 50×).`);
	console.log(`The working-day index alone is ${(cachedSeconds / indexSeconds).toFixed(1)}× faster than a day-by-day loop over prebuilt holiday sets; computeDue's cost is mostly building its result (Dates, ISO strings).`);
	console.log(`Disagreements with computeDue: naive ${disagreements} of ${n(sample)}, cached loop ${cachedDisagreements} and index ${indexDisagreements} of ${n(count)} (checksum ${checksum % 1000}).`);
	if (disagreements) console.log('Disagreements are days where date-holidays differs from the official GOV.UK list the engine follows.');
}
