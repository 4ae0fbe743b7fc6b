import { bigint, date, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { contacts } from './contacts.ts';
import { organisations, services } from './organisations.ts';

/**
 * Periodic obligations with a due date rather than a contact: register publication, monthly
 * notices of alteration, polling district review, agenda publication per meeting.
 */
export const duties = pgTable(
	'duties',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		serviceId: integer()
			.notNull()
			.references(() => services.id),
		/** es.polling-review, es.canvass, es.register-publication, es.monthly-notice, ds.agenda, ds.minutes */
		code: text().notNull(),
		/** What this occurrence is: "Register 2025", "Notice February 2026", "Planning Committee 4 Mar 2026". */
		occurrence: text().notNull(),
		/** The meeting a per-meeting duty belongs to. */
		contactId: bigint({ mode: 'number' }).references(() => contacts.id, { onDelete: 'cascade' }),
		/** What the engine computes the due date from: the meeting date, the notice's month, the canvass year's 1 July, the review period's start. */
		anchorOn: date({ mode: 'string' }),
		dueOn: date({ mode: 'string' }).notNull(),
		doneOn: date({ mode: 'string' }),
		notes: text(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.code, t.occurrence), index().on(t.organisationId, t.dueOn)]
);
