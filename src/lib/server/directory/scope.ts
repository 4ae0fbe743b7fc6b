import { sql, type SQL } from 'drizzle-orm';
import type { CaseScope } from '../auth/access.ts';
import type { FilterScope } from '../../filters.ts';
import { rows, type Database } from '../db/client.ts';
import * as directory from './directory.ts';

/** What the filter bar offers: every organisation with its services and teams. */
export async function filterScope(db: Database, viewer: { organisationId: number | null }): Promise<FilterScope> {
	const organisations = await directory.list(db);
	return {
		organisations: organisations
			// A viewer tied to one organisation chooses among its figures only (parseFilters then keeps to it).
			.filter((organisation) => viewer.organisationId === null || organisation.id === viewer.organisationId)
			.map(({ code, name, services }) => ({ code, name, services }))
	};
}

/** The first local date any contact arrived on, so the period choices stop where the data does. */
export async function earliestContactDate(db: Database): Promise<string | null> {
	// One look-up at the start of the received index (contacts_received_index).
	const [row] = await rows<{ earliest: string | null }>(
		db,
		sql`select to_char(min(received_at) at time zone 'Europe/London', 'YYYY-MM-DD') as earliest from contacts`
	);
	return row?.earliest ?? null;
}

/** Whether the viewer may see and change `organisation`'s figures (a viewer tied to one organisation sees only it). */
export async function organisationVisible(db: Database, viewer: { organisationId: number | null }, organisation: string): Promise<boolean> {
	if (viewer.organisationId === null) return true;
	const found = await rows<{ id: number }>(db, sql`select id from organisations where code = ${organisation}`);
	return found[0]?.id === viewer.organisationId;
}

/**
 * Rows (aliased `alias`, carrying organisation_id and team_id: contacts, assessments, alerts) within
 * a viewer's case scope (auth/access.ts caseScope), as one SQL condition.
 */
export function withinCaseScope(scope: CaseScope, alias: string): SQL {
	const column = (name: string) => sql.raw(`${alias}.${name}`);
	const parts: SQL[] = [];
	if (scope.organisationId !== null) parts.push(sql`${column('organisation_id')} = ${scope.organisationId}`);
	if (scope.teams !== 'all') {
		parts.push(scope.teams.length ? sql`${column('team_id')} in (${sql.join(scope.teams.map((id) => sql`${id}`), sql`, `)})` : sql`false`);
	}
	return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}
