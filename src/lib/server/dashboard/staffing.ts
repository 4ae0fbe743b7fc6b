/**
 * Staffing the phones for the 20-second promise: from the call log, the calls offered and handle
 * time in each half hour of each weekday, the agents Erlang C says that needs to meet phone.answer
 * at its target, the service level actually achieved, and the gap.
 *
 *   import * as staffing from '$lib/server/dashboard/staffing.ts';
 *   await staffing.report(db, { organisation: 'county', from, to });
 *   await staffing.shortfall(db, { organisation: 'county', from, to }); // evidence for "Insufficient staff"
 *
 * Handle time: a call's talk time is first response (answered) to resolved (the call ended), as
 * the telephony exports record it (Asterisk CONNECT → COMPLETE*, Connect ConnectedToAgent →
 * disconnect; the demo generator likewise). Where no answered call in the window has both, the
 * average handle time falls back to DEFAULT_AHT_SECONDS, and the page says so.
 */
import { sql } from 'drizzle-orm';
import { addCalendarDays } from '../../engine/dates.ts';
import { agentsNeeded, type Workload } from '../../engine/erlang.ts';
import { compliancePercent } from '../../engine/performance.ts';
import type { Filters } from '../../filters.ts';
import { rows, type Database } from '../db/client.ts';
import { scopeConditions } from './scope-sql.ts';

/** Used when the call log carries no handle times: 5 minutes, a typical council contact centre's talk + wrap. */
export const DEFAULT_AHT_SECONDS = 300;
/** Half-hour intervals, as contact centres plan them. */
export const INTERVAL_SECONDS = 1800;
/** The window looked back over. */
export const WEEKS = 8;
/** Handle times beyond this are treated as a call left open, not talk time. */
const LONGEST_CALL_SECONDS = 4 * 3600;

export interface StaffingOptions extends Partial<Pick<Filters, 'organisation' | 'service' | 'team'>> {
	/** First and last Europe/London dates of the window. */
	from: string;
	to: string;
	/** Share of paid time off the phones (default 0.3). */
	shrinkage?: number;
	/** Highest acceptable occupancy (default 0.85). */
	maxOccupancy?: number;
}

export interface StaffingSlot {
	/** 1 = Monday. */
	weekday: number;
	/** '08:30': the half hour starting then. */
	slot: string;
	/** Average calls offered in this half hour on that weekday (days of that weekday with calls). */
	callsOffered: number;
	/** Average handle time, seconds; null when fallen back to the default. */
	ahtSeconds: number;
	ahtRecorded: boolean;
	/** Agents needed on the phones to meet the standard at its target (Erlang C). */
	agentsNeeded: number;
	/** Staff to schedule for that, after shrinkage. */
	scheduled: number;
	/** Calls answered within the limit ÷ calls that count (phone.answer verdicts), percent. */
	achieved: number | null;
	/** Calls the achieved service level counts. */
	counted: number;
	/** Agents that would give the achieved service level under the same model: an estimate of who was on the phones. */
	agentsEstimated: number | null;
	/** agentsNeeded − agentsEstimated: positive means short. */
	gap: number | null;
}

export interface StaffingReport {
	from: string;
	to: string;
	/** phone.answer's limit and target in force at the window's end; null when the organisation has none. */
	limitSeconds: number | null;
	targetPercent: number | null;
	shrinkage: number;
	maxOccupancy: number;
	/** Handle time over the window, seconds, and whether it was recorded or the default. */
	ahtSeconds: number;
	ahtRecorded: boolean;
	slots: StaffingSlot[];
	/** Calls offered in the window. */
	calls: number;
	/** The window's service level (all slots), percent. */
	achieved: number | null;
}

export interface Shortfall {
	from: string;
	to: string;
	targetPercent: number | null;
	/** Half-hour slots (weekday × time) with calls. */
	slots: number;
	/** Of those, slots below target with fewer agents estimated than needed. */
	slotsShort: number;
	/** Share of calls offered that arrived in a short slot, 0–1. */
	callsInShortSlots: number;
	/** Mean agents short over the short slots. */
	averageGap: number | null;
	achieved: number | null;
	/** The five worst slots. */
	worst: Pick<StaffingSlot, 'weekday' | 'slot' | 'callsOffered' | 'agentsNeeded' | 'agentsEstimated' | 'gap' | 'achieved'>[];
	/** One sentence for a risk review. */
	summary: string;
}

