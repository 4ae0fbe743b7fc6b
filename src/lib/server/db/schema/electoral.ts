import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, smallint, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organisations } from './organisations.ts';

/**
 * One property in an annual canvass (ES01). canvassYear is the year of the 1 December publication
 * that ends the canvass.
 */
export const canvassProperties = pgTable(
	'canvass_properties',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		canvassYear: smallint().notNull(),
		propertyRef: text().notNull(),
		/** The demo's; an imported property has none (the electoral data files carry no more than they need). */
		pollingDistrict: text(),
		/** Canvass route since the 2020 reform: 1 (data matched), 2 (full canvass), 3 (defined properties). */
		route: smallint().notNull(),
		/** When the canvass first contacted it; null (an imported property): from the canvass's start, 1 July. */
		contactedOn: date({ mode: 'string' }),
		respondedOn: date({ mode: 'string' }),
		/** online, phone, text, paper, canvasser */
		responseMethod: text(),
		/** The import that last stored or changed it. */
		importBatchId: bigint({ mode: 'number' }),
		createdAt: createdAt()
	},
	(t) => [
		unique('canvass_properties_property_unique').on(t.organisationId, t.canvassYear, t.propertyRef),
		index().on(t.organisationId, t.canvassYear, t.route)
	]
);

/**
 * A canvass counted by route rather than property by property (the summary grain of an imported
 * canvass file): properties canvassed and responses received by `asOf`, or by the revised
 * register's publication when `asOf` is null (the final return). Used for a canvass that has no
 * property rows.
 */
export const canvassCounts = pgTable(
	'canvass_counts',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		canvassYear: smallint().notNull(),
		route: smallint().notNull(),
		asOf: date({ mode: 'string' }),
		properties: integer().notNull(),
		responses: integer().notNull(),
		importBatchId: bigint({ mode: 'number' }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('canvass_counts_unique').on(t.organisationId, t.canvassYear, t.route, sql`coalesce(${t.asOf}, 'infinity'::date)`),
		check('canvass_counts_responses_check', sql`${t.responses} >= 0 and ${t.responses} <= ${t.properties}`)
	]
);

/** A monthly notice of alteration to the register (ES02), published on the first working day. */
export const registerNotices = pgTable(
	'register_notices',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		/** First day of the month the notice is for. */
		month: date({ mode: 'string' }).notNull(),
		/** Changes determined on or before this date belong in the notice. */
		cutOffOn: date({ mode: 'string' }).notNull(),
		dueOn: date({ mode: 'string' }).notNull(),
		publishedOn: date({ mode: 'string' }),
		/** Per-notice counts (an imported summary): changes determined before its cut-off, and of them those it included. When set, they are its ES02 figures. */
		determinedCount: integer(),
		includedCount: integer(),
		importBatchId: bigint({ mode: 'number' }),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.month)]
);

/** An addition, amendment or deletion to the electoral register (ES02). */
export const registerChanges = pgTable(
	'register_changes',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		changeRef: text().notNull(),
		kind: text().$type<'addition' | 'amendment' | 'deletion'>().notNull(),
		determinedOn: date({ mode: 'string' }).notNull(),
		/** The notice that included it; null when it was missed. */
		noticeId: integer().references(() => registerNotices.id),
		importBatchId: bigint({ mode: 'number' }),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.changeRef), index().on(t.organisationId, t.determinedOn)]
);

/** A poll held in the council's area: an election in the canvass moves the register's publication to 1 February. */
export const elections = pgTable(
	'elections',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		pollOn: date({ mode: 'string' }).notNull(),
		title: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.pollOn, t.title)]
);
