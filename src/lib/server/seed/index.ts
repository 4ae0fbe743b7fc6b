import { sql } from 'drizzle-orm';
import { getCalendar } from '../../engine/calendar.ts';
import { fromEpochDay, localEpochDay } from '../../engine/dates.ts';
import { financialYearOf } from '../../engine/periods.ts';
import { refreshStatistics, type Database } from '../db/client.ts';
import { insertMany } from '../db/bulk.ts';
import * as schema from '../db/schema/index.ts';
import { generateContacts, type DemoContact } from './contacts.ts';
import { generateMeetings } from './democratic.ts';
import { generateCanvass, generateNotices } from './electoral.ts';
import { demoOrganisations } from './organisations.ts';
import { seedReference, type Reference } from './reference.ts';
import { seedDemoUsers } from '../auth/demo.ts';
import { registerPublicationDue } from '../../engine/duties.ts';
import { seedCommentary } from './commentary.ts';
import { feedbackFor, writeActions, writeFeedback, type DemoFeedback } from './feedback.ts';
import { Random } from './random.ts';
import * as assessments from '../assessments/index.ts';
import { demoElections } from './seasons.ts';

export interface SeedOptions {
	/** Same seed and asOf, same rows. */
	seed?: string;
	/** The demo's "now": data runs from two full financial years before up to this instant. */
	asOf?: Date;
	/** Total contacts to generate (benchmarks); the natural demo volume when absent. */
	contacts?: number;
	/** Properties in the borough's canvass (ES01). */
	properties?: number;
	log?: (line: string) => void;
	/** Score each contact as it is stored (default); false leaves scoring to the assessment job (its benchmark). */
	score?: boolean;
}

export interface SeedSummary {
	from: string;
	asOf: Date;
	contacts: number;
	contactEvents: number;
	meetings: number;
	canvassProperties: number;
	registerChanges: number;
	seconds: number;
	/** The verdicts written as the contacts were stored (none with `score: false`). */
	scored: assessments.JobSummary;
}

export const DEFAULT_SEED = 'yardstick-demo';

/** Seeds the demo only when the database holds no organisation yet. */
export async function seedIfEmpty(db: Database, options: SeedOptions = {}): Promise<SeedSummary | null> {
	if (!(await isEmpty(db))) return null;
	options.log?.('Empty database: loading the demo data (this takes a minute the first time)…');
	return seed(db, options);
}

export async function isEmpty(db: Database): Promise<boolean> {
	const found = await db.select({ id: schema.organisations.id }).from(schema.organisations).limit(1);
	return found.length === 0;
}

/**
 * Fills an empty database with the demo councils: two full financial years and the current one
 * so far. All in one transaction, so a failure leaves the database empty, never half-seeded.
 */
export async function seed(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
	const started = performance.now();
	const seedText = options.seed ?? DEFAULT_SEED;
	const asOf = options.asOf ?? new Date();
	const log = options.log ?? (() => {});
	const today = fromEpochDay(localEpochDay(asOf.getTime()));
	const from = `${financialYearOf(today).startYear - 2}-04-01`;
	if (!(await isEmpty(db))) {
		throw new Error('The database already holds data: the demo is only loaded into an empty database.');
	}

	const summary = await db.transaction(async (tx) => {
		const reference = await seedReference(tx, { from, asOf });
		log(`  councils, services, teams, standards, calendars: done`);
		await seedDemoUsers(tx);
		log(`  demo users, one per role (shown on the sign-in page): done`);

		const meetings = generateMeetings(seedText, from, asOf);
		let contacts = 0;
		let contactEvents = 0;
		const scored = assessments.emptySummary();
		const plan = options.score === false ? null : await assessments.loadPlan(tx);
		const writer = new ContactWriter(tx, reference, plan, scored);
		const total = options.contacts === undefined ? undefined : Math.max(0, options.contacts - meetings.filter((m) => m.contact).length);
		// Customer feedback on its own random stream, so the contacts stay what they were.
		const feedbackRandom = new Random(`${seedText}:feedback`);
		const feedback: DemoFeedback[] = [];
		for (const contact of generateContacts({ seed: seedText, from, asOf, total })) {
			const given = feedbackFor(feedbackRandom, contact, asOf);
			if (given) feedback.push(given);
			await writer.add(contact);
			if (++contacts % 100_000 === 0) log(`  contacts: ${contacts.toLocaleString('en-GB')}…`);
		}
		for (const meeting of meetings) if (meeting.contact) await writer.add(meeting.contact), contacts++;
		contactEvents = await writer.flush();
		log(`  contacts: ${contacts.toLocaleString('en-GB')} (with ${contactEvents} clock events)`);
		await writeFeedback(tx, reference, feedback);
		await writeActions(tx, reference, asOf);
		log(`  customer feedback: ${feedback.length.toLocaleString('en-GB')} survey answers, complaints and compliments; "you said, we did" actions`);

		const meetingContacts = await seedMeetingDuties(tx, reference, meetings);
		// A meeting's agenda is judged by its published duty, stored just now: scored from the database.
		if (plan) assessments.addSummary(scored, await assessments.scoreContacts(tx, meetingContacts, { concurrency: 1 }));
		if (plan) log(`  ${assessments.describeSummary(scored)}`);
		const electoral = await seedElectoral(tx, reference, seedText, from, asOf, options.properties ?? 18_000);
		await seedCommentary(tx, reference, asOf);
		log(`  canvass properties: ${electoral.properties.toLocaleString('en-GB')}; register changes: ${electoral.changes.toLocaleString('en-GB')}`);

		await tx.insert(schema.auditLog).values({
			actor: 'seed',
			action: 'seed',
			entity: 'database',
			after: { seed: seedText, asOf: asOf.toISOString(), contacts }
		});
		const seconds = (performance.now() - started) / 1000;
		log(`Demo data loaded in ${seconds.toFixed(1)} s (data up to ${today}).`);
		return {
			from,
			asOf,
			contacts,
			contactEvents,
			meetings: meetings.length,
			canvassProperties: electoral.properties,
			registerChanges: electoral.changes,
			seconds,
			scored
		};
	});
	await refreshStatistics(db);
	return summary;
}

