import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, smallint, text, unique } from 'drizzle-orm/pg-core';
import type { ActionStatus, ComplaintOutcome, ComplaintStage, FeedbackKind } from '../../../engine/satisfaction.ts';
import { createdAt, instant } from './columns.ts';
import { contacts } from './contacts.ts';
import { organisations, services, teams } from './organisations.ts';

/** The themes a council files complaints (and compliments) under: its own list. */
export const feedbackThemes = pgTable(
	'feedback_themes',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		name: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.name)]
);

/**
 * One piece of customer feedback: a survey answer, a compliment, a comment or a complaint, per
 * organisation and service. `comment` is free text (personal data may be in it: managers and
 * admins see it, team leads their teams', committee and officers never). Unique by (organisation,
 * source, reference), so importing the same survey file twice changes nothing.
 */
export const feedback = pgTable(
	'feedback',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		serviceId: integer()
			.notNull()
			.references(() => services.id),
		teamId: integer().references(() => teams.id),
		contactId: bigint({ mode: 'number' }).references(() => contacts.id, { onDelete: 'set null' }),
		kind: text().$type<FeedbackKind>().notNull(),
		/** 1 Very dissatisfied … 5 Very satisfied. */
		satisfaction: smallint(),
		resolved: boolean(),
		channel: text(),
		comment: text(),
		/** Europe/London date it was given: the period it is reported in. */
		givenOn: date({ mode: 'string' }).notNull(),
		/** 'survey-link', 'demo', or the import's source name. */
		source: text().notNull(),
		externalRef: text().notNull(),
		/** Complaints only. */
		stage: text().$type<ComplaintStage>(),
		outcome: text().$type<ComplaintOutcome>(),
		themeId: integer().references(() => feedbackThemes.id),
		importBatchId: bigint({ mode: 'number' }),
		createdAt: createdAt()
	},
	(t) => [
		unique().on(t.organisationId, t.source, t.externalRef),
		index().on(t.organisationId, t.givenOn),
		index().on(t.contactId),
		check('feedback_satisfaction_range', sql`${t.satisfaction} between 1 and 5`)
	]
);

/**
 * A survey link sent to one contact: its id is in the signed token; single use (answeredAt), with
 * an expiry. The answers given so far (one question per page) wait here until the last is sent.
 */
export const surveyRequests = pgTable(
	'survey_requests',
	{
		id: text().primaryKey(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		contactId: bigint({ mode: 'number' })
			.notNull()
			.references(() => contacts.id, { onDelete: 'cascade' }),
		expiresAt: instant().notNull(),
		satisfaction: smallint(),
		resolved: boolean(),
		answeredAt: instant(),
		createdBy: text(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.contactId)]
);

/** "You said, we did": what the council does about a theme or some complaints, with an owner, a due date and a status. */
export const feedbackActions = pgTable(
	'feedback_actions',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		serviceId: integer().references(() => services.id),
		themeId: integer().references(() => feedbackThemes.id),
		youSaid: text().notNull(),
		weDid: text().notNull(),
		owner: text().notNull(),
		dueOn: date({ mode: 'string' }).notNull(),
		status: text().$type<ActionStatus>().notNull().default('planned'),
		updatedBy: text(),
		createdAt: createdAt(),
		updatedAt: createdAt()
	},
	(t) => [index().on(t.organisationId, t.dueOn)]
);

/** Complaints an action answers. */
export const feedbackActionComplaints = pgTable(
	'feedback_action_complaints',
	{
		actionId: integer()
			.notNull()
			.references(() => feedbackActions.id, { onDelete: 'cascade' }),
		feedbackId: bigint({ mode: 'number' })
			.notNull()
			.references(() => feedback.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.actionId, t.feedbackId] })]
);
