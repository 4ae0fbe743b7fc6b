/**
 * The case log (/contacts): the filter bar's URL read and checked, and one keyset-paged page of
 * rows.
 *
 *   import * as caseLog from '$lib/server/cases/case-log.ts';
 *   const log = await caseLog.caseLog(db, url.searchParams, filterScope, caseScope(viewer));
 *
 * A row of the log is one promise: a contact scored against one standard (a SAR has two rows,
 * sar.published and sar.statutory, each with its own due date and verdict), so the log's counts
 * are the overview's. The period is the one the clock started in, as on the overview.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { endOfLocalDay, localDate, startOfLocalDay } from '../../engine/dates.ts';
import { parseFilters, type FilterScope, type Filters } from '../../filters.ts';
import type { CaseScope } from '../auth/access.ts';
import { epochMs, fromEpochMs, rows, type Database } from '../db/client.ts';
import { parseForm, type FieldError } from '../../forms.ts';


export const caseStatuses = ['open', 'overdue', 'met', 'breached', 'excluded', 'lapsed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const caseSorts = ['due', 'received'] as const;
export type CaseSort = (typeof caseSorts)[number];

export const PAGE_SIZE = 50;

/** Where a page starts: just after (next) or just before (previous) a row's sort key. */
export interface Cursor {
	direction: 'after' | 'before';
	/** Due or received instant, UTC to the microsecond ('infinity': no due date). */
	at: string;
	/** Received sort only: the contact's id, between the instant and the assessment's. */
	contactId: number | null;
	id: number;
}

export interface CaseLogQuery {
	filters: Filters;
	/** A reference, or the start of one; searching by reference looks in every period. */
	reference: string | null;
	status: CaseStatus | null;
	standard: string | null;
	sort: CaseSort;
	cursor: Cursor | null;
}

export type CaseLogError = FieldError;

export interface CaseRow {
	/** The assessment's id; the page links to the contact. */
	id: number;
	contactId: number;
	reference: string;
	contactType: string;
	organisation: string;
	team: string | null;
	receivedAt: Date;
	dueAt: Date | null;
	respondedAt: Date | null;
	/** The stored verdict, with open ones told apart by the time of asking. */
	status: 'met' | 'breached' | 'excluded' | 'lapsed' | 'open' | 'due-today' | 'overdue';
	standard: { code: string; title: string };
	/** The contact's other standards (a SAR is scored against two). */
	otherStandards: string[];
}

export interface CaseLog {
	query: CaseLogQuery;
	rows: CaseRow[];
	/** Cursors for the previous and next pages, null at either end. */
	previous: string | null;
	next: string | null;
	/** Every standard code with its title, for the filter. */
	standards: { code: string; title: string }[];
}

const instantText = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** `<instant>|<id>` for the due sort, `<instant>|<contact id>|<id>` for the received sort. */
const cursorText = z
	.string()
	.max(80)
	.transform((text, context) => {
		const [at = '', ...ids] = text.split('|');
		const valid = (at === 'infinity' || (instantText.test(at) && new Date(at).toISOString().slice(0, 19) === at.slice(0, 19))) && ids.length >= 1 && ids.length <= 2;
		const parsedIds = ids.map((part) => id.safeParse(part));
		if (!valid || parsedIds.some((p) => !p.success)) {
			context.addIssue({ code: 'custom', message: 'is not a page of this list' });
			return z.NEVER;
		}
		const numbers = parsedIds.map((p) => p.data as number);
		return { at, contactId: numbers.length === 2 ? numbers[0]! : null, id: numbers.at(-1)! };
	});

const query = z.object({
	reference: z
		.string()
		.trim()
		.max(64)
		.regex(/^[^\s%_\\]*$/, 'must be a reference without spaces, % or _')
		.optional(),
	status: z.enum(caseStatuses, { message: 'is not a status: choose open, overdue, met, breached, excluded or lapsed' }).optional(),
	standard: z
		.string()
		.trim()
		.max(64)
		.regex(/^[a-z0-9][a-z0-9.-]*$/i, 'is not a standard code')
		.optional(),
	sort: z.enum(caseSorts, { message: 'is not a sort order: choose due or received' }).optional(),
	after: cursorText.optional(),
	before: cursorText.optional()
});

/**
 * Reads the case log's URL: the filter bar's values, a reference, status, standard, sort and
 * page. Problems come back as messages for a GOV.UK error summary, never as an exception.
 */
