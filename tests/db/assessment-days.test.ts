import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';

/** The daily counts as stored, and as a scan of every assessment would give them. */
async function compare(db: Database) {
	const key = sql`organisation_id, standard_id, service_id, team, clock_start_on`;
	const [row] = await rows<{ stored: string; scanned: string; days: number }>(
		db,
		sql`select
			(select md5(coalesce(string_agg(concat_ws('|', ${key}, met, breached, open, excluded), ',' order by ${key}), ''))
				from (select *, coalesce(team_id, 0) as team from assessment_days) d where met <> 0 or breached <> 0 or open <> 0 or excluded <> 0) as stored,
			(select md5(coalesce(string_agg(concat_ws('|', ${key}, met, breached, open, excluded), ',' order by ${key}), '')) from (
				select ${key}, count(*) filter (where status = 'met') as met, count(*) filter (where status = 'breached') as breached,
					count(*) filter (where status = 'open') as open, count(*) filter (where status = 'excluded') as excluded
				from (select *, coalesce(team_id, 0) as team from assessments) a group by ${key}) s) as scanned,
			(select count(*)::int from assessment_days) as days`
	);
	return row!;
}

describe.each(engines)('daily assessment counts on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	beforeAll(async () => {
		database = await engine.open();
		await seed(database.db, { asOf: new Date('2026-11-24T12:00:00Z'), contacts: 3000, properties: 200 });
		await assessments.scoreAll(database.db);
	}, 240_000);
	afterAll(() => database?.dispose());

	it('equal a scan of the assessments after scoring', async () => {
		const { stored, scanned, days } = await compare(database.db);
		expect(days).toBeGreaterThan(100);
		expect(stored).toBe(scanned);
	});

	it('follow every update and delete of assessments', async () => {
		const db = database.db;
		// A contact answered, a verdict moved to another team and day, some verdicts removed.
		await db.execute(sql`update assessments set status = 'met' where id in (select id from assessments where status = 'open' order by id limit 5)`);
		await db.execute(sql`update assessments set team_id = null, clock_start_on = clock_start_on + 1 where id in (select id from assessments order by id desc limit 7)`);
		await db.execute(sql`delete from assessments where id in (select id from assessments where status = 'breached' order by id limit 3)`);
		const { stored, scanned } = await compare(db);
		expect(stored).toBe(scanned);
	});

	it('equal a scan after a full re-score', async () => {
		await assessments.rescore(database.db, { force: true });
		const { stored, scanned } = await compare(database.db);
		expect(stored).toBe(scanned);
	});
});
