import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as ingest from '../../src/lib/server/ingest/index.ts';
import { seedReference } from '../../src/lib/server/seed/reference.ts';
import { deferred, engines, someoneWaitsOnALock } from '../support/databases.ts';

/**
 * The statement keys (migration 0022, docs/architecture.md "Statement keys"): what the foreign keys on
 * contacts, verdicts and alerts held, held now by a check of each statement's rows together.
 */
const refused = (key: string) => ({ cause: expect.objectContaining({ code: '23503', message: expect.stringContaining(`"${key}"`) }) });

async function one<T>(db: Database, query: ReturnType<typeof sql>): Promise<T> {
	const [row] = await rows<Record<string, unknown>>(db, query);
	return row as T;
}

/** Each organisation's first team (by code), with its service. */
async function places(db: Database) {
	const found = await rows<{ organisation: string; organisation_id: number; service_id: number; team_id: number }>(
		db,
		sql`select distinct on (o.code) o.code as organisation, o.id as organisation_id, t.service_id, t.id as team_id
			from teams t join organisations o on o.id = t.organisation_id order by o.code, t.code`
	);
	const by = Object.fromEntries(found.map((p) => [p.organisation, { organisation: Number(p.organisation_id), service: Number(p.service_id), team: Number(p.team_id) }]));
	return { borough: by.borough!, county: by.county! };
}

const contactCount = async (db: Database) => Number((await one<{ n: number }>(db, sql`select count(*)::int as n from contacts`)).n);

describe.each(engines)('the keys of contacts, verdicts and alerts on $name', (engine) => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	beforeAll(async () => {
		handle = await engine.open();
		await seedReference(handle.db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
		await ingest.importFile(handle.db, 'tests/fixtures/ingest/valid.csv', { actor: 'test' });
	});
	afterAll(() => handle?.dispose());

	it('refuses a contact whose service or team is another organisation’s, stored or changed, and keeps nothing of that statement', async () => {
		const db = handle.db;
		const { borough, county } = await places(db);
		const before = await contactCount(db);
		const insert = (rowsSql: ReturnType<typeof sql>) =>
			db.execute(sql`insert into contacts (organisation_id, service_id, team_id, contact_type, source, external_ref, received_at) values ${rowsSql}`);

		// One good row and one with the county's team under the borough: neither is stored.
		await expect(insert(sql`(${borough.organisation}, ${borough.service}, ${borough.team}, 'email', 'keys', 'K-1', now()),
			(${borough.organisation}, ${borough.service}, ${county.team}, 'email', 'keys', 'K-2', now())`)).rejects.toMatchObject(refused('contacts_team_key'));
		await expect(insert(sql`(${borough.organisation}, ${county.service}, null, 'email', 'keys', 'K-3', now())`)).rejects.toMatchObject(refused('contacts_service_key'));
		expect(await contactCount(db)).toBe(before);

		// No team refers to nothing, as with a foreign key.
		await insert(sql`(${borough.organisation}, ${borough.service}, ${borough.team}, 'email', 'keys', 'K-1', now()), (${borough.organisation}, ${borough.service}, null, 'email', 'keys', 'K-4', now())`);
		expect(await contactCount(db)).toBe(before + 2);

		await expect(db.execute(sql`update contacts set team_id = ${county.team} where source = 'keys' and external_ref = 'K-1'`)).rejects.toMatchObject(refused('contacts_team_key'));
		const kept = await one<{ team_id: number }>(db, sql`select team_id from contacts where source = 'keys' and external_ref = 'K-1'`);
		expect(Number(kept.team_id)).toBe(borough.team);
		// An update that leaves the keys alone goes through.
		await db.execute(sql`update contacts set subject = 'Checked' where source = 'keys'`);
	});

	it('refuses a verdict for a standard version that does not exist, and an alert for a standard, team or organisation that does not exist', async () => {
		const db = handle.db;
		const verdict = await one<{ id: number; version: number }>(db, sql`select id, standard_version_id as version from assessments order by id limit 1`);
		await expect(db.execute(sql`update assessments set standard_version_id = 999999 where id = ${verdict.id}`)).rejects.toMatchObject(refused('assessments_version_key'));
		const contact = await one<{ id: number; organisation_id: number; team_id: number | null }>(db, sql`select id, organisation_id, team_id from contacts order by id limit 1`);
		const standard = await one<{ id: number }>(db, sql`select id from standards where organisation_id = ${contact.organisation_id} order by id limit 1`);
		const alert = (organisation: number, standardId: number, team: number | null) =>
			db.execute(sql`insert into alerts (organisation_id, contact_id, standard_id, team_id, level) values (${organisation}, ${contact.id}, ${standardId}, ${team}, 'amber')`);
		await expect(alert(999999, Number(standard.id), null)).rejects.toMatchObject(refused('alerts_organisation_key'));
		await expect(alert(Number(contact.organisation_id), 999999, null)).rejects.toMatchObject(refused('alerts_standard_key'));
		await expect(alert(Number(contact.organisation_id), Number(standard.id), 999999)).rejects.toMatchObject(refused('alerts_team_key'));
		await alert(Number(contact.organisation_id), Number(standard.id), null);
		const [stored] = await rows<{ n: number }>(db, sql`select count(*)::int as n from alerts where contact_id = ${contact.id} and level = 'amber'`);
		expect(Number(stored!.n)).toBe(1);
	});

	it('refuses to delete, or move to another organisation, a team, service or standard version still referenced; a rename, or a row no one references, goes through', async () => {
		const db = handle.db;
		const { borough, county } = await places(db);
		await expect(db.execute(sql`delete from teams where id = ${borough.team}`)).rejects.toMatchObject(refused('contacts_team_key'));
		await expect(db.execute(sql`update teams set organisation_id = ${county.organisation}, service_id = ${county.service} where id = ${borough.team}`)).rejects.toMatchObject(
			refused('contacts_team_key')
		);
		await db.execute(sql`update teams set name = 'Renamed' where id = ${borough.team}`);

		const referenced = await one<{ id: number }>(db, sql`select standard_version_id as id from assessments limit 1`);
		await expect(db.execute(sql`delete from standard_versions where id = ${referenced.id}`)).rejects.toMatchObject(refused('assessments_version_key'));
		// No foreign key refers to the versions: a TRUNCATE, which fires no delete trigger, is refused on its own.
		await expect(db.execute(sql`truncate standard_versions cascade`)).rejects.toMatchObject(refused('assessments_version_key'));
		expect(await rows(db, sql`select 1 from standard_versions`)).not.toHaveLength(0);

		// A team of its own: no contact, alert, user or queue refers to it.
		const spare = await one<{ id: number }>(
			db,
			sql`insert into teams (organisation_id, service_id, code, name) values (${borough.organisation}, ${borough.service}, 'spare', 'Spare') returning id`
		);
		await db.execute(sql`update teams set organisation_id = ${county.organisation}, service_id = ${county.service} where id = ${spare.id}`);
		await db.execute(sql`delete from teams where id = ${spare.id}`);
		expect(await rows(db, sql`select 1 from teams where id = ${spare.id}`)).toHaveLength(0);
	});
});

