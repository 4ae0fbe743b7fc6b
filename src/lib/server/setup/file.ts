/**
 * The council set-up file (`yardstick setup <file>`, docs/interfaces.md "The set-up file"): YAML, or the
 * same as JSON, read into a checked plan of what the council should have. Every problem names the
 * key path and the line it is on (`organisations[0].standards[2].adopt: no catalogue standard
 * 'emial.reply' (line 23)`); a file with any problem is refused whole, before anything is applied.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { CALENDAR_CODES } from '../../engine/calendar.ts';
import { CONTACT_TYPES, STANDARDS } from '../../engine/catalogue.ts';
import { parseRule } from '../../engine/rules.ts';
import { roles } from '../db/schema/auth.ts';
import { mappingDefinition, mappingName } from '../ingest/mappings.ts';

const code = z
	.string({ error: 'must be a code' })
	.trim()
	.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a code is lower-case letters, digits and hyphens (at most 40), starting with a letter or digit');
const name = z.string({ error: 'must be a name' }).trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');
const date = z
	.union([z.string(), z.date()], { error: 'must be a date (YYYY-MM-DD)' })
	.transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.trim()))
	.refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value, 'must be a date (YYYY-MM-DD)');
const percent = z.number({ error: 'must be a number' }).min(0, 'must be 0 or more').max(100, 'must be 100 or less');
const codes = z.array(code, { error: 'must be a list of codes' });

/** A day, or a range written `2026-12-29..2026-12-31`. */
const closure = z
	.union([z.string(), z.date()], { error: 'must be a date or a range of dates' })
	.transform((value, ctx) => {
		const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim();
		const [first, last = first, extra] = text.split('..');
		const valid = (d: string | undefined) => d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
		if (extra !== undefined || !valid(first) || !valid(last)) {
			ctx.addIssue({ code: 'custom', message: `'${text}' is not a date or a range like 2026-12-29..2026-12-31` });
			return z.NEVER;
		}
		if (last! < first!) {
			ctx.addIssue({ code: 'custom', message: `the range '${text}' ends before it starts` });
			return z.NEVER;
		}
		return { from: first!, to: last! };
	});

/** The council's own short reference for a standard in reports ('CS01'). */
const standardRef = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9./-]{0,11}$/, 'a reference is up to 12 letters and digits, for example CS01');

const adoption = z.strictObject({
	adopt: z.string().refine((c) => STANDARDS.some((s) => s.code === c), { error: (issue) => `no catalogue standard '${String(issue.input)}' (the catalogue has ${STANDARDS.map((s) => s.code).join(', ')})` }),
	services: codes.optional(),
	contactTypes: codes.optional(),
	from: date.optional(),
	target: percent.optional(),
	tolerance: percent.optional(),
	ref: standardRef.optional()
});

const ownStandard = z.strictObject({
	code: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'a standard code is lower-case letters, digits, dots and dashes').refine((c) => !STANDARDS.some((s) => s.code === c), { error: (issue) => `'${String(issue.input)}' is a catalogue standard: write adopt: ${String(issue.input)}` }),
	name,
	wording: z.string().trim().max(500).optional(),
	contactTypes: codes.min(1, 'name at least one contact type'),
	services: codes.optional(),
	rule: z.unknown().transform((value, ctx) => {
		try {
			return parseRule(value);
		} catch (error) {
			ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^Invalid deadline rule .*?: /, '') });
			return z.NEVER;
		}
	}),
	target: percent.optional(),
	tolerance: percent.optional(),
	from: date.optional(),
	statutory: z.boolean().optional(),
	ref: standardRef.optional(),
	calendar: z.enum(CALENDAR_CODES as [string, ...string[]], { error: `must be one of ${CALENDAR_CODES.join(', ')}` }).optional()
});

const retirement = z.strictObject({ retire: z.string().min(1), from: date });

/** Which of the three a standards entry is, by its first key, so errors speak of the right one. */
const standardEntry = z.unknown().transform((value, ctx) => {
	const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
	const schema = 'adopt' in record ? adoption : 'retire' in record ? retirement : 'code' in record ? ownStandard : null;
	if (!schema) {
		ctx.addIssue({ code: 'custom', message: 'each standard is adopt: <catalogue code>, code: <your own code> (with name, contactTypes and rule), or retire: <code> with from' });
		return z.NEVER;
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as Parameters<typeof ctx.addIssue>[0]);
		return z.NEVER;
	}
	return parsed.data;
});

const team = z.strictObject({ code, name });
const service = z.strictObject({ code, name, teams: z.array(team).default([]) });
const queue = z.strictObject({ service: code, team: code.optional() });

