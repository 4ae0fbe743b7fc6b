/**
 * Writing feedback: the council's list of themes, a complaint's stage, outcome and theme (a
 * complaint arrives as a contact; its feedback row is keyed by the contact), and the "you said, we
 * did" action log. Every change is audited.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { localDate } from '../../engine/dates.ts';
import { ACTION_STATUSES, COMPLAINT_OUTCOMES, COMPLAINT_STAGES, type ActionStatus, type ComplaintOutcome, type ComplaintStage } from '../../engine/satisfaction.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { channelOf } from './survey.ts';

export class FeedbackEditError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(message);
	}
}

async function organisationId(db: Database, code: string): Promise<number> {
	const [found] = await rows<{ id: number }>(db, sql`select id from organisations where code = ${code}`);
	if (!found) throw new FeedbackEditError('organisation', `There is no organisation '${code}'`);
	return Number(found.id);
}

export interface Theme {
	id: number;
	name: string;
}

export async function themes(db: Database, organisation: string | number): Promise<Theme[]> {
	const id = typeof organisation === 'number' ? organisation : await organisationId(db, organisation);
	const found = await rows<{ id: number; name: string }>(db, sql`select id, name from feedback_themes where organisation_id = ${id} order by name`);
	return found.map((t) => ({ id: Number(t.id), name: t.name }));
}

export const themeForm = z.object({ name: z.string({ error: 'Enter the theme' }).trim().min(1, 'Enter the theme').max(80, 'The theme must be 80 characters or fewer') });

export async function addTheme(db: Database, organisation: string, name: string, actor: audit.Actor): Promise<Theme> {
	const id = await organisationId(db, organisation);
	const [added] = await rows<{ id: number }>(db, sql`insert into feedback_themes (organisation_id, name) values (${id}, ${name}) on conflict (organisation_id, name) do nothing returning id`);
	if (!added) throw new FeedbackEditError('theme-name', `There is already a theme '${name}'`);
	await audit.record(db, { ...audit.audited(actor), action: 'create', entity: 'feedback_theme', entityId: added.id, organisationId: id, after: { name } });
	return { id: Number(added.id), name };
}

export const complaintForm = z.object({
	stage: z.enum(COMPLAINT_STAGES, { message: 'Choose the complaint’s stage' }),
	outcome: z.enum(COMPLAINT_OUTCOMES, { message: 'Choose an outcome from the list' }).optional(),
	theme: z.coerce.number().int().positive().optional()
});

export interface ComplaintRecord {
	stage: ComplaintStage | null;
	outcome: ComplaintOutcome | null;
	themeId: number | null;
}

/** The complaint recorded for a contact, if any. */
export async function complaintOf(db: Database, contactId: number): Promise<ComplaintRecord | null> {
	const [found] = await rows<{ stage: ComplaintStage | null; outcome: ComplaintOutcome | null; theme_id: number | null }>(
		db,
		sql`select stage, outcome, theme_id from feedback where contact_id = ${contactId} and kind = 'complaint' and source = 'contact' order by id limit 1`
	);
	return found ? { stage: found.stage, outcome: found.outcome, themeId: found.theme_id === null ? null : Number(found.theme_id) } : null;
}

/** Records (or changes) a complaint contact's stage, outcome and theme (the theme must be its organisation's). */
export async function recordComplaint(db: Database, input: { contactId: number; stage: ComplaintStage; outcome?: ComplaintOutcome; theme?: number; actor: audit.Actor; now?: Date }): Promise<void> {
	const [contact] = await rows<{ id: number; organisation_id: number; service_id: number; team_id: number | null; contact_type: string; received_at: Date | string }>(
		db,
		sql`select id, organisation_id, service_id, team_id, contact_type, received_at from contacts where id = ${input.contactId}`
	);
	if (!contact) throw new FeedbackEditError('stage', 'There is no such contact');
	if (contact.contact_type !== 'complaint' && contact.contact_type !== 'dp-complaint') throw new FeedbackEditError('stage', 'Only a complaint has a stage and an outcome');
	if (input.theme !== undefined) {
		const [theme] = await rows(db, sql`select 1 from feedback_themes where id = ${input.theme} and organisation_id = ${contact.organisation_id}`);
		if (!theme) throw new FeedbackEditError('theme', 'Choose a theme from the list');
	}
	const before = await complaintOf(db, contact.id);
	await db
		.insert(schema.feedback)
		.values({
			organisationId: contact.organisation_id,
			serviceId: contact.service_id,
			teamId: contact.team_id,
			contactId: contact.id,
			kind: 'complaint',
			channel: channelOf(contact.contact_type),
			givenOn: localDate(new Date(contact.received_at)),
			source: 'contact',
			externalRef: String(contact.id),
			stage: input.stage,
			outcome: input.outcome ?? null,
			themeId: input.theme ?? null
		})
		.onConflictDoUpdate({
			target: [schema.feedback.organisationId, schema.feedback.source, schema.feedback.externalRef],
			set: { stage: input.stage, outcome: input.outcome ?? null, themeId: input.theme ?? null }
		});
	await audit.record(db, {
		...audit.audited(input.actor),
		action: before ? 'update' : 'create',
		entity: 'complaint',
		entityId: contact.id,
		organisationId: contact.organisation_id,
		before,
		after: { stage: input.stage, outcome: input.outcome ?? null, themeId: input.theme ?? null }
	});
}

