/**
 * Giving an organisation its standards: adopting one of the catalogue's (for some of its services
 * and contact types, from a date, with its own target and tolerance), defining a council's own
 * with any rule kind the engine has, and retiring one from a date. Each change is audited and,
 * like every change to what a standard promises, effective-dated: history keeps the version it
 * was scored against. A change to the target or tolerance of a standard in force is a new version
 * from the day asked for (default: today).
 *
 * Each function works inside the caller's transaction and says what it changed in plain words,
 * so the set-up file's dry run (the same calls, rolled back) and its real run say the same thing.
 * Re-scoring is the caller's, after commit (`rescore`).
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import { CALENDAR_CODES, type CalendarCode } from '../../engine/calendar.ts';
import { CONTACT_TYPES, STANDARDS, type StandardDefinition } from '../../engine/catalogue.ts';
import { localDate } from '../../engine/dates.ts';
import { limitOf } from '../../engine/limits.ts';
import { describeRule, parseRule, unitOf, type DeadlineRule } from '../../engine/rules.ts';
import * as assessments from '../assessments/index.ts';
import * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';

type Actor = audit.Actor;

/** A request the rules refuse; `field` names the input it is about. */
export class AdoptionError extends Error {
	constructor(
		message: string,
		readonly field: string | null = null
	) {
		super(message);
	}
}

/** When a council's standards begin unless it says otherwise (the first service plans' year). */
export const DEFAULT_FROM = '2020-04-01';

export interface Adoption {
	organisation: string;
	/** A catalogue standard's code. */
	code: string;
	/** Service codes; default every service of the organisation. */
	services?: readonly string[];
	/** Contact types; default the catalogue's. */
	contactTypes?: readonly string[];
	from?: string;
	/** Target, percent of contacts. */
	target?: number;
	/** Amber tolerance, points below target. */
	tolerance?: number;
}

export interface OwnStandard {
	organisation: string;
	code: string;
	name: string;
	contactTypes: readonly string[];
	services?: readonly string[];
	/** A deadline rule as the catalogue writes it ({ kind: 'seconds', seconds: 900 }). */
	rule: unknown;
	wording?: string;
	target?: number;
	tolerance?: number;
	from?: string;
	statutory?: boolean;
	calendar?: string;
}

export interface Retirement {
	organisation: string;
	code: string;
	/** The first day it no longer applies to. */
	from: string;
}

/** What a call changed: plain sentences, and the standards whose contacts need scoring again. */
export interface Outcome {
	changes: string[];
	rescore: { standardId: number; from: string }[];
}

const none = (): Outcome => ({ changes: [], rescore: [] });

export function catalogueStandard(code: string): StandardDefinition {
	const found = STANDARDS.find((s) => s.code === code);
	if (!found) throw new AdoptionError(`no catalogue standard '${code}' (the catalogue has ${STANDARDS.map((s) => s.code).join(', ')})`, 'code');
	return found;
}

/** Adopts a catalogue standard, or brings an adopted one in line with what is asked. */
export async function adopt(tx: Database, by: Actor, input: Adoption & Keep, today = localDate(new Date())): Promise<Outcome> {
	const definition = catalogueStandard(input.code);
	return put(tx, by, {
		organisation: input.organisation,
		code: definition.code,
		title: definition.title,
		wording: definition.wording,
		source: definition.source,
		statutory: definition.statutory,
		services: input.services,
		contactTypes: input.contactTypes ?? definition.contactTypes,
		rule: definition.rule,
		calendar: definition.calendar,
		closures: definition.closuresApply,
		clockStart: definition.clockStart,
		restartable: definition.restartable,
		atRiskShare: definition.atRiskShare,
		target: input.target ?? definition.targetPercent,
		tolerance: input.tolerance,
		from: input.from,
		lawFrom: definition.effectiveFrom,
		keepRetired: input.keepRetired
	}, today);
}

/** A retired standard named again (by a set-up file that also retires it) is left as it is. */
interface Keep {
	keepRetired?: boolean;
}

