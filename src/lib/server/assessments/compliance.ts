import { sql } from 'drizzle-orm';
import { localDate } from '../../engine/dates.ts';
import { quarterOf, type Quarter } from '../../engine/periods.ts';
import { rows, type Database } from '../db/client.ts';

export interface StandardCompliance {
	code: string;
	title: string;
	statutory: boolean;
	met: number;
	breached: number;
	/** Not yet responded (at the time of asking), of which overdue: past their due instant. */
	open: number;
	overdue: number;
	/** met ÷ (met + breached), 0–1; null when nothing was decided in the period. */
	compliance: number | null;
	/** Target of the version in force at the end of the period, percent. */
	targetPercent: number | null;
}

export interface OrganisationCompliance {
	code: string;
	name: string;
	standards: StandardCompliance[];
}

export interface Compliance {
	quarter: Quarter;
	organisations: OrganisationCompliance[];
}

/**
 * Each standard's compliance for the quarter containing `now` (by default the current one), per
 * organisation, from the stored assessments: contacts count in the quarter their clock started.
 */
export async function compliance(db: Database, options: { now?: Date; quarter?: Quarter } = {}): Promise<Compliance> {
	const now = options.now ?? new Date();
	const quarter = options.quarter ?? quarterOf(localDate(now));
	const found = await rows<Record<string, unknown>>(
		db,
		sql`select o.code as organisation_code, o.name as organisation_name, s.code, s.title, s.statutory,
				c.met, c.breached, c.open, c.overdue,
				(select v.compliance_percent from standard_versions v
					where v.standard_id = s.id and v.effective_from <= ${quarter.end}::date
					order by v.effective_from desc limit 1)::float8 as target_percent
			from standards s
			join organisations o on o.id = s.organisation_id
			cross join lateral (
				select count(*) filter (where a.status = 'met')::int as met,
					count(*) filter (where a.status = 'breached')::int as breached,
					count(*) filter (where a.status = 'open')::int as open,
					count(*) filter (where a.status = 'open' and a.due_at < ${now.toISOString()}::timestamptz)::int as overdue
				from assessments a
				where a.organisation_id = s.organisation_id and a.standard_id = s.id
					and a.clock_start_on between ${quarter.start}::date and ${quarter.end}::date
			) c
			order by o.code, s.code`
	);
	const organisations: OrganisationCompliance[] = [];
	for (const row of found) {
		let organisation = organisations.at(-1);
		if (!organisation || organisation.code !== row.organisation_code) {
			organisation = { code: String(row.organisation_code), name: String(row.organisation_name), standards: [] };
			organisations.push(organisation);
		}
		const met = Number(row.met);
		const breached = Number(row.breached);
		organisation.standards.push({
			code: String(row.code),
			title: String(row.title),
			statutory: Boolean(row.statutory),
			met,
			breached,
			open: Number(row.open),
			overdue: Number(row.overdue),
			compliance: met + breached > 0 ? met / (met + breached) : null,
			targetPercent: row.target_percent === null ? null : Number(row.target_percent)
		});
	}
	return { quarter, organisations };
}
