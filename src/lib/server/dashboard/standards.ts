import { sql, type SQL } from 'drizzle-orm';
import { compliancePercent, rag, type Rag } from '../../engine/performance.ts';
import { labelSoFar, monthPeriod, previousReportingPeriod, quarterPeriod, type ReportingPeriod } from '../../engine/reporting-period.ts';
import { localDate } from '../../engine/dates.ts';
import { describeRule, parseRule, type DeadlineRule } from '../../engine/rules.ts';
import type { Filters } from '../../filters.ts';
import { rows, type Database } from '../db/client.ts';
import { scopeConditions } from './scope-sql.ts';
import type { CaseScope } from '../auth/access.ts';
import { withinCaseScope } from '../directory/scope.ts';

export interface StandardVersionSummary {
	organisation: string;
	version: number;
	effectiveFrom: string;
	effectiveTo: string | null;
	wording: string;
	rule: string;
	calendar: string;
	targetPercent: number;
}

export interface ComplianceBucket {
	label: string;
	start: string;
	met: number;
	breached: number;
	compliance: number | null;
	targetPercent: number | null;
}

export interface Breakdown {
	key: string;
	label: string;
	met: number;
	breached: number;
	open: number;
	compliance: number | null;
	rag: Rag | null;
}

export interface BreachedContact {
	id: number;
	reference: string;
	organisation: string;
	contactType: string;
	team: string | null;
	clockStartOn: string;
	dueAt: string | null;
	respondedAt: string | null;
	/** How late, in the standard's unit (positive). */
	late: number | null;
}

export interface StandardDetail {
	code: string;
	title: string;
	statutory: boolean;
	source: string;
	unit: string;
	/** The limit of the version in force at the period's end (for the distribution's marker). */
	limit: number;
	/** The in-force version's rule, to say its limit ('1 month' for a SAR, whose elapsed time is in days). */
	limitRule: DeadlineRule;
	/** The period's label, 'so far' while it is under way. */
	periodLabel: string;
	targetPercent: number;
	organisations: { code: string; name: string }[];
	versions: StandardVersionSummary[];
	/** lapsed: FOI requests whose fee went unpaid (FOIA s.9(2)), neither met nor breached: outside compliance. */
	summary: { met: number; breached: number; open: number; lapsed: number; compliance: number | null; rag: Rag | null };
	months: ComplianceBucket[];
	quarters: ComplianceBucket[];
	/** Decided contacts by time taken, in whole units (the last bucket holds everything beyond). */
	distribution: { label: string; value: number; count: number; withinLimit: boolean }[];
	teams: Breakdown[];
	contactTypes: Breakdown[];
	/** The breached contacts the viewer may see (`listed` false: none, aggregates only). */
	breaches: { rows: BreachedContact[]; total: number; page: number; pageSize: number; listed: boolean };
}

const PAGE_SIZE = 25;

/** Whether a standard code exists at all (for 404s), whatever the filters. */
export async function exists(db: Database, code: string): Promise<boolean> {
	const found = await rows(db, sql`select 1 from standards where code = ${code} limit 1`);
	return found.length > 0;
}


/** Met, breached and open from the daily counts (`assessment_days a`). */
const dailyTally = sql`coalesce(sum(a.met), 0)::int as met, coalesce(sum(a.breached), 0)::int as breached, coalesce(sum(a.open), 0)::int as open`;
/** The same from the verdicts themselves (`assessments a`). */
const verdictTally = sql`count(*) filter (where a.status = 'met')::int as met, count(*) filter (where a.status = 'breached')::int as breached,
	count(*) filter (where a.status = 'open')::int as open`;

/**
 * Everything the standard's page shows for the filters: its wording and versions, compliance by
 * month and quarter against target, how long contacts took, who breached it, and the breaches.
 */
/**
 * `cases`: whose breached contacts the viewer may list (auth/access.ts caseScope), or null for
 * none (committee viewers: aggregates only).
 */
