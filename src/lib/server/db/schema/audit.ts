import { bigint, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** Who changed what, when, with the row before and after. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer(),
		actorId: text(),
		/** A readable actor for system changes: 'seed', 'cli', 'import', an API key's name. */
		actor: text().notNull(),
		action: text().notNull(),
		entity: text().notNull(),
		entityId: text(),
		before: jsonb(),
		after: jsonb(),
		at: createdAt()
	},
	(t) => [index().on(t.at), index().on(t.entity, t.entityId)]
);
