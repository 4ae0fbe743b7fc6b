/**
 * Adoption from the admin's pages (/admin/standards/adopt, /new, and retiring on a standard's
 * page): what each form offers an organisation, the forms read into the calls of adoption.ts,
 * each change made in one transaction, and the re-score that follows it run with progress.
 *
 *   import * as adoptionForms from '$lib/server/standards/adoption-forms.ts';
 *   const done = await adoptionForms.adopt(locals.db, audit.actorOf(locals.user), 'county', formData);
 *   if ('errors' in done) return fail(400, done);
 *
 * A refusal is a field error at the input it is about: the schema's, or the AdoptionError's.
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { CONTACT_TYPES, STANDARDS } from '../../engine/catalogue.ts';
import { formatDay, toEpochDay } from '../../engine/dates.ts';
import { describeRule, parseRule, RULE_KINDS, type DeadlineRuleKind } from '../../engine/rules.ts';
import { allOf, dateOf, parseForm, type FieldError } from '../../forms.ts';
import type * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import * as adoption from './adoption.ts';
import * as rescoreJobs from './rescore-jobs.ts';

/** What the set-up pages offer one organisation. */
export interface Choices {
	organisation: { id: number; code: string; name: string };
	services: { code: string; name: string }[];
	/** Built-in contact types, then the organisation's own (with their names). */
	contactTypes: { code: string; name: string | null }[];
	/** Catalogue standards the organisation does not hold yet (adopted or retired ones are changed on their own page). */
	/** from: the day a statutory duty began ('Fri 19 Jun 2026'), before which it cannot apply. */
	catalogue: { code: string; title: string; promise: string; source: string; statutory: boolean; contactTypes: string[]; target: number; from: string | null }[];
	/** Codes the organisation already uses. */
	held: string[];
	ruleKinds: RuleKindChoice[];
	defaultFrom: string;
}

export interface RuleKindChoice {
	kind: DeadlineRuleKind;
	text: string;
	/** An example in the words pages use. */
	example: string;
	/** The number the rule needs, if any. */
	amount: { label: string } | null;
	/** An optional extension. */
	extension: { label: string; hint: string } | null;
}

/** For each rule kind: its name on the form, an example, and the numbers it takes (keys as the rule writes them). */
const KINDS: Record<DeadlineRuleKind, { text: string; example: unknown; amount?: { key: string; label: string }; extension?: { key: string; label: string; hint: string } }> = {
	seconds: { text: 'A number of seconds', example: { kind: 'seconds', seconds: 20 }, amount: { key: 'seconds', label: 'Number of seconds' } },
	'working-days': {
		text: 'Working days',
		example: { kind: 'working-days', days: 20, extensionDays: 20 },
		amount: { key: 'days', label: 'Number of working days' },
		extension: { key: 'extensionDays', label: 'Working days added when extended (optional)', hint: 'For example 20 for a public interest extension' }
	},
	'calendar-days': { text: 'Calendar days', example: { kind: 'calendar-days', days: 28 }, amount: { key: 'days', label: 'Number of calendar days' } },
	'calendar-months': {
		text: 'Calendar months',
		example: { kind: 'calendar-months', months: 1, extendedMonths: 3 },
		amount: { key: 'months', label: 'Number of calendar months' },
		extension: { key: 'extendedMonths', label: 'Months in all when extended (optional)', hint: 'More than the months above, for example 3' }
	},
	'same-or-next-working-day': { text: 'The same day, or the next working day', example: { kind: 'same-or-next-working-day' } },
	'hours-or-next-working-day': { text: 'Hours, or the next working day', example: { kind: 'hours-or-next-working-day', hours: 24 }, amount: { key: 'hours', label: 'Number of hours' } },
	'clear-working-days-before': { text: 'Clear working days before an event', example: { kind: 'clear-working-days-before', days: 5 }, amount: { key: 'days', label: 'Number of clear working days before the event' } }
};