export function parseCaseLogQuery(params: URLSearchParams, scope: FilterScope, now = new Date()): { query: CaseLogQuery } | { errors: CaseLogError[] } {
	const raw = Object.fromEntries([...params].filter(([, value]) => value !== ''));
	// A cursor is named 'after' or 'before' in the URL; the page says 'page'.
	const parsed = parseForm(query, raw, { message: (issue, value) => `The ${['after', 'before'].includes(String(issue.path[0])) ? 'page' : String(issue.path[0])} '${String(value ?? '')}' ${issue.message}` });
	const filters = parseFilters(params, scope, now);
	const errors: CaseLogError[] = 'errors' in filters ? [...filters.errors] : [];
	if ('errors' in parsed) errors.push(...parsed.errors);
	const data = 'data' in parsed ? parsed.data : undefined;
	if (data?.after && data.before) errors.push({ field: 'after', message: 'Ask for the page after a row or before one, not both' });
	const sort = data?.sort ?? 'due';
	const page = data?.after ?? data?.before;
	// A due-date cursor has one id (and may be 'infinity': no due date); a received one has two.
	if (page && ((sort === 'due') !== (page.contactId === null) || (sort === 'received' && page.at === 'infinity'))) {
		errors.push({ field: data?.after ? 'after' : 'before', message: `The page does not belong to the list sorted by ${sort === 'due' ? 'due date' : 'date received'}` });
	}
	if (errors.length || !data || 'errors' in filters) return { errors };
	return {
		query: {
			filters: filters.filters,
			reference: data.reference || null,
			status: data.status ?? null,
			standard: data.standard ?? null,
			sort,
			cursor: page ? { direction: data.after ? 'after' : 'before', ...page } : null
		}
	};
}

/** The case log's page for a URL, or the problems with the URL. */
export async function caseLog(db: Database, params: URLSearchParams, scope: FilterScope, visible: CaseScope, now = new Date()): Promise<CaseLog | { errors: CaseLogError[] }> {
	const parsed = parseCaseLogQuery(params, scope, now);
	if ('errors' in parsed) return parsed;
	const standards = await standardChoices(db);
	const { query } = parsed;
	if (query.standard && !standards.some((s) => s.code === query.standard)) {
		return { errors: [{ field: 'standard', message: `There is no standard '${query.standard}'` }] };
	}
	return { ...(await page(db, query, visible, now)), query, standards };
}

async function standardChoices(db: Database) {
	return rows<{ code: string; title: string }>(
		db,
		sql`select distinct on (code) code, title from standards order by code, organisation_id`
	);
}

/** One page of the log: keyset-paged, so page 500 costs what page 1 does. */
export async function page(db: Database, query: CaseLogQuery, visible: CaseScope, now = new Date()): Promise<Pick<CaseLog, 'rows' | 'previous' | 'next'>> {
	const backwards = query.cursor?.direction === 'before';
	const found = await rows<RawRow>(db, pageSql(query, limitToScope(await scopeIds(db, query), visible), now));
	const more = found.length > PAGE_SIZE;
	const shown = found.slice(0, PAGE_SIZE);
	if (backwards) shown.reverse();
	const first = shown[0];
	const last = shown.at(-1);
	return {
		rows: shown.map(caseRow),
		// Going forward there is a page before whenever we came from one; going back, the extra row says so.
		previous: first && (backwards ? more : query.cursor !== null) ? first.cursor : null,
		next: last && (backwards ? true : more) ? last.cursor : null
	};
}

interface RawRow {
	id: string | number;
	contact_id: string | number;
	external_ref: string;
	contact_type: string;
	organisation: string;
	team: string | null;
	received_ms: number;
	due_ms: number | null;
	responded_ms: number | null;
	status: 'met' | 'breached' | 'excluded' | 'lapsed' | 'open';
	due_today: boolean;
	overdue: boolean;
	standard_code: string;
	standard_title: string;
	other_standards: string | null;
	cursor: string;
}

function caseRow(row: RawRow): CaseRow {
	return {
		id: Number(row.id),
		contactId: Number(row.contact_id),
		reference: row.external_ref,
		contactType: row.contact_type,
		organisation: row.organisation,
		team: row.team,
		receivedAt: fromEpochMs(row.received_ms)!,
		dueAt: fromEpochMs(row.due_ms),
		respondedAt: fromEpochMs(row.responded_ms),
		status: row.status !== 'open' ? row.status : row.overdue ? 'overdue' : row.due_today ? 'due-today' : 'open',
		standard: { code: row.standard_code, title: row.standard_title },
		otherStandards: row.other_standards ? row.other_standards.split(' ') : []
	};
}

