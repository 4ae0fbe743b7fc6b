/**
 * API keys for the import API: made by an admin (/admin/api-keys), shown once, stored as a SHA-256
 * hash (a key is 256 random bits, so a fast hash is enough), with the scopes it carries, when it
 * was last used, and when it was revoked. Every change is audited.
 *
 * YARDSTICK_API_KEY, when set, is one more key with the 'import' scope (for automation set up
 * before anyone signs in); without it, only keys from the table are accepted.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import { apiKeys } from '../db/schema/auth.ts';
import { organisations } from '../db/schema/organisations.ts';

/** What a key may do. */
export const scopes = {
	import: 'Send contact logs to POST /api/v1/contacts'
} as const;
export type Scope = keyof typeof scopes;

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

export const newKey = z.object({
	name: z.string().trim().min(1, 'Enter a name for the key, such as the system that will use it').max(80, 'The name must be 80 characters or fewer'),
	organisationId: z.coerce.number({ message: 'Choose the organisation the key imports for' }).int().positive('Choose the organisation the key imports for'),
	scopes: z.array(z.enum(Object.keys(scopes) as [Scope, ...Scope[]], { message: 'Choose what the key may do' })).min(1, 'Choose what the key may do')
});
export type NewKey = z.input<typeof newKey>;

/** A key that cannot be made as asked (an organisation that is not there): a message for the form. */
export class KeyError extends Error {}

/** Makes a key; the key itself is returned only here, never stored or shown again. */
export async function create(db: Database, input: NewKey, by: audit.Actor): Promise<{ id: number; key: string; prefix: string }> {
	const parsed = newKey.parse(input);
	const key = `ys_${randomBytes(32).toString('base64url')}`;
	const prefix = key.slice(0, 10);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [organisation] = await t.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, parsed.organisationId));
		if (!organisation) throw new KeyError('Choose one of the organisations listed');
		const [row] = await t
			.insert(apiKeys)
			.values({ organisationId: parsed.organisationId, name: parsed.name, prefix, hash: digest(key), scopes: parsed.scopes, createdBy: audit.audited(by).actorId })
			.returning({ id: apiKeys.id });
		await audit.record(t, { ...audit.audited(by), action: 'create', entity: 'api_key', entityId: row!.id, organisationId: parsed.organisationId, after: { name: parsed.name, prefix, scopes: parsed.scopes } });
		return { id: row!.id, key, prefix };
	});
}

export async function revoke(db: Database, id: number, by: audit.Actor): Promise<boolean> {
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [before] = await t.select().from(apiKeys).where(eq(apiKeys.id, id));
		if (!before || before.revokedAt) return false;
		const revokedAt = new Date();
		await t.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, id));
		await audit.record(t, {
			...audit.audited(by),
			action: 'revoke',
			entity: 'api_key',
			entityId: id,
			organisationId: before.organisationId,
			before: { name: before.name, prefix: before.prefix, revokedAt: null },
			after: { name: before.name, prefix: before.prefix, revokedAt: revokedAt.toISOString() }
		});
		return true;
	});
}

export interface KeySummary {
	id: number;
	name: string;
	prefix: string;
	scopes: string[];
	organisation: string;
	createdAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

export async function list(db: Database): Promise<KeySummary[]> {
	return db
		.select({
			id: apiKeys.id,
			name: apiKeys.name,
			prefix: apiKeys.prefix,
			scopes: apiKeys.scopes,
			organisation: organisations.name,
			createdAt: apiKeys.createdAt,
			lastUsedAt: apiKeys.lastUsedAt,
			revokedAt: apiKeys.revokedAt
		})
		.from(apiKeys)
		.innerJoin(organisations, eq(organisations.id, apiKeys.organisationId))
		.orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export interface Caller {
	/** The actor for the import batch and the audit log: 'api:<key name>' or 'api:env-key'. */
	actor: string;
	keyId: number | null;
	organisationId: number | null;
}

/** The bearer key a request presents, or '' */
export function presentedKey(request: Request): string {
	return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
}

/**
 * Who is calling with the request's `Authorization: Bearer <key>`, when the key exists, is not
 * revoked and carries `scope`; null otherwise. Notes when the key was used.
 */
export async function authorise(db: Database, request: Request, scope: Scope, configuredKey: string | undefined): Promise<Caller | null> {
	const presented = presentedKey(request);
	if (!presented) return null;
	// Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
	if (configuredKey && timingSafeEqual(Buffer.from(digest(presented)), Buffer.from(digest(configuredKey)))) {
		return { actor: 'api:env-key', keyId: null, organisationId: null };
	}
	const [key] = await db
		.update(apiKeys)
		.set({ lastUsedAt: new Date() })
		.where(and(eq(apiKeys.hash, digest(presented)), isNull(apiKeys.revokedAt)))
		.returning({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, organisationId: apiKeys.organisationId });
	if (!key || !key.scopes.includes(scope)) return null;
	return { actor: `api:${key.name}`, keyId: key.id, organisationId: key.organisationId };
}