const BATCH = 5000;

/**
 * Buffers contacts and writes them in multi-row inserts, then their clock events; with a scoring
 * plan, then their verdicts, computed from the contacts in hand (meetings excepted: their duties
 * come later).
 */
class ContactWriter {
	#rows: DemoContact[] = [];
	#events = 0;
	constructor(
		private tx: Database,
		private reference: Reference,
		private plan: assessments.ScoringPlan | null,
		private scored: assessments.JobSummary
	) {}

	async add(contact: DemoContact) {
		this.#rows.push(contact);
		if (this.#rows.length >= BATCH) await this.#write();
	}

	async flush(): Promise<number> {
		await this.#write();
		return this.#events;
	}

	async #write() {
		if (this.#rows.length === 0) return;
		const rows = this.#rows;
		this.#rows = [];
		const values = rows.map((c) => {
			const organisation = this.reference.organisation(c.organisation);
			return {
				organisationId: organisation.id,
				serviceId: organisation.service(c.service),
				teamId: organisation.team(c.team),
				contactType: c.contactType,
				source: c.source,
				externalRef: c.externalRef,
				requester: c.requester,
				subject: c.subject,
				receivedAt: c.receivedAt,
				clockStartAt: c.clockStartAt,
				firstResponseAt: c.firstResponseAt,
				resolvedAt: c.resolvedAt,
				waitSeconds: c.waitSeconds,
				abandoned: c.abandoned,
				extended: c.extended,
				status: c.status
			};
		});
		if (!this.plan && rows.every((c) => c.events.length === 0)) {
			await insertMany(this.tx, schema.contacts, values);
			return;
		}
		const inserted = await insertMany<typeof schema.contacts, { id: number; organisationId: number; externalRef: string }>(
			this.tx, schema.contacts, values, { returning: ['id', 'organisationId', 'externalRef'] }
		);
		const byReference = new Map(inserted.map((row) => [`${row.organisationId}:${row.externalRef}`, Number(row.id)]));
		const ids = values.map((v) => byReference.get(`${v.organisationId}:${v.externalRef}`)!);
		const events = rows.flatMap((c, i) => c.events.map((event) => ({ organisationId: values[i]!.organisationId, contactId: ids[i]!, ...event })));
		if (events.length > 0) await insertMany(this.tx, schema.contactEvents, events);
		this.#events += events.length;
		if (!this.plan) return;
		const stored: assessments.ContactRecord[] = [];
		rows.forEach((c, i) => {
			if (c.contactType === 'meeting') return;
			const v = values[i]!;
			stored.push({
				id: ids[i]!,
				organisationId: v.organisationId,
				serviceId: v.serviceId,
				teamId: v.teamId ?? null,
				contactType: c.contactType,
				receivedAt: c.receivedAt.getTime(),
				clockStartAt: c.clockStartAt?.getTime() ?? null,
				firstResponseAt: c.firstResponseAt?.getTime() ?? null,
				waitSeconds: c.waitSeconds,
				abandoned: c.abandoned,
				extended: c.extended,
				// As the job reads them back: in time order.
				events: c.events.map((e) => ({ kind: e.kind, at: e.at.getTime(), until: e.until?.getTime() ?? null, detail: e.detail })).sort((a, b) => a.at - b.at)
			});
		});
		assessments.addSummary(this.scored, await assessments.scoreStored(this.tx, stored, this.plan));
	}
}

/** The meetings' agenda and minutes duties; returns the meeting contacts' ids. */
async function seedMeetingDuties(tx: Database, reference: Reference, meetings: ReturnType<typeof generateMeetings>): Promise<number[]> {
	const borough = reference.organisation('borough');
	const serviceId = borough.service('democratic');
	const refs = meetings.filter((m) => m.contact).map((m) => m.contact!.externalRef);
	const ids = new Map<string, number>();
	for (let i = 0; i < refs.length; i += BATCH) {
		const found = await tx
			.select({ id: schema.contacts.id, ref: schema.contacts.externalRef })
			.from(schema.contacts)
			.where(sql`${schema.contacts.organisationId} = ${borough.id} and ${schema.contacts.source} = 'modgov' and ${schema.contacts.externalRef} in ${refs.slice(i, i + BATCH)}`);
		for (const row of found) ids.set(row.ref, row.id);
	}
	const rows = meetings.flatMap((meeting) => {
		const occurrence = `${meeting.committee} ${meeting.date}`;
		const contactId = meeting.contact ? (ids.get(meeting.contact.externalRef) ?? null) : null;
		const base = { organisationId: borough.id, serviceId, occurrence, contactId };
		return [
			{ ...base, code: 'ds.agenda', anchorOn: meeting.date, dueOn: meeting.agendaDueOn, doneOn: meeting.agendaPublishedOn },
			{ ...base, code: 'ds.minutes', anchorOn: meeting.date, dueOn: meeting.minutesDueOn, doneOn: meeting.minutesPublishedOn }
		];
	});
	await insertMany(tx, schema.duties, rows);
	return [...ids.values()];
}

async function seedElectoral(tx: Database, reference: Reference, seedText: string, from: string, asOf: Date, propertyCount: number) {
	const borough = reference.organisation('borough');
	const serviceId = borough.service('electoral');
	const today = fromEpochDay(localEpochDay(asOf.getTime()));
	const calendar = getCalendar('england-wales');

	let properties = 0;
	let batch: (typeof schema.canvassProperties.$inferInsert)[] = [];
	const canvassDone = new Map<number, string>();
	for (const property of generateCanvass(seedText, Number(from.slice(0, 4)), asOf, propertyCount)) {
		batch.push({ organisationId: borough.id, ...property });
		const last = canvassDone.get(property.canvassYear);
		if (!last || property.contactedOn > last) canvassDone.set(property.canvassYear, property.contactedOn);
		if (batch.length >= BATCH) {
			await insertMany(tx, schema.canvassProperties, batch);
			properties += batch.length;
			batch = [];
		}
	}
	await insertMany(tx, schema.canvassProperties, batch);
	properties += batch.length;

	let changes = 0;
	const duties: (typeof schema.duties.$inferInsert)[] = [];
	for (const notice of generateNotices(seedText, from, asOf)) {
		const [row] = await tx
			.insert(schema.registerNotices)
			.values({ organisationId: borough.id, month: notice.month, cutOffOn: notice.cutOffOn, dueOn: notice.dueOn, publishedOn: notice.publishedOn })
			.returning({ id: schema.registerNotices.id });
		const values = notice.changes.map((change) => ({
			organisationId: borough.id,
			changeRef: change.changeRef,
			kind: change.kind,
			determinedOn: change.determinedOn,
			noticeId: change.included ? row!.id : null
		}));
		await insertMany(tx, schema.registerChanges, values);
		changes += values.length;
		duties.push({ organisationId: borough.id, serviceId, code: 'es.monthly-notice', occurrence: `Notice of alteration ${notice.month.slice(0, 7)}`, anchorOn: notice.month, dueOn: notice.dueOn, doneOn: notice.publishedOn });
	}

	for (const [year, lastContact] of canvassDone) {
		duties.push({ organisationId: borough.id, serviceId, code: 'es.canvass', occurrence: `Canvass ${year}`, anchorOn: `${year}-07-01`, dueOn: `${year}-07-31`, doneOn: lastContact });
	}
	for (let year = Number(from.slice(0, 4)); year <= Number(today.slice(0, 4)); year++) {
		// 1 December, or 1 February after a poll in the canvass (the July 2024 general election).
		const { dueOn } = registerPublicationDue(year, demoElections.map((e) => e.date));
		duties.push({ organisationId: borough.id, serviceId, code: 'es.register-publication', occurrence: `Revised register ${year}`, anchorOn: `${year}-07-01`, dueOn, doneOn: dueOn <= today ? dueOn : null });
	}
	duties.push(
		{ organisationId: borough.id, serviceId, code: 'es.polling-review', occurrence: 'Compulsory review 2023–24', anchorOn: '2023-10-01', dueOn: '2025-01-31', doneOn: calendar.nextWorkingDay('2024-11-12', true), notes: 'Approved by Full Council' },
		{ organisationId: borough.id, serviceId, code: 'es.polling-review', occurrence: 'Compulsory review 2028–29', anchorOn: '2028-10-01', dueOn: '2030-01-31', doneOn: null }
	);
	await tx.insert(schema.duties).values(duties);
	await tx.insert(schema.elections).values(demoElections.filter((e) => e.date >= from).map((e) => ({ organisationId: borough.id, pollOn: e.date, title: e.name })));
	return { properties, changes };
}

export { demoOrganisations };
