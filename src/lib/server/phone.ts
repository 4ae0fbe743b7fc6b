import { sql } from 'drizzle-orm';
import { compliancePercent } from '../engine/performance.ts';
import type { Filters } from '../filters.ts';
import { rows, type Database } from './db/client.ts';
import { scopeConditions } from './scoping.ts';

export interface PhoneDay {
	date: string;
	offered: number;
	answered: number;
	abandoned: number;
	/** Answered within the limit ÷ calls that count (the engine's verdicts on phone.answer). */
	serviceLevel: number | null;
	averageSpeedOfAnswer: number | null;
	abandonmentRate: number | null;
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

/** Calls received in the period (Europe/London dates) within the filters, with their phone.answer verdicts. */
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
	const measures = sql`count(*)::int as offered,
		count(*) filter (where not c.abandoned)::int as answered,
		count(*) filter (where c.abandoned)::int as abandoned,
		count(*) filter (where a.status = 'met')::int as met,
		count(*) filter (where a.status = 'breached')::int as breached,
		avg(c.wait_seconds) filter (where not c.abandoned)::float8 as asa`;
	return { local, calls, measures };
}

/** Calls offered, answered and abandoned, service level and speed of answer, for the whole period. */
export async function totals(db: Database, filters: Filters): Promise<Omit<PhoneDay, 'date'>> {
	const { calls, measures } = callsOf(filters);
	const [row] = await rows<Measures>(db, sql`select ${measures} ${calls}`);
	return measured(row);
}

/**
 * The phone lines for the filters: daily service level, speed of answer and abandonment, when in
 * the week it goes wrong, and when calls arrive. Service level comes from the stored verdicts on
 * phone.answer, so it follows DOMAIN.md's definition (short abandons left out) exactly.
 */
export async function report(db: Database, filters: Filters): Promise<PhoneReport> {
	const { end } = filters.period;
	const { local, calls, measures } = callsOf(filters);

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
		rows<Measures & { date: string }>(db, sql`select to_char(${local}, 'YYYY-MM-DD') as date, ${measures} ${calls} group by 1 order by 1`),
		rows<{ weekday: number; hour: number; met: number; breached: number; offered: number }>(
			db,
			sql`select extract(isodow from ${local})::int as weekday, extract(hour from ${local})::int as hour,
					count(*)::int as offered, count(*) filter (where a.status = 'met')::int as met, count(*) filter (where a.status = 'breached')::int as breached
				${calls} group by 1, 2 order by 1, 2`
		),
		rows<{ slot: string; average: number }>(
			db,
			sql`select slot, (count(*)::float8 / greatest(1, (select count(distinct ${local}::date) ${calls}))) as average
				from (select to_char(date_trunc('hour', ${local}) + (floor(extract(minute from ${local}) / 30) * interval '30 minutes'), 'HH24:MI') as slot ${calls}) s
				group by slot order by slot`
		)
	]);

	return {
		targetPercent: standard[0]?.target ?? null,
		limitSeconds: standard[0]?.limit_seconds ?? null,
		totals: periodTotals,
		days: days.map((day) => ({ date: day.date, ...measured(day) })),
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
}

function measured(row: Measures | undefined): Omit<PhoneDay, 'date'> {
	if (!row) return { offered: 0, answered: 0, abandoned: 0, serviceLevel: null, averageSpeedOfAnswer: null, abandonmentRate: null };
	return {
		offered: row.offered,
		answered: row.answered,
		abandoned: row.abandoned,
		serviceLevel: compliancePercent(row.met, row.breached),
		averageSpeedOfAnswer: row.asa === null ? null : Number(row.asa),
		abandonmentRate: row.offered ? (row.abandoned / row.offered) * 100 : null
	};
}
