/**
 * The risk register: each risk's inherent, residual and target assessment as it stood in a
 * quarter (from the quarterly reviews), its movement since the quarter before, its place on the
 * plan's 4×4 matrix, and the evidence rules that suggest a likelihood for a manager to accept or
 * reject.
 */
import { and, eq, sql } from 'drizzle-orm';
import { localDate } from '../../engine/dates.ts';
import type { Direction } from '../../engine/performance.ts';
import { financialYear as fyOf, previousQuarter, quarter as quarterOfYear, type Quarter, type QuarterNumber } from '../../engine/periods.ts';
import {
	band,
	BAND_LABEL,
	EVIDENCE_RULES,
	IMPACT,
	LIKELIHOOD,
	matrixCells,
	movement,
	riskDirection,
	score,
	suggest,
	type Band,
	type Level,
	type RiskMatrixData,
	type Signal
} from '../../engine/risk.ts';

export type { MatrixCellData, MatrixRisk, RiskMatrixData } from '../../engine/risk.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { organisationOf } from './indicator-definitions.ts';
import * as indicators from './indicators.ts';

/** A likelihood × impact assessment with its score and band. */
export interface RiskAssessment {
	likelihood: number;
	impact: number;
	likelihoodLabel: string;
	impactLabel: string;
	score: number;
	band: Band;
	bandLabel: string;
}

export interface RiskRow {
	id: number;
	ref: string;
	title: string;
	description: string;
	owner: string;
	controls: string;
	inherent: RiskAssessment;
	/** The residual assessment as it stood in the quarter. */
	residual: RiskAssessment;
	target: RiskAssessment;
	/** The residual at the previous quarter's review; null if there was none. */
	previous: RiskAssessment | null;
	direction: Direction | null;
	/** Movement on the matrix since the previous quarter, in words. */
	movement: { kind: 'new' | 'same' | 'up' | 'down' | 'moved'; text: string };
	/** When the assessment shown was made (the quarter's review), and by whom. */
	lastReviewedOn: string | null;
	reviewedBy: string | null;
	reviewNote: string | null;
	/** Whether the quarter has its own review (false: carried forward from an earlier one). */
	reviewedThisQuarter: boolean;
}

export interface RiskRegister {
	organisation: { code: string; name: string };
	financialYear: number;
	quarter: QuarterNumber;
	/** 'Q2 2026/27' */
	label: string;
	previousLabel: string;
	/** The quarter holds today. */
	isCurrent: boolean;
	risks: RiskRow[];
}

export interface EvidenceItem {
	rule: { code: string; description: string; when: 'all' | 'any'; quarters: number };
	risk: { id: number; ref: string; title: string; likelihood: number; impact: number; targetLikelihood: number };
	signals: (Signal & { states: ('below' | 'met' | 'no-data')[] })[];
	triggered: boolean;
	currentLikelihood: number;
	suggestedLikelihood: number;
	/** The suggestion differs from the likelihood now: a manager has something to decide. */
	changeSuggested: boolean;
	reason: string;
	decision: { decision: 'accepted' | 'rejected'; suggestedLikelihood: number; by: string; at: Date; note: string | null } | null;
}

export function assessment(likelihood: number, impact: number): RiskAssessment {
	const s = score(likelihood, impact);
	const b = band(s);
	return {
		likelihood,
		impact,
		likelihoodLabel: LIKELIHOOD[likelihood as Level].label,
		impactLabel: IMPACT[impact as Level].label,
		score: s,
		band: b,
		bandLabel: BAND_LABEL[b]
	};
}

const quarterLabel = (q: Quarter) => `Q${q.quarter} ${q.fy}`;