// A sort key to the microsecond, whatever the session's time zone.
const exact = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The ids the filter's codes name: a team, service or standard code may be used by both councils. */
export interface ScopeIds {
	/** The organisations the filter leaves (named, or implied by a team, service or standard), null for all. */
	organisations: number[] | null;
	services: number[] | null;
	teams: number[] | null;
	standards: number[] | null;
}

/**
 * Codes to ids first, so the planner sees plain values it has statistics for, and the implied
 * organisations, so the organisation-led indexes serve a team or standard filter.
 */
export async function scopeIds(db: Database, query: CaseLogQuery): Promise<ScopeIds> {
	const { organisation, service, team } = query.filters;
	const inOrganisation = organisation ? sql`and o.code = ${organisation}` : sql``;
	const pairs = (table: string, code: string | null) =>
		code
			? sql`(select string_agg(x.id || ':' || x.organisation_id, ',' order by x.id) from ${sql.raw(table)} x
					join organisations o on o.id = x.organisation_id where x.code = ${code} ${inOrganisation})`
			: sql`null`;
	const [found] = await rows<{ organisations: string | null; services: string | null; teams: string | null; standards: string | null }>(
		db,
		sql`select ${organisation ? sql`(select id || ':' || id from organisations where code = ${organisation})` : sql`null`} as organisations,
			${pairs('services', service)} as services, ${pairs('teams', team)} as teams, ${pairs('standards', query.standard)} as standards`
	);
	let organisations: Set<number> | null = null;
	const ids = (text: string | null | undefined) => {
		if (text === null || text === undefined) return null;
		const found = text.split(',').filter(Boolean).map((pair) => pair.split(':').map(Number) as [number, number]);
		const owners = new Set(found.map(([, owner]) => owner));
		organisations = organisations === null ? owners : new Set([...organisations].filter((id) => owners.has(id)));
		return found.map(([id]) => id);
	};
	const result = { organisations: null, services: ids(found?.services), teams: ids(found?.teams), standards: ids(found?.standards) };
	ids(found?.organisations);
	return { ...result, organisations: organisations === null ? null : [...(organisations as Set<number>)].sort((a, b) => a - b) };
}

/** The viewer's case scope applied to the filter's organisations and teams, so the SQL keeps to them. */
export function limitToScope(ids: ScopeIds, visible: CaseScope): ScopeIds {
	const own = visible.organisationId;
	const organisations = own === null ? ids.organisations : ids.organisations ? ids.organisations.filter((id) => id === own) : [own];
	const allowed = visible.teams;
	const teams = allowed === 'all' ? ids.teams : ids.teams ? ids.teams.filter((id) => allowed.includes(id)) : [...allowed];
	return { ...ids, organisations, teams };
}

