import {
	boolean,
	date,
	index,
	integer,
	jsonb,
	numeric,
	pgTable,
	text,
	unique
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organisations } from './organisations.ts';

/**
 * A published promise (docs/rules.md "The published standards"), per organisation, with a stable code.
 * What it promises lives in its versions: a change is a new version from a date, never an edit.
 */
export const standards = pgTable(
	'standards',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		code: text().notNull(),
		/** The council's own short reference for reports ('CS01'), set by an admin; unique per organisation. */
		ref: text(),
		title: text().notNull(),
		/** Service codes it applies to; empty means every service of the organisation. */
		serviceCodes: text().array().notNull().default([]),
		/** Contact types it scores (phone, email, foi, ...). */
		contactTypes: text().array().notNull(),
		statutory: boolean().notNull().default(false),
		source: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.code), unique('standards_organisation_ref_unique').on(t.organisationId, t.ref)]
);

export const standardVersions = pgTable(
	'standard_versions',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		standardId: integer()
			.notNull()
			.references(() => standards.id),
		version: integer().notNull(),
		/** Applies to contacts whose clock starts on or after this local date. */
		effectiveFrom: date({ mode: 'string' }).notNull(),
		/** Exclusive end: the next version's effectiveFrom, or null while in force. */
		effectiveTo: date({ mode: 'string' }),
		wording: text().notNull(),
		/** Rule kind, for filtering: seconds, working-days, calendar-days, calendar-months, ... */
		measure: text().notNull(),
		/** Unit margins and elapsed times are reported in. */
		unit: text().notNull(),
		limitValue: numeric({ mode: 'number' }).notNull(),
		/** The engine's deadline rule (JSON), the source of truth for scoring. */
		rule: jsonb().$type<Record<string, unknown>>().notNull(),
		/** What starts the clock: received, clock_start (information complete), meeting date. */
		clockStart: text().notNull().default('received'),
		/** A clarification or ID received restarts the clock (FOIA s.1(3); UK GDPR / DPA 2018 s.54). */
		restartable: boolean().notNull().default(false),
		calendarCode: text().notNull(),
		/** Council closure days stop this clock (never for statutory FOI/SAR limits). */
		appliesClosures: boolean().notNull().default(true),
		/** Compliance target, percent of contacts meeting the promise. */
		compliancePercent: numeric({ mode: 'number' }).notNull(),
		/** RAG: green at or above target; amber within this many points below; red beyond. */
		amberMarginPercent: numeric({ mode: 'number' }).notNull().default(5),
		/** Share of the allowed time after which an open contact is "at risk". */
		atRiskShare: numeric({ mode: 'number' }).notNull().default(0.75),
		createdAt: createdAt(),
		createdBy: text()
	},
	(t) => [
		unique().on(t.standardId, t.version),
		unique().on(t.standardId, t.effectiveFrom),
		index('standard_versions_effective_index').on(t.organisationId, t.standardId, t.effectiveFrom)
	]
);
