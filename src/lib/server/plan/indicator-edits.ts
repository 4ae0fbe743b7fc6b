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
	/** Corrective action for a red or amber result, with who owns it and by when (exception reporting). */
	action: CorrectiveAction | null;
	authorId: string | null;
	/** The author's name, or 'Unknown' when the account has gone. */
	author: string;
	at: Date;
}

export interface CorrectiveAction {
	text: string;
	owner: string;
	/** Local date, YYYY-MM-DD. */
	dueOn: string;
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
	const found = await rows<{ id: number; indicator_id: number; quarter: number; body: string; action: string | null; action_owner: string | null; action_due: string | null; author_id: string | null; author: string | null; created_at: Date | string }>(
		db,
		sql`select c.id, c.indicator_id, c.quarter, c.body, c.action, c.action_owner, to_char(c.action_due, 'YYYY-MM-DD') as action_due, c.author_id, u.name as author, c.created_at
			from indicator_commentary c left join users u on u.id = c.author_id
			where c.organisation_id = ${organisationId} and c.financial_year = ${startYear}
			order by c.created_at, c.id`
	);
	return found.map((c) => ({
		id: c.id,
		indicatorId: c.indicator_id,
		quarter: Number(c.quarter),
		body: c.body,
		action: c.action ? { text: c.action, owner: c.action_owner ?? '', dueOn: c.action_due ?? '' } : null,
		authorId: c.author_id,
		author: c.author ?? 'Unknown',
		at: new Date(c.created_at)
	}));
}

/**
 * A corrective action as typed: all three parts or none. Returns the action, null for none, or
 * throws a RangeError naming what is missing or wrong.
 */
export function correctiveAction(input: { action?: string | null; owner?: string | null; dueOn?: string | null }): CorrectiveAction | null {
	const text = (input.action ?? '').trim();
	const owner = (input.owner ?? '').trim();
	const dueOn = (input.dueOn ?? '').trim();
	if (!text && !owner && !dueOn) return null;
	if (!text) throw new RangeError('Enter the corrective action, or leave its owner and date empty');
	if (!owner) throw new RangeError('Enter who owns the corrective action');
	if (!dueOn) throw new RangeError('Enter the date the corrective action is due');
	if (!/^\d{4}-\d{2}-\d{2}$/.test(dueOn) || Number.isNaN(Date.parse(`${dueOn}T00:00:00Z`)) || new Date(`${dueOn}T00:00:00Z`).toISOString().slice(0, 10) !== dueOn) {
		throw new RangeError('Enter the due date as a real date, for example 2026-12-31');
	}
	if (text.length > 2000 || owner.length > 200) throw new RangeError('The corrective action is too long: keep it under 2,000 characters and its owner under 200');
	return { text, owner, dueOn };
}

/**
 * Adds a manager's commentary to an indicator (or a standard: each standard is an indicator too)
 * for a quarter, optionally with a corrective action (saved with author and time, audited). The
 * latest entry for a quarter is the one an exception report shows.
 */
export async function saveCommentary(
	db: Database,
	input: { organisation: string; indicator: string; financialYear: number; quarter: number; body: string; action?: CorrectiveAction | null; author: audit.Actor }
): Promise<Commentary> {
	const body = input.body.trim();
	if (!body) throw new RangeError('Enter the commentary');
	if (body.length > 5000) throw new RangeError('The commentary is too long: keep it under 5,000 characters');
	if (![1, 2, 3, 4].includes(input.quarter)) throw new RangeError('Choose a quarter from Q1 to Q4');
	const action = input.action ?? null;
	return db.transaction(async (tx) => {
		const organisation = await definitions.organisationOf(tx, input.organisation);
		const indicator = await definitions.indicatorOf(tx, organisation.id, input.indicator);
		const [row] = await tx
			.insert(schema.indicatorCommentary)
			.values({
				organisationId: organisation.id,
				indicatorId: indicator.id,
				financialYear: input.financialYear,
				quarter: input.quarter,
				body,
				action: action?.text ?? null,
				actionOwner: action?.owner ?? null,
				actionDue: action?.dueOn ?? null,
				authorId: audit.audited(input.author).actorId
			})
			.returning();
		await audit.record(tx, {
			...audit.audited(input.author),
			action: 'create',
			entity: 'indicator_commentary',
			entityId: row!.id,
			organisationId: organisation.id,
			after: { indicator: indicator.code, financialYear: input.financialYear, quarter: input.quarter, body, ...(action ? { action } : {}) }
		});
		return { id: row!.id, quarter: input.quarter, body, action, authorId: audit.audited(input.author).actorId, author: audit.actorName(input.author), at: row!.createdAt };
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
