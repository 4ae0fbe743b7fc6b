import { sql, type SQL } from 'drizzle-orm';
import { compliancePercent } from '../../engine/performance.ts';
import type { Filters } from '../../filters.ts';
import { rows, type Database } from '../db/client.ts';
import { scopeConditions } from './scope-sql.ts';

export interface PhoneDay {
	date: string;
	offered: number;
	answered: number;
	abandoned: number;
	/** Answered within the limit ÷ calls that count (the engine's verdicts on phone.answer). */
	serviceLevel: number | null;
	averageSpeedOfAnswer: number | null;
	abandonmentRate: number | null;
	/** Callers who chose a queued callback while waiting: not offered calls (the callback is measured by phone.callback), reported beside the service level. */
	callbacksChosen: number;
	/** Their average wait in queue until they chose it, in seconds. */
	callbackAverageWait: number | null;
}

export interface PhoneReport {
	targetPercent: number | null;
	limitSeconds: number | null;
	totals: Omit<PhoneDay, 'date'>;
	days: PhoneDay[];
	/** Service level by weekday (1 = Monday) and hour of the day, Europe/London. */
	heatMap: { weekday: number; hour: number; serviceLevel: number | null; calls: number }[];
	/** Average calls offered in each half hour of a day that had calls ('08:30'). */
	halfHours: { slot: string; averageOffered: number }[];
}

/** Calls received in the period (Europe/London dates) within the filters, with their phone.answer verdicts: for the heat map. */
function callsOf(filters: Filters) {
	const { start, end } = filters.period;
	const local = sql`(c.received_at at time zone 'Europe/London')`;
	const calls = sql`from contacts c
		left join assessments a on a.contact_id = c.id
			and a.standard_id in (select id from standards where code = 'phone.answer')
		where c.contact_type = 'phone'
			and c.received_at >= (${start}::date)::timestamp at time zone 'Europe/London'
			and c.received_at < ((${end}::date + 1)::timestamp at time zone 'Europe/London')
			${scopeConditions(filters, 'c')}`;
	return { local, calls };
}

/**
 * The period's calls (and the callers who chose a queued callback instead) from the half-hourly counts (phone_half_hours) and the phone.answer verdicts
 * from the daily counts (assessment_days), by `grouping` (an expression on the Europe/London date
 * `day`, e.g. the date itself, or '' for the whole period).
 */
function countedCalls(filters: Filters, grouping: SQL) {
	const { start, end } = filters.period;
	return sql`with calls as (
			select (p.slot_start at time zone 'Europe/London')::date as day, sum(p.offered)::int as offered, sum(p.answered)::int as answered,
				sum(p.abandoned)::int as abandoned, sum(p.answered_wait_seconds)::float8 as waited,
				sum(p.callbacks_chosen)::int as chose, sum(p.callback_wait_seconds)::float8 as chose_waited
			from phone_half_hours p
			where p.slot_start >= (${start}::date)::timestamp at time zone 'Europe/London'
				and p.slot_start < ((${end}::date + 1)::timestamp at time zone 'Europe/London')
				${scopeConditions(filters, 'p')}
			group by 1
		), verdicts as (
			select a.clock_start_on as day, sum(a.met)::int as met, sum(a.breached)::int as breached
			from assessment_days a
			where a.standard_id in (select id from standards where code = 'phone.answer')
				and a.clock_start_on between ${start}::date and ${end}::date
				${scopeConditions(filters, 'a')}
			group by 1
		)
		select ${grouping} as key, coalesce(sum(c.offered), 0)::int as offered, coalesce(sum(c.answered), 0)::int as answered,
			coalesce(sum(c.abandoned), 0)::int as abandoned, coalesce(sum(v.met), 0)::int as met, coalesce(sum(v.breached), 0)::int as breached,
			(sum(c.waited) / nullif(sum(c.answered), 0))::float8 as asa,
			coalesce(sum(c.chose), 0)::int as chose, (sum(c.chose_waited) / nullif(sum(c.chose), 0))::float8 as chose_wait
		from calls c full join verdicts v on v.day = c.day
		cross join lateral (select coalesce(c.day, v.day) as day) d
		group by 1 order by 1`;
}

