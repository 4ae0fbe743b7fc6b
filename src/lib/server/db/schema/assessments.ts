import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, numeric, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { contacts } from './contacts.ts';
import { organisations, services, teams } from './organisations.ts';
import { standards } from './standards.ts';

/** lapsed: the duty ended unowed (FOIA s.9(2)), neither met nor breached; out of every compliance figure. */
export const assessmentStatuses = ['met', 'breached', 'open', 'excluded', 'lapsed'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];

/**
 * The engine's verdict for one contact against one standard version, stored so dashboards
 * aggregate in SQL. Open contacts are stored as 'open' with their due instant; whether they are
 * at risk or overdue depends on the time of asking. The plain-English explanation is recomputed
 * by the engine on demand rather than stored a million times.
 */
export const assessments = pgTable(
	'assessments',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		// The organisation, service and team are copied from the contact, the standard from the
		// version, so filters need no join. The copies carry no foreign key of their own: the
		// contact's and the version's keys already hold them to real rows, and Yardstick never
		// deletes an organisation, service, team or standard (a team is made inactive). Four more
		// key checks on every verdict cost a million contacts' first scoring about 3 s
		// (docs/performance.md, "Copied keys, COPY on PGlite, and reading by COPY").
		organisationId: integer().notNull(),
		contactId: bigint({ mode: 'number' })
			.notNull()
			.references(() => contacts.id, { onDelete: 'cascade' }),
		standardId: integer().notNull(),
		// A statement key, not a foreign key (migration 0022, docs/architecture.md "Statement keys"): a version
		// that exists, checked once per statement, where a foreign key's query a row cost a first scoring 2 s.
		standardVersionId: integer().notNull(),
		serviceId: integer().notNull(),
		teamId: integer(),
		/** Europe/London date the clock started: the period a contact is reported in. */
		clockStartOn: date({ mode: 'string' }).notNull(),
		dueAt: instant(),
		respondedAt: instant(),
		status: text().$type<AssessmentStatus>().notNull(),
		/** Time taken (or so far) and time to spare (negative when late), in the standard's unit. */
		elapsed: numeric({ mode: 'number' }),
		margin: numeric({ mode: 'number' }),
		unit: text().notNull(),
		/**
		 * What the verdict was computed with: the standard version and its calendar (bank holiday
		 * data, closure days, organisation settings). A stale fingerprint marks it for re-scoring.
		 */
		fingerprint: text().notNull().default(''),
		assessedAt: instant().notNull().defaultNow()
	},
	(t) => [
		unique().on(t.contactId, t.standardVersionId),
		index().on(t.organisationId, t.standardId, t.clockStartOn),
		index().on(t.organisationId, t.teamId, t.clockStartOn),
		index().on(t.organisationId, t.serviceId, t.clockStartOn),
		index().on(t.organisationId, t.status, t.dueAt),
		// Open verdicts are few (a few per cent): "overdue now" and the alert evaluator read them alone.
		index('assessments_open_due_index').on(t.dueAt).where(sql`${t.status} = 'open'`),
		// The case log (/contacts): sorted by due date, keyset-paged.
		index('assessments_due_index').on(t.dueAt, t.id),
		// The few verdicts due before their clock starts (an agenda, due before the meeting) or with
		// no due date: the case log reads them apart, so a period's walk along the due index starts at the period.
		index('assessments_due_before_start_index')
			.on(t.clockStartOn)
			.where(sql`${t.dueAt} is null or ${t.dueAt} < (${t.clockStartOn}::timestamp at time zone 'Europe/London')`)
	]
);

/**
 * Assessments counted per day the clock started, per standard, service and team: what every
 * dashboard reads instead of scanning the assessments. Kept exact by statement-level triggers on
 * assessments (migration 0004_assessment_days), so every writer — scoring, re-scoring, imports,
 * deletes — maintains it in the same transaction.
 */
export const assessmentDays = pgTable(
	'assessment_days',
	{
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		standardId: integer()
			.notNull()
			.references(() => standards.id),
		serviceId: integer()
			.notNull()
			.references(() => services.id),
		teamId: integer().references(() => teams.id),
		clockStartOn: date({ mode: 'string' }).notNull(),
		met: integer().notNull().default(0),
		breached: integer().notNull().default(0),
		open: integer().notNull().default(0),
		excluded: integer().notNull().default(0),
		lapsed: integer().notNull().default(0)
	},
	(t) => [unique('assessment_days_key').on(t.clockStartOn, t.standardId, t.serviceId, t.teamId).nullsNotDistinct()]
);

/**
 * Phone calls counted per half hour (its start, an instant), per service and team: calls offered,
 * answered and abandoned, and the seconds answered calls waited. Facts of the call log, not
 * verdicts (service level comes from the phone.answer verdicts in assessment_days); and, apart
 * from them, the callers who chose a queued callback (callback contacts with a wait). Kept exact by
 * statement triggers on contacts (migrations 0009_phone_half_hours, phone_callbacks_chosen).
 */
export const phoneHalfHours = pgTable(
	'phone_half_hours',
	{
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		serviceId: integer()
			.notNull()
			.references(() => services.id),
		teamId: integer().references(() => teams.id),
		slotStart: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
		offered: integer().notNull().default(0),
		answered: integer().notNull().default(0),
		abandoned: integer().notNull().default(0),
		answeredWaitSeconds: bigint({ mode: 'number' }).notNull().default(0),
		/** Callers who chose a queued callback while waiting (callback contacts received in the slot, with their wait until the choice). */
		callbacksChosen: integer().notNull().default(0),
		callbackWaitSeconds: bigint({ mode: 'number' }).notNull().default(0)
	},
	(t) => [unique('phone_half_hours_key').on(t.slotStart, t.serviceId, t.teamId).nullsNotDistinct()]
);
