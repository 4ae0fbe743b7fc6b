import { bigint, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { contacts } from './contacts.ts';
import { organisations, teams } from './organisations.ts';
import { standards } from './standards.ts';
import { users } from './auth.ts';

export const alertLevels = ['notice', 'warning', 'breach', 'very-overdue', 'service-level'] as const;
export type AlertLevel = (typeof alertLevels)[number];

/** Raised once per (contact, standard, level), ever; cleared when the contact is answered. */
export const alerts = pgTable(
	'alerts',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		contactId: bigint({ mode: 'number' }).references(() => contacts.id, { onDelete: 'cascade' }),
		standardId: integer()
			.notNull()
			.references(() => standards.id),
		teamId: integer().references(() => teams.id),
		level: text().$type<AlertLevel>().notNull(),
		/** For alerts not tied to a contact (phone service level): the hour it concerns. */
		subjectKey: text().notNull().default(''),
		dueAt: instant(),
		raisedAt: createdAt(),
		clearedAt: instant(),
		acknowledgedAt: instant(),
		acknowledgedBy: text().references(() => users.id),
		assignedTo: text().references(() => users.id),
		notifiedAt: instant()
	},
	(t) => [
		unique().on(t.contactId, t.standardId, t.level, t.subjectKey).nullsNotDistinct(),
		index().on(t.organisationId, t.teamId, t.clearedAt)
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
