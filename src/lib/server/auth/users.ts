/**
 * The people who may sign in: created by an admin (/admin/users) or `yardstick user add`, never by
 * themselves. Each change is audited in the same transaction.
 *
 *   import * as people from '$lib/server/auth/users.ts';
 *   const { user } = await people.create(db, { email, role, teamCodes }, actor);
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { hashPassword } from 'better-auth/crypto';
import { z } from 'zod';
import * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import { accounts, roles, sessions, userTeams, users, type Role } from '../db/schema/auth.ts';
import { organisations, teams } from '../db/schema/organisations.ts';
import { MIN_PASSWORD_LENGTH } from './better-auth.ts';
import type { Viewer } from './access.ts';
import * as sessionCache from './session-cache.ts';

export const newUser = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.max(254)
		.pipe(z.email({ message: 'Enter an email address in the correct format, like name@example.gov.uk' })),
	name: z.string().trim().max(120).optional(),
	role: z.enum(roles, { message: `Choose a role: ${roles.join(', ')}` }),
	/** Team codes (unique per organisation; a code shared by two organisations needs organisation/code). */
	teamCodes: z.array(z.string().trim().min(1).max(80)).default([]),
	/** Or team ids (the admin page's checkboxes). */
	teamIds: z.array(z.coerce.number().int().positive()).default([]),
	password: z
		.string()
		.min(MIN_PASSWORD_LENGTH, `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`)
		.max(128, 'The password must be 128 characters or fewer')
		.optional()
});
export type NewUser = z.input<typeof newUser>;

export class UserError extends Error {}

/** A password that is hard to guess and easy to type: 4 groups of 5 base-32 characters (100 bits). */
export function generatePassword(): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
	const bytes = randomBytes(20);
	const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
	return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

interface TeamRef {
	id: number;
	code: string;
	organisationId: number;
}

/** Team ids for codes ('cc-correspondence' or 'county/cc-correspondence'); unknown or ambiguous codes are an error. */
export async function resolveTeams(db: Database, codes: readonly string[]): Promise<TeamRef[]> {
	if (!codes.length) return [];
	const all = await db
		.select({ id: teams.id, code: teams.code, organisationId: teams.organisationId, organisation: organisations.code })
		.from(teams)
		.innerJoin(organisations, eq(organisations.id, teams.organisationId));
	return codes.map((text) => {
		const [first, second] = text.split('/');
		const matches = all.filter((team) => (second ? team.organisation === first && team.code === second : team.code === first));
		if (matches.length === 0) throw new UserError(`There is no team '${text}'`);
		if (matches.length > 1) throw new UserError(`Team '${text}' is in more than one organisation: write it as organisation/team, e.g. ${matches[0]!.organisation}/${text}`);
		return matches[0]!;
	});
}

async function teamsById(db: Database, ids: readonly number[]): Promise<TeamRef[]> {
	if (!ids.length) return [];
	const found = await db.select({ id: teams.id, code: teams.code, organisationId: teams.organisationId }).from(teams).where(inArray(teams.id, [...ids]));
	if (found.length !== new Set(ids).size) throw new UserError('One of the teams chosen does not exist');
	return found;
}

/** The organisation a person's teams belong to; null for none or several. */
const organisationOfTeams = (found: TeamRef[]) => {
	const ids = new Set(found.map((t) => t.organisationId));
	return ids.size === 1 ? [...ids][0]! : null;
};

export interface CreatedUser {
	user: { id: string; email: string; name: string; role: Role; teamIds: number[] };
	/** The password set, when one was generated (show it once). */
	generatedPassword: string | null;
}

/**
 * Creates a person who signs in with email and password; audited as 'create user'. With
 * `mustChangePassword` they must choose their own password when they first sign in.
 */
export async function create(db: Database, input: NewUser, by: audit.Actor, options: { mustChangePassword?: boolean } = {}): Promise<CreatedUser> {
	const parsed = newUser.parse(input);
	const password = parsed.password ?? generatePassword();
	const hash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [existing] = await t.select({ id: users.id }).from(users).where(eq(users.email, parsed.email));
		if (existing) throw new UserError(`There is already a user with the email address ${parsed.email}`);
		const found = [...(await resolveTeams(t, parsed.teamCodes)), ...(await teamsById(t, parsed.teamIds))];
		const id = randomUUID();
		const name = parsed.name || parsed.email.split('@')[0]!;
		const mustChangePassword = options.mustChangePassword ?? false;
		const row = { id, email: parsed.email, name, role: parsed.role, organisationId: organisationOfTeams(found), emailVerified: false, disabled: false, mustChangePassword };
		await t.insert(users).values(row);
		await t.insert(accounts).values({ id: randomUUID(), userId: id, accountId: id, providerId: 'credential', password: hash });
		if (found.length) await t.insert(userTeams).values(found.map((team) => ({ userId: id, teamId: team.id })));
		const teamIds = found.map((team) => team.id);
		await audit.record(t, { ...audit.audited(by), action: 'create', entity: 'user', entityId: id, after: { email: row.email, name, role: row.role, teamIds, organisationId: row.organisationId, ...(mustChangePassword ? { mustChangePassword } : {}) } });
		return { user: { id, email: row.email, name, role: row.role, teamIds }, generatedPassword: parsed.password ? null : password };
	});
}

export interface UserSummary {
	id: string;
	email: string;
	name: string;
	role: Role;
	disabled: boolean;
	/** Has a one-time password from an admin's reset still to change. */
	mustChangePassword: boolean;
	organisationId: number | null;
	teamIds: number[];
	teams: string[];
	/** Signs in with: 'password', the provider id, or both. */
	methods: string[];
	lastSignedInAt: Date | null;
	createdAt: Date;
}

