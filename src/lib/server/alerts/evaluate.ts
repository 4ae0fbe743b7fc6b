/**
 * The alert evaluator: one set-based pass over the open assessments that raises each
 * (contact, standard, level) once, ever, and clears the alerts of contacts that have been
 * answered; plus the phone service-level check. Everything is derived from the database and
 * `now`, so a run after a restart catches up on what it missed and raises nothing twice (the
 * unique key on alerts, INSERT … ON CONFLICT DO NOTHING).
 */
import { sql } from 'drizzle-orm';
import { crossings, defaultThresholds, type AlertThresholds, type ContactAlertLevel } from '../../engine/alerts.ts';
import { clockStartMs } from '../../engine/clock.ts';
import { localEpochDay, startOfLocalDayMs, toEpochDay } from '../../engine/dates.ts';
import { serviceLevel } from '../../engine/phone.ts';
import { unitOf } from '../../engine/rules.ts';
import { loadPlan, type PlannedVersion } from '../assessments/plan.ts';
import { ANALYZE_AFTER_ROWS, CopyLines, epochMs, fromEpochMs, rows, withCopiedRows, type Database } from '../db/client.ts';
import { instant } from './sql.ts';

export interface EvaluationOptions {
	now?: Date;
	/** Phone: fewest calls in an hour for its service level to raise an alert (default 10). */
	minimumCalls?: number;
}

export interface EvaluationSummary {
	/** Open assessments looked at. */
	open: number;
	raised: number;
	cleared: number;
	/** Service-level alerts raised (included in raised). */
	serviceLevel: number;
	seconds: number;
	/** Milliseconds per phase (read, compute, insert, clear, phone), for the benchmark. */
	phases: Record<string, number>;
}

const LEVEL_BITS: Record<ContactAlertLevel, number> = { notice: 1, warning: 2, breach: 4, 'very-overdue': 8 };
/** Alerts a COPY sends at once: a million contacts' first evaluation raises about 200,000. */
const COPY_BATCH = 20_000;
const BIT_COUNT = Array.from({ length: 16 }, (_, mask) => (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1) + ((mask >> 3) & 1));

interface OpenRow {
	contact_id: string | number;
	standard_id: number;
	version_id: number;
	organisation_id: number;
	team_id: number | null;
	clock_start_on: string;
	due_ms: number;
	received_ms: number;
	clock_start_ms: number | null;
	raised: number;
	statutory: boolean;
	notice_share: number | null;
	warning_share: number | null;
	very_overdue_factor: number | null;
	has_rule: boolean;
}

interface NewAlert {
	organisation_id: number;
	contact_id: number | null;
	standard_id: number;
	team_id: number | null;
	level: string;
	subject_key: string;
	due_at: string | null;
	crossed_at: string;
}