/** What the pages offer an organisation (by code); null when there is no such organisation. */
export async function choices(db: Database, organisationCode: string): Promise<Choices | null> {
	const [organisation] = await db
		.select({ id: schema.organisations.id, code: schema.organisations.code, name: schema.organisations.name })
		.from(schema.organisations)
		.where(eq(schema.organisations.code, organisationCode));
	if (!organisation) return null;
	const [services, own, held] = await Promise.all([
		db.select({ code: schema.services.code, name: schema.services.name }).from(schema.services).where(eq(schema.services.organisationId, organisation.id)).orderBy(asc(schema.services.name)),
		db
			.select({ code: schema.organisationContactTypes.code, name: schema.organisationContactTypes.name })
			.from(schema.organisationContactTypes)
			.where(eq(schema.organisationContactTypes.organisationId, organisation.id))
			.orderBy(asc(schema.organisationContactTypes.code)),
		db.select({ code: schema.standards.code }).from(schema.standards).where(eq(schema.standards.organisationId, organisation.id))
	]);
	const heldCodes = new Set(held.map((s) => s.code));
	return {
		organisation,
		services,
		contactTypes: [...CONTACT_TYPES.map((code) => ({ code, name: null })), ...own],
		catalogue: STANDARDS.filter((s) => !heldCodes.has(s.code)).map((s) => ({
			code: s.code,
			title: s.title,
			promise: describeRule(s.rule),
			source: s.source,
			statutory: s.statutory,
			contactTypes: [...s.contactTypes],
			target: s.targetPercent,
			from: s.effectiveFrom ? formatDay(toEpochDay(s.effectiveFrom)) : null
		})),
		held: [...heldCodes].sort(),
		ruleKinds: RULE_KINDS.map((kind) => {
			const k = KINDS[kind];
			return { kind, text: k.text, example: describeRule(parseRule(k.example)), amount: k.amount ? { label: k.amount.label } : null, extension: k.extension ? { label: k.extension.label, hint: k.extension.hint } : null };
		}),
		defaultFrom: adoption.DEFAULT_FROM
	};
}

/** A form's values as sent (repeated fields as lists), to fill the form again after a refusal. */
export type FormValues = Record<string, string | string[]>;

export type FormAnswer = { outcome: adoption.Outcome; code: string } | { errors: FieldError[]; values: FormValues };

// dateOf has read the three boxes: a real date as YYYY-MM-DD, or something that is not one.
const date = z
	.string({ error: 'Enter the date' })
	.min(1, 'Enter the date')
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, for example 1 4 2020');
const optionalDate = z.preprocess((value) => (value === '' ? undefined : value), date.optional());
const optionalNumber = (what: string) =>
	z.preprocess((value) => (value === '' || value === undefined ? undefined : Number(String(value).trim().replace(/%$/, ''))), z.number({ error: `${what} must be a number` }).optional());
const codes = z.array(z.string());

const adoptSchema = z.object({
	code: z.string({ error: 'Choose a catalogue standard' }).min(1, 'Choose a catalogue standard'),
	services: codes,
	contactTypes: codes,
	from: optionalDate,
	target: optionalNumber('The target'),
	tolerance: optionalNumber('The tolerance')
});

/** Codes that would be hidden by the pages' own addresses (/admin/standards/new, /adopt). */
const RESERVED = ['new', 'adopt'];

const defineSchema = z.object({
	code: z
		.string({ error: 'Enter a code' })
		.trim()
		.min(1, 'Enter a code, for example visit.reply')
		.refine((code) => !RESERVED.includes(code), 'That code is taken by a page of its own: choose another, for example visit.reply'),
	name: z.string({ error: 'Enter a name' }).trim().min(1, 'Enter a name, for example Visits answered'),
	wording: z.string().trim().optional(),
	contactTypes: codes,
	services: codes,
	kind: z.enum(RULE_KINDS as [DeadlineRuleKind, ...DeadlineRuleKind[]], { error: 'Choose how the deadline is worked out' }),
	target: optionalNumber('The target'),
	tolerance: optionalNumber('The tolerance'),
	from: optionalDate,
	statutory: z.enum(['yes', 'no'], { error: 'Say whether the law sets this limit' })
});

const retireSchema = z.object({
	from: date,
	confirm: z.literal('yes', { error: 'Tick the box to confirm the standard stops applying from this date' })
});

const wholeNumber = (label: string, optional: boolean) =>
	z.preprocess(
		(value) => (value === '' || value === undefined ? undefined : Number(String(value).trim())),
		optional
			? z.number({ error: `${label}: enter a whole number` }).int(`${label}: enter a whole number`).min(1, `${label}: enter 1 or more`).optional()
			: z.number({ error: `Enter the ${label.toLowerCase()} as a whole number, for example 5` }).int(`Enter the ${label.toLowerCase()} as a whole number`).min(1, `The ${label.toLowerCase()} must be 1 or more`)
	);

