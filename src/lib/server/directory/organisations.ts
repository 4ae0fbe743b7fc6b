/**
 * Organisations, their services and teams, as an admin keeps them (/admin/organisations). Codes
 * are what imports and filters use, so they are never changed once made; names may be.
 * Every change is audited.
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import { CONTACT_TYPES } from '../../engine/catalogue.ts';
import { organisationContactTypes, organisations, services, teams, type OrganisationSettings } from '../db/schema/organisations.ts';

const code = z
	.string()
	.trim()
	.toLowerCase()
	.min(1, 'Enter a code')
	.max(40, 'The code must be 40 characters or fewer')
	.regex(/^[a-z0-9][a-z0-9-]*$/, 'The code may use only letters, numbers and hyphens, starting with a letter or number');
const name = z.string().trim().min(1, 'Enter a name').max(120, 'The name must be 120 characters or fewer');
const id = z.coerce.number().int().positive();

export const newOrganisation = z.object({ code, name });
export const newService = z.object({ organisationId: id, code, name });
export const newTeam = z.object({ serviceId: id, code, name });

export class DirectoryError extends Error {}

export interface Tree {
	id: number;
	code: string;
	name: string;
	services: { id: number; code: string; name: string; teams: { id: number; code: string; name: string; active: boolean }[] }[];
	/** The organisation's own contact types, beside the built-in ones. */
	contactTypes: { id: number; code: string; name: string }[];
}

export async function tree(db: Database): Promise<Tree[]> {
	const [o, s, t, c] = await Promise.all([
		db.select().from(organisations).orderBy(asc(organisations.name)),
		db.select().from(services).orderBy(asc(services.name)),
		db.select().from(teams).orderBy(asc(teams.name)),
		db.select().from(organisationContactTypes).orderBy(asc(organisationContactTypes.code))
	]);
	return o.map((org) => ({
		id: org.id,
		code: org.code,
		name: org.name,
		services: s
			.filter((service) => service.organisationId === org.id)
			.map((service) => ({
				id: service.id,
				code: service.code,
				name: service.name,
				teams: t.filter((team) => team.serviceId === service.id).map((team) => ({ id: team.id, code: team.code, name: team.name, active: team.active }))
			})),
		contactTypes: c.filter((type) => type.organisationId === org.id).map((type) => ({ id: type.id, code: type.code, name: type.name }))
	}));
}

/** Unique-constraint failures as a message a person can act on. */
function duplicate(cause: unknown, message: string): never {
	let root = cause as { code?: string; cause?: unknown };
	while (root?.cause && !root.code) root = root.cause as typeof root;
	if (root?.code === '23505') throw new DirectoryError(message);
	throw cause;
}

export async function addOrganisation(db: Database, input: z.input<typeof newOrganisation>, by: audit.Actor): Promise<number> {
	const data = newOrganisation.parse(input);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [row] = await t.insert(organisations).values(data).returning({ id: organisations.id }).catch((cause) => duplicate(cause, `There is already an organisation with the code ${data.code}`));
		await audit.record(t, { ...audit.audited(by), action: 'create', entity: 'organisation', entityId: row!.id, organisationId: row!.id, after: data });
		return row!.id;
	});
}

export async function addService(db: Database, input: z.input<typeof newService>, by: audit.Actor): Promise<number> {
	const data = newService.parse(input);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [owner] = await t.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, data.organisationId));
		if (!owner) throw new DirectoryError('Choose an organisation');
		const [row] = await t.insert(services).values(data).returning({ id: services.id }).catch((cause) => duplicate(cause, `The organisation already has a service with the code ${data.code}`));
		await audit.record(t, { ...audit.audited(by), action: 'create', entity: 'service', entityId: row!.id, organisationId: data.organisationId, after: data });
		return row!.id;
	});
}

export async function addTeam(db: Database, input: z.input<typeof newTeam>, by: audit.Actor): Promise<number> {
	const data = newTeam.parse(input);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [service] = await t.select({ id: services.id, organisationId: services.organisationId }).from(services).where(eq(services.id, data.serviceId));
		if (!service) throw new DirectoryError('Choose a service');
		const values = { organisationId: service.organisationId, serviceId: service.id, code: data.code, name: data.name };
		const [row] = await t.insert(teams).values(values).returning({ id: teams.id }).catch((cause) => duplicate(cause, `The organisation already has a team with the code ${data.code}`));
		await audit.record(t, { ...audit.audited(by), action: 'create', entity: 'team', entityId: row!.id, organisationId: service.organisationId, after: values });
		return row!.id;
	});
}

