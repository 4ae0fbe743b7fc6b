import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';

/** The organisation, service and team codes a file may use, and their ids. */
export interface Codes {
	organisations: Map<string, OrganisationCodes>;
}

export interface OrganisationCodes {
	id: number;
	code: string;
	services: Map<string, number>;
	/** Team code → its id and service id (a team belongs to one service). */
	teams: Map<string, { id: number; serviceId: number }>;
	/** The organisation's own contact types, beside the contact log's. */
	contactTypes: Set<string>;
	/** Whose call a call that visited several queues is, and which wait the promise measures (docs/rules.md "Phone service level"). */
	phoneWaitFrom?: PhoneWaitFrom;
}

export type PhoneWaitFrom = 'first-queue' | 'answering-queue';

/** Read once per import: codes are few, rows many. */
export async function loadCodes(db: Database): Promise<Codes> {
	const [organisations, services, teams, types] = await Promise.all([
		db.select({ id: schema.organisations.id, code: schema.organisations.code, settings: schema.organisations.settings }).from(schema.organisations),
		db.select({ id: schema.services.id, organisationId: schema.services.organisationId, code: schema.services.code }).from(schema.services),
		db
			.select({ id: schema.teams.id, organisationId: schema.teams.organisationId, serviceId: schema.teams.serviceId, code: schema.teams.code })
			.from(schema.teams),
		db.select({ organisationId: schema.organisationContactTypes.organisationId, code: schema.organisationContactTypes.code }).from(schema.organisationContactTypes)
	]);
	const byId = new Map<number, OrganisationCodes>();
	for (const o of organisations) {
		byId.set(o.id, { id: o.id, code: o.code, services: new Map(), teams: new Map(), contactTypes: new Set(), phoneWaitFrom: o.settings?.phoneWaitFrom ?? 'first-queue' });
	}
	for (const s of services) byId.get(s.organisationId)?.services.set(s.code, s.id);
	for (const t of teams) byId.get(t.organisationId)?.teams.set(t.code, { id: t.id, serviceId: t.serviceId });
	for (const t of types) byId.get(t.organisationId)?.contactTypes.add(t.code);
	return { organisations: new Map([...byId.values()].map((o) => [o.code, o])) };
}

/** For tests and previews without a database. */
export function codesOf(organisations: Record<string, Record<string, string[]>>): Codes {
	let next = 1;
	const map = new Map<string, OrganisationCodes>();
	for (const [code, services] of Object.entries(organisations)) {
		const organisation: OrganisationCodes = { id: next++, code, services: new Map(), teams: new Map(), contactTypes: new Set() };
		for (const [service, teams] of Object.entries(services)) {
			const serviceId = next++;
			organisation.services.set(service, serviceId);
			for (const team of teams) organisation.teams.set(team, { id: next++, serviceId });
		}
		map.set(code, organisation);
	}
	return { organisations: map };
}

const sorted = (keys: Iterable<string>) => [...keys].sort().join(', ');

export type Placement = { organisationId: number; serviceId: number; teamId: number | null } | { reason: string };

/** Where a contact belongs, from its codes, or a reason naming the codes that exist. */
export function place(codes: Codes, organisation: string, service: string, team: string | null): Placement {
	const o = codes.organisations.get(organisation);
	if (!o) return { reason: `organisation '${organisation}' is not one of ${sorted(codes.organisations.keys())}` };
	const serviceId = o.services.get(service);
	if (serviceId === undefined) return { reason: `service '${service}' is not a service of ${o.code} (${sorted(o.services.keys())})` };
	if (!team) return { organisationId: o.id, serviceId, teamId: null };
	const found = o.teams.get(team);
	if (!found || found.serviceId !== serviceId) {
		const teams = [...o.teams].filter(([, t]) => t.serviceId === serviceId).map(([code]) => code);
		return { reason: `team '${team}' is not a team of ${o.code} ${service} (${teams.length ? sorted(teams) : 'it has none'})` };
	}
	return { organisationId: o.id, serviceId, teamId: found.id };
}