const isoDate = z.string({ error: 'Enter the due date' }).trim().min(1, 'Enter the due date').regex(/^\d{4}-\d{2}-\d{2}$/, 'The due date must be a real date');

export const actionForm = z.object({
	service: z.string().trim().max(64).optional(),
	theme: z.coerce.number().int().positive().optional(),
	youSaid: z.string({ error: 'Enter what people said' }).trim().min(1, 'Enter what people said').max(500, 'What people said must be 500 characters or fewer'),
	weDid: z.string({ error: 'Enter what the council is doing' }).trim().min(1, 'Enter what the council is doing').max(500, 'What the council is doing must be 500 characters or fewer'),
	owner: z.string({ error: 'Enter the owner' }).trim().min(1, 'Enter the owner').max(120, 'The owner must be 120 characters or fewer'),
	dueOn: isoDate,
	status: z.enum(ACTION_STATUSES, { message: 'Choose the status' }).default('planned'),
	complaints: z.array(z.coerce.number().int().positive()).max(50).default([])
});
export type ActionInput = z.infer<typeof actionForm>;

/** Adds a "you said, we did" action, linked to a theme or to complaints (at least one). */
export async function addAction(db: Database, organisation: string, input: ActionInput, actor: audit.Actor): Promise<number> {
	const orgId = await organisationId(db, organisation);
	if (input.theme === undefined && input.complaints.length === 0) throw new FeedbackEditError('theme', 'Choose the theme or the complaints the action answers');
	if (input.theme !== undefined) {
		const [theme] = await rows(db, sql`select 1 from feedback_themes where id = ${input.theme} and organisation_id = ${orgId}`);
		if (!theme) throw new FeedbackEditError('theme', 'Choose a theme from the list');
	}
	let serviceId: number | null = null;
	if (input.service) {
		const [service] = await rows<{ id: number }>(db, sql`select id from services where organisation_id = ${orgId} and code = ${input.service}`);
		if (!service) throw new FeedbackEditError('service', 'Choose a service from the list');
		serviceId = Number(service.id);
	}
	if (Number.isNaN(Date.parse(`${input.dueOn}T00:00:00Z`))) throw new FeedbackEditError('dueOn', 'Enter a real due date');
	return db.transaction(async (tx) => {
		if (input.complaints.length) {
			const found = await rows<{ n: number }>(
				tx,
				sql`select count(*)::int as n from feedback where organisation_id = ${orgId} and kind = 'complaint' and id in (${sql.join(input.complaints.map((id) => sql`${id}`), sql`, `)})`
			);
			if (Number(found[0]!.n) !== new Set(input.complaints).size) throw new FeedbackEditError('complaints', 'Choose complaints from the list');
		}
		const [added] = await tx
			.insert(schema.feedbackActions)
			.values({ organisationId: orgId, serviceId, themeId: input.theme ?? null, youSaid: input.youSaid, weDid: input.weDid, owner: input.owner, dueOn: input.dueOn, status: input.status, updatedBy: audit.actorName(actor) })
			.returning({ id: schema.feedbackActions.id });
		if (input.complaints.length) await tx.insert(schema.feedbackActionComplaints).values([...new Set(input.complaints)].map((feedbackId) => ({ actionId: added!.id, feedbackId })));
		await audit.record(tx, { ...audit.audited(actor), action: 'create', entity: 'feedback_action', entityId: added!.id, organisationId: orgId, after: input });
		return added!.id;
	});
}

export const statusForm = z.object({ id: z.coerce.number().int().positive(), status: z.enum(ACTION_STATUSES, { message: 'Choose the status' }) });

/** Moves an action on (planned, in progress, done); it must be one of the organisation's. */
export async function setActionStatus(db: Database, organisation: string, input: { id: number; status: ActionStatus }, actor: audit.Actor): Promise<void> {
	const orgId = await organisationId(db, organisation);
	const [before] = await rows<{ status: ActionStatus }>(db, sql`select status from feedback_actions where id = ${input.id} and organisation_id = ${orgId}`);
	if (!before) throw new FeedbackEditError('status', 'There is no such action');
	await db.execute(sql`update feedback_actions set status = ${input.status}, updated_by = ${audit.actorName(actor)}, updated_at = now() where id = ${input.id}`);
	await audit.record(db, { ...audit.audited(actor), action: 'update', entity: 'feedback_action', entityId: input.id, organisationId: orgId, before, after: { status: input.status } });
}
