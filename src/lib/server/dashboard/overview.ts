import { sql, type SQL } from 'drizzle-orm';
import { compliancePercent, direction, rag, type Direction, type Rag } from '../../engine/performance.ts';
import { comparison, labelSoFar, previousReportingPeriod, quarterPeriod, type Comparison, type ReportingPeriod } from '../../engine/reporting-period.ts';
import { localDate } from '../../engine/dates.ts';
import type { Filters } from '../../filters.ts';
import { rows, type Database } from '../db/client.ts';
import * as phone from './phone.ts';
import { scopeConditions } from './scope-sql.ts';

export interface StandardRow {
	organisation: { code: string; name: string };
	code: string;
	title: string;
	statutory: boolean;
	/** Compliance target of the version in force at the end of the period, percent. */
	targetPercent: number;
	met: number;
	breached: number;
	/** Contacts of the period not answered yet, of which overdue now. */
	open: number;
	overdue: number;
	compliance: number | null;
	previousCompliance: number | null;
	rag: Rag | null;
	direction: Direction | null;
	/** Compliance in each of the last eight quarters, oldest first ('so far' in the label of one under way). */
	trend: { label: string; value: number | null }[];
}

export interface PhoneHeadline {
	serviceLevel: number | null;
	targetPercent: number | null;
	/** phone.answer's limit in force at the period's end (20 seconds in the catalogue). */
	limitSeconds: number | null;
	rag: Rag | null;
	offered: number;
	answered: number;
	abandoned: number;
	averageSpeedOfAnswer: number | null;
	abandonmentRate: number | null;
}

export interface Overview {
	/** The period, its label saying 'so far' while it is under way. */
	period: ReportingPeriod;
	/** What direction of travel compares with: the period before, or its same number of days while this one is under way. */
	previous: ReportingPeriod;
	comparison: Pick<Comparison, 'partial' | 'tooEarly' | 'elapsedDays'>;
	standards: StandardRow[];
	phone: PhoneHeadline | null;
	/** Open contacts past their due time now, across every standard in the filter. */
	overdueNow: number;
}


const between = (period: { start: string; end: string }) => sql`a.clock_start_on between ${period.start}::date and ${period.end}::date`;

/**
 * The overview: every standard's compliance for the period against its target, the period before
 * and the last eight quarters, from the stored assessments.
 */
