import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows, type Database } from '../../src/lib/server/db/client.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { seed, seedIfEmpty } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';

const asOf = new Date('2026-11-24T12:00:00Z');
const small = { asOf, contacts: 4000, properties: 300 };

/** A fingerprint of everything that would differ between two runs of the generator. */
async function fingerprint(db: Database) {
	const [row] = await rows<Record<string, string>>(
		db,
		sql`select
			(select md5(string_agg(concat_ws('|', o.code, s.code, t.code, c.contact_type, c.source, c.external_ref, c.requester, c.subject,
				c.received_at, c.clock_start_at, c.first_response_at, c.resolved_at, c.wait_seconds, c.abandoned, c.extended, c.status), ',' order by c.source, c.external_ref))
				from contacts c join organisations o on o.id = c.organisation_id join services s on s.id = c.service_id left join teams t on t.id = c.team_id) as contacts,
			(select md5(string_agg(concat_ws('|', e.kind, e.at, e.until, e.detail::text), ',' order by e.at, e.kind)) from contact_events e) as events,
			(select md5(string_agg(concat_ws('|', canvass_year, property_ref, route, contacted_on, responded_on, response_method), ',' order by canvass_year, property_ref)) from canvass_properties) as canvass,
			(select md5(string_agg(concat_ws('|', change_ref, kind, determined_on, notice_id is null), ',' order by change_ref)) from register_changes) as changes,
			(select md5(string_agg(concat_ws('|', code, occurrence, due_on, done_on), ',' order by code, occurrence)) from duties) as duties`
	);
	return row!;
}

describe.each(engines)('demo data on $name', (engine) => {
	it('is deterministic: the same seed gives the same rows, another seed different ones', async () => {
		const [first, second, other] = await Promise.all([engine.open(), engine.open(), engine.open()]);
		try {
			await seed(first.db, { ...small, seed: 'test' });
			await seed(second.db, { ...small, seed: 'test' });
			await seed(other.db, { ...small, seed: 'another' });
			const a = await fingerprint(first.db);
			expect(await fingerprint(second.db)).toEqual(a);
			expect((await fingerprint(other.db)).contacts).not.toEqual(a.contacts);
		} finally {
			await Promise.all([first.dispose(), second.dispose(), other.dispose()]);
		}
	});

	it('generates exactly the number of contacts asked for, across both councils and every contact type', async () => {
		const database = await engine.open();
		try {
			const summary = await seed(database.db, { ...small, contacts: 6000 });
			expect(summary.contacts).toBe(6000);
			const counts = await rows<{ organisation: string; types: string; total: string }>(
				database.db,
				sql`select o.code as organisation, string_agg(distinct c.contact_type, ',' order by c.contact_type) as types, count(*) as total
					from contacts c join organisations o on o.id = c.organisation_id group by o.code order by o.code`
			);
			expect(counts.map((row) => row.organisation)).toEqual(['borough', 'county']);
			expect(counts.reduce((sum, row) => sum + Number(row.total), 0)).toBe(6000);
			expect(counts[0]!.types.split(',')).toEqual(
				expect.arrayContaining(['absent-vote', 'email', 'enquiry', 'foi', 'governance', 'meeting', 'registration'])
			);
			expect(counts[1]!.types.split(',')).toEqual(
				expect.arrayContaining(['callback', 'complaint', 'email', 'foi', 'info', 'letter', 'message', 'phone'])
			);
		} finally {
			await database.dispose();
		}
	});

	it('scores each contact as it is stored, exactly as the assessment job would: scoring it again changes nothing', async () => {
		const [loaded, unscored] = await Promise.all([engine.open(), engine.open()]);
		try {
			const summary = await seed(loaded.db, small);
			expect(summary.scored.contacts).toBe(4000);
			expect(summary.scored.assessments).toBeGreaterThan(2000);
			expect(summary.scored.changed).toBe(summary.scored.assessments);
			const again = await assessments.scoreAll(loaded.db);
			expect(again).toMatchObject({ contacts: 4000, assessments: summary.scored.assessments, changed: 0, removed: 0 });
			// The same demo loaded without scoring, then scored by the job, stores the same verdicts.
			await seed(unscored.db, { ...small, score: false });
			expect((await assessments.scoreAll(unscored.db)).changed).toBe(summary.scored.assessments);
			const verdicts = (db: Database) =>
				rows<{ digest: string }>(
					db,
					sql`select md5(string_agg(concat_ws('|', c.source, c.external_ref, s.code, a.clock_start_on, a.due_at, a.responded_at, a.status, a.elapsed, a.margin, a.fingerprint), ',' order by c.source, c.external_ref, s.code)) as digest
						from assessments a join contacts c on c.id = a.contact_id join standards s on s.id = a.standard_id`
				);
			expect(await verdicts(loaded.db)).toEqual(await verdicts(unscored.db));
		} finally {
			await Promise.all([loaded.dispose(), unscored.dispose()]);
		}
	});

	it('seeds only an empty database, and refuses to seed over existing data', async () => {
		const database = await engine.open();
		try {
			expect(await seedIfEmpty(database.db, small)).not.toBeNull();
			expect(await seedIfEmpty(database.db, small)).toBeNull();
			await expect(seed(database.db, small)).rejects.toThrow(/already holds data/);
		} finally {
			await database.dispose();
		}
	});
});