const postgres = engines.find((e) => e.name === 'PostgreSQL');

describe.skipIf(!postgres)('a team deleted while contacts of it are being stored, on PostgreSQL', () => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	beforeAll(async () => {
		handle = await postgres!.open();
		await seedReference(handle.db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
	});
	afterAll(() => handle?.dispose());

	async function newTeam(db: Database, code: string): Promise<{ id: number; organisation: number; service: number }> {
		const { borough } = await places(db);
		const team = await one<{ id: number }>(
			db,
			sql`insert into teams (organisation_id, service_id, code, name) values (${borough.organisation}, ${borough.service}, ${code}, ${code}) returning id`
		);
		return { id: Number(team.id), organisation: borough.organisation, service: borough.service };
	}

	const contactOf = (db: Database, team: { id: number; organisation: number; service: number }, ref: string) =>
		db.execute(sql`insert into contacts (organisation_id, service_id, team_id, contact_type, source, external_ref, received_at)
			values (${team.organisation}, ${team.service}, ${team.id}, 'email', 'keys', ${ref}, now())`);

	/**
	 * Runs `first` in a transaction kept open until `second`, started after it, waits on a lock; then
	 * commits it, and gives what `second` came to: its result, or its error.
	 */
	async function secondWaitsForFirst(db: Database, first: (tx: Database) => Promise<unknown>, second: () => Promise<unknown>): Promise<unknown> {
		const held = deferred();
		const done = deferred();
		const holding = db.transaction(async (tx) => {
			await first(tx);
			done.resolve();
			await held.promise;
		});
		await done.promise;
		const outcome = second().then(
			(value) => value,
			(error: unknown) => error
		);
		await someoneWaitsOnALock(db);
		held.resolve();
		await holding;
		return outcome;
	}

	it('waits for the import that stores them, then is refused: the contacts keep their team', async () => {
		const db = handle.db;
		const team = await newTeam(db, 'racing');
		const outcome = await secondWaitsForFirst(
			db,
			(tx) => contactOf(tx, team, 'RACE-1'),
			() => db.execute(sql`delete from teams where id = ${team.id}`)
		);
		expect(outcome).toMatchObject(refused('contacts_team_key'));
		expect(await rows(db, sql`select 1 from teams where id = ${team.id}`)).toHaveLength(1);
	});

	it('is not stored against once the delete that came first commits: the insert waits for it, then is refused', async () => {
		const db = handle.db;
		const team = await newTeam(db, 'gone');
		const outcome = await secondWaitsForFirst(
			db,
			(tx) => tx.execute(sql`delete from teams where id = ${team.id}`),
			() => contactOf(db, team, 'GONE-1')
		);
		expect(outcome).toMatchObject(refused('contacts_team_key'));
		expect(await rows(db, sql`select 1 from contacts where external_ref = 'GONE-1'`)).toHaveLength(0);
	});
});