/** The register as it stood in a quarter (financial year start year and quarter 1–4). */
export async function register(db: Database, options: { organisation: string; financialYear: number; quarter: number; asOf?: Date }): Promise<RiskRegister> {
	if (![1, 2, 3, 4].includes(options.quarter)) throw new RangeError('Choose a quarter from Q1 to Q4');
	const organisation = await organisationOf(db, options.organisation);
	const today = localDate(options.asOf ?? new Date());
	const q = quarterOfYear(options.financialYear, options.quarter as QuarterNumber);
	const prev = previousQuarter(q);
	const isCurrent = q.start <= today && today <= q.end;
	const current = q.end >= today;

	const risks = await rows<{
		id: number; ref: string; title: string; description: string; owner: string; controls: string;
		inherent_likelihood: number; inherent_impact: number; residual_likelihood: number; residual_impact: number;
		target_likelihood: number; target_impact: number; last_reviewed_on: string | null;
	}>(db, sql`select id, ref, title, description, owner, controls, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact,
			target_likelihood, target_impact, last_reviewed_on::text
		from risks where organisation_id = ${organisation.id}
			-- A closed risk leaves the register on its closing day; quarters before it still show it.
			and (closed_on is null or closed_on > least(${q.end}::date, ${today}::date))
		order by ref`);
	const reviews = await rows<{ risk_id: number; financial_year: number; quarter: number; likelihood: number; impact: number; reviewed_on: string; reviewed_by: string | null; note: string | null }>(
		db,
		sql`select risk_id, financial_year, quarter, likelihood, impact, reviewed_on::text, reviewed_by, note from risk_reviews
			where organisation_id = ${organisation.id} and (financial_year * 10 + quarter) <= ${q.startYear * 10 + q.quarter}
			order by financial_year, quarter`
	);
	const key = (fy: number, n: number) => fy * 10 + n;
	/** The latest review of a risk at or before a quarter. */
	const asAt = (riskId: number, at: Quarter) => {
		let found: (typeof reviews)[number] | undefined;
		for (const r of reviews) if (r.risk_id === riskId && key(r.financial_year, r.quarter) <= key(at.startYear, at.quarter)) found = r;
		return found;
	};

	return {
		organisation: { code: options.organisation, name: organisation.name },
		financialYear: q.startYear,
		quarter: q.quarter,
		label: quarterLabel(q),
		previousLabel: quarterLabel(prev),
		isCurrent,
		risks: risks.map((r): RiskRow => {
			const own = reviews.find((v) => v.risk_id === r.id && v.financial_year === q.startYear && v.quarter === q.quarter);
			const carried = own ?? asAt(r.id, q);
			// The quarter under way (not reviewed yet) shows the register as it stands now.
			const residual = own
				? assessment(own.likelihood, own.impact)
				: current
					? assessment(r.residual_likelihood, r.residual_impact)
					: carried
						? assessment(carried.likelihood, carried.impact)
						: assessment(r.residual_likelihood, r.residual_impact);
			const before = asAt(r.id, prev);
			const previous = before ? assessment(before.likelihood, before.impact) : null;
			const shown = own ?? (current ? null : carried);
			return {
				id: r.id,
				ref: r.ref,
				title: r.title,
				description: r.description,
				owner: r.owner,
				controls: r.controls,
				inherent: assessment(r.inherent_likelihood, r.inherent_impact),
				residual,
				target: assessment(r.target_likelihood, r.target_impact),
				previous,
				direction: riskDirection(residual, previous),
				movement: movement(residual, previous),
				lastReviewedOn: shown?.reviewed_on ?? (current ? r.last_reviewed_on : null),
				reviewedBy: shown?.reviewed_by ?? null,
				reviewNote: shown?.note ?? null,
				reviewedThisQuarter: !!own
			};
		})
	};
}

/** Places a register's risks on the plan's 4×4 matrix (pure: the printed report uses it too). */
export function placement(register: Pick<RiskRegister, 'risks' | 'label'>): RiskMatrixData {
	return {
		label: register.label,
		rows: matrixCells().map((row) =>
			row.map((cell) => ({
				...cell,
				likelihoodLabel: LIKELIHOOD[cell.likelihood].label,
				impactLabel: IMPACT[cell.impact].label,
				bandLabel: BAND_LABEL[cell.band],
				risks: register.risks
					.filter((r) => r.residual.likelihood === cell.likelihood && r.residual.impact === cell.impact)
					.map((r) => ({
						ref: r.ref,
						title: r.title,
						movement: r.movement,
						from: r.previous && (r.previous.likelihood !== r.residual.likelihood || r.previous.impact !== r.residual.impact) ? { likelihood: r.previous.likelihood, impact: r.previous.impact } : null
					}))
			}))
		)
	};
}

