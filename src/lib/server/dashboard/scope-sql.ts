import { sql, type SQL } from 'drizzle-orm';
import type { Filters } from '../../filters.ts';

/**
 * The filter bar's organisation, service and team as SQL conditions on rows aliased `alias`
 * (which carry organisation_id, service_id, team_id), each prefixed with `and`; empty for none.
 */
export function scopeConditions(filters: Pick<Filters, 'organisation' | 'service' | 'team'>, alias = 'a'): SQL {
	const column = (name: string) => sql.raw(`${alias}.${name}`);
	const parts: SQL[] = [];
	if (filters.organisation) parts.push(sql`${column('organisation_id')} = (select id from organisations where code = ${filters.organisation})`);
	if (filters.service) {
		parts.push(sql`${column('service_id')} in (select s.id from services s join organisations o on o.id = s.organisation_id
			where s.code = ${filters.service} ${filters.organisation ? sql`and o.code = ${filters.organisation}` : sql``})`);
	}
	if (filters.team) parts.push(sql`${column('team_id')} in (select id from teams where code = ${filters.team})`);
	return parts.length ? sql.join([sql``, ...parts], sql` and `) : sql``;
}
