import { bigint, boolean, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { organisations, teams } from './organisations.ts';

// Shaped as better-auth's drizzle adapter expects (user, session, account, verification),
// plus the roles and team membership Yardstick needs.

export const roles = ['admin', 'manager', 'team-lead', 'officer', 'committee'] as const;
export type Role = (typeof roles)[number];

export const users = pgTable('users', {
	id: text().primaryKey(),
	name: text().notNull(),
	email: text().notNull().unique(),
	emailVerified: boolean().notNull().default(false),
	image: text(),
	role: text().$type<Role>().notNull().default('officer'),
	organisationId: integer().references(() => organisations.id),
	disabled: boolean().notNull().default(false),
	/** Set by an admin's password reset: the one-time password must be changed at the next sign-in. */
	mustChangePassword: boolean().notNull().default(false),
	createdAt: createdAt(),
	updatedAt: createdAt()
});

export const sessions = pgTable(
	'sessions',
	{
		id: text().primaryKey(),
		userId: text()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		token: text().notNull().unique(),
		expiresAt: instant().notNull(),
		ipAddress: text(),
		userAgent: text(),
		createdAt: createdAt(),
		updatedAt: createdAt()
	},
	(t) => [index().on(t.userId)]
);

export const accounts = pgTable(
	'accounts',
	{
		id: text().primaryKey(),
		userId: text()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** The identity provider's immutable id for the user (Entra ID: oid). */
		accountId: text().notNull(),
		providerId: text().notNull(),
		accessToken: text(),
		refreshToken: text(),
		idToken: text(),
		accessTokenExpiresAt: instant(),
		refreshTokenExpiresAt: instant(),
		scope: text(),
		password: text(),
		createdAt: createdAt(),
		updatedAt: createdAt()
	},
	(t) => [index().on(t.userId)]
);

export const verifications = pgTable('verifications', {
	id: text().primaryKey(),
	identifier: text().notNull(),
	value: text().notNull(),
	expiresAt: instant().notNull(),
	createdAt: createdAt(),
	updatedAt: createdAt()
});

export const userTeams = pgTable(
	'user_teams',
	{
		userId: text()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		teamId: integer()
			.notNull()
			.references(() => teams.id)
	},
	(t) => [primaryKey({ columns: [t.userId, t.teamId] })]
);

/** Keys for the import API: shown once, stored hashed. */
export const apiKeys = pgTable('api_keys', {
	id: integer().primaryKey().generatedAlwaysAsIdentity(),
	organisationId: integer()
		.notNull()
		.references(() => organisations.id),
	name: text().notNull(),
	/** First characters of the key, to recognise it in lists. */
	prefix: text().notNull(),
	hash: text().notNull().unique(),
	scopes: text().array().notNull(),
	createdBy: text().references(() => users.id),
	createdAt: createdAt(),
	lastUsedAt: instant(),
	revokedAt: instant()
});

/**
 * Every sign-in attempt with a password, for lockout and for the record. No password and no email
 * in clear: `accountKey` is a keyed hash of the lower-cased email.
 */
export const signInAttempts = pgTable(
	'sign_in_attempts',
	{
		id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		accountKey: text().notNull(),
		/** 'pending' (its password being checked), 'success', 'wrong-password', 'unknown-account', 'disabled', 'locked', 'failed' (an error). */
		outcome: text().notNull(),
		at: createdAt()
	},
	(t) => [index().on(t.accountKey, t.at)]
);

/** Facts about this installation: whether it holds the demo, the session-signing secret when none is configured. */
export const appSettings = pgTable('app_settings', {
	key: text().primaryKey(),
	value: text().notNull(),
	updatedAt: createdAt()
});
