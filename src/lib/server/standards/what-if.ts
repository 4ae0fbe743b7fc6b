/**
 * What-if on a standard: its compliance for the last eight quarters recomputed under a different
 * limit or target, beside the published figures, without saving anything; then (admins) publishing
 * the change as a new version from a date, which re-scores the contacts whose clock starts on or
 * after it and leaves history alone.
 *
 *   import * as whatIf from '$lib/server/standards/what-if.ts';
 *   await whatIf.compute(db, 'email.reply', { limit: 2 }, { today });
 *   await whatIf.publish(db, actor, { code, organisation, effectiveFrom, limit, target });
 *
 * Recomputing a limit is set-based SQL over the stored assessments wherever the rule allows, so
 * it answers in well under two seconds over a million contacts:
 * - seconds (phone.answer): the stored wait is the verdict's elapsed time; answered within the new
 *   limit is met, abandoned within it is left out (the short-abandon threshold is the limit).
 * - working days: with cum(d) the number of working days up to and including d on the version's
 *   calendar (closure days included where it takes them), the due day under the published limit L
 *   is the working day with cum = cum(day 0) + L + extension + paused days; under a new limit L′
 *   it is L′ − L working days later. A response on day r is in time iff cum(r − 1) < cum(due) +
 *   L′ − L. cum(d) is weekdays up to d (arithmetic) less the version's non-working weekdays up to
 *   d (a short sorted array from the engine's calendar, counted by width_bucket): no join.
 * - calendar days without rolling forward (sar.published): due L′ − L days later.
 * Other rules (calendar months, hours or next working day, clear days before) are re-scored by the
 * engine itself, contact by contact; those standards hold few contacts. The one approximation:
 * a FOI fee-notice pause that began after the published due date but before a later one is not
 * counted (the engine would count it); full re-scoring after publishing is exact.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { calendarFor, NO_ORGANISATION } from '../../engine/clock.ts';
import { fromEpochDay, localEpochDay, toEpochDay } from '../../engine/dates.ts';
import { limitOf, limitUnit, withLimit } from '../../engine/limits.ts';
import { compliancePercent, rag, type Rag } from '../../engine/performance.ts';
import { previousReportingPeriod, quarterPeriod, type ReportingPeriod } from '../../engine/reporting-period.ts';
import { describeRule, parseRule, type DeadlineRule } from '../../engine/rules.ts';
import { parseForm, type FieldError } from '../../forms.ts';
import { assessContact, loadContactRecord, loadOrganisationCalendars, loadPlan, scoreContacts, versionRules, type JobSummary, type Progress, type ScoringPlan } from '../assessments/index.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import * as rescoreJobs from './rescore-jobs.ts';

export interface WhatIfChange {
	/** A new limit in the rule's unit (2 for "2 working days"); absent: as published. */
	limit?: number | null;
	/** A new compliance target, percent; absent: as published. */
	target?: number | null;
}

export interface QuarterFigures {
	met: number;
	breached: number;
	compliance: number | null;
	targetPercent: number | null;
	rag: Rag | null;
}

export interface WhatIfQuarter {
	label: string;
	start: string;
	end: string;
	published: QuarterFigures;
	whatIf: QuarterFigures;
}

export interface WhatIfResult {
	code: string;
	title: string;
	organisations: { code: string; name: string }[];
	/** The published rule in force now, in words, and its limit and unit. */
	rule: string;
	limit: number | null;
	limitUnit: string;
	targetPercent: number;
	/** What was asked. */
	change: { limit: number | null; target: number | null };
	/** The rule the what-if scores with, in words. */
	whatIfRule: string;
	quarters: WhatIfQuarter[];
	/** 'sql': from the stored verdicts; 'engine': every contact re-scored; 'stored': nothing to recompute. */
	method: 'sql' | 'engine' | 'stored';
	milliseconds: number;
}

export class WhatIfError extends Error {
	/** The form field the problem is about, for the page's error message. */
	readonly field: string;
	constructor(message: string, field = 'limit') {
		super(message);
		this.field = field;
	}
}

interface VersionRow {
	id: number;
	standard_id: number;
	organisation_id: number;
	organisation: string;
	version: number;
	effective_from: string;
	effective_to: string | null;
	rule: unknown;
	target: number;
	amber: number;
	row: typeof schema.standardVersions.$inferSelect;
}

