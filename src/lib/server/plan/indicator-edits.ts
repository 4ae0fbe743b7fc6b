/**
 * What managers add to the indicators table: commentary per indicator and quarter, and targets per
 * financial year, effective-dated. Reads them for the table; saves them, each change audited.
 */
import { sql } from 'drizzle-orm';
import { targetInForce } from '../../engine/indicators.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import * as definitions from './indicator-definitions.ts';

/** One manager's commentary on an indicator for a quarter. */
export interface Commentary {
	id: number;
	quarter: number;
	body: string;
	authorId: string | null;
	/** The author's name, or 'Unknown' when the account has gone. */
	author: string;
	at: Date;
}

/** A target set for a financial year, from a moment. */
export interface TargetSetting {
	target: number;
	effectiveFrom: Date;
	setBy: string | null;
}

/** A target as stored: for one indicator and financial year, from a moment. */
export interface TargetRow {
	indicatorId: number;
	financialYear: number;
	target: number;
	effectiveFrom: Date;
	setBy: string | null;
}

/** Every target set for every indicator of an organisation. */
export async function targetRows(db: Database, organisationId: number): Promise<TargetRow[]> {
	const found = await rows<{ indicator_id: number; financial_year: number; target: number; effective_from: Date | string; set_by: string | null }>(
		db,
		sql`select indicator_id, financial_year, target::float8 as target, effective_from, set_by from indicator_targets where organisation_id = ${organisationId}`
	);
	return found.map((t) => ({ indicatorId: t.indicator_id, financialYear: Number(t.financial_year), target: Number(t.target), effectiveFrom: new Date(t.effective_from), setBy: t.set_by }));
}

/** Every comment on the organisation's indicators for a financial year, oldest first. */
export async function commentaryFor(db: Database, organisationId: number, startYear: number): Promise<(Commentary & { indicatorId: number })[]> {
	const found = await rows<{ id: number; indicator_id: number; quarter: number; body: string; author_id: string | null; author: string | null; created_at: Date | string }>(
		db,
		sql`select c.id, c.indicator_id, c.quarter, c.body, c.author_id, u.name as author, c.created_at
			from indicator_commentary c left join users u on u.id = c.author_id
			where c.organisation_id = ${organisationId} and c.financial_year = ${startYear}
			order by c.created_at, c.id`
	);
	return found.map((c) => ({
		id: c.id,
		indicatorId: c.indicator_id,
		quarter: Number(c.quarter),
		body: c.body,
		authorId: c.author_id,
		author: c.author ?? 'Unknown',
		at: new Date(c.created_at)
	}));
}

/** Adds a manager's commentary to an indicator for a quarter (saved with author and time, audited). */
export async function saveCommentary(
	db: Database,
	input: { organisation: string; indicator: string; financialYear: number; quarter: number; body: string; author: audit.Actor }
): Promise<Commentary> {
	const body = input.body.trim();
	if (!body) throw new RangeError('Enter the commentary');
	if (![1, 2, 3, 4].includes(input.quarter)) throw new RangeError('Choose a quarter from Q1 to Q4');
	return db.transaction(async (tx) => {
		const organisation = await definitions.organisationOf(tx, input.organisation);
		const indicator = await definitions.indicatorOf(tx, organisation.id, input.indicator);
		const [row] = await tx
			.insert(schema.indicatorCommentary)
			.values({ organisationId: organisation.id, indicatorId: indicator.id, financialYear: input.financialYear, quarter: input.quarter, body, authorId: audit.audited(input.author).actorId })
			.returning();
		await audit.record(tx, {
			...audit.audited(input.author),
			action: 'create',
			entity: 'indicator_commentary',
			entityId: row!.id,
			organisationId: organisation.id,
			after: { indicator: indicator.code, financialYear: input.financialYear, quarter: input.quarter, body }
		});
		return { id: row!.id, quarter: input.quarter, body, authorId: audit.audited(input.author).actorId, author: audit.actorName(input.author), at: row!.createdAt };
	});
}

/**
 * Sets an indicator's target for a financial year from now (or `effectiveFrom`): a new row, so
 * quarters already reported keep the target they were judged against. Audited.
 */
export async function setTarget(
	db: Database,
	input: { organisation: string; indicator: string; financialYear: number; target: number; actor: audit.Actor; effectiveFrom?: Date }
): Promise<TargetSetting> {
	if (!Number.isFinite(input.target) || input.target < 0 || input.target > 100) throw new RangeError('Enter a target from 0 to 100 per cent');
	return db.transaction(async (tx) => {
		const organisation = await definitions.organisationOf(tx, input.organisation);
		const indicator = await definitions.indicatorOf(tx, organisation.id, input.indicator);
		const targets = (await targetRows(tx, organisation.id)).filter((t) => t.indicatorId === indicator.id);
		const effectiveFrom = input.effectiveFrom ?? new Date();
		const before = targetInForce(targets, input.financialYear, effectiveFrom);
		const [row] = await tx
			.insert(schema.indicatorTargets)
			.values({ organisationId: organisation.id, indicatorId: indicator.id, financialYear: input.financialYear, target: input.target, effectiveFrom, setBy: audit.actorName(input.actor) })
			.returning();
		await audit.record(tx, {
			...audit.audited(input.actor),
			action: 'set target',
			entity: 'indicator_target',
			entityId: row!.id,
			organisationId: organisation.id,
			before: before ? { indicator: indicator.code, financialYear: input.financialYear, target: before.target, effectiveFrom: before.effectiveFrom } : null,
			after: { indicator: indicator.code, financialYear: input.financialYear, target: input.target, effectiveFrom }
		});
		return { target: input.target, effectiveFrom, setBy: audit.actorName(input.actor) };
	});
}