export async function overview(db: Database, filters: Filters, now = new Date()): Promise<Overview> {
	const today = localDate(now);
	const compared = comparison(filters.period, today);
	const period = { ...filters.period, label: labelSoFar(filters.period, today) };
	const previous = compared.previous;
	const quarters: ReportingPeriod[] = [quarterPeriod(period.end)];
	while (quarters.length < 8) quarters.unshift(previousReportingPeriod(quarters[0]!));
	const where = scopeConditions(filters);

	const [standards, current, before, trend, overdue, calls] = await Promise.all([
		rows<{ id: number; code: string; title: string; statutory: boolean; organisation_code: string; organisation_name: string; target: number; amber: number; limit_value: number }>(
			db,
			sql`select s.id, s.code, s.title, s.statutory, o.code as organisation_code, o.name as organisation_name,
					v.compliance_percent::float8 as target, v.amber_margin_percent::float8 as amber, v.limit_value::float8 as limit_value
				from standards s
				join organisations o on o.id = s.organisation_id
				join lateral (select * from standard_versions v where v.standard_id = s.id and v.effective_from <= ${period.end}::date
					order by v.effective_from desc limit 1) v on true
				${filters.organisation ? sql`where o.code = ${filters.organisation}` : sql``}
				order by o.code, s.code`
		),
		counts(db, sql`${between(period)}${where}`, now),
		counts(db, sql`${between(previous)}${where}`, now),
		rows<{ standard_id: number; quarter: string; met: number; breached: number }>(
			db,
			sql`select a.standard_id, to_char(date_trunc('quarter', a.clock_start_on), 'YYYY-MM-DD') as quarter,
					sum(a.met)::int as met, sum(a.breached)::int as breached
				from assessment_days a
				where ${between({ start: quarters[0]!.start, end: quarters.at(-1)!.end })}${where}
				group by 1, 2`
		),
		rows<{ overdue: number }>(
			db,
			sql`select count(*)::int as overdue from assessments a where a.status = 'open' and a.due_at < ${now.toISOString()}::timestamptz${where}`
		),
		phone.totals(db, filters)
	]);

	const trendOf = new Map<string, { met: number; breached: number }>();
	for (const row of trend) trendOf.set(`${row.standard_id}:${row.quarter}`, row);
	const hasData = (id: number) => current.has(id) || before.has(id) || trend.some((row) => row.standard_id === id);

	const standardRows = standards
		// A service or team filter shows only the standards that scored something there.
		.filter((s) => !(filters.service || filters.team) || hasData(s.id))
		.map((s): StandardRow => {
			const now = current.get(s.id) ?? empty;
			const then = before.get(s.id) ?? empty;
			const compliance = compliancePercent(now.met, now.breached);
			const previousCompliance = compliancePercent(then.met, then.breached);
			return {
				organisation: { code: s.organisation_code, name: s.organisation_name },
				code: s.code,
				title: s.title,
				statutory: s.statutory,
				targetPercent: Number(s.target),
				met: now.met,
				breached: now.breached,
				open: now.open,
				overdue: now.overdue,
				compliance,
				previousCompliance,
				rag: rag(compliance, Number(s.target), Number(s.amber)),
				// No direction between a period under way and a finished one: the same days, or too early to say.
				direction: compared.tooEarly ? null : direction(compliance, previousCompliance),
				trend: quarters.map((q) => {
					const counted = trendOf.get(`${s.id}:${q.start}`);
					return { label: labelSoFar(q, today), value: counted ? compliancePercent(counted.met, counted.breached) : null };
				})
			};
		});

	const phoneStandard = standardRows.find((s) => s.code === 'phone.answer');
	const phoneLimit = standards.find((s) => s.code === 'phone.answer' && s.organisation_code === phoneStandard?.organisation.code)?.limit_value;
	return {
		period,
		previous,
		comparison: { partial: compared.partial, tooEarly: compared.tooEarly, elapsedDays: compared.elapsedDays },
		standards: standardRows,
		overdueNow: overdue[0]?.overdue ?? 0,
		phone:
			calls.offered > 0
				? {
						...calls,
						targetPercent: phoneStandard?.targetPercent ?? null,
						limitSeconds: phoneLimit === undefined ? null : Number(phoneLimit),
						rag: rag(calls.serviceLevel, phoneStandard?.targetPercent ?? null)
					}
				: null
	};
}

const empty = { met: 0, breached: 0, open: 0, overdue: 0 };

/** Each standard's verdicts for a period from the daily counts; "overdue now" from the few open verdicts. */
async function counts(db: Database, where: SQL, now: Date) {
	const [totals, overdue] = await Promise.all([
		rows<{ standard_id: number; met: number; breached: number; open: number }>(
			db,
			sql`select a.standard_id, sum(a.met)::int as met, sum(a.breached)::int as breached, sum(a.open)::int as open
				from assessment_days a where ${where}
				group by a.standard_id`
		),
		rows<{ standard_id: number; overdue: number }>(
			db,
			sql`select a.standard_id, count(*)::int as overdue
				from assessments a where a.status = 'open' and a.due_at < ${now.toISOString()}::timestamptz and ${where}
				group by a.standard_id`
		)
	]);
	const overdueOf = new Map(overdue.map((row) => [row.standard_id, row.overdue]));
	return new Map(totals.map((row) => [row.standard_id, { ...row, overdue: overdueOf.get(row.standard_id) ?? 0 }]));
}