/** The 4×4 matrix for a quarter, each risk placed by its residual assessment with its movement. */
export async function matrix(db: Database, options: { organisation: string; financialYear: number; quarter: number; asOf?: Date }): Promise<RiskMatrixData> {
	return placement(await register(db, options));
}

/** The quarters with at least one review, newest first, for the snapshot picker. */
export async function reviewedQuarters(db: Database, options: { organisation: string }): Promise<{ financialYear: number; quarter: number; label: string }[]> {
	const found = await rows<{ financial_year: number; quarter: number }>(
		db,
		sql`select distinct r.financial_year, r.quarter from risk_reviews r join organisations o on o.id = r.organisation_id
			where o.code = ${options.organisation} order by 1 desc, 2 desc`
	);
	return found.map((r) => ({ financialYear: Number(r.financial_year), quarter: Number(r.quarter), label: `Q${r.quarter} ${fyOf(Number(r.financial_year)).label}` }));
}

/**
 * The evidence rules for a quarter: each linked standard's or indicator's figures for the rule's
 * quarters, whether it fired, the likelihood it suggests, and any decision already recorded.
 */
export async function evidence(db: Database, options: { organisation: string; financialYear: number; quarter: number; asOf?: Date }): Promise<EvidenceItem[]> {
	const asOf = options.asOf ?? new Date();
	const reg = await register(db, options);
	const organisation = await organisationOf(db, options.organisation);
	const q = quarterOfYear(options.financialYear, options.quarter as QuarterNumber);
	const needsLastYear = EVIDENCE_RULES.some((rule) => rule.quarters >= options.quarter);
	const [thisYear, lastYear] = await Promise.all([
		indicators.table(db, { organisation: options.organisation, financialYear: options.financialYear, asOf }),
		needsLastYear ? indicators.table(db, { organisation: options.organisation, financialYear: options.financialYear - 1, asOf }) : Promise.resolve(null)
	]);
	const decisions = await rows<{ risk_id: number; rule: string; decision: 'accepted' | 'rejected'; suggested_likelihood: number; decided_by: string; created_at: Date | string; note: string | null }>(
		db,
		sql`select risk_id, rule, decision, suggested_likelihood, decided_by, created_at, note from risk_decisions
			where organisation_id = ${organisation.id} and financial_year = ${options.financialYear} and quarter = ${options.quarter}`
	);

	const seriesOf = (kind: 'standard' | 'indicator', code: string): Signal | null => {
		const row = thisYear.rows.find((r) => r.ref === code && (kind === 'indicator' ? r.kind !== 'standard' : r.kind === 'standard'));
		if (!row) return null;
		const before = lastYear?.rows.find((r) => r.ref === code);
		const quarters = [...(before?.quarters ?? []), ...row.quarters]
			// A canvass in progress is not yet its return: ES01 counts only once final.
			.filter((x) => x.end <= q.end && (x.status === 'final' || x.status === 'in-progress') && (kind === 'standard' || x.actual !== null) && x.stage !== 'progress')
			.map((x) => ({ label: x.label, actual: x.actual, target: x.target }));
		return { kind, code, name: kind === 'standard' ? row.description : `${code} ${row.description.split(' – ')[0]}`, quarters };
	};

	const items: EvidenceItem[] = [];
	for (const rule of EVIDENCE_RULES) {
		const risk = reg.risks.find((r) => r.ref === rule.riskRef);
		if (!risk) continue;
		const signals = rule.signals.map((s) => seriesOf(s.kind, s.code)).filter((s): s is Signal => s !== null);
		if (signals.length === 0) continue;
		const [target] = await rows<{ target_likelihood: number }>(db, sql`select target_likelihood from risks where id = ${risk.id}`);
		const suggestion = suggest(rule, signals, { likelihood: risk.residual.likelihood, targetLikelihood: Number(target?.target_likelihood ?? 1) });
		const decided = decisions.find((d) => d.risk_id === risk.id && d.rule === rule.code);
		items.push({
			rule: { code: rule.code, description: rule.description, when: rule.when, quarters: rule.quarters },
			risk: { id: risk.id, ref: risk.ref, title: risk.title, likelihood: risk.residual.likelihood, impact: risk.residual.impact, targetLikelihood: Number(target?.target_likelihood ?? 1) },
			signals: signals.map((s) => ({
				...s,
				quarters: s.quarters.slice(-Math.max(rule.quarters, 2)),
				states: s.quarters.slice(-Math.max(rule.quarters, 2)).map((x) => (x.actual === null || x.target === null ? 'no-data' : Math.round(x.actual * 10) / 10 < x.target ? 'below' : 'met'))
			})),
			triggered: suggestion.triggered,
			currentLikelihood: suggestion.currentLikelihood,
			suggestedLikelihood: suggestion.suggestedLikelihood,
			changeSuggested: suggestion.suggestedLikelihood !== suggestion.currentLikelihood,
			reason: suggestion.reason,
			decision: decided
				? { decision: decided.decision, suggestedLikelihood: Number(decided.suggested_likelihood), by: decided.decided_by, at: new Date(decided.created_at), note: decided.note }
				: null
		});
	}
	return items;
}

