/**
 * Reading the audit log (/admin/audit): newest first, a page at a time, optionally for one kind
 * of thing or one actor. Writing it is record.ts's `record`.
 */
import { and, desc, eq, ilike, inArray, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { parseForm, type FieldError } from '../../forms.ts';
import type { Database } from '../db/client.ts';
import { auditLog } from '../db/schema/audit.ts';
import { users } from '../db/schema/auth.ts';

export const PAGE_SIZE = 50;

const query = z.object({
	entity: z.string().trim().max(40).regex(/^[a-z_]*$/, 'is not a kind of record').optional(),
	actor: z.string().trim().max(120).regex(/^[^%_\\]*$/, 'must not contain %, _ or \\').optional(),
	before: z.coerce.number().int().positive().optional()
});

export interface AuditQuery {
	entity: string | null;
	actor: string | null;
	before: number | null;
}

export function parseQuery(params: URLSearchParams): { query: AuditQuery } | { errors: FieldError[] } {
	const raw = Object.fromEntries([...params].filter(([, value]) => value !== ''));
	const parsed = parseForm(query, raw, { message: (issue, value) => `The ${String(issue.path[0])} '${String(value ?? '')}' ${issue.message}` });
	if ('errors' in parsed) return parsed;
	return { query: { entity: parsed.data.entity || null, actor: parsed.data.actor || null, before: parsed.data.before ?? null } };
}

export interface AuditRow {
	id: number;
	at: Date;
	/** The email address or system name recorded; `actorName` is the person's name where known. */
	actor: string;
	actorName: string | null;
	action: string;
	entity: string;
	entityId: string | null;
	before: unknown;
	after: unknown;
}

/**
 * A page of the log, with `people`: the name of every person whose id appears in it (as the actor,
 * the record changed, or a value such as an alert's assignee), so the page shows names, not ids.
 */
export async function page(db: Database, q: AuditQuery): Promise<{ rows: AuditRow[]; next: number | null; entities: string[]; people: Record<string, string> }> {
	const where: SQL[] = [];
	if (q.entity) where.push(eq(auditLog.entity, q.entity));
	if (q.actor) where.push(ilike(auditLog.actor, `%${q.actor}%`));
	if (q.before) where.push(lt(auditLog.id, q.before));
	const [found, entities] = await Promise.all([
		db
			.select({ id: auditLog.id, at: auditLog.at, actor: auditLog.actor, actorId: auditLog.actorId, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after })
			.from(auditLog)
			.where(where.length ? and(...where) : undefined)
			.orderBy(desc(auditLog.id))
			.limit(PAGE_SIZE + 1),
		db.selectDistinct({ entity: auditLog.entity }).from(auditLog).orderBy(auditLog.entity)
	]);
	const page = found.slice(0, PAGE_SIZE);
	const ids = new Set<string>();
	for (const row of page) {
		if (row.actorId) ids.add(row.actorId);
		if (row.entityId) ids.add(row.entityId);
		collectStrings(row.before, ids);
		collectStrings(row.after, ids);
	}
	const named = ids.size ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...ids].slice(0, 2000))) : [];
	const people = Object.fromEntries(named.map((person) => [person.id, person.name]));
	const rows = page.map(({ actorId, ...row }) => ({ ...row, actorName: actorId ? (people[actorId] ?? null) : null }));
	return { rows, next: found.length > PAGE_SIZE ? rows.at(-1)!.id : null, entities: entities.map((e) => e.entity), people };
}

/** Every short string in a stored before/after value: the candidates for a person's id. */
function collectStrings(value: unknown, into: Set<string>): void {
	if (typeof value === 'string') {
		if (value.length <= 64) into.add(value);
	} else if (Array.isArray(value)) {
		for (const item of value) collectStrings(item, into);
	} else if (value && typeof value === 'object') {
		for (const item of Object.values(value)) collectStrings(item, into);
	}
}
