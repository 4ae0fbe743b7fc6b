/**
 * Council closure days (the days between Christmas and New Year, a move of offices): per
 * organisation, they stop the council's own promises' working-day clocks, never statutory FOI/SAR
 * limits (calendars.ts). Adding or removing one makes the open contacts it touches stale; closed
 * results stay as they were unless an admin re-scores them too (docs/rules.md "Rules settled where sources leave a choice").
 *
 *   import * as closures from '$lib/server/standards/closures.ts';
 */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { addCalendarDays } from '../../engine/dates.ts';
import * as assessments from '../assessments/index.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';

export class ClosureError extends Error {}

export interface OrganisationClosures {
	id: number;
	code: string;
	name: string;
	days: { id: number; date: string; reason: string }[];
}

/** Every organisation with its closure days from a date on (default: all). */
export async function list(db: Database, from = '1900-01-01'): Promise<OrganisationClosures[]> {
	const [organisations, days] = await Promise.all([
		db.select({ id: schema.organisations.id, code: schema.organisations.code, name: schema.organisations.name }).from(schema.organisations).orderBy(asc(schema.organisations.code)),
		db
			.select({ id: schema.closureDays.id, organisationId: schema.closureDays.organisationId, date: schema.closureDays.date, reason: schema.closureDays.reason })
			.from(schema.closureDays)
			.where(sql`${schema.closureDays.date} >= ${from}::date`)
			.orderBy(asc(schema.closureDays.date))
	]);
	return organisations.map((o) => ({ ...o, days: days.filter((d) => d.organisationId === o.id).map(({ id, date, reason }) => ({ id, date, reason })) }));
}

export interface Affected {
	/** Open contacts whose clock runs over the day: re-scored automatically. */
	open: number;
	/** Closed contacts whose clock ran over the day: re-scored only if the admin asks. */
	closed: number;
	sample: { id: number; reference: string; standard: string; status: string; clockStartOn: string }[];
}

/** Verdicts of the organisation's own (closure-taking) working-day standards whose clock spans the date (or any day from `date` to `to`). */
function spanning(organisationId: number, date: string, to = date) {
	return sql`from assessments a
		join standard_versions v on v.id = a.standard_version_id
		where a.organisation_id = ${organisationId} and v.applies_closures and a.unit = 'working-days'
			and a.clock_start_on <= ${to}::date
			and (a.status = 'open' or greatest((a.due_at at time zone 'Europe/London')::date, (a.responded_at at time zone 'Europe/London')::date) >= ${date}::date)`;
}

/** Contacts whose clock runs over the date, or over any day from `date` to `to`. */
export async function affectedBy(db: Database, organisationId: number, date: string, to = date): Promise<Affected> {
	const [totals] = await rows<{ open: number; closed: number }>(
		db,
		sql`select count(distinct a.contact_id) filter (where a.status = 'open')::int as open, count(distinct a.contact_id) filter (where a.status <> 'open')::int as closed
			${spanning(organisationId, date, to)}`
	);
	const sample = await rows<{ id: number; reference: string; standard: string; status: string; clock_start_on: string }>(
		db,
		sql`select a.contact_id as id, c.external_ref as reference, s.code as standard, a.status, a.clock_start_on::text as clock_start_on
			from (select a.* ${spanning(organisationId, date, to)} order by (a.status = 'open') desc, a.clock_start_on desc limit 10) a
			join contacts c on c.id = a.contact_id join standards s on s.id = a.standard_id`
	);
	return {
		open: Number(totals?.open ?? 0),
		closed: Number(totals?.closed ?? 0),
		sample: sample.map((s) => ({ id: Number(s.id), reference: s.reference, standard: s.standard, status: s.status, clockStartOn: s.clock_start_on }))
	};
}

/** Adds a closure day (audited in the same transaction). */
export async function add(db: Database, actor: audit.Actor, change: { organisation: string; date: string; reason: string }): Promise<{ id: number; organisationId: number }> {
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [organisation] = await t.select().from(schema.organisations).where(eq(schema.organisations.code, change.organisation));
		if (!organisation) throw new ClosureError(`There is no organisation ${change.organisation}`);
		const [existing] = await t
			.select()
			.from(schema.closureDays)
			.where(and(eq(schema.closureDays.organisationId, organisation.id), eq(schema.closureDays.date, change.date)));
		if (existing) throw new ClosureError(`${change.date} is already a closure day for ${organisation.name}`);
		const [created] = await t.insert(schema.closureDays).values({ organisationId: organisation.id, date: change.date, reason: change.reason }).returning();
		await audit.record(t, {
			...audit.audited(actor),
			action: 'create',
			entity: 'closure_day',
			entityId: created!.id,
			organisationId: organisation.id,
			after: { organisation: organisation.code, date: created!.date, reason: created!.reason }
		});
		return { id: created!.id, organisationId: organisation.id };
	});
}

