/**
 * An import run by a person keeps to their case scope (auth/access.ts caseScope): an
 * organisation-bound manager imports for their organisation only, a team lead for their teams
 * only. Inside the import's transaction, after staging and before the upsert, every staged row
 * outside the scope is taken out and rejected with its reason: a row of another organisation, a row
 * with no team or another team's, and a row whose reference is already a contact of a team outside
 * the scope (so a file can neither move another team's contact into the lead's team nor change it).
 */
import { sql } from 'drizzle-orm';
import type { CaseScope } from '../auth/access.ts';
import { rows, type Database } from '../db/client.ts';
import { sourceLock } from './staging.ts';
import type { Unstaged } from './staging.ts';

export async function rejectOutside(tx: Database, within: CaseScope, source: string): Promise<Unstaged[]> {
	if (within.organisationId === null && within.teams === 'all') return [];
	// The upsert's lock, taken now, so no other import of the source moves a contact between this check and the upsert.
	await sourceLock(tx, source);
	const teams = within.teams === 'all' ? null : within.teams;
	const teamList = teams === null ? sql`null::int[]` : sql`array[${sql.join([sql`0`, ...teams.map((id) => sql`${id}`)], sql`, `)}]::int[]`;
	const found = await rows<{ row: number; reason: string; raw: Record<string, string> | string }>(
		tx,
		sql`with scope as (
				select ${within.organisationId}::int as organisation_id, ${teamList} as teams,
					(select string_agg(t.code, ', ' order by t.code) from teams t where t.id = any(${teamList})) as team_codes,
					(select code from organisations where id = ${within.organisationId}::int) as organisation_code
			), judged as (
				select s.row_number, case
					when sc.organisation_id is not null and s.organisation_id <> sc.organisation_id
						then 'organisation ''' || o.code || ''' is not yours: you import for ' || sc.organisation_code || ' only'
					when sc.teams is not null and s.team_id is null
						then 'team is empty: you may import only contacts of your teams (' || coalesce(sc.team_codes, 'none') || ')'
					when sc.teams is not null and not (s.team_id = any(sc.teams))
						then 'team ''' || t.code || ''' is not one of yours (' || coalesce(sc.team_codes, 'none') || ')'
					when sc.teams is not null and c.id is not null and (c.team_id is null or not (c.team_id = any(sc.teams)))
						then 'reference ''' || s.external_ref || ''' is a contact of ' || coalesce('team ''' || ct.code || '''', 'no team')
							|| ', which is not one of yours: it is left as it is'
				end as reason
				from ingest_staging s cross join scope sc
				join organisations o on o.id = s.organisation_id
				left join teams t on t.id = s.team_id
				left join contacts c on c.organisation_id = s.organisation_id and c.source = ${source} and c.external_ref = s.external_ref
				left join teams ct on ct.id = c.team_id
			), gone as (
				delete from ingest_staging s using judged j where j.reason is not null and s.row_number = j.row_number
				returning s.*, j.reason
			)
			select g.row_number as row, g.reason, jsonb_build_object(
				'reference', g.external_ref, 'organisation', o.code, 'service', sv.code, 'type', g.contact_type,
				'received', g.received_at, 'team', coalesce(t.code, '')) as raw
			from gone g join organisations o on o.id = g.organisation_id join services sv on sv.id = g.service_id
			left join teams t on t.id = g.team_id
			order by g.row_number`
	);
	return found.map((d) => ({ row: Number(d.row), reason: d.reason, raw: typeof d.raw === 'string' ? JSON.parse(d.raw) : d.raw }));
}
