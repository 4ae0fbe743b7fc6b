/**
 * Which indicators an organisation has: its rows in `indicators` (ES01 and ES02 where it keeps
 * them) and one per published standard, added on first use; and the look-ups by code that the
 * table and the edits share.
 */
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';

export type IndicatorKind = 'es01' | 'es02' | 'standard' | 'satisfaction';

export interface IndicatorDef {
	id: number;
	code: string;
	description: string;
	method: string;
	unit: string;
	higherIsBetter: boolean;
	amberMargin: number;
}

/** Organisation id and name for a code; throws a RangeError for an unknown code. */
export async function organisationOf(db: Database, code: string) {
	const [found] = await db.select({ id: schema.organisations.id, name: schema.organisations.name }).from(schema.organisations).where(eq(schema.organisations.code, code));
	if (!found) throw new RangeError(`There is no organisation '${code}'`);
	return found;
}

/** Every published standard of the organisation is an indicator too: add any that are missing. */
export async function ensureStandardIndicators(db: Database, organisationId: number): Promise<void> {
	await db.execute(sql`insert into indicators (organisation_id, code, description, method, unit, higher_is_better, amber_margin)
		select s.organisation_id, s.code, s.title, 'standard:' || s.code, 'percent', 1,
			coalesce((select v.amber_margin_percent from standard_versions v where v.standard_id = s.id order by v.effective_from desc limit 1), 5)
		from standards s where s.organisation_id = ${organisationId}
		on conflict (organisation_id, code) do nothing`);
}

/** The Elections Service Plan's two indicators, as a council that keeps electoral data has them. */
export const ELECTORAL_INDICATORS = [
	{
		code: 'ES01',
		description: 'Annual canvass return – electoral register published on 1 December',
		method: 'es01',
		// Amber within 2.5 points of the 90% target; ES02's 100% allows 1 point (a missed change or two).
		amberMargin: 2.5
	},
	{
		code: 'ES02',
		description: 'New electoral registrations – monthly alterations to the register include amendments, deletions as well as additions',
		method: 'es02',
		amberMargin: 1
	}
] as const;

/** An organisation whose canvass or register changes are recorded (imported) has ES01 and ES02: add them when missing. */
export async function ensureElectoralIndicators(db: Database, organisationId: number): Promise<void> {
	const [found] = await rows<{ has: boolean }>(
		db,
		sql`select exists (select 1 from canvass_properties where organisation_id = ${organisationId})
			or exists (select 1 from canvass_counts where organisation_id = ${organisationId})
			or exists (select 1 from register_notices where organisation_id = ${organisationId})
			or exists (select 1 from register_changes where organisation_id = ${organisationId}) as has`
	);
	if (!found?.has) return;
	for (const i of ELECTORAL_INDICATORS) {
		await db.execute(sql`insert into indicators (organisation_id, code, description, method, unit, higher_is_better, amber_margin)
			values (${organisationId}, ${i.code}, ${i.description}, ${i.method}, 'percent', 1, ${i.amberMargin})
			on conflict (organisation_id, code) do nothing`);
	}
}

/** Customer satisfaction (src/lib/server/feedback): an organisation with survey answers has it, against 85% unless it sets its own target. */
export const SATISFACTION_INDICATOR = {
	code: 'CS01',
	description: 'Customer satisfaction – survey answers satisfied or very satisfied',
	method: 'satisfaction',
	amberMargin: 5
} as const;

/** An organisation with survey answers (from links, imports or the demo) has CS01: add it when missing. */
export async function ensureFeedbackIndicators(db: Database, organisationId: number): Promise<void> {
	const [found] = await rows<{ has: boolean }>(db, sql`select exists (select 1 from feedback where organisation_id = ${organisationId} and satisfaction is not null) as has`);
	if (!found?.has) return;
	const i = SATISFACTION_INDICATOR;
	await db.execute(sql`insert into indicators (organisation_id, code, description, method, unit, higher_is_better, amber_margin)
		values (${organisationId}, ${i.code}, ${i.description}, ${i.method}, 'percent', 1, ${i.amberMargin})
		on conflict (organisation_id, code) do nothing`);
}

/** The organisation's indicators: ES01, ES02 and any others first, then the standards, each by code. */
export async function definitions(db: Database, organisationId: number): Promise<IndicatorDef[]> {
	await ensureStandardIndicators(db, organisationId);
	await ensureElectoralIndicators(db, organisationId);
	await ensureFeedbackIndicators(db, organisationId);
	const found = await rows<{ id: number; code: string; description: string; method: string; unit: string; higher_is_better: number; amber_margin: string | number }>(
		db,
		sql`select id, code, description, method, unit, higher_is_better, amber_margin from indicators where organisation_id = ${organisationId}
			order by case when method like 'standard:%' then 1 else 0 end, code`
	);
	return found.map((r) => ({
		id: r.id,
		code: r.code,
		description: r.description,
		method: r.method,
		unit: r.unit,
		higherIsBetter: Number(r.higher_is_better) === 1,
		amberMargin: Number(r.amber_margin)
	}));
}

export const kindOf = (method: string): IndicatorKind => (method === 'es01' ? 'es01' : method === 'es02' ? 'es02' : method === 'satisfaction' ? 'satisfaction' : 'standard');

/** One indicator by its ref (ES01, ES02, CS01 or a standard's code); throws a RangeError for an unknown one. */
export async function indicatorOf(db: Database, organisationId: number, ref: string) {
	await ensureStandardIndicators(db, organisationId);
	await ensureFeedbackIndicators(db, organisationId);
	const [found] = await db
		.select({ id: schema.indicators.id, code: schema.indicators.code })
		.from(schema.indicators)
		.where(and(eq(schema.indicators.organisationId, organisationId), eq(schema.indicators.code, ref)));
	if (!found) throw new RangeError(`There is no indicator '${ref}'`);
	return found;
}

