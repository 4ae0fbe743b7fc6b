import { bigint, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { organisations, services, teams } from './organisations.ts';

/** One run of an import (file upload, CLI or API): what was read and what became of it. */
export const importBatches = pgTable('import_batches', {
	id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
	organisationId: integer().references(() => organisations.id),
	/** contacts, asterisk, connect, api, seed */
	kind: text().notNull(),
	source: text().notNull(),
	filename: text(),
	/** SHA-256 of the file's bytes (hex): the same file imported twice is recognisable. */
	fileHash: text(),
	/** The file's header as read, in order, so rejected rows export with the columns they came with. */
	columns: jsonb().$type<string[]>(),
	status: text().$type<'running' | 'done' | 'failed' | 'removed'>().notNull().default('running'),
	/** Why a failed import failed, for the person who ran it. */
	failure: text(),
	readCount: integer().notNull().default(0),
	acceptedCount: integer().notNull().default(0),
	updatedCount: integer().notNull().default(0),
	unchangedCount: integer().notNull().default(0),
	/** Records that are not contacts this import measures (chat, outbound, never queued), by reason: counted, not kept. */
	skippedCount: integer().notNull().default(0),
	skippedReasons: jsonb().$type<{ reason: string; count: number }[]>().notNull().default([]),
	rejectedCount: integer().notNull().default(0),
	createdBy: text(),
	startedAt: createdAt(),
	finishedAt: instant(),
	/** The process running it: its host, pid and a token made when it started (a pid can be reused). */
	ownerHost: text(),
	ownerPid: integer(),
	ownerToken: text(),
	/** Renewed while it runs; a running batch whose process is gone is marked failed (ingest/batches.ts). */
	heartbeatAt: instant()
});

/** A row that was not stored, with a reason a person can act on, and the row as it was read. */
export const importRejections = pgTable(
	'import_rejections',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		batchId: bigint({ mode: 'number' })
			.notNull()
			.references(() => importBatches.id, { onDelete: 'cascade' }),
		rowNumber: integer().notNull(),
		reason: text().notNull(),
		raw: jsonb().$type<Record<string, string>>().notNull()
	},
	(t) => [index().on(t.batchId, t.rowNumber)]
);

/**
 * How one data source's export reads as the contact log: its column names, fixed values for the
 * columns it lacks, value maps and how it writes dates. Used by name (`--mapping crm`), so names
 * are unique per installation. The definition is checked by ingest/mappings.ts before it is stored.
 */
export const importMappings = pgTable('import_mappings', {
	id: integer().primaryKey().generatedAlwaysAsIdentity(),
	name: text().notNull().unique(),
	definition: jsonb().$type<Record<string, unknown>>().notNull(),
	createdAt: createdAt(),
	updatedAt: createdAt()
});

/** A telephony queue (Asterisk, Amazon Connect) and where its calls belong, per organisation. */
export const queueMappings = pgTable(
	'queue_mappings',
	{
		id: integer().primaryKey().generatedAlwaysAsIdentity(),
		organisationId: integer()
			.notNull()
			.references(() => organisations.id),
		queue: text().notNull(),
		serviceId: integer()
			.notNull()
			.references(() => services.id),
		teamId: integer().references(() => teams.id),
		createdAt: createdAt()
	},
	(t) => [unique().on(t.organisationId, t.queue)]
);
