import { and, eq, inArray } from 'drizzle-orm';
import { addCalendarDays, fromEpochDay, localEpochDay } from '../../engine/dates.ts';
import { parseQuarter } from '../../engine/periods.ts';
import type { Database } from '../db/client.ts';
import * as indicatorDefinitions from '../plan/indicator-definitions.ts';
import * as schema from '../db/schema/index.ts';
import type { Reference } from './reference.ts';

/**
 * What the Electoral Services Manager told the Management Board about each indicator, quarter by
 * quarter (the demo's made-up story: the July 2024 general election fell in the canvass, so the
 * 2024 register was published on 1 February; the 2025 canvass fell short after two vacancies).
 */
const COMMENTARY: { indicator: string; quarter: string; body: string }[] = [
	{ indicator: 'ES01', quarter: '2024/25-Q2', body: 'The canvass started late because of the general election on 4 July. Route 2 forms went out in August; the register will be published on 1 February 2025, as the law allows after a poll in the canvass.' },
	{ indicator: 'ES01', quarter: '2024/25-Q3', body: 'Reminders and door-to-door canvassing completed in November. The return is ahead of target with publication still to come.' },
	{ indicator: 'ES01', quarter: '2024/25-Q4', body: 'Revised register published on 1 February 2025. Final Route 2 return above the 90% target.' },
	{ indicator: 'ES01', quarter: '2025/26-Q2', body: 'Two canvasser vacancies left three polling districts without a door-knocking round in September. Extra reminder letters sent to those districts.' },
	{ indicator: 'ES01', quarter: '2025/26-Q3', body: 'Register published on 1 December 2025. The Route 2 return finished below target: the districts without a door-knocking round returned least. Canvasser recruitment for 2026 starts in April.' },
	{ indicator: 'ES01', quarter: '2026/27-Q2', body: 'Full canvasser team in place and e-mail canvass forms sent to every Route 2 property with an address on file. Returns are ahead of last year at the same point.' },
	{ indicator: 'ES02', quarter: '2024/25-Q1', body: 'All three notices published on the first working day and every change determined before the cut-off included, despite the general election workload.' },
	{ indicator: 'ES02', quarter: '2024/25-Q4', body: 'The March 2025 notice was published a working day late and three changes determined before its cut-off were left out, while the team prepared for the county elections. A reconciliation of determinations against the notice is now done before each publication.' },
	{ indicator: 'ES02', quarter: '2025/26-Q1', body: 'Every notice on time and complete since the reconciliation check was introduced.' },
	{ indicator: 'ES02', quarter: '2025/26-Q4', body: 'One change determined on the cut-off day was left out of the February 2026 notice; every notice was published on its date.' },
	{ indicator: 'ES02', quarter: '2026/27-Q1', body: 'All notices on time and complete through the borough elections.' },
	{ indicator: 'es.registration', quarter: '2024/25-Q1', body: 'Applications more than trebled before the general election registration deadline on 18 June; confirmations slipped past 5 working days for about two weeks. Customer Service Centre staff helped with data entry.' },
	{ indicator: 'es.registration', quarter: '2026/27-Q1', body: 'Borough elections in May: temporary staff recruited in March kept confirmations within 5 working days for most of the pre-election peak.' },
	{ indicator: 'es.email', quarter: '2025/26-Q3', body: 'Canvass queries peaked in October; the shared mailbox is now triaged twice a day.' }
];

/** Adds the demo commentary for every quarter that has closed, written by the demo manager at the board meeting. */
export async function seedCommentary(tx: Database, reference: Reference, asOf: Date) {
	const borough = reference.organisation('borough');
	const today = fromEpochDay(localEpochDay(asOf.getTime()));
	const codes = [...new Set(COMMENTARY.map((c) => c.indicator))];
	// Standards become indicators on first use; make them now so their commentary has a home.
	await indicatorDefinitions.ensureStandardIndicators(tx, borough.id);
	const indicators = await tx
		.select({ id: schema.indicators.id, code: schema.indicators.code })
		.from(schema.indicators)
		.where(and(eq(schema.indicators.organisationId, borough.id), inArray(schema.indicators.code, codes)));
	const idOf = new Map(indicators.map((i) => [i.code, i.id]));
	const [manager] = await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.role, 'manager')).limit(1);
	const values = COMMENTARY.flatMap((c) => {
		const q = parseQuarter(c.quarter);
		const boardOn = addCalendarDays(q.end, 10);
		const indicatorId = idOf.get(c.indicator);
		if (boardOn > today || indicatorId === undefined) return [];
		return [{ organisationId: borough.id, indicatorId, financialYear: q.startYear, quarter: q.quarter, body: c.body, authorId: manager?.id ?? null, createdAt: new Date(`${boardOn}T09:30:00Z`) }];
	});
	if (values.length) await tx.insert(schema.indicatorCommentary).values(values);
}