export async function evaluate(db: Database, options: EvaluationOptions = {}): Promise<EvaluationSummary> {
	const started = performance.now();
	const now = options.now ?? new Date();
	const nowMs = now.getTime();
	const phases: Record<string, number> = {};
	let mark = started;
	const phase = (name: string) => {
		const at = performance.now();
		phases[name] = Math.round(at - mark);
		mark = at;
	};
	const plan = await loadPlan(db);
	const versions = new Map(plan.versions.map((v) => [v.id, v]));

	// Each open verdict with the levels already raised for it (a bit mask), in one statement:
	// hash joins over the open verdicts and the open alerts, not a look-up per row.
	const open = await rows<OpenRow>(
		db,
		sql`with raised as (
				select al.contact_id, al.standard_id,
					bit_or(case al.level when 'notice' then 1 when 'warning' then 2 when 'breach' then 4 when 'very-overdue' then 8 else 0 end) as raised
				from alerts al where al.cleared_at is null and al.contact_id is not null
				group by al.contact_id, al.standard_id
			)
			select a.contact_id, a.standard_id, a.standard_version_id as version_id, a.organisation_id, a.team_id,
				a.clock_start_on::text as clock_start_on, ${epochMs('a.due_at')} as due_ms,
				${epochMs('c.received_at')} as received_ms, ${epochMs('c.clock_start_at')} as clock_start_ms,
				coalesce(x.raised, 0)::int as raised,
				s.statutory, r.notice_share::float8 as notice_share, r.warning_share::float8 as warning_share,
				r.very_overdue_factor::float8 as very_overdue_factor, r.standard_id is not null as has_rule
			from assessments a
			join contacts c on c.id = a.contact_id
			join standards s on s.id = a.standard_id
			left join alert_rules r on r.standard_id = a.standard_id
			left join raised x on x.contact_id = a.contact_id and x.standard_id = a.standard_id
			where a.status = 'open' and c.status = 'open' and a.due_at is not null`
	);

	phase('read');
	const fresh: NewAlert[] = [];
	for (const row of open) {
		const version = versions.get(row.version_id);
		if (!version || version.rules.rule.kind === 'seconds') continue;
		const thresholds: AlertThresholds = row.has_rule
			? { noticeShare: row.notice_share, warningShare: row.warning_share, veryOverdueFactor: row.very_overdue_factor }
			: defaultThresholds(row.statutory, version.rules.atRiskShare);
		const raised = Number(row.raised);
		// Every level it can reach is already raised (the common case once a contact is overdue).
		if (raised & LEVEL_BITS['very-overdue'] || (raised & LEVEL_BITS.breach && thresholds.veryOverdueFactor === null)) continue;
		const dueMs = Number(row.due_ms);
		for (const crossing of crossings(openClock(row, version, dueMs), thresholds)) {
			if (crossing.atMs > nowMs) break;
			if (raised & LEVEL_BITS[crossing.level]) continue;
			fresh.push({
				organisation_id: row.organisation_id,
				contact_id: Number(row.contact_id),
				standard_id: row.standard_id,
				team_id: row.team_id,
				level: crossing.level,
				subject_key: '',
				due_at: new Date(dueMs).toISOString(),
				crossed_at: new Date(crossing.atMs).toISOString()
			});
		}
	}

	phase('compute');
	const raised = await insertAlerts(db, fresh, now);

	// Fresh planner statistics after a big catch-up (PGlite has no autovacuum).
	if (raised > ANALYZE_AFTER_ROWS) await db.execute(sql`analyze alerts`);
	phase('insert');

	// Answered (responded, met, closed) or no longer scored against that standard: clear. Open
	// alerts all belong to open verdicts when their number is the levels counted above plus those
	// just raised; only otherwise is the anti-join run (hashed, not a look-up per open alert).
	let expected = raised;
	for (const row of open) expected += BIT_COUNT[Number(row.raised) & 15] as number;
	const [openAlerts] = await rows<{ count: number }>(db, sql`select count(*)::int as count from alerts where cleared_at is null and contact_id is not null`);
	const [clearedRow] = Number(openAlerts?.count ?? 0) === expected ? [{ cleared: 0 }] : await rows<{ cleared: number }>(
		db,
		sql`with live as (
				-- A clock stopped by a pause with no end yet (no due date) is not running: its alerts clear.
				select a.contact_id, a.standard_id from assessments a join contacts c on c.id = a.contact_id
				where a.status = 'open' and c.status = 'open' and a.due_at is not null
			), stale as (
				select al.id from alerts al
				left join live on live.contact_id = al.contact_id and live.standard_id = al.standard_id
				where al.cleared_at is null and al.contact_id is not null and live.contact_id is null
			), cleared as (
				update alerts al set cleared_at = ${instant(now)} where al.id in (select id from stale)
				returning 1
			)
			select count(*)::int as cleared from cleared`
	);
	// A service-level alert is about one hour: it leaves the queue a day later.
	await db.execute(
		sql`update alerts set cleared_at = ${instant(now)}
			where cleared_at is null and level = 'service-level' and crossed_at < ${instant(new Date(nowMs - 86_400_000))}`
	);

	phase('clear');
	const phone = await evaluateServiceLevel(db, now, options.minimumCalls ?? 10);
	phase('phone');
	return {
		open: open.length,
		raised: raised + phone,
		cleared: Number(clearedRow?.cleared ?? 0),
		serviceLevel: phone,
		seconds: (performance.now() - started) / 1000,
		phases
	};
}

/** The open clock of a stored verdict: day 0 from its clock-start date; the start instant for hours. */
function openClock(row: OpenRow, version: PlannedVersion, dueMs: number) {
	const { rule, calendar } = version.standard;
	let dayZero = toEpochDay(row.clock_start_on);
	let startMs = startOfLocalDayMs(dayZero);
	if (unitOf(rule) === 'hours') {
		// Hours count from the instant; restarts are not loaded here (no hour-based standard restarts).
		startMs = clockStartMs(
			{ receivedAt: fromEpochMs(row.received_ms)!, clockStartAt: fromEpochMs(row.clock_start_ms) },
			version.rules
		);
		dayZero = localEpochDay(startMs);
	} else if (rule.kind === 'working-days' && version.nonWorkingStartIsNextWorkingDay && !calendar.isWorkingEpochDay(dayZero)) {
		dayZero = calendar.nextWorkingEpochDay(dayZero);
	}
	return { rule, calendar, startMs, dayZero, dueMs };
}