/**
 * Records a manager's decision on a rule's suggested likelihood for a quarter (who and when,
 * audited). Accepting sets the quarter's review to the suggested likelihood (and the register's
 * residual likelihood, when it is the latest review). The suggestion is recomputed here, never
 * taken from the form.
 */
export async function decide(
	db: Database,
	input: { organisation: string; financialYear: number; quarter: number; rule: string; decision: 'accepted' | 'rejected'; note?: string | null; actor: audit.Actor; asOf?: Date }
): Promise<{ decision: 'accepted' | 'rejected'; suggestedLikelihood: number; currentLikelihood: number }> {
	const items = await evidence(db, input);
	const item = items.find((i) => i.rule.code === input.rule);
	if (!item) throw new RangeError(`There is no evidence rule '${input.rule}' for this organisation`);
	if (!item.changeSuggested) throw new RangeError('This rule suggests no change to decide on this quarter');
	const organisation = await organisationOf(db, input.organisation);
	const today = localDate(input.asOf ?? new Date());
	const note = input.note?.trim() || null;
	return db.transaction(async (tx) => {
		const values = {
			organisationId: organisation.id,
			riskId: item.risk.id,
			rule: input.rule,
			financialYear: input.financialYear,
			quarter: input.quarter,
			currentLikelihood: item.currentLikelihood,
			suggestedLikelihood: item.suggestedLikelihood,
			decision: input.decision,
			evidence: { reason: item.reason, signals: item.signals.map((s) => ({ code: s.code, quarters: s.quarters })) },
			note,
			decidedById: audit.audited(input.actor).actorId,
			decidedBy: audit.actorName(input.actor)
		};
		const [row] = await tx
			.insert(schema.riskDecisions)
			.values(values)
			.onConflictDoUpdate({
				target: [schema.riskDecisions.riskId, schema.riskDecisions.rule, schema.riskDecisions.financialYear, schema.riskDecisions.quarter],
				set: { ...values, createdAt: new Date() }
			})
			.returning({ id: schema.riskDecisions.id });
		await audit.record(tx, {
			...audit.audited(input.actor),
			action: input.decision === 'accepted' ? 'accept suggestion' : 'reject suggestion',
			entity: 'risk_decision',
			entityId: row!.id,
			organisationId: organisation.id,
			before: { risk: item.risk.ref, likelihood: item.currentLikelihood },
			after: { risk: item.risk.ref, rule: input.rule, decision: input.decision, suggestedLikelihood: item.suggestedLikelihood, note }
		});
		if (input.decision === 'accepted') {
			await writeReview(tx, {
				organisationId: organisation.id,
				riskId: item.risk.id,
				riskRef: item.risk.ref,
				financialYear: input.financialYear,
				quarter: input.quarter,
				likelihood: item.suggestedLikelihood,
				impact: item.risk.impact,
				note: note ?? `Accepted the evidence rule's suggestion: ${item.reason}`,
				reviewedOn: today,
				actor: input.actor
			});
		}
		return { decision: input.decision, suggestedLikelihood: item.suggestedLikelihood, currentLikelihood: item.currentLikelihood };
	});
}

