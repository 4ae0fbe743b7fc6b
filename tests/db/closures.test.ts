import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import * as closures from '../../src/lib/server/standards/closures.ts';
import { seedReference, type Reference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';

const admin = { actorId: null, actor: 'admin@example.gov.uk' };

describe.each(engines)('council closure days on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let reference: Reference;

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		reference = await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-11-24T12:00:00Z') });
		const county = reference.organisation('county');
		const email = (ref: string, received: string, responded: string | null) => ({
			organisationId: county.id,
			serviceId: county.service('customer'),
			teamId: county.team('cc-correspondence'),
			contactType: 'email' as const,
			source: 'test',
			externalRef: ref,
			receivedAt: new Date(received),
			firstResponseAt: responded ? new Date(responded) : null
		});
		await db.insert(schema.contacts).values([
			// Open, received Monday 2 November 2026: due Thu 5 Nov; a closure on Wed 4 Nov moves it to Fri 6 Nov.
			email('OPEN', '2026-11-02T10:00:00Z', null),
			// Answered Fri 6 Nov: late now, on time once Wed 4 Nov is a closure day — but closed results stay unless asked.
			email('CLOSED', '2026-11-02T10:00:00Z', '2026-11-06T10:00:00Z'),
			// Long before: untouched.
			email('EARLIER', '2026-10-01T10:00:00Z', '2026-10-02T10:00:00Z')
		]);
		await assessments.scoreAll(db);
	});
	afterEach(() => database.dispose());

	const verdicts = async () =>
		Object.fromEntries(
			(
				await rows<{ ref: string; status: string; due: string }>(
					db,
					sql`select c.external_ref as ref, a.status, to_char(a.due_at at time zone 'Europe/London', 'YYYY-MM-DD') as due
						from assessments a join contacts c on c.id = a.contact_id order by 1`
				)
			).map((r) => [r.ref, `${r.status} ${r.due}`])
		);

	it('shows which contacts a closure day touches, then re-scores the open ones (and the closed ones only when asked), audited', async () => {
		expect(await verdicts()).toEqual({ OPEN: 'open 2026-11-05', CLOSED: 'breached 2026-11-05', EARLIER: 'met 2026-10-06' });
		const county = reference.organisation('county');
		const affected = await closures.affectedBy(db, county.id, '2026-11-04');
		expect(affected).toMatchObject({ open: 1, closed: 1 });
		expect(affected.sample.map((s) => s.reference).sort()).toEqual(['CLOSED', 'OPEN']);

		await closures.add(db, admin, { organisation: 'county', date: '2026-11-04', reason: 'Office move' });
		await closures.rescore(db, { organisationId: county.id, date: '2026-11-04', closedToo: false });
		expect(await verdicts()).toEqual({ OPEN: 'open 2026-11-06', CLOSED: 'breached 2026-11-05', EARLIER: 'met 2026-10-06' });

		await closures.rescore(db, { organisationId: county.id, date: '2026-11-04', closedToo: true });
		expect(await verdicts()).toEqual({ OPEN: 'open 2026-11-06', CLOSED: 'met 2026-11-06', EARLIER: 'met 2026-10-06' });

		const [day] = await db.select().from(schema.closureDays).where(eq(schema.closureDays.date, '2026-11-04'));
		await expect(closures.add(db, admin, { organisation: 'county', date: '2026-11-04', reason: 'Again' })).rejects.toThrow(/already a closure day/);
		await closures.remove(db, admin, day!.id);
		const logged = await db.select().from(schema.auditLog).where(eq(schema.auditLog.entity, 'closure_day'));
		expect(logged.map((entry) => entry.action)).toEqual(['create', 'delete']);
	});
});
