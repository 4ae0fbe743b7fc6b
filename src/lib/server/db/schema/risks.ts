import { date, index, integer, jsonb, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { users } from './auth.ts';
import { organisations, services } from './organisations.ts';

/** The service plan's risk register; scores are likelihood × impact, each 1–4. */
export const risks = pgTable(
	'risks',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		serviceId: integer().references(() => services.id),
		ref: text().notNull(),
		title: text().notNull(),
		description: text().notNull().default(''),
		owner: text().notNull(),
		controls: text().notNull().default(''),
		inherentLikelihood: smallint().notNull(),
		inherentImpact: smallint().notNull(),
		residualLikelihood: smallint().notNull(),
		residualImpact: smallint().notNull(),
		targetLikelihood: smallint().notNull(),
		targetImpact: smallint().notNull(),
		lastReviewedOn: date({ mode: 'string' }),
		/** The day the risk was closed: it leaves the register from then on; its reviews and decisions stay. */
		closedOn: date({ mode: 'string' }),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.ref)]
);

/** The residual assessment at each quarterly review, for movement on the matrix. */
export const riskReviews = pgTable(
	'risk_reviews',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		riskId: integer()
			.notNull()
			.references(() => risks.id),
		financialYear: smallint().notNull(),
		quarter: smallint().notNull(),
		likelihood: smallint().notNull(),
		impact: smallint().notNull(),
		reviewedOn: date({ mode: 'string' }).notNull(),
		reviewedBy: text(),
		note: text(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.riskId, t.financialYear, t.quarter), index().on(t.organisationId, t.financialYear)]
);

/**
 * A manager's decision on a likelihood suggested by an evidence rule for a quarter: accepted (the
 * quarter's review takes the suggested likelihood) or rejected, with who decided and when.
 */
export const riskDecisions = pgTable(
	'risk_decisions',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		riskId: integer()
			.notNull()
			.references(() => risks.id),
		/** The evidence rule's code, e.g. 'staffing-standards'. */
		rule: text().notNull(),
		financialYear: smallint().notNull(),
		quarter: smallint().notNull(),
		currentLikelihood: smallint().notNull(),
		suggestedLikelihood: smallint().notNull(),
		decision: text().$type<'accepted' | 'rejected'>().notNull(),
		/** The evidence as the manager saw it. */
		evidence: jsonb(),
		note: text(),
		decidedById: text().references(() => users.id),
		decidedBy: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.riskId, t.rule, t.financialYear, t.quarter)]
);