/** Defines a council's own standard (or brings it in line). Its code may not be a catalogue code. */
export async function define(tx: Database, by: Actor, input: OwnStandard & Keep, today = localDate(new Date())): Promise<Outcome> {
	if (STANDARDS.some((s) => s.code === input.code)) throw new AdoptionError(`'${input.code}' is a catalogue standard: adopt it instead`, 'code');
	if (!/^[a-z0-9][a-z0-9.-]{0,62}$/.test(input.code)) throw new AdoptionError('A standard code is lower-case letters, digits, dots and dashes (at most 63)', 'code');
	const name = input.name.trim();
	if (name === '' || name.length > 200) throw new AdoptionError('Give the standard a name (at most 200 characters)', 'name');
	let rule: DeadlineRule;
	try {
		rule = parseRule(input.rule);
	} catch (error) {
		throw new AdoptionError((error as Error).message.replace(/^Invalid deadline rule .*?: /, 'the rule: '), 'rule');
	}
	const calendar = (input.calendar ?? 'england-wales') as CalendarCode;
	if (!CALENDAR_CODES.includes(calendar)) throw new AdoptionError(`calendar '${input.calendar}' is not one of ${CALENDAR_CODES.join(', ')}`, 'calendar');
	const statutory = input.statutory ?? false;
	return put(tx, by, {
		organisation: input.organisation,
		code: input.code,
		title: name,
		wording: input.wording?.trim() || `${name}: ${describeRule(rule)}.`,
		source: 'Council standard',
		statutory,
		services: input.services,
		contactTypes: input.contactTypes,
		rule,
		calendar,
		// Closure days never stop a statutory clock.
		closures: !statutory,
		clockStart: 'received',
		restartable: false,
		atRiskShare: 0.75,
		target: input.target ?? 90,
		tolerance: input.tolerance,
		from: input.from,
		keepRetired: input.keepRetired
	}, today);
}

/** Stops a standard applying to contacts whose clock starts on or after `from`. */
export async function retire(tx: Database, by: Actor, input: Retirement): Promise<Outcome> {
	const found = await standardOf(tx, input.organisation, input.code);
	if (!found) throw new AdoptionError(`${input.organisation} has no standard '${input.code}' to retire`, 'retire');
	checkDate(input.from, 'from');
	const latest = await latestVersion(tx, found.id);
	if (latest.effectiveTo !== null && latest.effectiveTo <= input.from) return none();
	if (input.from <= latest.effectiveFrom) {
		throw new AdoptionError(`${input.code} cannot be retired from ${input.from}: its version ${latest.version} starts on ${latest.effectiveFrom}, and history is never changed`, 'from');
	}
	await tx.update(schema.standardVersions).set({ effectiveTo: input.from }).where(eq(schema.standardVersions.id, latest.id));
	await audit.record(tx, {
		...audit.audited(by),
		action: 'retire',
		entity: 'standard',
		entityId: found.id,
		organisationId: found.organisationId,
		before: { code: input.code, version: latest.version, effectiveTo: latest.effectiveTo },
		after: { code: input.code, version: latest.version, effectiveTo: input.from }
	});
	return { changes: [`${input.organisation}: retire ${input.code} from ${input.from}`], rescore: [{ standardId: found.id, from: input.from }] };
}

/**
 * Scores again the contacts a change touched, after commit; `onProgress` follows both passes as
 * one count (an admin's page shows it), and the summary adds them up.
 */
export async function rescore(db: Database, outcome: Outcome, onProgress?: (progress: assessments.Progress) => void): Promise<assessments.JobSummary> {
	const summary: assessments.JobSummary = { contacts: 0, assessments: 0, changed: 0, removed: 0, seconds: 0, engineSeconds: 0 };
	if (outcome.rescore.length === 0) return summary;
	const add = (part: assessments.JobSummary) => {
		for (const key of ['contacts', 'assessments', 'changed', 'removed', 'seconds', 'engineSeconds'] as const) summary[key] += part[key];
	};
	// Contacts scored under a standard from the day it changed (a scope or version change, a retirement)…
	const ids = new Set<number>();
	for (const { standardId, from } of outcome.rescore) for (const id of await assessments.scoredFrom(db, standardId, from)) ids.add(id);
	if (ids.size > 0) add(await assessments.scoreContacts(db, [...ids].sort((a, b) => a - b), { onProgress }));
	// …and contacts a standard now covers that none of its versions has scored yet.
	const before = summary.contacts;
	add(await assessments.rescore(db, { force: false, onProgress: onProgress && ((p) => onProgress({ done: before + p.done, total: before + p.total })) }));
	return summary;
}

