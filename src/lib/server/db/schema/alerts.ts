import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, numeric, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { contacts } from './contacts.ts';
import { organisations } from './organisations.ts';
import { standards } from './standards.ts';
import { users } from './auth.ts';

export const alertLevels = ['notice', 'warning', 'breach', 'very-overdue', 'service-level'] as const;
export type AlertLevel = (typeof alertLevels)[number];

/** Raised once per (contact, standard, level), ever; cleared when the contact is answered. */
export const alerts = pgTable(
	'alerts',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		// The organisation, standard and team are statement keys, not foreign keys (migration 0022,
		// docs/architecture.md "Statement keys"): checked once per statement, where three foreign keys'
		// queries a row took 1.3 s of the 3.5 s a million contacts' first alerts took to insert.
		organisationId: integer().notNull(),
		contactId: bigint({ mode: 'number' }).references(() => contacts.id, { onDelete: 'cascade' }),
		standardId: integer().notNull(),
		teamId: integer(),
		level: text().$type<AlertLevel>().notNull(),
		/** For alerts not tied to a contact (phone service level): the hour it concerns. */
		subjectKey: text().notNull().default(''),
		dueAt: instant(),
		/** When the level was crossed (raisedAt is when the evaluator saw it: later after a restart). */
		crossedAt: instant(),
		raisedAt: createdAt(),
		clearedAt: instant(),
		acknowledgedAt: instant(),
		acknowledgedBy: text().references(() => users.id),
		assignedTo: text().references(() => users.id),
		notifiedAt: instant()
	},
	(t) => [
		unique().on(t.contactId, t.standardId, t.level, t.subjectKey).nullsNotDistinct(),
		index().on(t.organisationId, t.teamId, t.clearedAt),
		// The evaluator's clearing pass and the queue read only alerts still open.
		index('alerts_open_index').on(t.contactId, t.standardId).where(sql`${t.clearedAt} is null`)
	]
);

export const alertNotes = pgTable(
	'alert_notes',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		alertId: bigint({ mode: 'number' })
			.notNull()
			.references(() => alerts.id, { onDelete: 'cascade' }),
		authorId: text().references(() => users.id),
		body: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.alertId)]
);

/**
 * A standard's alert levels, as shares of the allowed time (engine/alerts.ts). No row: notice at
 * 50%, warning at the version's at-risk share (75%), very overdue at twice the allowed time for
 * statutory standards only. A null column turns that level off.
 */
export const alertRules = pgTable('alert_rules', {
	standardId: integer()
		.primaryKey()
		.references(() => standards.id),
	noticeShare: numeric({ mode: 'number' }),
	warningShare: numeric({ mode: 'number' }),
	veryOverdueFactor: numeric({ mode: 'number' }),
	updatedAt: createdAt(),
	updatedBy: text()
});

export const notificationChannels = ['email', 'teams'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/**
 * Notifications waiting to go (email, Microsoft Teams): written after the evaluator has run,
 * sent apart from it, retried with exponential back-off. dedupeKey makes each one once, ever.
 */
export const alertOutbox = pgTable(
	'alert_outbox',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer().references(() => organisations.id),
		channel: text().$type<NotificationChannel>().notNull(),
		/** 'breach:<alert id>', 'digest:<date>:<user id>', ... */
		dedupeKey: text().notNull().unique(),
		recipients: text().array().notNull().default([]),
		subject: text().notNull(),
		text: text().notNull(),
		html: text(),
		/** The Teams message card, for the webhook channel. */
		payload: jsonb().$type<Record<string, unknown>>(),
		attempts: integer().notNull().default(0),
		nextAttemptAt: instant().notNull().defaultNow(),
		lastError: text(),
		sentAt: instant(),
		createdAt: createdAt()
	},
	(t) => [index('alert_outbox_pending_index').on(t.nextAttemptAt).where(sql`${t.sentAt} is null`)]
);