export async function detail(db: Database, code: string, filters: Filters, page = 1, cases: CaseScope | null = null, now = new Date()): Promise<StandardDetail | null> {
	const today = localDate(now);
	const period = filters.period;
	const organisationFilter = filters.organisation ? sql`and o.code = ${filters.organisation}` : sql``;
	const standards = await rows<{ id: number; title: string; statutory: boolean; source: string; organisation_code: string; organisation_name: string }>(
		db,
		sql`select s.id, s.title, s.statutory, s.source, o.code as organisation_code, o.name as organisation_name
			from standards s join organisations o on o.id = s.organisation_id
			where s.code = ${code} ${organisationFilter} order by o.code`
	);
	if (standards.length === 0) return null;
	const ids = sql.join(standards.map((s) => sql`${s.id}`), sql`, `);
	const where = sql`a.standard_id in (${ids})${scopeConditions(filters)}`;

	const versions = await rows<Record<string, unknown>>(
		db,
		sql`select o.code as organisation, v.version, v.effective_from::text, v.effective_to::text, v.wording, v.rule, v.calendar_code,
				v.compliance_percent::float8 as target, v.amber_margin_percent::float8 as amber, v.limit_value::float8 as limit_value, v.unit
			from standard_versions v join organisations o on o.id = v.organisation_id
			where v.standard_id in (${ids}) order by o.code, v.effective_from desc`
	);
	const inForce = versions.find((v) => String(v.effective_from) <= period.end) ?? versions[0]!;
	const targetPercent = Number(inForce.target);

	const months: ReportingPeriod[] = [monthPeriod(period.end)];
	while (months.length < 13) months.unshift(previousReportingPeriod(months[0]!));
	const quarters: ReportingPeriod[] = [quarterPeriod(period.end)];
	while (quarters.length < 8) quarters.unshift(previousReportingPeriod(quarters[0]!));
	const inPeriod = sql`a.clock_start_on between ${period.start}::date and ${period.end}::date`;

	const [summary, monthly, quarterly, distribution, teams, types, breaches] = await Promise.all([
		rows<{ met: number; breached: number; open: number; lapsed: number }>(
			db,
			sql`select ${dailyTally}, coalesce(sum(a.lapsed), 0)::int as lapsed from assessment_days a where ${inPeriod} and ${where}`
		),
		buckets(db, where, 'month', months, today),
		buckets(db, where, 'quarter', quarters, today),
		rows<{ value: number; count: number }>(
			db,
			sql`select least(floor(a.elapsed), ${distributionCap(inForce)})::int as value, count(*)::int as count
				from assessments a where ${inPeriod} and ${where} and a.status in ('met', 'breached') and a.elapsed is not null
				group by 1 order by 1`
		),
		breakdown(db, sql`coalesce(t.code, '')`, sql`coalesce(t.name, 'No team')`, sql`assessment_days a left join teams t on t.id = a.team_id`, dailyTally, sql`${inPeriod} and ${where}`),
		// Contact type is not among the daily counts' dimensions: one standard's period of verdicts, by index.
		breakdown(db, sql`c.contact_type`, sql`c.contact_type`, sql`assessments a join contacts c on c.id = a.contact_id`, verdictTally, sql`${inPeriod} and ${where}`),
		cases === null
			? Promise.resolve([] as Record<string, unknown>[])
			: rows<Record<string, unknown>>(
			db,
			sql`select a.contact_id as id, c.external_ref, o.code as organisation, c.contact_type, t.name as team, a.clock_start_on::text,
					a.due_at, a.responded_at, -a.margin::float8 as late, count(*) over ()::int as total
				from assessments a
				join contacts c on c.id = a.contact_id
				join organisations o on o.id = a.organisation_id
				left join teams t on t.id = a.team_id
				where ${inPeriod} and ${where} and a.status = 'breached'
					and ${withinCaseScope(cases, 'a')}
				order by a.margin asc nulls last, a.contact_id
				limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`
		)
	]);

	const amber = Number(inForce.amber);
	const totals = summary[0] ?? { met: 0, breached: 0, open: 0, lapsed: 0 };
	const overall = compliancePercent(totals.met, totals.breached);
	const cap = distributionCap(inForce);
	const limit = Number(inForce.limit_value);
	return {
		code,
		title: standards[0]!.title,
		statutory: standards.some((s) => s.statutory),
		source: standards[0]!.source,
		unit: String(inForce.unit),
		limit,
		limitRule: parseRule(inForce.rule),
		periodLabel: labelSoFar(period, today),
		targetPercent,
		organisations: standards.map((s) => ({ code: s.organisation_code, name: s.organisation_name })),
		versions: versions.map((v) => ({
			organisation: String(v.organisation),
			version: Number(v.version),
			effectiveFrom: String(v.effective_from),
			effectiveTo: v.effective_to === null ? null : String(v.effective_to),
			wording: String(v.wording),
			rule: describeRule(parseRule(v.rule)),
			calendar: String(v.calendar_code),
			targetPercent: Number(v.target)
		})),
		summary: { ...totals, compliance: overall, rag: rag(overall, targetPercent, amber) },
		months: monthly.map((b) => ({ ...b, targetPercent: targetAt(versions, b.start) })),
		quarters: quarterly.map((b) => ({ ...b, targetPercent: targetAt(versions, b.start) })),
		distribution: Array.from({ length: cap + 1 }, (_, value) => ({
			value,
			label: value === cap ? `${value}+` : String(value),
			count: distribution.find((d) => d.value === value)?.count ?? 0,
			withinLimit: value <= limit
		})),
		teams: teams.map((b) => ({ ...b, rag: rag(b.compliance, targetPercent, amber) })),
		contactTypes: types.map((b) => ({ ...b, rag: rag(b.compliance, targetPercent, amber) })),
		breaches: {
			rows: breaches.map((b) => ({
				id: Number(b.id),
				reference: String(b.external_ref),
				organisation: String(b.organisation),
				contactType: String(b.contact_type),
				team: b.team === null ? null : String(b.team),
				clockStartOn: String(b.clock_start_on),
				dueAt: b.due_at === null ? null : new Date(b.due_at as string).toISOString(),
				respondedAt: b.responded_at === null ? null : new Date(b.responded_at as string).toISOString(),
				late: b.late === null ? null : Number(b.late)
			})),
			total: Number(breaches[0]?.total ?? 0),
			listed: cases !== null,
			page,
			pageSize: PAGE_SIZE
		}
	};
}

