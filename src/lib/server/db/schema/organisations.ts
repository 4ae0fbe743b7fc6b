import { boolean, foreignKey, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** Per-organisation choices where the rules leave one (docs/rules.md "Rules settled where sources leave a choice"). */
export interface OrganisationSettings {
	/** Treat a FOI request received on a non-working day as received on the next working day. */
	foiNonWorkingReceiptNextDay?: boolean;
	/**
	 * A call that visited several queues (an overflow, a transfer): 'first-queue' (the default) is the
	 * first queue's call, waiting from its first ENTERQUEUE to the answer; 'answering-queue' is the
	 * answering queue's call, with the wait in that queue (docs/rules.md "Phone service level").
	 */
	phoneWaitFrom?: 'first-queue' | 'answering-queue';
}

export const organisations = pgTable('organisations', {
	id: integer().primaryKey().generatedAlwaysAsIdentity(),
	code: text().notNull().unique(),
	name: text().notNull(),
	settings: jsonb().$type<OrganisationSettings>().notNull().default({}),
	createdAt: createdAt()
});

export const services = pgTable(
	'services',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		code: text().notNull(),
		name: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.code), unique().on(t.id, t.organisationId)]
);

export const teams = pgTable(
	'teams',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		serviceId: integer().notNull(),
		code: text().notNull(),
		name: text().notNull(),
		active: boolean().notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [
		unique().on(t.organisationId, t.code),
		// A team belongs to a service of its own organisation.
		foreignKey({
			name: 'teams_service_fk',
			columns: [t.serviceId, t.organisationId],
			foreignColumns: [services.id, services.organisationId]
		})
	]
);

/**
 * A council's own contact types (a visit to reception, web chat) beside the built-in ones of the
 * contact log; standards may score them like any other type.
 */
export const organisationContactTypes = pgTable(
	'contact_types',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		code: text().notNull(),
		name: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.code)]
);
