/**
 * `yardstick due <standard-code> <received> [--start <date>] [--pause <from>/<to>]... [--extend]
 * [--organisation <code>] [--json]` (DESIGN.md, "Interfaces that must stay stable").
 */
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getStandardDefinition, type StandardDefinition } from '../lib/engine/catalogue.ts';
import { computeDue, type ClockFacts, type Due } from '../lib/engine/deadline.ts';
import { formatDay, formatInstant, localEpochDay, toEpochDay } from '../lib/engine/dates.ts';
import { describeRule } from '../lib/engine/rules.ts';
import {
	NO_ORGANISATION,
	calendarFor,
	clockFacts,
	clockStartMs,
	loadOrganisationCalendars,
	nonWorkingStartIsNextWorkingDay,
	versionRules,
	type OrganisationCalendar,
	type VersionRules
} from '../lib/server/assessments/index.ts';
import { openDatabase } from '../lib/server/db/client.ts';
import * as schema from '../lib/server/db/schema/index.ts';
import { parseLondonInstant } from '../lib/server/london-time.ts';

/** Bad input: the message goes to stderr and the command exits with status 2. */
export class UsageError extends Error {}

const instant = z.string().transform((text, context) => {
	try {
		return parseLondonInstant(text);
	} catch (error) {
		context.addIssue({ code: 'custom', message: (error as Error).message });
		return z.NEVER;
	}
});

const pause = z.string().transform((text, context) => {
	const parts = text.split('/');
	if (parts.length !== 2) {
		context.addIssue({ code: 'custom', message: `${JSON.stringify(text)} is not <from>/<to> (e.g. 2026-01-05/2026-01-09)` });
		return z.NEVER;
	}
	const [from, to] = parts.map((part) => instant.safeParse(part));
	if (!from!.success || !to!.success) {
		context.addIssue({ code: 'custom', message: (from!.error ?? to!.error)!.issues[0]!.message });
		return z.NEVER;
	}
	if (to!.data < from!.data) {
		context.addIssue({ code: 'custom', message: `${JSON.stringify(text)} ends before it starts` });
		return z.NEVER;
	}
	return { from: from!.data, to: to!.data };
});

const dueInput = z.object({
	standard: z.string().min(1, 'give a standard code, e.g. foi.response'),
	received: instant,
	start: instant.optional(),
	pause: z.array(pause).default([]),
	extend: z.boolean().default(false),
	organisation: z.string().min(1).optional(),
	json: z.boolean().default(false)
});
export type DueInput = z.infer<typeof dueInput>;

export function parseDueInput(values: Record<string, unknown>, positionals: string[]): DueInput {
	if (positionals.length !== 2) {
		throw new UsageError(positionals.length < 2 ? 'give a standard code and when the contact was received' : `unexpected argument '${positionals[2]}'`);
	}
	const parsed = dueInput.safeParse({ ...values, standard: positionals[0], received: positionals[1] });
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const where = issue.path.length ? (issue.path[0] === 'received' || issue.path[0] === 'standard' ? `<${String(issue.path[0])}>` : `--${String(issue.path[0])}`) : '';
		throw new UsageError(`${where ? `${where}: ` : ''}${issue.message}`);
	}
	return parsed.data;
}

export interface DueAnswer {
	standard: string;
	title: string;
	rules: VersionRules;
	due: Due;
}

/** When a contact is due under a standard, and why: the catalogue's rules, or the organisation's own version. */
export async function computeDueAnswer(input: DueInput): Promise<DueAnswer> {
	const facts: ClockFacts = {
		receivedAt: input.received,
		clockStartAt: input.start ?? null,
		pauses: input.pause,
		extended: input.extend
	};
	const notes: string[] = [];
	let rules: VersionRules;
	let title: string;
	let organisation: OrganisationCalendar = NO_ORGANISATION;
	if (input.organisation) {
		({ rules, title, organisation } = await organisationRules(input.standard, input.organisation, facts));
	} else {
		const definition = getStandardDefinition(input.standard);
		if (!definition) throw new UsageError(`unknown standard '${input.standard}' (the codes are in DOMAIN.md, e.g. foi.response, sar.statutory, email.reply)`);
		rules = catalogueRules(definition);
		title = definition.title;
	}
	let used = clockFacts(facts, rules);
	if (rules.clockStart === 'meeting-date' && input.start) {
		used = { ...used, receivedAt: input.start }; // --start is the meeting date
	} else if (input.start && used.clockStartAt == null && !(used.restarts ?? []).length) {
		notes.push(`The ${rules.code} clock starts at receipt: the later start given is not used.`);
	}
	const due = computeDue(rules.rule, calendarFor(rules, organisation), used, {
		nonWorkingStartIsNextWorkingDay: nonWorkingStartIsNextWorkingDay(rules, organisation)
	});
	due.explanation.unshift(...notes);
	return { standard: rules.code, title, rules, due };
}

function catalogueRules(definition: StandardDefinition): VersionRules {
	return {
		code: definition.code,
		rule: definition.rule,
		calendarCode: definition.calendar,
		appliesClosures: definition.closuresApply,
		clockStart: definition.clockStart,
		restartable: definition.restartable,
		atRiskShare: definition.atRiskShare
	};
}

/** The organisation's version in force at the clock start, its closure days and settings (read from the database). */
async function organisationRules(code: string, organisationCode: string, facts: ClockFacts) {
	const handle = await openDatabase();
	try {
		await handle.migrate();
		const db = handle.db;
		const [organisation] = await db.select().from(schema.organisations).where(eq(schema.organisations.code, organisationCode));
		if (!organisation) throw new UsageError(`unknown organisation '${organisationCode}'`);
		const [standard] = await db
			.select()
			.from(schema.standards)
			.where(and(eq(schema.standards.organisationId, organisation.id), eq(schema.standards.code, code)));
		if (!standard) throw new UsageError(`${organisationCode} has no standard '${code}'`);
		const versions = await db
			.select()
			.from(schema.standardVersions)
			.where(eq(schema.standardVersions.standardId, standard.id))
			.orderBy(asc(schema.standardVersions.effectiveFrom));
		const calendars = await loadOrganisationCalendars(db);
		for (const version of versions.reverse()) {
			const rules = versionRules(code, version);
			const startDay = localEpochDay(clockStartMs(facts, rules));
			if (startDay >= toEpochDay(version.effectiveFrom) && (version.effectiveTo === null || startDay < toEpochDay(version.effectiveTo))) {
				return { rules, title: standard.title, organisation: calendars.get(organisation.id) ?? NO_ORGANISATION };
			}
		}
		throw new UsageError(`${organisationCode}'s ${code} was not in force then (its first version is from ${versions.at(-1)?.effectiveFrom ?? 'no date'})`);
	} finally {
		await handle.close();
	}
}

/** The answer as DESIGN.md's JSON object. */
export function dueJson(answer: DueAnswer): string {
	return JSON.stringify({
		standard: answer.standard,
		dueDate: answer.due.dueDate,
		dueAt: answer.due.dueAt.toISOString(),
		explanation: answer.due.explanation
	});
}

/** The answer for a person: when, then why. */
export function dueText(answer: DueAnswer): string {
	const { due } = answer;
	return [
		`${answer.standard}: ${answer.title} (${describeRule(answer.rules.rule)})`,
		`Due date: ${formatDay(due.dueDay)}`,
		`Due by:   ${formatInstant(due.dueMs)}${due.dueMs % 60_000 === 59_999 ? ':59' : ''} Europe/London (${due.dueAt.toISOString()})`,
		'',
		'Why:',
		...due.explanation.map((line) => `  ${line}`)
	].join('\n');
}
