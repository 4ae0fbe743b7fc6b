/**
 * The audit log: who changed what, when, with the row before and after. Every change anywhere in
 * the app (forms, API, CLI) records one entry in the same transaction as the change.
 */
import type { Database } from '../db/client.ts';
import { auditLog } from '../db/schema/audit.ts';

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
