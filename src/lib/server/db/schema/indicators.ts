import { date, index, integer, numeric, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { organisations } from './organisations.ts';
import { users } from './auth.ts';

/** A performance indicator in the service plan (ES01, ES02, or a standard's compliance). */
export const indicators = pgTable(
	'indicators',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		code: text().notNull(),
		description: text().notNull(),
		/** How the actual is computed: es01, es02, standard:<code>. */
		method: text().notNull(),
		unit: text().notNull().default('percent'),
		higherIsBetter: integer().notNull().default(1),
		/** Amber when the actual is below target by at most this many points; red beyond (per indicator). */
		amberMargin: numeric({ mode: 'number' }).notNull().default(5),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.code)]
);

/**
 * Targets are set per financial year and may change; each change is a new row from a date, so an
 * actual is always judged against the target in force when it was reported.
 */
export const indicatorTargets = pgTable(
	'indicator_targets',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		indicatorId: integer()
			.notNull()
			.references(() => indicators.id),
		/** Start year of the financial year: 2025 for 2025/26. */
		financialYear: smallint().notNull(),
		target: numeric({ mode: 'number' }).notNull(),
		effectiveFrom: instant().notNull().defaultNow(),
		setBy: text(),
		createdAt: createdAt()
	},
	(t) => [index('indicator_targets_year_index').on(t.indicatorId, t.financialYear, t.effectiveFrom)]
);

/** A quarter's actual as reported, with the target it was judged against: never recomputed. */
export const indicatorResults = pgTable(
	'indicator_results',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		indicatorId: integer()
			.notNull()
			.references(() => indicators.id),
		financialYear: smallint().notNull(),
		quarter: smallint().notNull(),
		actual: numeric({ mode: 'number' }),
		numerator: integer(),
		denominator: integer(),
		target: numeric({ mode: 'number' }),
		computedAt: instant().notNull().defaultNow()
	},
	(t) => [unique().on(t.indicatorId, t.financialYear, t.quarter)]
);

export const indicatorCommentary = pgTable(
	'indicator_commentary',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		indicatorId: integer()
			.notNull()
			.references(() => indicators.id),
		financialYear: smallint().notNull(),
		quarter: smallint().notNull(),
		body: text().notNull(),
		/** Corrective action for a red or amber result (exception reporting), its owner and due date. */
		action: text(),
		actionOwner: text(),
		actionDue: date({ mode: 'string' }),
		authorId: text().references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [index('indicator_commentary_quarter_index').on(t.indicatorId, t.financialYear, t.quarter)]
);
