import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertStreams, STREAMS_PER_PERSON, type Sources } from '../../src/lib/server/alerts/streams.ts';
import { signature } from '../../src/lib/server/alerts/queue.ts';
import type { Viewer } from '../../src/lib/server/auth/access.ts';
import * as users from '../../src/lib/server/auth/users.ts';
import { systemActor } from '../../src/lib/server/audit/record.ts';
import type { Database, DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { seedReference, type Reference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

describe.each(engines)('live alert streams on $name', (engine) => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let reference: Reference;
	let queries: { signature: number; enabled: number };
	let hub: AlertStreams;

	/** The database's own checks, counted. */
	const counted: Sources = {
		signature: (database, viewer) => (queries.signature++, signature(database, viewer)),
		enabled: (database, ids) => (queries.enabled++, realEnabled(database, ids))
	};
	let realEnabled: Sources['enabled'];

	beforeEach(async () => {
		handle = await engine.open();
		db = handle.db;
		reference = await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
		queries = { signature: 0, enabled: 0 };
		realEnabled = (new AlertStreams() as unknown as { sources: Sources }).sources.enabled;
		// Checked by hand (check()), never by the timer.
		hub = new AlertStreams(counted, 3_600_000);
	});
	afterEach(() => handle.dispose());

	async function person(id: string, role: schema.Role, teams: string[] = []): Promise<Viewer> {
		const county = reference.organisation('county');
		await db.insert(schema.users).values({ id, name: id, email: `${id}@example.test`, role, organisationId: county.id });
		for (const team of teams) await db.insert(schema.userTeams).values({ userId: id, teamId: county.team(team) });
		return { id, name: id, email: `${id}@example.test`, role, organisationId: county.id, teamIds: teams.map((t) => county.team(t)) };
	}
	const listener = () => {
		const got = { sent: [] as string[], closed: false };
		return { got, send: (text: string) => got.sent.push(text), close: () => (got.closed = true) };
	};
	let raisedCount = 0;
	async function raiseAlert() {
		const county = reference.organisation('county');
		const [standard] = await db.select({ id: schema.standards.id }).from(schema.standards).limit(1);
		await db.insert(schema.alerts).values({ organisationId: county.id, standardId: standard!.id, teamId: county.team('cc-correspondence'), level: 'breach', subjectKey: `test ${++raisedCount}` });
	}

	it('runs one query per scope each interval, however many streams are open, and tells every stream of a change', async () => {
		const managers = [await person('m1', 'manager'), await person('m2', 'manager')];
		const lead = await person('lead', 'team-lead', ['cc-correspondence']);
		const open = [...managers, ...managers, ...managers, lead, lead].map((viewer) => {
			const l = listener();
			expect(hub.open(db, viewer, l)).not.toBeNull();
			return l;
		});
		expect(hub.size).toBe(8);
		await hub.check();
		// Two scopes (managers see every team; the lead their own): each read once as it opened, and
		// once a round, with one check of who is still enabled.
		expect(queries).toEqual({ signature: 4, enabled: 1 });
		await raiseAlert();
		await hub.check();
		expect(queries).toEqual({ signature: 6, enabled: 2 });
		for (const l of open) expect(l.got.sent).toEqual([expect.stringMatching(/^event: alerts\ndata: \{"signature":"\d+:1:0"\}\n\n$/)]);
	});

	it(`refuses a person's stream beyond ${STREAMS_PER_PERSON}, and takes one again once one closes`, async () => {
		const lead = await person('lead', 'team-lead', ['cc-correspondence']);
		const other = await person('other', 'team-lead', ['cc-correspondence']);
		const closers = Array.from({ length: STREAMS_PER_PERSON }, () => hub.open(db, lead, listener()));
		expect(closers.every(Boolean)).toBe(true);
		expect(hub.open(db, lead, listener())).toBeNull();
		expect(hub.open(db, other, listener())).not.toBeNull();
		closers[0]!();
		closers[0]!(); // closing twice frees one place, not two
		expect(hub.open(db, lead, listener())).not.toBeNull();
		expect(hub.open(db, lead, listener())).toBeNull();
	});

	it('ends the streams of a person disabled since they opened them, and sends them nothing more', async () => {
		const lead = await person('lead', 'team-lead', ['cc-correspondence']);
		const colleague = await person('colleague', 'team-lead', ['cc-correspondence']);
		const theirs = listener();
		const kept = listener();
		hub.open(db, lead, theirs);
		hub.open(db, colleague, kept);
		await hub.check();
		await users.update(db, lead.id, { disabled: true }, systemActor('test'));
		await raiseAlert();
		await hub.check();
		expect(theirs.got).toEqual({ sent: [], closed: true });
		expect(kept.got.sent).toHaveLength(1);
		expect(hub.size).toBe(1);
		await raiseAlert();
		await hub.check();
		expect(theirs.got.sent).toEqual([]);
		expect(kept.got.sent).toHaveLength(2);
	});
});
