import { customType, index, integer, jsonb, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organisations } from './organisations.ts';

/**
 * Published (frozen) board and committee reports. Publishing stores the whole report as built at
 * that moment; pages and downloads of a published report render this snapshot, never the live
 * data. Versioned: publishing the same report again adds version n+1 and keeps every earlier one,
 * so what a committee has already been sent can always be shown as it was.
 */
export const publishedReports = pgTable(
	'published_reports',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		/** 'board' or 'committee'. */
		kind: text().$type<'board' | 'committee'>().notNull(),
		/** Start year of the financial year: 2025 for 2025/26. */
		financialYear: smallint().notNull(),
		quarter: smallint().notNull(),
		version: integer().notNull(),
		snapshot: jsonb().notNull(),
		/** sha256 of the snapshot's canonical JSON, shown on the report so a copy can be checked. */
		contentHash: text().notNull(),
		publishedBy: text(),
		/** Readable publisher (the user's name or email, or 'cli'), kept if the user is later removed. */
		publishedByName: text().notNull(),
		publishedAt: createdAt()
	},
	(t) => [
		unique('published_reports_version_unique').on(t.organisationId, t.kind, t.financialYear, t.quarter, t.version),
		index('published_reports_list_index').on(t.organisationId, t.publishedAt)
	]
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * A published report's PDF, printed once and kept: keyed by the SHA-256 of everything printed
 * (the print view, its running header and footer), so each published version (and each way it is
 * shown) is printed by Chromium once, whichever server or restart asks for it again.
 */
export const reportPdfs = pgTable('report_pdfs', {
	documentHash: text().primaryKey(),
	pdf: bytea().notNull(),
	createdAt: createdAt()
});