const organisation = z
	.strictObject({
		code,
		name,
		settings: z
			.strictObject({ nonWorkingStartIsNextWorkingDay: z.boolean().optional(), phoneWaitFrom: z.enum(['first-queue', 'answering-queue']).optional() })
			.optional(),
		services: z.array(service).default([]),
		contactTypes: z
			.array(z.strictObject({ code: code.refine((c) => !(CONTACT_TYPES as readonly string[]).includes(c), 'is a built-in contact type already'), name }))
			.default([]),
		standards: z.array(standardEntry).default([]),
		closures: z.array(closure).default([]),
		queues: z.record(z.string().min(1).max(200), queue).default({}),
		mappings: z.record(mappingName, mappingDefinition).default({})
	})
	.superRefine((o, ctx) => {
		const unique = (values: string[], path: (i: number) => PropertyKey[], what: string) =>
			values.forEach((v, i) => {
				if (values.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: path(i), message: `${what} '${v}' appears twice` });
			});
		unique(o.services.map((s) => s.code), (i) => ['services', i, 'code'], 'service');
		const teams = o.services.flatMap((s, si) => s.teams.map((t, ti) => ({ code: t.code, path: ['services', si, 'teams', ti, 'code'] })));
		teams.forEach((t, i) => {
			if (teams.findIndex((u) => u.code === t.code) !== i) ctx.addIssue({ code: 'custom', path: t.path, message: `team '${t.code}' appears twice (team codes are unique in an organisation)` });
		});
		const services = new Set(o.services.map((s) => s.code));
		const types = new Set<string>([...CONTACT_TYPES, ...o.contactTypes.map((t) => t.code)]);
		o.standards.forEach((s, i) => {
			const entry = s as { services?: string[]; contactTypes?: string[] };
			entry.services?.forEach((sv, j) => {
				if (!services.has(sv)) ctx.addIssue({ code: 'custom', path: ['standards', i, 'services', j], message: `'${sv}' is not a service of ${o.code} (${[...services].join(', ') || 'it lists none'})` });
			});
			entry.contactTypes?.forEach((t, j) => {
				if (!types.has(t)) ctx.addIssue({ code: 'custom', path: ['standards', i, 'contactTypes', j], message: `'${t}' is not a contact type (${[...types].join(', ')}); list your own under contactTypes` });
			});
		});
		for (const [name, q] of Object.entries(o.queues)) {
			const s = o.services.find((sv) => sv.code === q.service);
			if (!s) ctx.addIssue({ code: 'custom', path: ['queues', name, 'service'], message: `'${q.service}' is not a service of ${o.code}` });
			else if (q.team && !s.teams.some((t) => t.code === q.team)) ctx.addIssue({ code: 'custom', path: ['queues', name, 'team'], message: `'${q.team}' is not a team of ${o.code} ${q.service}` });
		}
	});

const user = z.strictObject({
	email: z.email({ error: 'must be an email address' }),
	name: name.optional(),
	role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
	teams: z.array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'a team is written organisation/team')).default([])
});

export const setupFile = z
	.strictObject({
		organisations: z.array(organisation).default([]),
		users: z.array(user).default([])
	})
	.superRefine((file, ctx) => {
		const orgs = file.organisations.map((o) => o.code);
		orgs.forEach((c, i) => {
			if (orgs.indexOf(c) !== i) ctx.addIssue({ code: 'custom', path: ['organisations', i, 'code'], message: `organisation '${c}' appears twice` });
		});
		const mappingNames = file.organisations.flatMap((o, i) => Object.keys(o.mappings).map((m) => ({ m, i })));
		mappingNames.forEach(({ m, i }, k) => {
			if (mappingNames.findIndex((x) => x.m === m) !== k) ctx.addIssue({ code: 'custom', path: ['organisations', i, 'mappings', m], message: `mapping '${m}' appears twice (names are unique per installation)` });
		});
	});

export type SetupFile = z.output<typeof setupFile>;
export type SetupOrganisation = SetupFile['organisations'][number];

/** A problem in the file: its key path and line, then what is wrong. */
export class SetupError extends Error {
	constructor(readonly problems: string[]) {
		super(problems.join('\n'));
	}
}

/** `organisations[0].standards[2].adopt` */
export function keyPath(path: readonly PropertyKey[]): string {
	return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

export interface ParsedSetup {
	file: SetupFile;
	/** The line a key path is on, for problems found while applying. */
	lineOf(path: readonly PropertyKey[]): number | null;
}

/** Reads and checks a set-up file's text; throws a SetupError listing every problem. */
export function parseSetup(text: string): ParsedSetup {
	const lineCounter = new LineCounter();
	const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
	if (document.errors.length > 0) {
		throw new SetupError(document.errors.map((e) => `line ${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
	}
	const lineOf = (path: readonly PropertyKey[]) => nodeLine(document, lineCounter, path);
	const parsed = setupFile.safeParse(document.toJS() ?? {});
	if (!parsed.success) {
		throw new SetupError(
			parsed.error.issues.flatMap((issue) =>
				// An unknown key is pointed at itself, one problem a key.
				issue.code === 'unrecognized_keys' ? issue.keys.map((key) => describe([...issue.path, key], 'unknown key (see yardstick setup --example)', lineOf)) : [describe(issue.path, issue.message, lineOf)]
			)
		);
	}
	return { file: parsed.data, lineOf };
}

export function describe(path: readonly PropertyKey[], message: string, lineOf: (path: readonly PropertyKey[]) => number | null): string {
	const line = lineOf(path);
	const where = keyPath(path);
	return `${where || 'the file'}: ${message}${line === null ? '' : ` (line ${line})`}`;
}

/** The line of the deepest key or item on the path that exists (a key's own line, not its value's). */
function nodeLine(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | null {
	for (let depth = path.length; depth >= 0; depth--) {
		const last = path[depth - 1];
		if (typeof last === 'string') {
			const parent = document.getIn(path.slice(0, depth - 1) as unknown[], true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
			const pair = parent?.items?.find((item) => item.key?.value === last);
			if (pair?.key?.range) return lineCounter.linePos(pair.key.range[0]).line;
		}
		const node = document.getIn(path.slice(0, depth) as unknown[], true);
		if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
	}
	return null;
}
