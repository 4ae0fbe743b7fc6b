/**
 * The team lead's queue (/alerts): open alerts for the viewer's teams, the current (highest)
 * level per contact and standard, sorted by due; and what a lead does with one: acknowledge it,
 * assign it to an officer of its team, add a note. Every change is audited in its transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { ALERT_LEVEL_NAMES, timeLeft } from '../../engine/alerts.ts';
import { formatDay, formatInstant, formatLocalTime, localEpochDay } from '../../engine/dates.ts';
import { count } from '../../format.ts';
import { unitOf } from '../../engine/rules.ts';
import { parseForm, type FieldError } from '../../forms.ts';
import { loadPlan } from '../assessments/plan.ts';
import * as audit from '../audit/record.ts';
import { caseScope, type Viewer } from '../auth/access.ts';
import { withinCaseScope } from '../directory/scope.ts';
import { epochMs, rows, type Database } from '../db/client.ts';
import { alertLevels, type AlertLevel } from '../db/schema/alerts.ts';
import { instant } from './sql.ts';

/** Alerts (aliased al) the viewer may see: their case scope (their organisation, and their teams unless they see all). */
function visibleTo(viewer: Viewer): SQL {
	return withinCaseScope(caseScope(viewer), 'al');
}

/** Viewers with the same scope key see the same alerts (what visibleTo filters on). */
export function scopeKey(viewer: Viewer): string {
	const { organisationId, teams } = caseScope(viewer);
	return `${organisationId ?? '*'}:${teams === 'all' ? '*' : [...teams].sort((a, b) => a - b).join(',')}`;
}

const levelRank = (level: SQL) => sql`case ${level} when 'notice' then 1 when 'warning' then 2 when 'breach' then 3 when 'very-overdue' then 4 else 5 end`;
const LEVEL_RANK = levelRank(sql`al.level`);