/** Calls offered, answered and abandoned, service level and speed of answer, for the whole period. */
export async function totals(db: Database, filters: Filters): Promise<Omit<PhoneDay, 'date'>> {
	const [row] = await rows<Measures>(db, countedCalls(filters, sql`''`));
	return measured(row);
}

/**
 * The phone lines for the filters: daily service level, speed of answer and abandonment, when in
 * the week it goes wrong, and when calls arrive. Service level comes from the stored verdicts on
 * phone.answer, so it follows docs/rules.md "Phone service level" (short abandons left out) exactly.
 */
export async function report(db: Database, filters: Filters): Promise<PhoneReport> {
	const { end } = filters.period;
	const { local, calls } = callsOf(filters);

	const [standard, periodTotals, days, cells, slots] = await Promise.all([
		rows<{ target: number; limit_seconds: number }>(
			db,
			sql`select v.compliance_percent::float8 as target, v.limit_value::float8 as limit_seconds
				from standards s join standard_versions v on v.standard_id = s.id
				where s.code = 'phone.answer' and v.effective_from <= ${end}::date
				${filters.organisation ? sql`and s.organisation_id = (select id from organisations where code = ${filters.organisation})` : sql``}
				order by v.effective_from desc limit 1`
		),
		totals(db, filters),
		rows<Measures & { key: string }>(db, countedCalls(filters, sql`to_char(d.day, 'YYYY-MM-DD')`)),
		rows<{ weekday: number; hour: number; met: number; breached: number; offered: number }>(
			db,
			sql`select extract(isodow from ${local})::int as weekday, extract(hour from ${local})::int as hour,
					count(*)::int as offered, count(*) filter (where a.status = 'met')::int as met, count(*) filter (where a.status = 'breached')::int as breached
				${calls} group by 1, 2 order by 1, 2`
		),
		rows<{ slot: string; average: number }>(
			db,
			sql`with slots as (
					select p.slot_start at time zone 'Europe/London' as local, p.offered
					from phone_half_hours p
					where p.offered > 0
						and p.slot_start >= (${filters.period.start}::date)::timestamp at time zone 'Europe/London'
						and p.slot_start < ((${end}::date + 1)::timestamp at time zone 'Europe/London')
						${scopeConditions(filters, 'p')}
				)
				select to_char(local, 'HH24:MI') as slot, sum(offered)::float8 / greatest(1, (select count(distinct local::date) from slots)) as average
				from slots group by 1 order by 1`
		)
	]);

	return {
		targetPercent: standard[0]?.target ?? null,
		limitSeconds: standard[0]?.limit_seconds ?? null,
		totals: periodTotals,
		days: days.map((day) => ({ date: day.key, ...measured(day) })),
		heatMap: cells.map((cell) => ({ weekday: cell.weekday, hour: cell.hour, calls: cell.offered, serviceLevel: compliancePercent(cell.met, cell.breached) })),
		halfHours: slots.map((s) => ({ slot: s.slot, averageOffered: Number(s.average) }))
	};
}

interface Measures {
	offered: number;
	answered: number;
	abandoned: number;
	met: number;
	breached: number;
	asa: number | null;
	chose: number;
	chose_wait: number | null;
}

function measured(row: Measures | undefined): Omit<PhoneDay, 'date'> {
	if (!row) return { offered: 0, answered: 0, abandoned: 0, serviceLevel: null, averageSpeedOfAnswer: null, abandonmentRate: null, callbacksChosen: 0, callbackAverageWait: null };
	return {
		offered: row.offered,
		answered: row.answered,
		abandoned: row.abandoned,
		serviceLevel: compliancePercent(row.met, row.breached),
		averageSpeedOfAnswer: row.asa === null ? null : Number(row.asa),
		abandonmentRate: row.offered ? (row.abandoned / row.offered) * 100 : null,
		callbacksChosen: Number(row.chose),
		callbackAverageWait: row.chose_wait === null ? null : Number(row.chose_wait)
	};
}
