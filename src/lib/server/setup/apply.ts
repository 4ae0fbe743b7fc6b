/**
 * Applying a council set-up file: what exists and matches is left alone, what differs is changed
 * (audited, effective-dated where the thing is versioned), nothing is deleted unless the file says
 * `retire`. Everything happens in one transaction through the same functions the admin pages use;
 * a dry run is the same transaction rolled back, so its plan is exactly what a real run would do.
 * A problem anywhere names the key path and line, and leaves the database as it was.
 */
import { and, eq } from 'drizzle-orm';
import { addCalendarDays } from '../../engine/dates.ts';
import * as assessments from '../assessments/index.ts';
import * as audit from '../audit/record.ts';
import * as users from '../auth/users.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import * as directory from '../directory/organisations.ts';
import * as sources from '../ingest/sources.ts';
import * as adoption from '../standards/adoption.ts';
import * as closures from '../standards/closures.ts';
import { describe, SetupError, type ParsedSetup, type SetupOrganisation } from './file.ts';

export interface SetupResult {
	/** What was changed (or, in a dry run, would be), in order; empty when the file matches. */
	changes: string[];
	/** People added, with the one-time password each must change at first sign-in (real runs only). */
	passwords: { email: string; password: string }[];
	dryRun: boolean;
}

/** Thrown inside the transaction to roll a dry run back. */
class DryRun extends Error {}

const KNOWN_ERRORS = [adoption.AdoptionError, sources.SourceError, directory.DirectoryError, users.UserError, closures.ClosureError];

export async function applySetup(db: Database, parsed: ParsedSetup, options: { dryRun?: boolean; actor: audit.Actor }): Promise<SetupResult> {
	const result: SetupResult = { changes: [], passwords: [], dryRun: options.dryRun ?? false };
	const rescore: adoption.Outcome = { changes: [], rescore: [] };
	let closuresAdded = false;
	const by = options.actor;

	/** Runs one entry of the file; a refusal becomes a SetupError at that entry's path and line. */
	const at = async <T>(path: PropertyKey[], work: () => Promise<T>, fieldNames: Record<string, string> = {}): Promise<T> => {
		try {
			return await work();
		} catch (error) {
			if (!KNOWN_ERRORS.some((kind) => error instanceof kind)) throw error;
			const field = error instanceof adoption.AdoptionError && error.field ? [fieldNames[error.field] ?? error.field] : [];
			throw new SetupError([describe([...path, ...field], (error as Error).message, parsed.lineOf)]);
		}
	};

	try {
		await db.transaction(async (tx) => {
			const t = tx as unknown as Database;
			for (const [i, organisation] of parsed.file.organisations.entries()) {
				const say = (change: string) => result.changes.push(change);
				const path = ['organisations', i];
				const organisationId = await at([...path, 'code'], () => ensureOrganisation(t, organisation, by, say));
				await at([...path, 'services'], () => ensureServices(t, organisationId, organisation, by, say));
				for (const [j, type] of organisation.contactTypes.entries()) {
					await at([...path, 'contactTypes', j], async () => {
						const [existing] = await t
							.select()
							.from(schema.organisationContactTypes)
							.where(and(eq(schema.organisationContactTypes.organisationId, organisationId), eq(schema.organisationContactTypes.code, type.code)));
						if (!existing) {
							await directory.addContactType(t, { organisationId, code: type.code, name: type.name }, by);
							say(`${organisation.code}: add contact type ${type.code} (${type.name})`);
						} else if (await directory.rename(t, 'contact_type', existing.id, type.name, by)) say(`${organisation.code}: rename contact type ${type.code} to ${type.name}`);
					});
				}
				const retiredHere = new Set(organisation.standards.flatMap((entry) => ('retire' in entry ? [entry.retire] : [])));
				for (const [j, entry] of organisation.standards.entries()) {
					const outcome = await at(
						[...path, 'standards', j],
						async () => {
							if ('retire' in entry) return adoption.retire(t, by, { organisation: organisation.code, code: entry.retire, from: entry.from });
							const { ref, ...standard } = entry;
							const code = 'adopt' in standard ? standard.adopt : standard.code;
							const outcome =
								'adopt' in standard
									? await adoption.adopt(t, by, { ...standard, organisation: organisation.code, code, keepRetired: retiredHere.has(code) })
									: await adoption.define(t, by, { ...standard, organisation: organisation.code, keepRetired: retiredHere.has(code) });
							if (ref === undefined) return outcome;
							const named = await adoption.setRef(t, by, { organisation: organisation.code, code, ref });
							return { changes: [...outcome.changes, ...named.changes], rescore: outcome.rescore };
						},
						'adopt' in entry ? { code: 'adopt' } : {}
					);
					result.changes.push(...outcome.changes);
					rescore.rescore.push(...outcome.rescore);
				}
				for (const [j, range] of organisation.closures.entries()) {
					await at([...path, 'closures', j], async () => {
						const existing = new Set(
							(await t.select({ date: schema.closureDays.date }).from(schema.closureDays).where(eq(schema.closureDays.organisationId, organisationId))).map((d) => d.date)
						);
						const added: string[] = [];
						for (let day = range.from; day <= range.to; day = addCalendarDays(day, 1)) {
							if (existing.has(day)) continue;
							await closures.add(t, by, { organisation: organisation.code, date: day, reason: 'Council offices closed' });
							added.push(day);
						}
						if (added.length) {
							closuresAdded = true;
							say(`${organisation.code}: add closure ${added.length === 1 ? `day ${added[0]}` : `days ${added[0]} to ${added.at(-1)} (${added.length})`}`);
						}
					});
				}
				for (const [queue, placement] of Object.entries(organisation.queues)) {
					await at([...path, 'queues', queue], async () => {
						if (await sources.saveQueue(t, by, { organisation: organisation.code, queue, service: placement.service, team: placement.team ?? null })) {
							say(`${organisation.code}: queue '${queue}' → ${placement.service}${placement.team ? `/${placement.team}` : ''}`);
						}
					});
				}
				for (const [name, mapping] of Object.entries(organisation.mappings)) {
					// A mapping listed under an organisation reads that organisation's exports unless it says otherwise.
					const definition = { ...mapping, fixed: { organisation: organisation.code, ...mapping.fixed } };
					await at([...path, 'mappings', name], async () => {
						if (await sources.saveMapping(t, by, name, definition)) say(`save import mapping '${name}'`);
					});
				}
			}
			for (const [i, person] of parsed.file.users.entries()) {
				await at(['users', i], () => ensureUser(t, person, by, result));
			}
			if (result.dryRun) throw new DryRun();
		});
	} catch (error) {
		if (!(error instanceof DryRun)) throw error;
	}
	if (!result.dryRun && (rescore.rescore.length > 0 || closuresAdded)) {
		await adoption.rescore(db, rescore);
		if (rescore.rescore.length === 0) await assessments.rescore(db, { force: false });
	}
	return result;
}