interface Desired {
	organisation: string;
	code: string;
	title: string;
	wording: string;
	source: string;
	statutory: boolean;
	services: readonly string[] | undefined;
	contactTypes: readonly string[];
	rule: DeadlineRule;
	calendar: CalendarCode;
	closures: boolean;
	clockStart: string;
	restartable: boolean;
	atRiskShare: number;
	target: number;
	tolerance: number | undefined;
	from: string | undefined;
	/** The first day the promise exists (a statutory duty's commencement): it cannot apply earlier, and applies from then by default. */
	lawFrom?: string;
	keepRetired: boolean | undefined;
}

async function put(tx: Database, by: Actor, want: Desired, today: string): Promise<Outcome> {
	const [organisation] = await tx.select().from(schema.organisations).where(eq(schema.organisations.code, want.organisation));
	if (!organisation) throw new AdoptionError(`there is no organisation '${want.organisation}'`, 'organisation');
	await checkScope(tx, organisation.id, organisation.code, want);
	if (!(want.target >= 0 && want.target <= 100)) throw new AdoptionError('The target must be between 0% and 100%', 'target');
	if (want.tolerance !== undefined && !(want.tolerance >= 0 && want.tolerance <= 100)) throw new AdoptionError('The tolerance must be between 0 and 100 points', 'tolerance');
	if (want.from !== undefined) checkDate(want.from, 'from');
	if (want.from !== undefined && want.lawFrom !== undefined && want.from < want.lawFrom) {
		throw new AdoptionError(`${want.code} cannot apply before ${want.lawFrom}: the duty it measures starts that day (${want.source})`, 'from');
	}
	const serviceCodes = [...(want.services ?? [])].sort();
	const contactTypes = [...want.contactTypes].sort();
	const existing = await standardOf(tx, want.organisation, want.code);

	if (!existing) {
		const from = want.from ?? (want.lawFrom !== undefined && want.lawFrom > DEFAULT_FROM ? want.lawFrom : DEFAULT_FROM);
		const [standard] = await tx
			.insert(schema.standards)
			.values({ organisationId: organisation.id, code: want.code, title: want.title, serviceCodes, contactTypes, statutory: want.statutory, source: want.source })
			.returning();
		const [version] = await tx
			.insert(schema.standardVersions)
			.values({
				organisationId: organisation.id,
				standardId: standard!.id,
				version: 1,
				effectiveFrom: from,
				wording: want.wording,
				measure: want.rule.kind,
				unit: unitOf(want.rule),
				limitValue: limitOf(want.rule) ?? 1,
				rule: want.rule,
				clockStart: want.clockStart,
				restartable: want.restartable,
				calendarCode: want.calendar,
				appliesClosures: want.closures,
				compliancePercent: want.target,
				amberMarginPercent: want.tolerance ?? 5,
				atRiskShare: want.atRiskShare,
				createdBy: audit.actorName(by)
			})
			.returning();
		await audit.record(tx, { ...audit.audited(by), action: 'create', entity: 'standard', entityId: standard!.id, organisationId: organisation.id, after: { ...standard, version: version } });
		const scope = `${serviceCodes.length ? serviceCodes.join(', ') : 'every service'}; ${contactTypes.join(', ')}`;
		return {
			changes: [`${want.organisation}: add standard ${want.code} (${describeRule(want.rule)}, target ${want.target}%, from ${from}; ${scope})`],
			rescore: [{ standardId: standard!.id, from }]
		};
	}

	const outcome = none();
	const latest = await latestVersion(tx, existing.id);
	if (want.from !== undefined && want.from !== (await firstVersion(tx, existing.id)).effectiveFrom) {
		const first = await firstVersion(tx, existing.id);
		throw new AdoptionError(`${want.code} has applied since ${first.effectiveFrom}; that date cannot move (history is never changed)`, 'from');
	}
	if (latest.effectiveTo !== null && latest.effectiveTo <= today) {
		if (want.keepRetired) return outcome;
		throw new AdoptionError(`${want.code} was retired from ${latest.effectiveTo}; a retired standard is not brought back`, 'code');
	}
	const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
	if (!sameList(existing.serviceCodes, serviceCodes) || !sameList(existing.contactTypes, contactTypes) || (existing.title !== want.title && !STANDARDS.some((s) => s.code === want.code))) {
		const before = { title: existing.title, serviceCodes: existing.serviceCodes, contactTypes: existing.contactTypes };
		const after = { title: STANDARDS.some((s) => s.code === want.code) ? existing.title : want.title, serviceCodes, contactTypes };
		await tx.update(schema.standards).set(after).where(eq(schema.standards.id, existing.id));
		await audit.record(tx, { ...audit.audited(by), action: 'update', entity: 'standard', entityId: existing.id, organisationId: organisation.id, before, after });
		outcome.changes.push(`${want.organisation}: ${want.code} now applies to ${serviceCodes.length ? serviceCodes.join(', ') : 'every service'}; ${contactTypes.join(', ')}`);
		outcome.rescore.push({ standardId: existing.id, from: latest.effectiveFrom });
	}
	const tolerance = want.tolerance ?? Number(latest.amberMarginPercent);
	const sameRule = JSON.stringify(parseRule(latest.rule)) === JSON.stringify(want.rule);
	if (Number(latest.compliancePercent) !== want.target || Number(latest.amberMarginPercent) !== tolerance || !sameRule) {
		const from = today > latest.effectiveFrom ? today : nextDay(latest.effectiveFrom);
		const { id: _id, createdAt: _createdAt, ...copy } = latest;
		await tx.update(schema.standardVersions).set({ effectiveTo: from }).where(eq(schema.standardVersions.id, latest.id));
		const [created] = await tx
			.insert(schema.standardVersions)
			.values({
				...copy,
				version: latest.version + 1,
				effectiveFrom: from,
				effectiveTo: null,
				rule: want.rule,
				measure: want.rule.kind,
				unit: unitOf(want.rule),
				limitValue: limitOf(want.rule) ?? 1,
				compliancePercent: want.target,
				amberMarginPercent: tolerance,
				createdBy: audit.actorName(by)
			})
			.returning();
		await audit.record(tx, {
			...audit.audited(by),
			action: 'publish',
			entity: 'standard_version',
			entityId: created!.id,
			organisationId: organisation.id,
			before: { version: latest.version, rule: latest.rule, compliancePercent: Number(latest.compliancePercent), amberMarginPercent: Number(latest.amberMarginPercent) },
			after: { version: created!.version, effectiveFrom: from, rule: want.rule, compliancePercent: want.target, amberMarginPercent: tolerance }
		});
		outcome.changes.push(`${want.organisation}: ${want.code} version ${created!.version} from ${from} (${describeRule(want.rule)}, target ${want.target}%, tolerance ${tolerance} points)`);
		outcome.rescore.push({ standardId: existing.id, from });
	}
	return outcome;
}