/** Conditions on assessments (a) and contacts (c) besides the period and the page. */
function filtersSql(query: CaseLogQuery, ids: ScopeIds, now: Date): SQL[] {
	const among = (column: SQL, values: number[]) => (values.length ? sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})` : sql`false`);
	const parts: SQL[] = [];
	if (ids.organisations) parts.push(among(sql`a.organisation_id`, ids.organisations));
	if (ids.services) parts.push(among(sql`a.service_id`, ids.services));
	if (ids.teams) parts.push(among(sql`a.team_id`, ids.teams));
	if (ids.standards) parts.push(among(sql`a.standard_id`, ids.standards));
	if (query.status === 'overdue') parts.push(sql`a.status = 'open' and a.due_at < ${now.toISOString()}::timestamptz`);
	else if (query.status) parts.push(sql`a.status = ${query.status}`);
	// Exact or prefix, any case; the reference has no wildcard characters (parseCaseLogQuery).
	if (query.reference) parts.push(sql`lower(c.external_ref) like ${`${query.reference.toLowerCase()}%`}`);
	return parts;
}

const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);

/**
 * The page's rows, walked along an index in sort order so that the database reads about a page,
 * not the period. A period's rows are read in two parts merged in order: those whose sort key
 * falls in the period (most), walked along the due or received index from the period's start;
 * and the few keyed before it (due before the clock starts, received before a later clock start),
 * found through small partial indexes.
 */
export function pageSql(query: CaseLogQuery, ids: ScopeIds, now: Date, limit = PAGE_SIZE + 1): SQL {
	const backwards = query.cursor?.direction === 'before';
	const order = backwards ? sql.raw('desc') : sql.raw('asc');
	const beyond = backwards ? sql.raw('<') : sql.raw('>');
	const where = filtersSql(query, ids, now);
	const cursor = query.cursor;
	const period = query.reference ? null : query.filters.period;
	const periodStart = period ? startOfLocalDay(period.start).toISOString() : null;
	const inPeriod = period ? sql`a.clock_start_on between ${period.start}::date and ${period.end}::date` : sql`true`;

	let walk: SQL;
	if (query.sort === 'due') {
		const key = sql`coalesce(a.due_at, 'infinity'::timestamptz)`;
		const after = (k: SQL) => (cursor ? sql`(${k}, a.id) ${beyond} (${cursor.at}::timestamptz, ${cursor.id}::bigint)` : sql`true`);
		const branch = (k: SQL, conditions: SQL[]) =>
			sql`(select a.id, ${k} as k, 0::bigint as contact_id from assessments a
				${query.reference ? sql`join contacts c on c.id = a.contact_id` : sql``}
				where ${and([...conditions, ...where, after(k)])}
				order by 2 ${order}, 1 ${order} limit ${limit})`;
		// Most rows walk the due index from the period's start; the few due before their clock starts
		// (or with no due date) come from a small partial index.
		walk = sql`${branch(sql`a.due_at`, period ? [sql`a.due_at >= ${periodStart}::timestamptz`, inPeriod] : [sql`a.due_at is not null`])}
			union all
			${branch(key, [
				sql`(a.due_at is null or a.due_at < (a.clock_start_on::timestamp at time zone 'Europe/London'))`,
				period ? sql`(a.due_at is null or a.due_at < ${periodStart}::timestamptz)` : sql`a.due_at is null`,
				inPeriod
			])}`;
	} else {
		const after = cursor
			? sql`(c.received_at, c.id) ${beyond}= (${cursor.at}::timestamptz, ${cursor.contactId}::bigint)
				and ((c.received_at, c.id) ${beyond} (${cursor.at}::timestamptz, ${cursor.contactId}::bigint) or a.id ${beyond} ${cursor.id}::bigint)`
			: sql`true`;
		const branch = (conditions: SQL[]) =>
			sql`(select a.id, c.received_at as k, c.id as contact_id from contacts c join assessments a on a.contact_id = c.id
				where ${and([...conditions, ...where, after])}
				order by c.received_at ${order}, c.id ${order}, a.id ${order} limit ${limit})`;
		const periodEnd = period ? endOfLocalDay(period.end).toISOString() : null;
		walk = period
			? sql`${branch([sql`c.received_at >= ${periodStart}::timestamptz`, sql`c.received_at <= ${periodEnd}::timestamptz`, inPeriod])}
				union all
				${branch([
					// A clock starts at receipt, or later on complete information or a restart (engine/clock.ts clockStartMs).
					sql`c.id in (select id from contacts where clock_start_at >= ${periodStart}::timestamptz and received_at < ${periodStart}::timestamptz
						union select contact_id from contact_events where kind = 'restart' and at >= ${periodStart}::timestamptz)`,
					sql`c.received_at < ${periodStart}::timestamptz`,
					inPeriod
				])}`
			: branch([]);
	}

	const endOfToday = endOfLocalDay(localDate(now)).toISOString();
	return sql`with page as materialized (
			select * from (${walk}) w order by k ${order}, contact_id ${order}, id ${order} limit ${limit}
		)
		select a.id, a.contact_id, c.external_ref, c.contact_type, o.name as organisation, t.name as team,
			${epochMs('c.received_at')} as received_ms, ${epochMs('a.due_at')} as due_ms, ${epochMs('a.responded_at')} as responded_ms,
			a.status, s.code as standard_code, s.title as standard_title,
			(a.status = 'open' and a.due_at < ${now.toISOString()}::timestamptz) as overdue,
			(a.status = 'open' and a.due_at <= ${endOfToday}::timestamptz) as due_today,
			(select string_agg(s2.code, ' ' order by s2.code) from assessments a2 join standards s2 on s2.id = a2.standard_id
				where a2.contact_id = a.contact_id and a2.id <> a.id) as other_standards,
			${query.sort === 'due' ? sql`case when a.due_at is null then 'infinity' else ${exact(sql`a.due_at`)} end || '|' || a.id` : sql`${exact(sql`c.received_at`)} || '|' || c.id || '|' || a.id`} as cursor
		from page p
		join assessments a on a.id = p.id
		join contacts c on c.id = a.contact_id
		join organisations o on o.id = a.organisation_id
		join standards s on s.id = a.standard_id
		left join teams t on t.id = a.team_id
		order by p.k ${order}, p.contact_id ${order}, p.id ${order}`;
}