export async function list(db: Database): Promise<UserSummary[]> {
	const found = await db.select().from(users).orderBy(asc(users.email));
	if (!found.length) return [];
	const ids = found.map((u) => u.id);
	const [memberships, methods, lastSessions] = await Promise.all([
		db.select({ userId: userTeams.userId, teamId: teams.id, name: teams.name }).from(userTeams).innerJoin(teams, eq(teams.id, userTeams.teamId)).where(inArray(userTeams.userId, ids)),
		db.select({ userId: accounts.userId, providerId: accounts.providerId }).from(accounts).where(inArray(accounts.userId, ids)),
		db
			.select({ userId: sessions.userId, at: sql<Date>`max(${sessions.createdAt})`.mapWith(sessions.createdAt) })
			.from(sessions)
			.where(inArray(sessions.userId, ids))
			.groupBy(sessions.userId)
	]);
	return found.map((u) => ({
		id: u.id,
		email: u.email,
		name: u.name,
		role: u.role,
		disabled: u.disabled,
		mustChangePassword: u.mustChangePassword,
		organisationId: u.organisationId,
		teamIds: memberships.filter((m) => m.userId === u.id).map((m) => m.teamId),
		teams: memberships.filter((m) => m.userId === u.id).map((m) => m.name),
		methods: methods.filter((m) => m.userId === u.id).map((m) => (m.providerId === 'credential' ? 'password' : m.providerId)),
		lastSignedInAt: lastSessions.find((s) => s.userId === u.id)?.at ?? null,
		createdAt: u.createdAt
	}));
}

export async function find(db: Database, id: string): Promise<UserSummary | null> {
	return (await list(db)).find((u) => u.id === id) ?? null;
}

/** The viewer for a user id, or null when there is none or they are disabled. */
export async function viewer(db: Database, id: string): Promise<Viewer | null> {
	const [user] = await db.select().from(users).where(eq(users.id, id));
	if (!user || user.disabled) return null;
	const memberships = await db.select({ teamId: userTeams.teamId }).from(userTeams).where(eq(userTeams.userId, id));
	return { id: user.id, name: user.name, email: user.email, role: user.role, organisationId: user.organisationId, teamIds: memberships.map((m) => m.teamId), mustChangePassword: user.mustChangePassword };
}

export interface UserChange {
	role?: Role;
	teamIds?: number[];
	disabled?: boolean;
	name?: string;
}

/**
 * Changes a person's role, teams, name or whether they may sign in; audited with before and after.
 * Disabling ends their sessions. An admin cannot disable or demote themselves (someone must be left
 * to administer), and the last enabled admin cannot be removed.
 */
export async function update(db: Database, id: string, change: UserChange, by: audit.Actor): Promise<void> {
	await db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [before] = await t.select().from(users).where(eq(users.id, id)).for('update');
		if (!before) throw new UserError('There is no such user');
		const beforeTeams = (await t.select({ teamId: userTeams.teamId }).from(userTeams).where(eq(userTeams.userId, id))).map((m) => m.teamId).sort((a, b) => a - b);
		const losesAdmin = before.role === 'admin' && !before.disabled && ((change.role && change.role !== 'admin') || change.disabled === true);
		if (losesAdmin) {
			if (audit.audited(by).actorId === id) throw new UserError('You cannot remove your own administrator access: ask another admin');
			const [{ count }] = (await t.select({ count: sql<number>`count(*)::int` }).from(users).where(and(eq(users.role, 'admin'), eq(users.disabled, false)))) as [{ count: number }];
			if (count <= 1) throw new UserError('This is the last administrator: make someone else an admin first');
		}
		let teamIds = beforeTeams;
		let organisationId = before.organisationId;
		if (change.teamIds) {
			teamIds = [...new Set(change.teamIds)].sort((a, b) => a - b);
			const found = teamIds.length ? await t.select({ id: teams.id, code: teams.code, organisationId: teams.organisationId }).from(teams).where(inArray(teams.id, teamIds)) : [];
			if (found.length !== teamIds.length) throw new UserError('One of the teams chosen does not exist');
			await t.delete(userTeams).where(eq(userTeams.userId, id));
			if (teamIds.length) await t.insert(userTeams).values(teamIds.map((teamId) => ({ userId: id, teamId })));
			organisationId = organisationOfTeams(found);
		}
		const after = {
			name: change.name ?? before.name,
			role: change.role ?? before.role,
			disabled: change.disabled ?? before.disabled,
			organisationId
		};
		await t.update(users).set({ ...after, updatedAt: new Date() }).where(eq(users.id, id));
		if (after.disabled && !before.disabled) await t.delete(sessions).where(eq(sessions.userId, id));
		// Their next request reads their role, teams and whether they may sign in afresh.
		sessionCache.forgetUser(id);
		const action = after.disabled !== before.disabled ? (after.disabled ? 'disable' : 'enable') : after.role !== before.role ? 'change role' : 'update';
		await audit.record(t, {
			...audit.audited(by),
			action,
			entity: 'user',
			entityId: id,
			before: { email: before.email, name: before.name, role: before.role, disabled: before.disabled, teamIds: beforeTeams, organisationId: before.organisationId },
			after: { email: before.email, ...after, teamIds }
		});
	});
	sessionCache.forgetUser(id);
}

/** Whether nobody has been added yet (a fresh installation: the first admin is made with the CLI). */
export async function noneYet(db: Database): Promise<boolean> {
	const [someone] = await db.select({ id: users.id }).from(users).limit(1);
	return someone === undefined;
}