/** Services must be the organisation's; contact types built in or the organisation's own. */
async function checkScope(tx: Database, organisationId: number, organisation: string, want: Pick<Desired, 'services' | 'contactTypes'>) {
	const [services, own] = await Promise.all([
		tx.select({ code: schema.services.code }).from(schema.services).where(eq(schema.services.organisationId, organisationId)),
		tx.select({ code: schema.organisationContactTypes.code }).from(schema.organisationContactTypes).where(eq(schema.organisationContactTypes.organisationId, organisationId))
	]);
	const serviceCodes = new Set(services.map((s) => s.code));
	for (const service of want.services ?? []) {
		if (!serviceCodes.has(service)) throw new AdoptionError(`'${service}' is not a service of ${organisation} (${[...serviceCodes].sort().join(', ') || 'it has none yet'})`, 'services');
	}
	const types = new Set<string>([...CONTACT_TYPES, ...own.map((t) => t.code)]);
	if (want.contactTypes.length === 0) throw new AdoptionError('Choose at least one contact type', 'contactTypes');
	for (const type of want.contactTypes) {
		if (!types.has(type)) throw new AdoptionError(`'${type}' is not a contact type of ${organisation} (${[...types].join(', ')}); add it as the council's own type first`, 'contactTypes');
	}
}