/** The window: the 8 weeks ending on `to` (inclusive). */
export function window(to: string, weeks = WEEKS): { from: string; to: string } {
	return { from: addCalendarDays(to, -(weeks * 7) + 1), to };
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const weekdayName = (weekday: number) => WEEKDAYS[weekday - 1] ?? String(weekday);

export async function report(db: Database, options: StaffingOptions): Promise<StaffingReport> {
	const shrinkage = options.shrinkage ?? 0.3;
	const maxOccupancy = options.maxOccupancy ?? 0.85;
	const scope = { organisation: options.organisation ?? null, service: options.service ?? null, team: options.team ?? null };
	const local = sql`(c.received_at at time zone 'Europe/London')`;
	const calls = sql`from contacts c
		left join assessments a on a.contact_id = c.id
			and a.standard_id in (select id from standards where code = 'phone.answer')
		where c.contact_type = 'phone'
			and c.received_at >= (${options.from}::date)::timestamp at time zone 'Europe/London'
			and c.received_at < ((${options.to}::date + 1)::timestamp at time zone 'Europe/London')
			${scopeConditions(scope, 'c')}`;
	const handle = sql`extract(epoch from (c.resolved_at - c.first_response_at))`;
	const handled = sql`not c.abandoned and c.first_response_at is not null and c.resolved_at is not null and ${handle} between 0 and ${LONGEST_CALL_SECONDS}`;

	const [standard, days, cells] = await Promise.all([
		rows<{ target: number; limit_seconds: number }>(
			db,
			sql`select v.compliance_percent::float8 as target, v.limit_value::float8 as limit_seconds
				from standards s join standard_versions v on v.standard_id = s.id join organisations o on o.id = s.organisation_id
				where s.code = 'phone.answer' and v.effective_from <= ${options.to}::date
				${options.organisation ? sql`and o.code = ${options.organisation}` : sql``}
				order by o.code, v.effective_from desc limit 1`
		),
		rows<{ weekday: number; days: number }>(db, sql`select extract(isodow from ${local})::int as weekday, count(distinct ${local}::date)::int as days ${calls} group by 1`),
		rows<{ weekday: number; slot: string; offered: number; met: number; breached: number; handle_total: number | null; handled: number }>(
			db,
			sql`select extract(isodow from ${local})::int as weekday,
					to_char(date_trunc('hour', ${local}) + (floor(extract(minute from ${local}) / 30) * interval '30 minutes'), 'HH24:MI') as slot,
					count(*)::int as offered,
					count(*) filter (where a.status = 'met')::int as met,
					count(*) filter (where a.status = 'breached')::int as breached,
					sum(${handle}) filter (where ${handled})::float8 as handle_total,
					count(*) filter (where ${handled})::int as handled
				${calls} group by 1, 2 order by 1, 2`
		)
	]);

	const limitSeconds = standard[0]?.limit_seconds ?? null;
	const targetPercent = standard[0]?.target ?? null;
	const handledCalls = cells.reduce((sum, c) => sum + c.handled, 0);
	const handleTotal = cells.reduce((sum, c) => sum + Number(c.handle_total ?? 0), 0);
	const ahtRecorded = handledCalls > 0;
	const ahtSeconds = ahtRecorded ? handleTotal / handledCalls : DEFAULT_AHT_SECONDS;
	const daysOf = new Map(days.map((d) => [d.weekday, d.days]));

	const slots: StaffingSlot[] = cells.map((cell) => {
		const callsOffered = cell.offered / Math.max(1, daysOf.get(cell.weekday) ?? 1);
		// A slot's own handle time when it has enough answered calls to say; otherwise the window's.
		const own = cell.handled >= 20;
		const aht = own ? Number(cell.handle_total) / cell.handled : ahtSeconds;
		const achieved = compliancePercent(cell.met, cell.breached);
		const workload: Workload = { calls: callsOffered, intervalSeconds: INTERVAL_SECONDS, ahtSeconds: aht };
		let needed = { agents: 0, scheduled: 0 };
		let estimated: number | null = null;
		if (limitSeconds !== null && targetPercent !== null && callsOffered > 0) {
			needed = agentsNeeded(workload, { targetSeconds: limitSeconds, serviceLevel: targetPercent / 100, maxOccupancy, shrinkage });
			if (achieved !== null) {
				// The fewest agents that would have given the service level achieved (capped below 100%, which no finite staff gives).
				estimated = agentsNeeded(workload, { targetSeconds: limitSeconds, serviceLevel: Math.min(achieved / 100, 0.995) }).agents;
			}
		}
		return {
			weekday: cell.weekday,
			slot: cell.slot,
			callsOffered,
			ahtSeconds: aht,
			ahtRecorded: own || ahtRecorded,
			agentsNeeded: needed.agents,
			scheduled: needed.scheduled,
			achieved,
			counted: cell.met + cell.breached,
			agentsEstimated: estimated,
			gap: estimated === null ? null : needed.agents - estimated
		};
	});
	const met = cells.reduce((sum, c) => sum + c.met, 0);
	const breached = cells.reduce((sum, c) => sum + c.breached, 0);
	return {
		from: options.from,
		to: options.to,
		limitSeconds,
		targetPercent,
		shrinkage,
		maxOccupancy,
		ahtSeconds,
		ahtRecorded,
		slots,
		calls: cells.reduce((sum, c) => sum + c.offered, 0),
		achieved: compliancePercent(met, breached)
	};
}

/**
 * Evidence for the "Insufficient staff" risk: in how many half hours of the week the phones fell
 * short of the 20-second promise with fewer people than Erlang C says it needs, and by how many.
 */
export async function shortfall(db: Database, options: { organisation?: string | null; from: string; to: string; shrinkage?: number; maxOccupancy?: number }): Promise<Shortfall> {
	const found = await report(db, { organisation: options.organisation ?? null, from: options.from, to: options.to, shrinkage: options.shrinkage, maxOccupancy: options.maxOccupancy });
	const target = found.targetPercent;
	const short = found.slots.filter((s) => s.gap !== null && s.gap > 0 && target !== null && s.achieved !== null && s.achieved < target);
	const offered = found.slots.reduce((sum, s) => sum + s.callsOffered, 0);
	const inShort = short.reduce((sum, s) => sum + s.callsOffered, 0);
	const averageGap = short.length ? short.reduce((sum, s) => sum + (s.gap as number), 0) / short.length : null;
	const worst = [...short]
		.sort((a, b) => (b.gap as number) - (a.gap as number) || b.callsOffered - a.callsOffered)
		.slice(0, 5)
		.map(({ weekday, slot, callsOffered, agentsNeeded, agentsEstimated, gap, achieved }) => ({ weekday, slot, callsOffered, agentsNeeded, agentsEstimated, gap, achieved }));
	const summary =
		target === null
			? 'No phone answering standard applies, so staffing cannot be judged.'
			: found.slots.length === 0
				? `No calls between ${found.from} and ${found.to}.`
				: short.length === 0
					? `Between ${found.from} and ${found.to} every half hour with calls met the ${target}% target or had the agents it needed.`
					: `Between ${found.from} and ${found.to}, ${short.length} of ${found.slots.length} half hours of the week fell below the ${target}% target ` +
						`with fewer agents than needed (about ${averageGap!.toFixed(1)} short on average); ${Math.round((inShort / offered) * 100)}% of calls arrived in them. ` +
						`Worst: ${worst.map((w) => `${weekdayName(w.weekday)} ${w.slot} (${w.gap} short)`).join(', ')}.`;
	return {
		from: found.from,
		to: found.to,
		targetPercent: target,
		slots: found.slots.length,
		slotsShort: short.length,
		callsInShortSlots: offered ? inShort / offered : 0,
		averageGap,
		achieved: found.achieved,
		worst,
		summary
	};
}