/** Where the distribution's last bucket starts: twice the limit (phone: a minute), in whole units. */
function distributionCap(version: Record<string, unknown>): number {
	const limit = Number(version.limit_value);
	return String(version.unit) === 'seconds' ? Math.max(60, limit * 3) : Math.max(5, Math.ceil(limit * 2));
}

function targetAt(versions: Record<string, unknown>[], date: string): number | null {
	const version = versions.find((v) => String(v.effective_from) <= date);
	return version ? Number(version.target) : null;
}

/** Compliance by month or quarter; one under way on `today` is labelled 'so far'. */
async function buckets(db: Database, where: SQL, unit: 'month' | 'quarter', periods: ReportingPeriod[], today: string): Promise<ComplianceBucket[]> {
	const found = await rows<{ start: string; met: number; breached: number }>(
		db,
		sql`select to_char(date_trunc(${unit}, a.clock_start_on), 'YYYY-MM-DD') as start,
				sum(a.met)::int as met, sum(a.breached)::int as breached
			from assessment_days a
			where a.clock_start_on between ${periods[0]!.start}::date and ${periods.at(-1)!.end}::date and ${where}
			group by 1`
	);
	return periods.map((p) => {
		const counted = found.find((f) => f.start === p.start) ?? { met: 0, breached: 0 };
		return { label: labelSoFar(p, today), start: p.start, met: counted.met, breached: counted.breached, compliance: compliancePercent(counted.met, counted.breached), targetPercent: null };
	});
}

/** Verdicts grouped by `key`, from `source`: the daily counts or (for other dimensions) the verdicts. */
async function breakdown(db: Database, key: SQL, label: SQL, source: SQL, tally: SQL, where: SQL) {
	const found = await rows<{ key: string; label: string; met: number; breached: number; open: number }>(
		db,
		sql`select ${key} as key, ${label} as label, ${tally}
			from ${source}
			where ${where}
			group by 1, 2 order by 2`
	);
	return found.map((b) => ({ ...b, compliance: compliancePercent(b.met, b.breached) }));
}