async function standardOf(tx: Database, organisation: string, code: string) {
	const [found] = await tx
		.select({ standard: schema.standards })
		.from(schema.standards)
		.innerJoin(schema.organisations, eq(schema.organisations.id, schema.standards.organisationId))
		.where(and(eq(schema.organisations.code, organisation), eq(schema.standards.code, code)));
	return found?.standard;
}

async function latestVersion(tx: Database, standardId: number) {
	const [latest] = await tx.select().from(schema.standardVersions).where(eq(schema.standardVersions.standardId, standardId)).orderBy(desc(schema.standardVersions.effectiveFrom)).limit(1);
	if (!latest) throw new AdoptionError(`standard ${standardId} has no version`);
	return latest;
}

async function firstVersion(tx: Database, standardId: number) {
	const [first] = await tx.select().from(schema.standardVersions).where(eq(schema.standardVersions.standardId, standardId)).orderBy(asc(schema.standardVersions.effectiveFrom)).limit(1);
	if (!first) throw new AdoptionError(`standard ${standardId} has no version`);
	return first;
}

function checkDate(date: string, field: string) {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
		throw new AdoptionError(`'${date}' is not a date (YYYY-MM-DD)`, field);
	}
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);


/** A council's own short reference for a standard in its reports: letters and digits, up to 12 characters ('CS01'). */
export const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9./-]{0,11}$/;

/**
 * Sets (or, with an empty ref, clears) the council's own reference for one of its standards,
 * shown beside the standard's name in reports. Unique within the organisation. Audited; a ref
 * that is already the standard's changes nothing.
 */
export async function setRef(tx: Database, by: Actor, input: { organisation: string; code: string; ref: string | null }): Promise<Outcome> {
	const ref = input.ref?.trim() || null;
	if (ref !== null && !REF_PATTERN.test(ref)) throw new AdoptionError(`'${ref}' is not a reference: use up to 12 letters and digits (dots, dashes and slashes after the first), for example CS01`, 'ref');
	const [organisation] = await tx.select({ id: schema.organisations.id }).from(schema.organisations).where(eq(schema.organisations.code, input.organisation));
	if (!organisation) throw new AdoptionError(`There is no organisation '${input.organisation}'`, 'organisation');
	const [standard] = await tx
		.select({ id: schema.standards.id, ref: schema.standards.ref })
		.from(schema.standards)
		.where(and(eq(schema.standards.organisationId, organisation.id), eq(schema.standards.code, input.code)));
	if (!standard) throw new AdoptionError(`${input.organisation} has no standard '${input.code}'`, 'code');
	if (standard.ref === ref) return none();
	if (ref !== null) {
		const [taken] = await tx
			.select({ code: schema.standards.code })
			.from(schema.standards)
			.where(and(eq(schema.standards.organisationId, organisation.id), eq(schema.standards.ref, ref)));
		if (taken) throw new AdoptionError(`${ref} is already the reference of ${taken.code}: choose another`, 'ref');
	}
	await tx.update(schema.standards).set({ ref }).where(eq(schema.standards.id, standard.id));
	await audit.record(tx, { ...audit.audited(by), action: 'update', entity: 'standard', entityId: standard.id, organisationId: organisation.id, before: { ref: standard.ref }, after: { ref } });
	return { changes: [ref === null ? `${input.organisation}: ${input.code} has no reference now` : `${input.organisation}: ${input.code} is referred to as ${ref} in reports`], rescore: [] };
}
