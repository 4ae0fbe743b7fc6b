import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { CONTACT_TYPES, type ContactType } from '../../../engine/catalogue.ts';
import { createdAt, instant } from './columns.ts';
import { organisations } from './organisations.ts';

/** The contact types of the generic contact log (docs/interfaces.md); the engine's catalogue owns the list. */
export const contactTypes = CONTACT_TYPES;
export type { ContactType };

export const contactStatuses = ['open', 'responded', 'closed'] as const;
export type ContactStatus = (typeof contactStatuses)[number];

/** One row of the council's case / call log (docs/interfaces.md "The generic contact log"). */
export const contacts = pgTable(
	'contacts',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		// The organisation, service and team are held by the two statement keys below, not one key each: a
		// service (and a team) of the contact's own organisation.
		organisationId: integer().notNull(),
		serviceId: integer().notNull(),
		teamId: integer(),
		contactType: text().$type<ContactType>().notNull(),
		/** The system it came from (e.g. 'demo', 'asterisk', 'crm'); references are unique per source. */
		source: text().notNull(),
		externalRef: text().notNull(),
		/** Who made contact (personal data: never shown to committee viewers). */
		requester: text(),
		/** Short subject line or committee name for meetings. */
		subject: text(),
		receivedAt: instant().notNull(),
		/** A later clock start: all information received, clarification or ID received. */
		clockStartAt: instant(),
		firstResponseAt: instant(),
		resolvedAt: instant(),
		waitSeconds: integer(),
		abandoned: boolean(),
		extended: boolean().notNull().default(false),
		status: text().$type<ContactStatus>().notNull().default('open'),
		/** The source's own version of the record (Amazon Connect's LastUpdateTimestamp, epoch ms): an older re-delivery never overwrites a newer one. */
		sourceVersion: doublePrecision(),
		/** The import that last inserted or changed the contact. */
		importBatchId: bigint({ mode: 'number' }),
		/** The import that created the contact (never changed after): removing that import removes it. */
		createdByBatchId: bigint({ mode: 'number' }),
		createdAt: createdAt(),
		updatedAt: createdAt()
	},
	(t) => [
		unique().on(t.organisationId, t.source, t.externalRef),
		// The contact's service and team are its own organisation's: (service_id, organisation_id) is a row of
		// services, (team_id, organisation_id) one of teams. Not foreign keys but statement keys (migration 0022,
		// docs/architecture.md "Statement keys"): checked once per statement for all its rows, where a foreign key
		// ran a query for each row, 6 s of a million-row import's 16 s insert floor (docs/performance.md, "Statement keys").
		// Every secondary index is written on each import, out of received order: a page or job must need it
		// (docs/performance.md, "The contacts' indexes"). This one: an organisation's calls by time (the phone
		// pages, the live service-level check) and whether an organisation has any contacts.
		index('contacts_type_received_index').on(t.organisationId, t.contactType, t.receivedAt),
		// The case log (/contacts): sorted by received, keyset-paged; searched by reference prefix.
		index('contacts_received_index').on(t.receivedAt, t.id),
		index('contacts_reference_index').using('btree', sql`lower(${t.externalRef}) text_pattern_ops`),
		// Clocks that start after receipt (information complete), for the case log's period filter.
		index('contacts_clock_start_index').on(t.clockStartAt).where(sql`${t.clockStartAt} is not null`)
	]
);

export const contactEventKinds = ['pause', 'restart', 'extension', 'note'] as const;
export type ContactEventKind = (typeof contactEventKinds)[number];

/** What moves a contact's clock: pauses (FOI fee notice to payment), restarts, extensions. */
export const contactEvents = pgTable(
	'contact_events',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		contactId: bigint({ mode: 'number' })
			.notNull()
			.references(() => contacts.id, { onDelete: 'cascade' }),
		kind: text().$type<ContactEventKind>().notNull(),
		at: instant().notNull(),
		/** End of a pause (inclusive day), null for point events. */
		until: instant(),
		detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		createdAt: createdAt()
	},
	(t) => [
		index().on(t.contactId, t.at),
		// Clocks restarted (clarification, ID received), for the case log's period filter.
		index('contact_events_restart_index').on(t.at).where(sql`${t.kind} = 'restart'`)
	]
);