function valuesOf(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of form) {
		const text = String(value);
		const had = values[key];
		values[key] = had === undefined ? text : Array.isArray(had) ? [...had, text] : [had, text];
	}
	for (const list of ['services', 'contactTypes']) values[list] = allOf(form, list);
	return values;
}

/** Makes one change in a transaction; a refusal becomes a field error (`fields` maps the AdoptionError's field to the form's). */
async function save(db: Database, values: FormValues, work: (tx: Database) => Promise<adoption.Outcome>, fields: Record<string, string> = {}): Promise<{ outcome: adoption.Outcome } | { errors: FieldError[]; values: FormValues }> {
	try {
		return { outcome: await db.transaction((tx) => work(tx as unknown as Database)) };
	} catch (problem) {
		if (!(problem instanceof adoption.AdoptionError)) throw problem;
		const field = problem.field ? (fields[problem.field] ?? problem.field) : 'code';
		return { errors: [{ field, message: problem.message }], values };
	}
}

/** Adopts the catalogue standard the form names for an organisation (by code). */
export async function adopt(db: Database, by: audit.Actor, organisation: string, form: FormData): Promise<FormAnswer> {
	const values = valuesOf(form);
	const parsed = parseForm(adoptSchema, { ...values, from: dateOf(values, 'from') });
	if ('errors' in parsed) return { errors: parsed.errors, values };
	const { services, contactTypes, ...rest } = parsed.data;
	const saved = await save(db, values, (tx) =>
		adoption.adopt(tx, by, { ...rest, organisation, services, contactTypes: contactTypes.length ? contactTypes : undefined })
	);
	return 'errors' in saved ? saved : { outcome: saved.outcome, code: parsed.data.code };
}

/** Defines the organisation's own standard from the form. */
export async function define(db: Database, by: audit.Actor, organisation: string, form: FormData): Promise<FormAnswer> {
	const values = valuesOf(form);
	const parsed = parseForm(defineSchema, { ...values, from: dateOf(values, 'from') });
	if ('errors' in parsed) return { errors: parsed.errors, values };
	const { kind, statutory, ...rest } = parsed.data;
	const k = KINDS[kind];
	const rule: Record<string, unknown> = { kind };
	// Only the numbers the chosen kind has (a rule without an extension has no extension box).
	const numbers = z.object({
		...(k.amount ? { [`amount-${kind}`]: wholeNumber(k.amount.label, false) } : {}),
		...(k.extension ? { [`extension-${kind}`]: wholeNumber(k.extension.label.replace(/ \(optional\)$/, ''), true) } : {})
	});
	const read = parseForm(numbers, values);
	if ('errors' in read) return { errors: read.errors, values };
	if (k.amount) rule[k.amount.key] = read.data[`amount-${kind}`];
	if (k.extension && read.data[`extension-${kind}`] !== undefined) rule[k.extension.key] = read.data[`extension-${kind}`];
	const saved = await save(db, values, (tx) => adoption.define(tx, by, { ...rest, organisation, rule, statutory: statutory === 'yes' }), { rule: k.amount ? `amount-${kind}` : 'kind' });
	return 'errors' in saved ? saved : { outcome: saved.outcome, code: parsed.data.code };
}

/** Retires an organisation's standard from the date the form gives. */
export async function retire(db: Database, by: audit.Actor, organisation: string, code: string, form: FormData): Promise<FormAnswer> {
	const values = valuesOf(form);
	const parsed = parseForm(retireSchema, { ...values, from: dateOf(values, 'from') });
	if ('errors' in parsed) return { errors: parsed.errors, values };
	const saved = await save(db, values, (tx) => adoption.retire(tx, by, { organisation, code, from: parsed.data.from }), { retire: 'from' });
	return 'errors' in saved ? saved : { outcome: saved.outcome, code };
}

/**
 * Re-scores what a change touched in this server process, for the progress page
 * (/admin/rescore/<token>); null when it touched nothing.
 */
export function rescoreInBackground(db: Database, title: string, outcome: adoption.Outcome, backTo: rescoreJobs.RescoreJob['backTo']): string | null {
	if (outcome.rescore.length === 0) return null;
	return rescoreJobs.start(title, backTo, (onProgress) => adoption.rescore(db, outcome, onProgress));
}