/** The orders the queue can be read in; 'due' (soonest first) unless chosen. */
export const QUEUE_SORTS = ['due', 'level', 'raised', 'team'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** Alerts on one page of the queue. */
export const QUEUE_PAGE_SIZE = 50;

export interface QueueFilters {
	team: number | null;
	level: AlertLevel | null;
	standard: string | null;
	sort: QueueSort;
	/** 1 for the first page. */
	page: number;
}

export const NO_FILTERS: QueueFilters = { team: null, level: null, standard: null, sort: 'due', page: 1 };

const filterSchema = z.object({
	team: z.coerce.number({ error: 'Select a team from the list' }).int('Select a team from the list').positive('Select a team from the list').optional(),
	level: z.enum(alertLevels, { error: 'Select a level from the list' }).optional(),
	standard: z.string().trim().max(64).regex(/^[a-z0-9][a-z0-9.-]*$/, 'Select a promise from the list').optional(),
	sort: z.enum(QUEUE_SORTS, { error: 'Sort by a column of the table' }).optional(),
	page: z.coerce.number({ error: 'Choose a page of the queue' }).int('Choose a page of the queue').positive('Choose a page of the queue').max(100_000, 'Choose a page of the queue').optional()
});

export function parseFilters(params: URLSearchParams): { filters: QueueFilters } | { errors: FieldError[] } {
	const raw = Object.fromEntries([...params].filter(([key, value]) => value !== '' && key in filterSchema.shape));
	const parsed = parseForm(filterSchema, raw);
	if ('errors' in parsed) return parsed;
	const { team, level, standard, sort, page } = parsed.data;
	return { filters: { team: team ?? null, level: level ?? null, standard: standard ?? null, sort: sort ?? 'due', page: page ?? 1 } };
}

/** The queue's query string for filters ('' for none): links to pages and orders, and coming back after an action. */
export function returnQuery(filters: QueueFilters): string {
	const params = new URLSearchParams();
	if (filters.team !== null) params.set('team', String(filters.team));
	if (filters.level) params.set('level', filters.level);
	if (filters.standard) params.set('standard', filters.standard);
	if (filters.sort !== 'due') params.set('sort', filters.sort);
	if (filters.page !== 1) params.set('page', String(filters.page));
	const query = params.toString();
	return query ? `?${query}` : '';
}

export interface QueueNote {
	author: string;
	body: string;
	at: string;
}

export interface QueueItem {
	id: number;
	level: AlertLevel;
	levelName: string;
	contactId: number | null;
	reference: string | null;
	contactType: string | null;
	standardCode: string;
	standardTitle: string;
	teamId: number | null;
	team: string | null;
	/** 'Thu 22 Jan 2026 23:59', or for a service-level alert the hour it is about. */
	due: string | null;
	/** '2 working days left', 'overdue by 1 working day', 'due today 23:59'. */
	timeLeft: string | null;
	/** Phone: 'Calls 09:00–10:00 on Tue 24 Nov 2026'. */
	about: string | null;
	raised: string;
	acknowledged: { by: string; at: string } | null;
	assignedTo: { id: string; name: string } | null;
	notes: QueueNote[];
}

export interface Queue {
	/** One page of the open alerts matching the filters, in the chosen order. */
	items: QueueItem[];
	/** Open alerts matching the filters, on every page. */
	total: number;
	page: number;
	pages: number;
	teams: { id: number; name: string }[];
	standards: { code: string; title: string }[];
	/** People each listed alert may be assigned to: members of its team. */
	officers: Record<number, { id: string; name: string }[]>;
}

interface ItemRow {
	id: string | number;
	level: AlertLevel;
	contact_id: string | number | null;
	reference: string | null;
	contact_type: string | null;
	code: string;
	title: string;
	team_id: number | null;
	team_name: string | null;
	subject_key: string;
	due_ms: number | null;
	version_id: number | null;
	raised_ms: number;
	acknowledged_ms: number | null;
	acknowledged_by: string | null;
	assigned_to: string | null;
	assigned_name: string | null;
	total: number;
}

const ORDERS: Record<QueueSort, SQL> = {
	due: sql`coalesce(a.due_at, cur.due_at, cur.crossed_at), cur.id`,
	level: sql`${levelRank(sql`cur.level`)} desc, coalesce(a.due_at, cur.due_at, cur.crossed_at), cur.id`,
	raised: sql`cur.raised_at desc, cur.id desc`,
	team: sql`t.name nulls last, coalesce(a.due_at, cur.due_at, cur.crossed_at), cur.id`
};

/** One page of the viewer's queue as at `now`: by default warnings and above (notices with level=notice). */
export async function list(db: Database, viewer: Viewer, filters: QueueFilters, now: Date = new Date(), pageSize = QUEUE_PAGE_SIZE): Promise<Queue> {
	const conditions: SQL[] = [];
	if (filters.team !== null) conditions.push(sql`cur.team_id = ${filters.team}`);
	conditions.push(filters.level ? sql`cur.level = ${filters.level}` : sql`cur.level <> 'notice'`);
	if (filters.standard) conditions.push(sql`s.code = ${filters.standard}`);
	const found = await rows<ItemRow>(
		db,
		sql`with cur as (
				select distinct on (al.contact_id, al.standard_id, al.subject_key) al.*
				from alerts al
				where al.cleared_at is null and ${visibleTo(viewer)}
				order by al.contact_id, al.standard_id, al.subject_key, ${LEVEL_RANK} desc
			)
			select cur.id, cur.level, cur.contact_id, c.external_ref as reference, c.contact_type, s.code, s.title,
				cur.team_id, t.name as team_name, cur.subject_key,
				${epochMs('coalesce(a.due_at, cur.due_at)')} as due_ms, a.standard_version_id as version_id,
				${epochMs('cur.raised_at')} as raised_ms, ${epochMs('cur.acknowledged_at')} as acknowledged_ms,
				ack.name as acknowledged_by, cur.assigned_to, asg.name as assigned_name,
				count(*) over ()::int as total
			from cur
			join standards s on s.id = cur.standard_id
			left join contacts c on c.id = cur.contact_id
			left join teams t on t.id = cur.team_id
			left join users ack on ack.id = cur.acknowledged_by
			left join users asg on asg.id = cur.assigned_to
			left join lateral (select a.due_at, a.standard_version_id from assessments a
				where a.contact_id = cur.contact_id and a.standard_id = cur.standard_id and a.status = 'open'
				order by a.due_at desc limit 1) a on true
			where ${sql.join(conditions, sql` and `)}
			order by ${ORDERS[filters.sort]}
			limit ${pageSize} offset ${(filters.page - 1) * pageSize}`
	);
	const plan = await loadPlan(db);
	const versions = new Map(plan.versions.map((v) => [v.id, v]));
	const ids = found.map((r) => Number(r.id));
	const teamIds = [...new Set(found.map((r) => r.team_id).filter((id): id is number => id !== null))];
	const [notes, members, teams, standards] = await Promise.all([
		notesOf(db, ids),
		membersOf(db, teamIds),
		rows<{ id: number; name: string }>(db, sql`select id, name from teams t where ${teamScope(viewer)} order by name`),
		rows<{ code: string; title: string }>(
			db,
			sql`select distinct s.code, s.title from standards s ${viewer.organisationId === null ? sql`` : sql`where s.organisation_id = ${viewer.organisationId}`} order by s.title`
		)
	]);
	const items = found.map((row): QueueItem => {
		const version = row.version_id === null ? undefined : versions.get(row.version_id);
		const dueMs = row.due_ms === null ? null : Number(row.due_ms);
		const phone = row.level === 'service-level';
		const hour = phone ? new Date(row.subject_key).getTime() : NaN;
		return {
			id: Number(row.id),
			level: row.level,
			levelName: ALERT_LEVEL_NAMES[row.level],
			contactId: row.contact_id === null ? null : Number(row.contact_id),
			reference: row.reference,
			contactType: row.contact_type,
			standardCode: row.code,
			standardTitle: row.title,
			teamId: row.team_id,
			team: row.team_name,
			due: dueMs === null ? null : formatInstant(dueMs),
			timeLeft: version && dueMs !== null ? timeLeft(unitOf(version.rules.rule), version.standard.calendar, dueMs, now.getTime()) : null,
			about: Number.isFinite(hour) ? `Calls ${formatLocalTime(hour)} to ${formatLocalTime(hour + 3_600_000)} on ${formatDay(localEpochDay(hour))}: service level below target` : null,
			raised: formatInstant(Number(row.raised_ms)),
			acknowledged: row.acknowledged_ms === null ? null : { by: row.acknowledged_by ?? 'someone', at: formatInstant(Number(row.acknowledged_ms)) },
			assignedTo: row.assigned_to ? { id: row.assigned_to, name: row.assigned_name ?? row.assigned_to } : null,
			notes: notes.get(Number(row.id)) ?? []
		};
	});
	// A page past the end (its last alerts were just acknowledged or cleared): the first page instead.
	if (found.length === 0 && filters.page > 1) return list(db, viewer, { ...filters, page: 1 }, now, pageSize);
	const total = Number(found[0]?.total ?? 0);
	return {
		items,
		total,
		page: filters.page,
		pages: Math.max(1, Math.ceil(total / pageSize)),
		teams,
		standards,
		officers: Object.fromEntries(teamIds.map((id) => [id, members.get(id) ?? []]))
	};
}

function teamScope(viewer: Viewer): SQL {
	const scope = caseScope(viewer);
	const parts: SQL[] = [sql`t.active`];
	if (scope.organisationId !== null) parts.push(sql`t.organisation_id = ${scope.organisationId}`);
	if (scope.teams !== 'all') parts.push(scope.teams.length ? sql`t.id in (${sql.join(scope.teams.map((id) => sql`${id}`), sql`, `)})` : sql`false`);
	return sql.join(parts, sql` and `);
}

async function notesOf(db: Database, alertIds: number[]): Promise<Map<number, QueueNote[]>> {
	const out = new Map<number, QueueNote[]>();
	if (alertIds.length === 0) return out;
	const found = await rows<{ alert_id: string | number; body: string; author: string | null; at_ms: number }>(
		db,
		sql`select n.alert_id, n.body, u.name as author, ${epochMs('n.created_at')} as at_ms
			from alert_notes n left join users u on u.id = n.author_id
			where n.alert_id in (select value::bigint from jsonb_array_elements_text(${JSON.stringify(alertIds)}::jsonb))
			order by n.created_at, n.id`
	);
	for (const note of found) {
		const id = Number(note.alert_id);
		out.set(id, [...(out.get(id) ?? []), { author: note.author ?? 'Someone', body: note.body, at: formatInstant(Number(note.at_ms)) }]);
	}
	return out;
}

async function membersOf(db: Database, teamIds: number[]): Promise<Map<number, { id: string; name: string }[]>> {
	const out = new Map<number, { id: string; name: string }[]>();
	if (teamIds.length === 0) return out;
	const found = await rows<{ team_id: number; id: string; name: string }>(
		db,
		sql`select ut.team_id, u.id, u.name from user_teams ut join users u on u.id = ut.user_id
			where not u.disabled and ut.team_id in (select value::int from jsonb_array_elements_text(${JSON.stringify(teamIds)}::jsonb))
			order by u.name`
	);
	for (const member of found) out.set(member.team_id, [...(out.get(member.team_id) ?? []), { id: member.id, name: member.name }]);
	return out;
}

/** Open alerts (warning and above, not yet acknowledged) the viewer may see: the navigation badge. */
export async function countOpen(db: Database, viewer: Viewer): Promise<number> {
	const [row] = await rows<{ count: number }>(
		db,
		// As the queue lists them: each contact's highest open level, counted while it is not acknowledged.
		sql`select count(*)::int as count from (
				select distinct on (al.contact_id, al.standard_id, al.subject_key) al.acknowledged_at
				from alerts al
				where al.cleared_at is null and al.level <> 'notice' and ${visibleTo(viewer)}
				order by al.contact_id, al.standard_id, al.subject_key, ${LEVEL_RANK} desc
			) highest where highest.acknowledged_at is null`
	);
	return Number(row?.count ?? 0);
}

/** Changes whenever an alert the viewer may see is raised, cleared or acknowledged (for the live stream). */
export async function signature(db: Database, viewer: Viewer): Promise<string> {
	const [row] = await rows<{ latest: string | number | null; open: number; acknowledged: number }>(
		db,
		sql`select max(al.id) as latest, count(*) filter (where al.cleared_at is null)::int as open,
				count(*) filter (where al.cleared_at is null and al.acknowledged_at is not null)::int as acknowledged
			from alerts al where al.cleared_at is null and ${visibleTo(viewer)}`
	);
	return `${row?.latest ?? 0}:${row?.open ?? 0}:${row?.acknowledged ?? 0}`;
}

// --- Actions ---------------------------------------------------------------------------------

/** What an action did: `done` alerts changed, `gone` no longer in the queue (cleared meanwhile). */
export type ActionResult = { ok: true; done: number; gone: number } | { ok: false; status: 400 | 404; errors: FieldError[] };

const notFound: ActionResult = { ok: false, status: 404, errors: [{ field: 'alert', message: 'That alert is not in your queue (it may have been cleared)' }] };
const noneFound: ActionResult = { ok: false, status: 404, errors: [{ field: 'alerts', message: 'None of those alerts is in your queue any more (they may have been cleared)' }] };

interface VisibleAlert {
	id: string | number;
	organisation_id: number;
	team_id: number | null;
	team_name: string | null;
	reference: string | null;
	acknowledged_at: Date | null;
	assigned_to: string | null;
}

/** The alerts among `alertIds` the viewer may act on, locked for the transaction. */
async function findVisible(db: Database, viewer: Viewer, alertIds: readonly number[]): Promise<VisibleAlert[]> {
	return rows<VisibleAlert>(
		db,
		sql`select al.id, al.organisation_id, al.team_id, t.name as team_name, c.external_ref as reference, al.acknowledged_at, al.assigned_to
			from alerts al left join teams t on t.id = al.team_id left join contacts c on c.id = al.contact_id
			where al.id in (select value::bigint from jsonb_array_elements_text(${JSON.stringify(alertIds)}::jsonb)) and al.cleared_at is null and ${visibleTo(viewer)}
			order by al.id for update of al`
	);
}

const actor = (viewer: Viewer) => audit.audited(audit.actorOf(viewer));

export const alertIdSchema = z.coerce.number({ error: 'Choose an alert' }).int().positive();
/** The alerts ticked in the queue: one or more, at most a page and a bit. */
export const alertIdsSchema = z.array(alertIdSchema).min(1, 'Select at least one alert').max(500, 'Select at most 500 alerts at a time');

const plural = (n: number, one: string, many: string) => count(n, one, many);

/** Acknowledges the viewer's alerts among `alertIds`; those no longer in their queue are left out and counted. */
export async function acknowledge(db: Database, viewer: Viewer, alertIds: readonly number[], now: Date = new Date()): Promise<ActionResult> {
	return db.transaction(async (tx) => {
		const found = await findVisible(tx, viewer, alertIds);
		if (found.length === 0) return alertIds.length === 1 ? notFound : noneFound;
		const pending = found.filter((alert) => !alert.acknowledged_at);
		for (const alert of pending) {
			const alertId = Number(alert.id);
			await tx.execute(sql`update alerts set acknowledged_at = ${instant(now)}, acknowledged_by = ${viewer.id || null} where id = ${alertId}`);
			await audit.record(tx, { ...actor(viewer), action: 'acknowledge', entity: 'alert', entityId: alertId, organisationId: alert.organisation_id, before: { acknowledgedAt: null }, after: { acknowledgedAt: now.toISOString() } });
		}
		return { ok: true, done: pending.length, gone: new Set(alertIds).size - found.length } as const;
	});
}

/** Assigns every one of `alertIds` to an officer, who must be in each alert's team; all or none. */
export async function assign(db: Database, viewer: Viewer, alertIds: readonly number[], userId: string): Promise<ActionResult> {
	return db.transaction(async (tx) => {
		const found = await findVisible(tx, viewer, alertIds);
		if (found.length < new Set(alertIds).size) return alertIds.length === 1 ? notFound : { ok: false, status: 404, errors: [{ field: 'alerts', message: `${plural(alertIds.length - found.length, 'of the alerts is', 'of the alerts are')} not in your queue any more: nothing was assigned` }] };
		const [member] = await rows<{ id: string; name: string; teams: number[] }>(
			tx,
			sql`select u.id, u.name, coalesce(array_agg(ut.team_id) filter (where ut.team_id is not null), '{}') as teams
				from users u left join user_teams ut on ut.user_id = u.id where u.id = ${userId} and not u.disabled group by u.id, u.name`
		);
		const outside = found.filter((alert) => alert.team_id === null || !member?.teams.map(Number).includes(alert.team_id));
		if (!member || outside.length) {
			const field = alertIds.length === 1 ? `officer-${alertIds[0]}` : 'officer';
			const which = outside.map((alert) => alert.reference ?? `alert ${alert.id}`).slice(0, 5).join(', ');
			const message = !member ? 'Select an officer from the list' : alertIds.length === 1 ? 'Select an officer in this alert’s team' : `${member.name} is not in the team of ${which}${outside.length > 5 ? ` and ${outside.length - 5} more` : ''}: nothing was assigned`;
			return { ok: false, status: 400, errors: [{ field, message }] } as const;
		}
		for (const alert of found) {
			const alertId = Number(alert.id);
			if (alert.assigned_to === userId) continue;
			await tx.execute(sql`update alerts set assigned_to = ${userId} where id = ${alertId}`);
			await audit.record(tx, { ...actor(viewer), action: 'assign', entity: 'alert', entityId: alertId, organisationId: alert.organisation_id, before: { assignedTo: alert.assigned_to }, after: { assignedTo: userId } });
		}
		return { ok: true, done: found.length, gone: 0 } as const;
	});
}

export const NOTE_MAX = 2000;

export async function addNote(db: Database, viewer: Viewer, alertId: number, body: string, now: Date = new Date()): Promise<ActionResult> {
	const text = body.trim();
	if (text === '') return { ok: false, status: 400, errors: [{ field: `note-${alertId}`, message: 'Enter a note' }] };
	if (text.length > NOTE_MAX) return { ok: false, status: 400, errors: [{ field: `note-${alertId}`, message: `The note must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer` }] };
	return db.transaction(async (tx) => {
		const [alert] = await findVisible(tx, viewer, [alertId]);
		if (!alert) return notFound;
		const [note] = await rows<{ id: string | number }>(
			tx,
			sql`insert into alert_notes (alert_id, author_id, body, created_at) values (${alertId}, ${viewer.id || null}, ${text}, ${instant(now)}) returning id`
		);
		await audit.record(tx, { ...actor(viewer), action: 'add note', entity: 'alert', entityId: alertId, organisationId: alert.organisation_id, after: { noteId: Number(note?.id), body: text } });
		return { ok: true, done: 1, gone: 0 } as const;
	});
}
