/**
 * A council's data sources as an admin keeps them: import mappings (a CRM export's columns and
 * values, used by name from the page, `yardstick import --mapping` and the API) and telephony
 * queue mappings (a queue's calls → organisation, service, team). Every change is audited; a
 * mapping is checked (ingest/mappings.ts) before it is stored, so a stored one always reads.
 */
import { and, asc, eq } from 'drizzle-orm';
import * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import { canonicalJson } from '../db/json.ts';
import * as schema from '../db/schema/index.ts';
import { mappingDefinition, mappingName, type Mapping, type MappingDefinition } from './mappings.ts';
import { queueMapOf, type QueueMap } from './queues.ts';

type Actor = audit.Actor;

export class SourceError extends Error {}

const issuesText = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
	error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');

export async function mappings(db: Database): Promise<Mapping[]> {
	const rows = await db.select().from(schema.importMappings).orderBy(asc(schema.importMappings.name));
	return rows.map((row) => ({ name: row.name, ...mappingDefinition.parse(row.definition) }));
}

/** The mapping called `name`, or a SourceError naming the ones there are. */
export async function mapping(db: Database, name: string): Promise<Mapping> {
	const [row] = await db.select().from(schema.importMappings).where(eq(schema.importMappings.name, name));
	if (row) return { name: row.name, ...mappingDefinition.parse(row.definition) };
	const names = (await mappings(db)).map((m) => m.name);
	throw new SourceError(
		`there is no import mapping '${name}' (${names.length ? `the mappings are ${names.join(', ')}` : 'none has been made yet: make one on the Import page or in the set-up file'})`
	);
}

/** Adds or replaces a mapping; returns whether anything changed. */
export async function saveMapping(db: Database, by: Actor, name: string, definition: unknown): Promise<boolean> {
	const checkedName = mappingName.safeParse(name);
	if (!checkedName.success) throw new SourceError(issuesText(checkedName.error));
	const checked = mappingDefinition.safeParse(definition);
	if (!checked.success) throw new SourceError(`mapping '${name}': ${issuesText(checked.error)}`);
	const stored = JSON.parse(JSON.stringify(checked.data)) as MappingDefinition;
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(schema.importMappings).where(eq(schema.importMappings.name, checkedName.data));
		if (before && canonicalJson(mappingDefinition.parse(before.definition)) === canonicalJson(stored)) return false;
		if (before) {
			await tx.update(schema.importMappings).set({ definition: stored, updatedAt: new Date() }).where(eq(schema.importMappings.id, before.id));
		} else {
			await tx.insert(schema.importMappings).values({ name: checkedName.data, definition: stored });
		}
		await audit.record(tx, { ...audit.audited(by), action: before ? 'update' : 'create', entity: 'import_mapping', entityId: checkedName.data, before: before?.definition, after: stored });
		return true;
	});
}

export async function removeMapping(db: Database, by: Actor, name: string): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [before] = await tx.delete(schema.importMappings).where(eq(schema.importMappings.name, name)).returning();
		if (before) await audit.record(tx, { ...audit.audited(by), action: 'delete', entity: 'import_mapping', entityId: name, before: before.definition });
		return before !== undefined;
	});
}

export interface QueueRow {
	id: number;
	organisation: string;
	queue: string;
	service: string;
	team: string | null;
}

/** Every queue mapping (of one organisation, when given), by organisation and queue. */
export async function queues(db: Database, organisation?: string): Promise<QueueRow[]> {
	const rows = await db
		.select({
			id: schema.queueMappings.id,
			organisation: schema.organisations.code,
			queue: schema.queueMappings.queue,
			service: schema.services.code,
			team: schema.teams.code
		})
		.from(schema.queueMappings)
		.innerJoin(schema.organisations, eq(schema.organisations.id, schema.queueMappings.organisationId))
		.innerJoin(schema.services, eq(schema.services.id, schema.queueMappings.serviceId))
		.leftJoin(schema.teams, eq(schema.teams.id, schema.queueMappings.teamId))
		.where(organisation === undefined ? undefined : eq(schema.organisations.code, organisation))
		.orderBy(asc(schema.organisations.code), asc(schema.queueMappings.queue));
	return rows;
}

/** What an import places calls by: one organisation's queues, or everyone's (a shared name conflicts). */
export async function queueMap(db: Database, organisation?: string): Promise<QueueMap> {
	return queueMapOf(await queues(db, organisation));
}

export interface QueueMappingInput {
	organisation: string;
	queue: string;
	service: string;
	team?: string | null;
}

/** Maps a queue (or changes where it goes); returns whether anything changed. */
export async function saveQueue(db: Database, by: Actor, input: QueueMappingInput): Promise<boolean> {
	const queue = input.queue.trim();
	if (queue === '' || queue.length > 200) throw new SourceError('Enter the queue name as the phone system writes it (at most 200 characters)');
	return db.transaction(async (tx) => {
		const [organisation] = await tx.select().from(schema.organisations).where(eq(schema.organisations.code, input.organisation));
		if (!organisation) throw new SourceError(`there is no organisation '${input.organisation}'`);
		const [service] = await tx
			.select()
			.from(schema.services)
			.where(and(eq(schema.services.organisationId, organisation.id), eq(schema.services.code, input.service)));
		if (!service) throw new SourceError(`queue '${queue}': '${input.service}' is not a service of ${organisation.code}`);
		let teamId: number | null = null;
		if (input.team) {
			const [team] = await tx
				.select()
				.from(schema.teams)
				.where(and(eq(schema.teams.serviceId, service.id), eq(schema.teams.code, input.team)));
			if (!team) throw new SourceError(`queue '${queue}': '${input.team}' is not a team of ${organisation.code} ${service.code}`);
			teamId = team.id;
		}
		const [before] = await tx
			.select()
			.from(schema.queueMappings)
			.where(and(eq(schema.queueMappings.organisationId, organisation.id), eq(schema.queueMappings.queue, queue)));
		if (before && before.serviceId === service.id && before.teamId === teamId) return false;
		const after = { queue, service: service.code, team: input.team || null };
		if (before) await tx.update(schema.queueMappings).set({ serviceId: service.id, teamId }).where(eq(schema.queueMappings.id, before.id));
		else await tx.insert(schema.queueMappings).values({ organisationId: organisation.id, queue, serviceId: service.id, teamId });
		await audit.record(tx, { ...audit.audited(by), action: before ? 'update' : 'create', entity: 'queue_mapping', entityId: queue, organisationId: organisation.id, before: before ?? undefined, after });
		return true;
	});
}

export async function removeQueue(db: Database, by: Actor, id: number): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [before] = await tx.delete(schema.queueMappings).where(eq(schema.queueMappings.id, id)).returning();
		if (before) await audit.record(tx, { ...audit.audited(by), action: 'delete', entity: 'queue_mapping', entityId: before.queue, organisationId: before.organisationId, before });
		return before !== undefined;
	});
}