/** A team that no longer takes cases stays for its history, marked inactive. */
export async function setTeamActive(db: Database, teamId: number, active: boolean, by: audit.Actor): Promise<void> {
	await db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [before] = await t.select().from(teams).where(eq(teams.id, teamId));
		if (!before) throw new DirectoryError('There is no such team');
		if (before.active === active) return;
		await t.update(teams).set({ active }).where(eq(teams.id, teamId));
		await audit.record(t, { ...audit.audited(by), action: active ? 'reactivate' : 'deactivate', entity: 'team', entityId: teamId, organisationId: before.organisationId, before: { active: before.active }, after: { active } });
	});
}

/** Names may change (codes never do): an organisation's, a service's or a team's, audited. */
export async function rename(db: Database, what: 'organisation' | 'service' | 'team' | 'contact_type', id: number, name: string, by: audit.Actor): Promise<boolean> {
	const table = { organisation: organisations, service: services, team: teams, contact_type: organisationContactTypes }[what];
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [before] = await t.select().from(table).where(eq(table.id, id));
		if (!before) throw new DirectoryError(`There is no such ${what.replace('_', ' ')}`);
		if (before.name === name) return false;
		await t.update(table).set({ name }).where(eq(table.id, id));
		const organisationId = 'organisationId' in before ? before.organisationId : before.id;
		await audit.record(t, { ...audit.audited(by), action: 'rename', entity: what, entityId: id, organisationId, before: { name: before.name }, after: { name } });
		return true;
	});
}

/** An organisation's choices where the rules leave one (organisations.settings), audited. */
export async function setSettings(db: Database, organisationId: number, settings: OrganisationSettings, by: audit.Actor): Promise<boolean> {
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [before] = await t.select().from(organisations).where(eq(organisations.id, organisationId));
		if (!before) throw new DirectoryError('There is no such organisation');
		const after = { ...before.settings, ...settings };
		// An unset choice is the rules' default (false), so setting it to false changes nothing.
		// An unset phone wait is the first queue's.
		const value = (settings: OrganisationSettings, key: keyof OrganisationSettings) => settings[key] ?? (key === 'phoneWaitFrom' ? 'first-queue' : false);
		const same = (Object.keys(after) as (keyof OrganisationSettings)[]).every((key) => value(after, key) === value(before.settings, key));
		if (same) return false;
		await t.update(organisations).set({ settings: after }).where(eq(organisations.id, organisationId));
		await audit.record(t, { ...audit.audited(by), action: 'update', entity: 'organisation_settings', entityId: organisationId, organisationId, before: before.settings, after });
		return true;
	});
}

export const newContactType = z.object({ organisationId: id, code, name });

/** A council's own contact type (a visit, web chat) beside the contact log's built-in ones. */
export async function addContactType(db: Database, input: z.input<typeof newContactType>, by: audit.Actor): Promise<number> {
	const data = newContactType.parse(input);
	if ((CONTACT_TYPES as readonly string[]).includes(data.code)) throw new DirectoryError(`${data.code} is a built-in contact type already`);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const [row] = await t
			.insert(organisationContactTypes)
			.values(data)
			.returning({ id: organisationContactTypes.id })
			.catch((cause) => duplicate(cause, `The organisation already has a contact type ${data.code}`));
		await audit.record(t, { ...audit.audited(by), action: 'create', entity: 'contact_type', entityId: row!.id, organisationId: data.organisationId, after: data });
		return row!.id;
	});
}

export async function contactTypes(db: Database, organisationId: number): Promise<{ id: number; code: string; name: string }[]> {
	return db
		.select({ id: organisationContactTypes.id, code: organisationContactTypes.code, name: organisationContactTypes.name })
		.from(organisationContactTypes)
		.where(eq(organisationContactTypes.organisationId, organisationId))
		.orderBy(asc(organisationContactTypes.code));
}
