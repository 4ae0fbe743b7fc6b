import { date, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organisations } from './organisations.ts';

/**
 * Working-day calendars. Bank holidays come from the engine (date-holidays plus the official
 * GOV.UK list); rows in calendar_holidays add days proclaimed later (e.g. a state funeral).
 */
export const calendars = pgTable('calendars', {
	id: integer().primaryKey().generatedAlwaysAsIdentity(),
	code: text().notNull().unique(),
	name: text().notNull(),
	description: text().notNull(),
	createdAt: createdAt()
});

export const calendarHolidays = pgTable(
	'calendar_holidays',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		calendarId: integer()
			.notNull()
			.references(() => calendars.id),
		date: date({ mode: 'string' }).notNull(),
		name: text().notNull(),
		source: text(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.calendarId, t.date)]
);

/** Council closure days: apply to the council's own promises, never to statutory FOI/SAR limits. */
export const closureDays = pgTable(
	'closure_days',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		date: date({ mode: 'string' }).notNull(),
		reason: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.date), index().on(t.organisationId, t.date)]
);