/** The last eight quarters, ending with the one containing today. */
export function lastEightQuarters(today: string): ReportingPeriod[] {
	const quarters = [quarterPeriod(today)];
	while (quarters.length < 8) quarters.unshift(previousReportingPeriod(quarters[0]!));
	return quarters;
}

async function standardsOf(db: Database, code: string, organisation: string | null) {
	const standards = await rows<{ id: number; title: string; organisation_code: string; organisation_name: string }>(
		db,
		sql`select s.id, s.title, o.code as organisation_code, o.name as organisation_name
			from standards s join organisations o on o.id = s.organisation_id
			where s.code = ${code} ${organisation ? sql`and o.code = ${organisation}` : sql``} order by o.code`
	);
	if (standards.length === 0) return null;
	const ids = standards.map((s) => Number(s.id));
	const versionRows = await db.select().from(schema.standardVersions).where(sql`${schema.standardVersions.standardId} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
	const organisationCodes = new Map(standards.map((s) => [Number(s.id), s.organisation_code]));
	const versions: VersionRow[] = versionRows
		.map((row) => ({
			id: row.id,
			standard_id: row.standardId,
			organisation_id: row.organisationId,
			organisation: organisationCodes.get(row.standardId)!,
			version: row.version,
			effective_from: row.effectiveFrom,
			effective_to: row.effectiveTo,
			rule: row.rule,
			target: Number(row.compliancePercent),
			amber: Number(row.amberMarginPercent),
			row
		}))
		.sort((a, b) => a.organisation.localeCompare(b.organisation) || b.effective_from.localeCompare(a.effective_from));
	return { standards, ids, versions };
}

/** The version of the first organisation in force on a date (versions sorted newest first per organisation). */
const versionAt = (versions: VersionRow[], date: string) => versions.find((v) => v.effective_from <= date) ?? null;

/**
 * Compliance per quarter for the last eight quarters: as published (the stored verdicts) and under
 * the change. Nothing is written.
 */
export async function compute(db: Database, code: string, change: WhatIfChange, options: { organisation?: string | null; today: string }): Promise<WhatIfResult | null> {
	const started = performance.now();
	const found = await standardsOf(db, code, options.organisation ?? null);
	if (!found) return null;
	const { standards, ids, versions } = found;
	const quarters = lastEightQuarters(options.today);
	const first = quarters[0]!.start;
	const last = quarters.at(-1)!.end;
	const current = versionAt(versions, options.today) ?? versions[0]!;
	const currentRule = parseRule(current.rule);
	const limit = change.limit ?? null;
	const target = change.target ?? null;
	if (limit !== null && limitOf(currentRule) === null) throw new WhatIfError(`${code} has no limit to change: ${describeRule(currentRule)}`);
	if (target !== null && !(target >= 0 && target <= 100)) throw new WhatIfError('The target must be between 0% and 100%');

	const inScope = sql`a.standard_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) and a.clock_start_on between ${first}::date and ${last}::date`;
	// Versions whose clock started in the window, and whether their limit differs from the new one.
	const windowVersions = versions.filter((v) => v.effective_from <= last && (v.effective_to === null || v.effective_to > first));
	const changing = limit !== null && windowVersions.some((v) => limitOf(parseRule(v.rule)) !== limit);
	const storedOnly = sql`select a.clock_start_on, a.status, a.status as new_status from assessments a where ${inScope}`;
	let computed: { published: Counts; whatIf: Counts };
	let method: WhatIfResult['method'] = 'stored';
	if (!changing) {
		computed = await counts(db, storedOnly);
	} else {
		const kinds = new Set(windowVersions.map((v) => parseRule(v.rule).kind));
		const kind = kinds.size === 1 ? [...kinds][0]! : null;
		const rollsForward = windowVersions.some((v) => {
			const rule = parseRule(v.rule);
			return rule.kind === 'calendar-days' && rule.rollForward === true;
		});
		// One pass over the stored verdicts gives both the published and the what-if figures.
		if (kind === 'seconds') computed = await counts(db, secondsQuery(inScope, limit));
		else if (kind === 'calendar-days' && !rollsForward) computed = await counts(db, calendarDaysQuery(inScope, limit));
		else if (kind === 'working-days') computed = await counts(db, await workingDaysQuery(db, inScope, windowVersions, limit, first));
		else computed = { published: (await counts(db, storedOnly)).published, whatIf: await engineCounts(db, ids, first, last, limit) };
		method = kind === 'seconds' || kind === 'working-days' || (kind === 'calendar-days' && !rollsForward) ? 'sql' : 'engine';
	}
	const { published, whatIf } = computed;

	const figures = (bucket: { met: number; breached: number } | undefined, targetPercent: number | null, amber: number): QuarterFigures => {
		const met = bucket?.met ?? 0;
		const breached = bucket?.breached ?? 0;
		const compliance = compliancePercent(met, breached);
		return { met, breached, compliance, targetPercent, rag: rag(compliance, targetPercent, amber) };
	};
	return {
		code,
		title: standards[0]!.title,
		organisations: standards.map((s) => ({ code: s.organisation_code, name: s.organisation_name })),
		rule: describeRule(currentRule),
		limit: limitOf(currentRule),
		limitUnit: limitUnit(currentRule),
		targetPercent: current.target,
		change: { limit, target },
		whatIfRule: describeRule(limit === null ? currentRule : withLimit(currentRule, limit)),
		quarters: quarters.map((q) => {
			const version = versionAt(versions, q.start);
			const publishedTarget = version?.target ?? null;
			const amber = version?.amber ?? 5;
			return {
				label: q.label,
				start: q.start,
				end: q.end,
				published: figures(published.get(q.start), publishedTarget, amber),
				whatIf: figures(whatIf.get(q.start), target ?? publishedTarget, amber)
			};
		}),
		method,
		milliseconds: performance.now() - started
	};
}

type Counts = Map<string, { met: number; breached: number }>;

/** Met and breached per quarter start, published and what-if, from a query giving (clock_start_on, status, new_status). */
async function counts(db: Database, verdicts: SQL): Promise<{ published: Counts; whatIf: Counts }> {
	const found = await rows<{ start: string; met: number; breached: number; new_met: number; new_breached: number }>(
		db,
		sql`select to_char(date_trunc('quarter', v.clock_start_on), 'YYYY-MM-DD') as start,
				count(*) filter (where v.status = 'met')::int as met, count(*) filter (where v.status = 'breached')::int as breached,
				count(*) filter (where v.new_status = 'met')::int as new_met, count(*) filter (where v.new_status = 'breached')::int as new_breached
			from (${verdicts}) v group by 1`
	);
	return {
		published: new Map(found.map((f) => [f.start, { met: Number(f.met), breached: Number(f.breached) }])),
		whatIf: new Map(found.map((f) => [f.start, { met: Number(f.new_met), breached: Number(f.new_breached) }]))
	};
}

/** phone.answer under another limit: answered within it met, abandoned within it left out (docs/rules.md "Phone service level"). */
function secondsQuery(inScope: SQL, limit: number): SQL {
	return sql`select a.clock_start_on, a.status,
			case when a.elapsed is null or a.status not in ('met', 'breached', 'excluded') then a.status
				when c.abandoned then (case when a.elapsed <= ${limit} then 'excluded' else 'breached' end)
				when a.elapsed <= ${limit} then 'met' else 'breached' end as new_status
		from assessments a join contacts c on c.id = a.contact_id
		where ${inScope}`;
}

/** Calendar days, not moved off non-working days: due (new − published limit) days later. */
function calendarDaysQuery(inScope: SQL, limit: number): SQL {
	return sql`select a.clock_start_on, a.status,
			case when a.status not in ('met', 'breached') or a.responded_at is null or a.due_at is null then a.status
				when (a.responded_at at time zone 'Europe/London')::date - (a.due_at at time zone 'Europe/London')::date
					<= ${limit} - (v.rule->>'days')::int then 'met' else 'breached' end as new_status
		from assessments a join standard_versions v on v.id = a.standard_version_id
		where ${inScope}`;
}

/** Mondays to Fridays from Mon 3 Jan 2000 up to and including a date (SQL on a date expression). */
const weekdaysUpTo = (day: SQL) => sql`(5 * ((${day} - date '2000-01-03') / 7) + least(mod(${day} - date '2000-01-03', 7) + 1, 5))`;

/**
 * Working days: cum(d) = weekdays up to d (arithmetic) − non-working weekdays up to d (bank
 * holidays and the version's closure days from the engine's calendar, a short sorted array per
 * version, counted by width_bucket's binary search). No join, one pass. Responses or due dates
 * outside the arrays' span (a year before the window to two after today) keep their verdict.
 */
async function workingDaysQuery(db: Database, inScope: SQL, versions: VersionRow[], limit: number, first: string): Promise<SQL> {
	const calendars = await loadOrganisationCalendars(db);
	const from = Math.max(toEpochDay('2000-01-04'), toEpochDay(first) - 400);
	const to = localEpochDay(Date.now()) + 800;
	const holidays = versions.map((v) => {
		const calendar = calendarFor(versionRules('', v.row), calendars.get(v.organisation_id) ?? NO_ORGANISATION);
		const days: string[] = [];
		for (let day = from; day <= to; day++) {
			const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
			if (weekday < 5 && !calendar.isWorkingEpochDay(day)) days.push(fromEpochDay(day));
		}
		// width_bucket needs at least one threshold: a Monday before the span stands in for none.
		return sql`when ${v.id} then ${`{${days.length ? days.join(',') : '1999-01-04'}}`}::date[]`;
	});
	const nonWorking = sql`(case a.standard_version_id ${sql.join(holidays, sql` `)} end)`;
	const respondedOn = sql`((a.responded_at at time zone 'Europe/London')::date)`;
	const dueOn = sql`((a.due_at at time zone 'Europe/London')::date)`;
	const cum = (day: SQL) => sql`(${weekdaysUpTo(day)} - width_bucket(${day}, ${nonWorking}))`;
	return sql`select a.clock_start_on, a.status,
			case when a.status not in ('met', 'breached') or a.responded_at is null or a.due_at is null
					or ${respondedOn} - 1 < ${fromEpochDay(from)}::date or ${respondedOn} > ${fromEpochDay(to)}::date
					or ${dueOn} < ${fromEpochDay(from)}::date or ${dueOn} > ${fromEpochDay(to)}::date then a.status
				when ${cum(sql`(${respondedOn} - 1)`)} < ${cum(dueOn)} + ${limit} - (v.rule->>'days')::int then 'met' else 'breached' end as new_status
		from assessments a join standard_versions v on v.id = a.standard_version_id
		where ${inScope}`;
}

/** Every contact of the standards in the window re-scored by the engine under the new limit (nothing stored). */
async function engineCounts(db: Database, standardIds: number[], first: string, last: string, limit: number): Promise<Map<string, { met: number; breached: number }>> {
	const plan = planWithLimit(await loadPlan(db), new Set(standardIds), limit);
	const contactIds = await rows<{ id: string | number }>(
		db,
		sql`select distinct contact_id as id from assessments
			where standard_id in (${sql.join(standardIds.map((id) => sql`${id}`), sql`, `)}) and clock_start_on between ${first}::date and ${last}::date`
	);
	const out = new Map<string, { met: number; breached: number }>();
	const now = new Date();
	for (const { id } of contactIds) {
		const contact = await loadContactRecord(db, Number(id));
		if (!contact) continue;
		for (const verdict of assessContact(contact, plan, { now, explain: false })) {
			if (!standardIds.includes(verdict.standard.id)) continue;
			const start = fromEpochDay(verdict.startDay);
			if (start < first || start > last) continue;
			const quarter = quarterPeriod(start).start;
			const bucket = out.get(quarter) ?? { met: 0, breached: 0 };
			if (verdict.result.status === 'met') bucket.met++;
			else if (verdict.result.status === 'breached') bucket.breached++;
			out.set(quarter, bucket);
		}
	}
	return out;
}

/** The scoring plan with these standards' rules given another limit (what a new version would score with). */
export function planWithLimit(plan: ScoringPlan, standardIds: ReadonlySet<number>, limit: number): ScoringPlan {
	const standards = plan.standards.map((s) => {
		if (!standardIds.has(s.id)) return s;
		return {
			...s,
			versions: s.versions.map((v) => {
				const rule = withLimit(v.rules.rule, limit);
				return { ...v, rules: { ...v.rules, rule }, standard: { ...v.standard, rule } };
			})
		};
	});
	const byId = new Map(standards.map((s) => [s.id, s]));
	return {
		versions: standards.flatMap((s) => s.versions),
		standards,
		standardsFor: (organisationId, serviceId, contactType) => plan.standardsFor(organisationId, serviceId, contactType).map((s) => byId.get(s.id)!)
	};
}

// --- Publishing --------------------------------------------------------------------------------

const optionalNumber = (schema: z.ZodNumber) =>
	z.preprocess((value) => (value === '' || value === null || value === undefined ? undefined : Number(String(value).trim().replace(/%$/, ''))), schema.optional());
export const limitField = optionalNumber(z.number({ error: 'The limit must be a number' }).int('The limit must be a whole number').min(1, 'The limit must be 1 or more').max(10_000, 'The limit must be 10,000 or less'));
export const targetField = optionalNumber(z.number({ error: 'The target must be a number' }).min(0, 'The target must be 0% or more').max(100, 'The target must be 100% or less'));

/** The form that publishes a new version (the what-if page and /admin/standards). */
export const newVersionForm = z.object({
	limit: limitField,
	target: targetField,
	organisation: z.string({ error: 'Choose the organisation whose standard changes' }).trim().min(1, 'Choose the organisation whose standard changes'),
	effectiveFrom: z
		.string({ error: 'Enter the date the new version applies from' })
		.trim()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as year-month-day, for example 2027-04-01')
		.refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'Enter a real date, for example 2027-04-01'),
	wording: z.string().trim().max(2000, 'The wording must be 2,000 characters or fewer').optional()
});

export interface NewVersion {
	code: string;
	organisation: string;
	/** Applies to contacts whose clock starts on or after this Europe/London date. */
	effectiveFrom: string;
	limit?: number | null;
	target?: number | null;
	wording?: string | null;
}

/** What publishing makes (a dry run: what it would make; no version id yet). */
export interface Planned {
	standardId: number;
	version: number;
	effectiveFrom: string;
}

export interface Published extends Planned {
	versionId: number;
}

/**
 * A new version of an organisation's standard from a date: the version in force closes the day
 * before, nothing earlier changes, and the change is audited in the same transaction. Re-score the
 * contacts it affects with rescoreFrom() (the admin page streams its progress). With dryRun the
 * same checks run and nothing is written, so a check never approves what publishing refuses.
 * A refusal is a WhatIfError naming the form field it is about.
 */
export async function publish(db: Database, actor: audit.Actor | null, change: NewVersion, options: { dryRun: true }): Promise<Planned>;
export async function publish(db: Database, actor: audit.Actor, change: NewVersion, options?: { dryRun?: false }): Promise<Published>;
export async function publish(db: Database, actor: audit.Actor | null, change: NewVersion, options: { dryRun?: boolean } = {}): Promise<Planned | Published> {
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [standard] = await t
			.select({ id: schema.standards.id, organisationId: schema.standards.organisationId })
			.from(schema.standards)
			.innerJoin(schema.organisations, eq(schema.organisations.id, schema.standards.organisationId))
			.where(and(eq(schema.standards.code, change.code), eq(schema.organisations.code, change.organisation)));
		if (!standard) throw new WhatIfError(`That organisation has no ${change.code}`, 'organisation');
		const [latest] = await t
			.select()
			.from(schema.standardVersions)
			.where(eq(schema.standardVersions.standardId, standard.id))
			.orderBy(desc(schema.standardVersions.effectiveFrom))
			.limit(1)
			.for('update');
		if (!latest) throw new WhatIfError(`${change.code} has no version to follow`, 'organisation');
		if (change.effectiveFrom <= latest.effectiveFrom) {
			throw new WhatIfError(`The new version must start after ${latest.effectiveFrom}, when version ${latest.version} started: history is never changed`, 'effectiveFrom');
		}
		if (change.limit == null && change.target == null && !change.wording) throw new WhatIfError('Change the limit, the target or the wording', 'limit');
		const rule = parseRule(latest.rule);
		if (change.limit != null && limitOf(rule) === null) throw new WhatIfError(`${change.code} has no limit to change`, 'limit');
		let newRule = rule;
		try {
			if (change.limit != null) newRule = withLimit(rule, change.limit);
		} catch (problem) {
			if (problem instanceof RangeError) throw new WhatIfError(problem.message, 'limit');
			throw problem;
		}
		const target = change.target ?? Number(latest.compliancePercent);
		if (!(target >= 0 && target <= 100)) throw new WhatIfError('The target must be between 0% and 100%', 'target');
		const planned: Planned = { standardId: standard.id, version: latest.version + 1, effectiveFrom: change.effectiveFrom };
		if (options.dryRun) return planned;
		if (!actor) throw new TypeError('Publishing needs an actor');
		const { id: _id, createdAt: _createdAt, ...copy } = latest;
		await t.update(schema.standardVersions).set({ effectiveTo: change.effectiveFrom }).where(eq(schema.standardVersions.id, latest.id));
		const [created] = await t
			.insert(schema.standardVersions)
			.values({
				...copy,
				version: planned.version,
				effectiveFrom: change.effectiveFrom,
				effectiveTo: null,
				rule: newRule,
				limitValue: limitOf(newRule) ?? Number(latest.limitValue),
				compliancePercent: target,
				wording: change.wording?.trim() || latest.wording,
				createdBy: audit.audited(actor).actor
			})
			.returning();
		await audit.record(t, {
			...audit.audited(actor),
			action: 'publish',
			entity: 'standard_version',
			entityId: created!.id,
			organisationId: standard.organisationId,
			before: { version: latest.version, effectiveFrom: latest.effectiveFrom, effectiveTo: latest.effectiveTo, rule: latest.rule, compliancePercent: Number(latest.compliancePercent) },
			after: { code: change.code, version: created!.version, effectiveFrom: created!.effectiveFrom, rule: created!.rule, compliancePercent: Number(created!.compliancePercent), wording: created!.wording }
		});
		return { standardId: standard.id, versionId: created!.id, version: created!.version, effectiveFrom: created!.effectiveFrom };
	});
}

type FormAnswer<T> = { errors: FieldError[] } | { change: NewVersion; published: T };

/**
 * The publish form (the what-if page, /admin/standards) read and passed to publish(): with dryRun
 * only checked. Problems come back as field errors for the page, never as an exception.
 */
export async function publishForm(db: Database, actor: audit.Actor | null, code: string, form: Record<string, unknown>, options: { dryRun: true }): Promise<FormAnswer<Planned>>;
export async function publishForm(db: Database, actor: audit.Actor, code: string, form: Record<string, unknown>, options?: { dryRun?: false }): Promise<FormAnswer<Published>>;
export async function publishForm(db: Database, actor: audit.Actor | null, code: string, form: Record<string, unknown>, options: { dryRun?: boolean } = {}): Promise<FormAnswer<Planned>> {
	const parsed = parseForm(newVersionForm, form);
	if ('errors' in parsed) return parsed;
	const change: NewVersion = { code, ...parsed.data };
	try {
		const published = options.dryRun ? await publish(db, actor, change, { dryRun: true }) : await publish(db, actor!, change);
		return { change, published };
	} catch (problem) {
		if (problem instanceof WhatIfError) return { errors: [{ field: problem.field, message: problem.message }] };
		throw problem;
	}
}

/**
 * Re-scores what a published version affects in this server process; answers the job's token for
 * the progress page (/admin/rescore/<token>), which then links back to `backTo`.
 */
export function rescoreInBackground(db: Database, change: Pick<NewVersion, 'code' | 'organisation'>, published: Published, backTo: { href: string; text: string }): string {
	return rescoreJobs.start(`${change.code} version ${published.version} (${change.organisation}) from ${published.effectiveFrom}`, backTo, (onProgress) =>
		rescoreFrom(db, published.standardId, published.effectiveFrom, onProgress)
	);
}

/** Contacts of a standard whose clock starts on or after a date: how many, and a few references. */
export async function affectedFrom(db: Database, standardId: number, from: string): Promise<{ count: number; sample: { id: number; reference: string; clockStartOn: string; status: string }[] }> {
	const [total] = await rows<{ count: number }>(db, sql`select count(distinct contact_id)::int as count from assessments where standard_id = ${standardId} and clock_start_on >= ${from}::date`);
	const sample = await rows<{ id: number; reference: string; clock_start_on: string; status: string }>(
		db,
		sql`select a.contact_id as id, c.external_ref as reference, a.clock_start_on::text as clock_start_on, a.status
			from assessments a join contacts c on c.id = a.contact_id
			where a.standard_id = ${standardId} and a.clock_start_on >= ${from}::date
			order by a.clock_start_on, a.contact_id limit 10`
	);
	return { count: Number(total?.count ?? 0), sample: sample.map((s) => ({ id: Number(s.id), reference: s.reference, clockStartOn: s.clock_start_on, status: s.status })) };
}

/** Re-scores the contacts of a standard whose clock starts on or after a date (after publishing a version from it). */
export async function rescoreFrom(db: Database, standardId: number, from: string, onProgress?: (progress: Progress) => void): Promise<JobSummary> {
	const found = await rows<{ id: string | number }>(
		db,
		sql`select distinct contact_id as id from assessments where standard_id = ${standardId} and clock_start_on >= ${from}::date order by 1`
	);
	return scoreContacts(db, found.map((r) => Number(r.id)), { onProgress });
}

export type { DeadlineRule };
