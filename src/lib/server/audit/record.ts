/**
 * The audit log: who changed what, when, with the row before and after. Every change anywhere in
 * the app (forms, API, CLI) records one entry in the same transaction as the change.
 */
import type { Viewer } from '../auth/access.ts';
import type { Database } from '../db/client.ts';
import { auditLog } from '../db/schema/audit.ts';

/**
 * Who made a change: the signed-in person's id and email (actorOf), or a system actor such as
 * 'cli:<login>' or 'seed' (systemActor); `name` is what a row that names them shows (a
 * commentary's author, a published report).
 */
export interface Actor {
	actorId?: string | null;
	actor: string;
	name?: string;
}

/** The signed-in user as the actor of a change (routes pass locals.user). */
export const actorOf = (user: Pick<Viewer, 'id' | 'email' | 'name'>): Actor => ({ actorId: user.id, actor: user.email, name: user.name });

/** An actor that is not a signed-in person: 'seed', 'cli', 'cli:<login>'. */
export const systemActor = (name: string): Actor => ({ actorId: null, actor: name });

/** The audit log's columns for an actor: a person is recorded by email where known. */
export function audited(actor: Actor): { actorId: string | null; actor: string } {
	return { actorId: actor.actorId ?? null, actor: actor.actor };
}

/** The name a row shows for whoever made it. */
export const actorName = (actor: Actor): string => actor.name || actor.actor;

export interface AuditEntry {
	/** The signed-in user's id, when a person made the change. */
	actorId?: string | null;
	/** A readable actor: the user's email, or 'seed', 'cli', 'import', 'api:<key name>', 'system'. */
	actor: string;
	/** What happened, as a verb phrase: 'create', 'update', 'disable', 'publish', 'acknowledge'… */
	action: string;
	/** The table or domain noun changed: 'user', 'standard_version', 'risk', 'report'… */
	entity: string;
	entityId?: string | number | null;
	organisationId?: number | null;
	before?: unknown;
	after?: unknown;
}

export async function record(db: Database, entry: AuditEntry): Promise<void> {
	await db.insert(auditLog).values({
		actorId: entry.actorId ?? null,
		actor: entry.actor,
		action: entry.action,
		entity: entry.entity,
		entityId: entry.entityId == null ? null : String(entry.entityId),
		organisationId: entry.organisationId ?? null,
		before: entry.before ?? null,
		after: entry.after ?? null
	});
}
