/**
 * `yardstick due <standard-code> <received> [--start <date>] [--pause <from>/<to>]... [--extend]
 * [--organisation <code>] [--json]` (docs/interfaces.md "The `yardstick` commands").
 */
import { z } from 'zod';
import { formatDay, toEpochDay } from '../lib/engine/dates.ts';
import { formatDueBy } from '../lib/engine/deadline.ts';
import { parseInstant, type InstantProblem } from '../lib/engine/instants.ts';
import { STANDARDS } from '../lib/engine/catalogue.ts';
import { describeAllowed } from '../lib/engine/events.ts';
import { describeRule } from '../lib/engine/rules.ts';
import { openDatabase } from '../lib/server/db/client.ts';
import * as due from '../lib/server/cases/due.ts';
import type { DueAnswer } from '../lib/server/cases/due.ts';

/** Bad input: the message goes to stderr and the command exits with status 2. */
export class UsageError extends Error {}

/** The command's own words for what it cannot read (an import's are the engine's `reason`). */
const REFUSALS: Partial<Record<InstantProblem, string>> = {
	unreadable: 'is not a date: give 2025-12-19, 2025-12-19T16:10 (ISO, an offset allowed), 19/12/2025, 19/12/2025 16:10 or an Excel serial day (46010)',
	'no-such-date': 'is not a calendar date',
	'skipped-hour': 'does not exist in Europe/London (the clocks go forward then): give an offset',
	'repeated-hour': 'happens twice in Europe/London (the clocks go back then): give an offset, +01:00 or Z'
};

const instant = z.string().transform((text, context) => {
	const parsed = parseInstant(text);
	if ('ms' in parsed) return new Date(parsed.ms);
	context.addIssue({ code: 'custom', message: `${JSON.stringify(text)} ${REFUSALS[parsed.problem] ?? parsed.reason}` });
	return z.NEVER;
});

/**
 * <from>/<to>: dd/mm/yyyy dates have slashes of their own, so the pause splits at the one slash
 * with a date (or instant) either side of it.
 */
const pause = z.string().transform((text, context) => {
	const cuts = [...text.matchAll(/\//g)].map((m) => m.index);
	const splits = cuts.map((i) => [text.slice(0, i), text.slice(i + 1)] as const);
	const readable = splits.find(([from, to]) => 'ms' in parseInstant(from) && 'ms' in parseInstant(to));
	if (!readable) {
		const halves = splits.length === 1 ? splits[0]! : null;
		const bad = halves ? halves.map((part) => instant.safeParse(part)).find((r) => !r.success) : undefined;
		context.addIssue({ code: 'custom', message: bad ? bad.error!.issues[0]!.message : `${JSON.stringify(text)} is not <from>/<to> (e.g. 2026-01-05/2026-01-09 or 05/01/2026/09/01/2026)` });
		return z.NEVER;
	}
	const [from, to] = readable.map((part) => new Date((parseInstant(part) as { ms: number }).ms));
	if (to! < from!) {
		context.addIssue({ code: 'custom', message: `${JSON.stringify(text)} ends before it starts` });
		return z.NEVER;
	}
	return { from: from!, to: to! };
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

export type { DueAnswer };

/** The CLI's answer: the organisation's database opened only when its rules are asked for. */
export async function computeDueAnswer(input: DueInput): Promise<DueAnswer> {
	const handle = input.organisation ? await openDatabase() : null;
	try {
		await handle?.migrate();
		return await due.computeDueAnswer(input, handle?.db);
	} catch (error) {
		throw error instanceof due.DueError ? new UsageError(error.message) : error;
	} finally {
		await handle?.close();
	}
}

/** The answer as the --json object of docs/interfaces.md "The `yardstick` commands". */
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
		`Due by:   ${formatDueBy(due.dueMs)} Europe/London (${due.dueAt.toISOString()})`,
		'',
		'Why:',
		...due.explanation.map((line) => `  ${line}`)
	].join('\n');
}

/** `yardstick help due`: the command, then every standard code with its promise and the events it allows. */
export function dueHelp(): string {
	const lines = [
		'Usage: yardstick due <standard-code> <received> [--start <date>] [--pause <from>/<to>]... [--extend]',
		'                     [--organisation <code>] [--json]',
		'',
		'Dates: 2026-06-02, 2026-06-02T16:10 (ISO; an offset allowed), 02/06/2026, 02/06/2026 16:10, or an',
		'Excel serial day (46175); without an offset, Europe/London. A flag the standard does not allow is',
		'refused (exit status 2), naming what it allows.',
		'',
		'Standards:'
	];
	for (const standard of STANDARDS) {
		lines.push(`  ${standard.code.padEnd(18)} ${standard.title}: ${describeRule(standard.rule)}${standard.effectiveFrom ? ` (from ${formatDay(toEpochDay(standard.effectiveFrom))})` : ''}`);
		lines.push(`  ${''.padEnd(18)} "${standard.wording}"`);
		const allowed = describeAllowed(standard.code, standard.events).replace(`${standard.code} allows `, '');
		lines.push(`  ${''.padEnd(18)} Allows ${allowed.startsWith('no ') ? 'no --start, --pause or --extend' : allowed}.`);
	}
	return lines.join('\n');
}