/** The longest range added at once. */
export const MAX_RANGE_DAYS = 366;

/**
 * Adds every day from `from` to `to` (inclusive; weekends too, since the council's offices are
 * closed on all of them) that is not a closure day already, each audited as its own 'create' in one
 * transaction. A range whose days are all closures already is refused.
 */
export async function addRange(
	db: Database,
	actor: audit.Actor,
	change: { organisation: string; from: string; to: string; reason: string }
): Promise<{ organisationId: number; added: string[]; skipped: string[] }> {
	if (change.to < change.from) throw new ClosureError('The last day of the closure must be the same as or after the first day');
	const days: string[] = [];
	for (let day = change.from; day <= change.to; day = addCalendarDays(day, 1)) {
		days.push(day);
		if (days.length > MAX_RANGE_DAYS) throw new ClosureError(`A closure can be at most ${MAX_RANGE_DAYS} days long: add a longer one in parts`);
	}
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [organisation] = await t.select().from(schema.organisations).where(eq(schema.organisations.code, change.organisation));
		if (!organisation) throw new ClosureError(`There is no organisation ${change.organisation}`);
		const existing = await t
			.select({ date: schema.closureDays.date })
			.from(schema.closureDays)
			.where(and(eq(schema.closureDays.organisationId, organisation.id), gte(schema.closureDays.date, change.from), lte(schema.closureDays.date, change.to)));
		const taken = new Set(existing.map((d) => d.date));
		const added = days.filter((day) => !taken.has(day));
		if (!added.length) throw new ClosureError(days.length === 1 ? `${change.from} is already a closure day for ${organisation.name}` : `Every day from ${change.from} to ${change.to} is already a closure day for ${organisation.name}`);
		const created = await t
			.insert(schema.closureDays)
			.values(added.map((date) => ({ organisationId: organisation.id, date, reason: change.reason })))
			.returning();
		for (const row of created) {
			await audit.record(t, {
				...audit.audited(actor),
				action: 'create',
				entity: 'closure_day',
				entityId: row.id,
				organisationId: organisation.id,
				after: { organisation: organisation.code, date: row.date, reason: row.reason, range: { from: change.from, to: change.to } }
			});
		}
		return { organisationId: organisation.id, added, skipped: days.filter((day) => taken.has(day)) };
	});
}

/** Removes a closure day (audited in the same transaction). */
export async function remove(db: Database, actor: audit.Actor, id: number): Promise<{ organisationId: number; date: string }> {
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [existing] = await t.select().from(schema.closureDays).where(eq(schema.closureDays.id, id));
		if (!existing) throw new ClosureError('That closure day has already been removed');
		await t.delete(schema.closureDays).where(eq(schema.closureDays.id, id));
		await audit.record(t, {
			...audit.audited(actor),
			action: 'delete',
			entity: 'closure_day',
			entityId: id,
			organisationId: existing.organisationId,
			before: { date: existing.date, reason: existing.reason }
		});
		return { organisationId: existing.organisationId, date: existing.date };
	});
}

/**
 * After a closure day changed: every open contact now stale (assessments.rescore), and, when the
 * admin asks, the closed ones whose clock ran over the day.
 */
export async function rescore(
	db: Database,
	options: { organisationId: number; date: string; to?: string; closedToo: boolean; onProgress?: (progress: assessments.Progress) => void }
): Promise<assessments.JobSummary> {
	const closed = options.closedToo
		? (await rows<{ id: string | number }>(db, sql`select distinct a.contact_id as id ${spanning(options.organisationId, options.date, options.to ?? options.date)} and a.status <> 'open'`)).map((r) => Number(r.id))
		: [];
	const plan = await assessments.loadPlan(db);
	const stale = await assessments.affectedContacts(db, plan, false);
	return assessments.scoreContacts(db, [...stale, ...closed], { onProgress: options.onProgress });
}