async function ensureOrganisation(t: Database, organisation: SetupOrganisation, by: audit.Actor, say: (change: string) => void): Promise<number> {
	const [existing] = await t.select().from(schema.organisations).where(eq(schema.organisations.code, organisation.code));
	let id = existing?.id;
	if (id === undefined) {
		id = await directory.addOrganisation(t, { code: organisation.code, name: organisation.name }, by);
		say(`add organisation ${organisation.code} (${organisation.name})`);
	} else if (await directory.rename(t, 'organisation', id, organisation.name, by)) say(`rename organisation ${organisation.code} to ${organisation.name}`);
	const setting = organisation.settings?.nonWorkingStartIsNextWorkingDay;
	if (setting !== undefined && (await directory.setSettings(t, id, { foiNonWorkingReceiptNextDay: setting }, by))) {
		say(`${organisation.code}: a FOI request received on a non-working day ${setting ? 'counts from the next working day' : 'counts from that day'}`);
	}
	const waitFrom = organisation.settings?.phoneWaitFrom;
	if (waitFrom !== undefined && (await directory.setSettings(t, id, { phoneWaitFrom: waitFrom }, by))) {
		say(`${organisation.code}: a call that visited several queues is ${waitFrom === 'first-queue' ? 'the first queue’s, waiting from its first ENTERQUEUE' : 'the answering queue’s, with the wait in that queue'}`);
	}
	return id;
}

async function ensureServices(t: Database, organisationId: number, organisation: SetupOrganisation, by: audit.Actor, say: (change: string) => void) {
	const [services, teams] = await Promise.all([
		t.select().from(schema.services).where(eq(schema.services.organisationId, organisationId)),
		t.select().from(schema.teams).where(eq(schema.teams.organisationId, organisationId))
	]);
	for (const service of organisation.services) {
		let serviceId = services.find((s) => s.code === service.code)?.id;
		if (serviceId === undefined) {
			serviceId = await directory.addService(t, { organisationId, code: service.code, name: service.name }, by);
			say(`${organisation.code}: add service ${service.code} (${service.name})`);
		} else if (await directory.rename(t, 'service', serviceId, service.name, by)) say(`${organisation.code}: rename service ${service.code} to ${service.name}`);
		for (const team of service.teams) {
			const existing = teams.find((x) => x.code === team.code);
			if (!existing) {
				await directory.addTeam(t, { serviceId, code: team.code, name: team.name }, by);
				say(`${organisation.code}: add team ${team.code} (${team.name}) to ${service.code}`);
			} else if (existing.serviceId !== serviceId) {
				throw new directory.DirectoryError(`team ${team.code} belongs to another service of ${organisation.code}; a team's service does not change`);
			} else if (await directory.rename(t, 'team', existing.id, team.name, by)) say(`${organisation.code}: rename team ${team.code} to ${team.name}`);
		}
	}
}

async function ensureUser(t: Database, person: ParsedSetup['file']['users'][number], by: audit.Actor, result: SetupResult) {
	const email = person.email.trim().toLowerCase();
	const [existing] = await t.select().from(schema.users).where(eq(schema.users.email, email));
	const teams = await users.resolveTeams(t, person.teams);
	if (!existing) {
		const created = await users.create(t, { email, name: person.name, role: person.role, teamIds: teams.map((x) => x.id) }, by, { mustChangePassword: true });
		result.changes.push(`add ${person.role} ${email}${person.teams.length ? ` (${person.teams.join(', ')})` : ''}`);
		if (!result.dryRun && created.generatedPassword) result.passwords.push({ email, password: created.generatedPassword });
		return;
	}
	const current = (await t.select({ teamId: schema.userTeams.teamId }).from(schema.userTeams).where(eq(schema.userTeams.userId, existing.id))).map((m) => m.teamId).sort((a, b) => a - b);
	const wanted = teams.map((x) => x.id).sort((a, b) => a - b);
	const sameTeams = current.length === wanted.length && current.every((id, k) => id === wanted[k]);
	const name = person.name ?? existing.name;
	if (existing.role === person.role && sameTeams && existing.name === name) return;
	await users.update(t, existing.id, { role: person.role, teamIds: wanted, name }, by);
	result.changes.push(`change ${email}: ${person.role}${person.teams.length ? ` (${person.teams.join(', ')})` : ''}`);
}