/** Records (or corrects) a risk's quarterly review: residual likelihood and impact, with a note. Audited. */
export async function review(
	db: Database,
	input: { organisation: string; ref: string; financialYear: number; quarter: number; likelihood: number; impact: number; note?: string | null; actor: audit.Actor; asOf?: Date }
): Promise<RiskAssessment> {
	const a = assessment(input.likelihood, input.impact); // throws on values outside 1–4
	if (![1, 2, 3, 4].includes(input.quarter)) throw new RangeError('Choose a quarter from Q1 to Q4');
	const organisation = await organisationOf(db, input.organisation);
	const [risk] = await db
		.select({ id: schema.risks.id })
		.from(schema.risks)
		.where(and(eq(schema.risks.organisationId, organisation.id), eq(schema.risks.ref, input.ref)));
	if (!risk) throw new RangeError(`There is no risk '${input.ref}'`);
	const today = localDate(input.asOf ?? new Date());
	const q = quarterOfYear(input.financialYear, input.quarter as QuarterNumber);
	if (q.start > today) throw new RangeError('A quarter can be reviewed once it has started');
	await db.transaction((tx) =>
		writeReview(tx, {
			organisationId: organisation.id,
			riskId: risk.id,
			riskRef: input.ref,
			financialYear: input.financialYear,
			quarter: input.quarter,
			likelihood: input.likelihood,
			impact: input.impact,
			note: input.note?.trim() || null,
			reviewedOn: today,
			actor: input.actor
		})
	);
	return a;
}

/** Upserts a quarter's review; when no later review exists it becomes the register's residual. */
async function writeReview(
	tx: Database,
	input: { organisationId: number; riskId: number; riskRef: string; financialYear: number; quarter: number; likelihood: number; impact: number; note: string | null; reviewedOn: string; actor: audit.Actor }
) {
	const [before] = await tx
		.select()
		.from(schema.riskReviews)
		.where(and(eq(schema.riskReviews.riskId, input.riskId), eq(schema.riskReviews.financialYear, input.financialYear), eq(schema.riskReviews.quarter, input.quarter)));
	const values = {
		organisationId: input.organisationId,
		riskId: input.riskId,
		financialYear: input.financialYear,
		quarter: input.quarter,
		likelihood: input.likelihood,
		impact: input.impact,
		reviewedOn: input.reviewedOn,
		reviewedBy: audit.actorName(input.actor),
		note: input.note
	};
	const [row] = await tx
		.insert(schema.riskReviews)
		.values(values)
		.onConflictDoUpdate({ target: [schema.riskReviews.riskId, schema.riskReviews.financialYear, schema.riskReviews.quarter], set: values })
		.returning({ id: schema.riskReviews.id });
	const later = await rows<{ n: number }>(
		tx,
		sql`select count(*)::int as n from risk_reviews where risk_id = ${input.riskId} and (financial_year * 10 + quarter) > ${input.financialYear * 10 + input.quarter}`
	);
	if (Number(later[0]?.n ?? 0) === 0) {
		await tx
			.update(schema.risks)
			.set({ residualLikelihood: input.likelihood, residualImpact: input.impact, lastReviewedOn: input.reviewedOn })
			.where(eq(schema.risks.id, input.riskId));
	}
	await audit.record(tx, {
		...audit.audited(input.actor),
		action: before ? 'update' : 'create',
		entity: 'risk_review',
		entityId: row!.id,
		organisationId: input.organisationId,
		before: before ? { risk: input.riskRef, likelihood: before.likelihood, impact: before.impact, note: before.note } : null,
		after: { risk: input.riskRef, financialYear: input.financialYear, quarter: input.quarter, likelihood: input.likelihood, impact: input.impact, note: input.note }
	});
}

/** Everything the risks page shows for a quarter: the register, its matrix, the evidence and the quarters with reviews. */
export async function overview(db: Database, options: { organisation: string; financialYear: number; quarter: number; asOf?: Date }) {
	const reg = await register(db, options);
	const [items, quarters] = await Promise.all([evidence(db, options), reviewedQuarters(db, options)]);
	return { register: reg, matrix: placement(reg), evidence: items, reviewedQuarters: quarters };
}
