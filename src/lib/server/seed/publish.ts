import { eq } from 'drizzle-orm';
import { fromEpochDay, localEpochDay } from '../../engine/dates.ts';
import { previousQuarter, quarterOf } from '../../engine/periods.ts';
import * as audit from '../audit/record.ts';
import { demoUsers } from '../auth/demo.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import * as reports from '../reports/index.ts';

/**
 * Publishes each demo organisation's last committee report (the half year ended before `asOf`), as
 * the demo's performance manager would have: call after the demo is scored. Returns the titles.
 */
export async function publishDemoReports(db: Database, asOf: Date = new Date()): Promise<string[]> {
	const today = fromEpochDay(localEpochDay(asOf.getTime()));
	// Committee reports close the half years: Q2 (30 September) and Q4 (31 March).
	let quarter = previousQuarter(quarterOf(today));
	while (quarter.quarter !== 2 && quarter.quarter !== 4) quarter = previousQuarter(quarter);
	const manager = demoUsers.find((user) => user.role === 'manager')!;
	const [person] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, manager.email));
	const by = person ? audit.actorOf({ id: person.id, email: manager.email, name: manager.name }) : audit.systemActor('seed');
	const titles: string[] = [];
	for (const organisation of await reports.organisationCodes(db)) {
		const report = await reports.build(db, { organisation, kind: 'committee', financialYear: quarter.startYear, quarter: quarter.quarter }, asOf);
		await reports.publish(db, report, by);
		titles.push(`${report.organisation.name}, ${report.title}`);
	}
	return titles;
}