/** The columns an alert is raised with, with their types, in COPY order. */
const RAISED_TYPES = {
	organisation_id: 'integer', contact_id: 'bigint', standard_id: 'integer', team_id: 'integer', level: 'text', subject_key: 'text', due_at: 'timestamptz', crossed_at: 'timestamptz'
} as const satisfies Record<keyof NewAlert, string>;
const RAISED = Object.keys(RAISED_TYPES) as (keyof NewAlert)[];

/**
 * Inserts the alerts not raised before (the unique key), through a temporary table filled by COPY:
 * the 198,556 alerts of a million contacts' first evaluation took 8.5 s as one JSON parameter per
 * 5,000 (docs/performance.md).
 */
async function insertAlerts(db: Database, alerts: readonly NewAlert[], now: Date): Promise<number> {
	if (alerts.length === 0) return 0;
	const texts = function* () {
		for (let i = 0; i < alerts.length; i += COPY_BATCH) yield copyText(alerts.slice(i, i + COPY_BATCH));
	};
	return withCopiedRows(db, 'alert_input', RAISED_TYPES, texts(), async (tx) => {
		const [row] = await rows<{ inserted: number }>(
			tx,
			sql`with inserted as (
					insert into alerts (${sql.raw(RAISED.join(', '))}, raised_at)
					select ${sql.raw(RAISED.join(', '))}, ${instant(now)} from alert_input
					order by contact_id, standard_id, level
					on conflict do nothing
					returning 1
				)
				select count(*)::int as inserted from inserted`
		);
		return Number(row?.inserted ?? 0);
	});
}

/** Alerts as COPY text: numbers, level words, ISO instants and an hour's ISO key hold no tab, newline or backslash. */
function copyText(alerts: readonly NewAlert[]): Uint8Array {
	const text = new CopyLines();
	const value = (v: string | number | null) => (v === null ? '\\N' : String(v));
	for (const a of alerts) text.add(`${RAISED.map((c) => value(a[c])).join('\t')}\n`);
	return text.bytes();
}

const HOUR = 3_600_000;

/**
 * Phone (docs/rules.md "Phone service level"): for each organisation with phone.answer, the service
 * level of the last hour of imported calls (the clock hour holding the latest call up to now, and
 * the hour before it, which a later import may have completed) against the standard's target.
 * Each hour raises at most one alert; subject_key is the hour's start (ISO, UTC).
 */
async function evaluateServiceLevel(db: Database, now: Date, minimumCalls: number): Promise<number> {
	const standards = await rows<{ standard_id: number; organisation_id: number; rule: { seconds?: number }; target: number; latest_ms: number | null }>(
		db,
		sql`select s.id as standard_id, s.organisation_id, v.rule, v.compliance_percent::float8 as target,
				(select ${epochMs('max(c.received_at)')} from contacts c
					where c.organisation_id = s.organisation_id and c.contact_type = 'phone' and c.received_at <= ${instant(now)}) as latest_ms
			from standards s
			join lateral (select * from standard_versions v where v.standard_id = s.id
				and v.effective_from <= (${instant(now)} at time zone 'Europe/London')::date
				order by v.effective_from desc limit 1) v on true
			where s.code = 'phone.answer'`
	);
	const fresh: NewAlert[] = [];
	for (const standard of standards) {
		if (standard.latest_ms === null) continue;
		const latestHour = Math.floor(Number(standard.latest_ms) / HOUR) * HOUR; // London hours start on UTC hours
		for (const hour of [latestHour - HOUR, latestHour]) {
			const calls = await rows<{ wait_seconds: number | null; abandoned: boolean | null; team_id: number | null }>(
				db,
				sql`select wait_seconds, abandoned, team_id from contacts
					where organisation_id = ${standard.organisation_id} and contact_type = 'phone'
						and received_at >= ${instant(new Date(hour))} and received_at < ${instant(new Date(hour + HOUR))} and received_at <= ${instant(now)}`
			);
			const level = serviceLevel(
				calls.map((c) => ({ waitSeconds: c.wait_seconds, abandoned: c.abandoned })),
				{ thresholdSeconds: standard.rule.seconds ?? 20 }
			);
			if (level.serviceLevel === null || level.counted < minimumCalls || level.serviceLevel * 100 >= Number(standard.target)) continue;
			fresh.push({
				organisation_id: standard.organisation_id,
				contact_id: null,
				standard_id: standard.standard_id,
				team_id: mostCommon(calls.map((c) => c.team_id)),
				level: 'service-level',
				subject_key: new Date(hour).toISOString(),
				due_at: null,
				crossed_at: new Date(Math.min(hour + HOUR, now.getTime())).toISOString()
			});
		}
	}
	return insertAlerts(db, fresh, now);
}

function mostCommon(values: (number | null)[]): number | null {
	const counts = new Map<number, number>();
	for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
	let best: number | null = null;
	for (const [value, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = value;
	return best;
}
