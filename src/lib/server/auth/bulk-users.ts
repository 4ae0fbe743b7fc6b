/**
 * Adding many people at once from a CSV file (columns email, name, role, teams): every row is
 * checked first, and if any row is wrong the whole file is refused with each row's reasons and
 * nobody is added; otherwise everyone is added in one transaction, each with a one-time password
 * (shown once) that they must change when they first sign in. Each person is audited as 'create'.
 *
 *   import * as bulkUsers from '$lib/server/auth/bulk-users.ts';
 *   const { created } = await bulkUsers.add(db, csvText, actor);
 */
import { Readable } from 'node:stream';
import { inArray } from 'drizzle-orm';
import { csvRecords } from '../ingest/csv.ts';
import type { Database } from '../db/client.ts';
import { roles, users, type Role } from '../db/schema/auth.ts';
import type * as audit from '../audit/record.ts';
import { create, newUser, resolveTeams, UserError } from './users.ts';

/** More than this in one file is refused (each password takes a moment to hash). */
export const MAX_ROWS = 500;

export interface RowProblem {
	/** The spreadsheet row: the header is row 1. */
	row: number;
	message: string;
}

/** The file cannot be read, or some rows are wrong: nobody was added. */
export class BulkUserError extends Error {
	constructor(readonly problems: RowProblem[]) {
		super(problems.map((p) => (p.row ? `Row ${p.row}: ${p.message}` : p.message)).join('\n'));
	}
}

export interface PersonToAdd {
	row: number;
	email: string;
	name?: string;
	role: Role;
	teamCodes: string[];
}

export interface AddedPerson {
	id: string;
	email: string;
	name: string;
	role: Role;
	teams: string[];
	/** The one-time password: show it once. */
	password: string;
}

const REQUIRED = ['email', 'role'] as const;
const KNOWN = ['email', 'name', 'role', 'teams'];

/** Team codes in a cell: separated by spaces, commas or semicolons. */
export const teamCodesIn = (cell: string) => cell.split(/[\s;,]+/).filter(Boolean);

/** Reads and checks every row (against the database too: teams exist, emails are new); throws BulkUserError listing every problem. */
export async function check(db: Database, text: string): Promise<PersonToAdd[]> {
	const problems: RowProblem[] = [];
	const people: PersonToAdd[] = [];
	let header: string[] | null = null;
	for await (const item of csvRecords(Readable.from([text.replace(/^\uFEFF/, '')]))) {
		if ('unreadable' in item) {
			problems.push({ row: item.unreadable.row, message: item.unreadable.reason });
			break;
		}
		if (!header) {
			header = item.record.map((cell) => cell.trim().toLowerCase());
			const missing = REQUIRED.filter((column) => !header!.includes(column));
			if (missing.length) throw new BulkUserError([{ row: 1, message: `The first row must name the columns email, name, role and teams: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing` }]);
			const unknown = header.filter((column) => column && !KNOWN.includes(column));
			if (unknown.length) throw new BulkUserError([{ row: 1, message: `Unknown column ${unknown.map((c) => `'${c}'`).join(', ')}: the columns are email, name, role and teams` }]);
			continue;
		}
		if (people.length + problems.length >= MAX_ROWS) throw new BulkUserError([{ row: 0, message: `The file has more than ${MAX_ROWS} people: split it into smaller files` }]);
		const cell = (column: string) => (item.record[header!.indexOf(column)] ?? '').trim();
		const role = cell('role').toLowerCase();
		const parsed = newUser.safeParse({ email: cell('email'), name: cell('name') || undefined, role, teamCodes: header.includes('teams') ? teamCodesIn(cell('teams')) : [] });
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const field = String(issue.path[0]);
				const message = field === 'role' ? (role ? `'${cell('role')}' is not a role: use one of ${roles.join(', ')}` : `Enter a role: ${roles.join(', ')}`) : field === 'email' && !cell('email') ? 'Enter an email address' : issue.message;
				problems.push({ row: item.row, message });
			}
			continue;
		}
		people.push({ row: item.row, email: parsed.data.email, name: parsed.data.name || undefined, role: parsed.data.role, teamCodes: parsed.data.teamCodes });
	}
	if (!header) throw new BulkUserError([{ row: 0, message: 'The file is empty: its first row names the columns email, name, role and teams, then one person a row' }]);
	if (!people.length && !problems.length) throw new BulkUserError([{ row: 0, message: 'The file has its column names but nobody in it' }]);

	const firstRowOf = new Map<string, number>();
	for (const person of people) {
		const first = firstRowOf.get(person.email);
		if (first !== undefined) problems.push({ row: person.row, message: `${person.email} is already on row ${first}` });
		else firstRowOf.set(person.email, person.row);
		for (const code of person.teamCodes) {
			try {
				await resolveTeams(db, [code]);
			} catch (cause) {
				if (!(cause instanceof UserError)) throw cause;
				problems.push({ row: person.row, message: cause.message });
			}
		}
	}
	const emails = [...firstRowOf.keys()];
	const existing = emails.length ? await db.select({ email: users.email }).from(users).where(inArray(users.email, emails)) : [];
	for (const { email } of existing) problems.push({ row: firstRowOf.get(email)!, message: `There is already a user with the email address ${email}` });
	if (problems.length) throw new BulkUserError(problems.sort((a, b) => a.row - b.row));
	return people;
}

/** Checks the whole file, then adds everyone in one transaction, or nobody. */
export async function add(db: Database, text: string, by: audit.Actor): Promise<{ created: AddedPerson[] }> {
	const people = await check(db, text);
	const created = await db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const added: AddedPerson[] = [];
		for (const person of people) {
			try {
				const made = await create(t, { email: person.email, name: person.name, role: person.role, teamCodes: person.teamCodes }, by, { mustChangePassword: true });
				added.push({ id: made.user.id, email: made.user.email, name: made.user.name, role: made.user.role, teams: person.teamCodes, password: made.generatedPassword! });
			} catch (cause) {
				// Someone added the same person since the check: nobody is added.
				if (cause instanceof UserError) throw new BulkUserError([{ row: person.row, message: cause.message }]);
				throw cause;
			}
		}
		return added;
	});
	return { created };
}
