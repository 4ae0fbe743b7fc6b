/**
 * Recording when Electoral Services published a monthly notice of alteration or the revised
 * register (the /duties page's "Record publication"): the notice's publication date (ES02 judges
 * it on time or late) or the register duty's done date. Audited, in the same transaction.
 */
import { and, eq, sql } from 'drizzle-orm';
import { getCalendar } from '../../engine/calendar.ts';
import { addMonthsClamped } from '../../engine/dates.ts';
import { DUTY_NAMES, isNoticeMonth, monthlyNoticeDue, noticeCutOff, registerPublicationDue } from '../../engine/duties.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { organisationOf } from './indicator-definitions.ts';
import { polls } from './indicator-results.ts';

export type Publication = { duty: 'es.monthly-notice'; month: string } | { duty: 'es.register-publication'; canvassYear: number };

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayName = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const long = (date: string) => dayName.format(new Date(`${date}T00:00:00Z`));

/** The form's value for an occurrence ('es.monthly-notice:2026-02-01', 'es.register-publication:2025') read back; null when it is neither. */
export function publicationOf(value: string): Publication | null {
	let match = /^es\.monthly-notice:(\d{4}-\d{2})-01$/.exec(value);
	if (match && isNoticeMonth(`${match[1]}-01`)) return { duty: 'es.monthly-notice', month: `${match[1]}-01` };
	match = /^es\.register-publication:(\d{4})$/.exec(value);
	if (match) return { duty: 'es.register-publication', canvassYear: Number(match[1]) };
	return null;
}

export const describePublication = (p: Publication) =>
	p.duty === 'es.monthly-notice' ? `the notice of alteration for ${monthName.format(new Date(`${p.month}T00:00:00Z`))}` : `the revised register of the ${p.canvassYear} canvass`;

/**
 * Records the publication; a RangeError (with a message for the form) when the date cannot be
 * right: in the future, or before the notice's month began (a month earlier) or the canvass began.
 * Returns whether anything changed (the same date again changes nothing).
 */
export async function recordPublication(db: Database, input: { organisation: string; publication: Publication; publishedOn: string; today: string; actor: audit.Actor }): Promise<boolean> {
	const { publication: p, publishedOn } = input;
	if (publishedOn > input.today) throw new RangeError('The date published must be today or in the past');
	const calendar = getCalendar('england-wales');
	const organisation = await organisationOf(db, input.organisation);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		if (p.duty === 'es.monthly-notice') {
			const earliest = addMonthsClamped(p.month, -1);
			if (publishedOn < earliest) throw new RangeError(`The date published must be on or after ${long(earliest)} for ${describePublication(p)}`);
			const [before] = await t.select().from(schema.registerNotices).where(and(eq(schema.registerNotices.organisationId, organisation.id), eq(schema.registerNotices.month, p.month)));
			if (before?.publishedOn === publishedOn) return false;
			if (before) await t.update(schema.registerNotices).set({ publishedOn }).where(eq(schema.registerNotices.id, before.id));
			else {
				const dueOn = monthlyNoticeDue(p.month, calendar).dueOn;
				await t.insert(schema.registerNotices).values({ organisationId: organisation.id, month: p.month, cutOffOn: noticeCutOff(dueOn, calendar), dueOn, publishedOn });
			}
			// The same notice recorded as a duty too (as the demo does) says the same.
			await t.execute(sql`update duties set done_on = ${publishedOn}::date where organisation_id = ${organisation.id} and code = 'es.monthly-notice' and anchor_on = ${p.month}::date`);
			await audit.record(t, {
				...audit.audited(input.actor),
				action: before ? 'update' : 'create',
				entity: 'register_notice',
				entityId: p.month,
				organisationId: organisation.id,
				before: before ? { publishedOn: before.publishedOn } : undefined,
				after: { month: p.month, publishedOn }
			});
			return true;
		}
		const start = `${p.canvassYear}-07-01`;
		if (publishedOn < start) throw new RangeError(`The date published must be on or after ${long(start)}, when the ${p.canvassYear} canvass began`);
		const [service] = await rows<{ id: number }>(t, sql`select id from services where organisation_id = ${organisation.id} and code = 'electoral'`);
		if (!service) throw new RangeError(`${organisation.name} has no electoral service (code electoral), so it publishes no register`);
		const occurrence = `Revised register ${p.canvassYear}`;
		const code = 'es.register-publication';
		const [before] = await t.select().from(schema.duties).where(and(eq(schema.duties.organisationId, organisation.id), eq(schema.duties.code, code), eq(schema.duties.occurrence, occurrence)));
		if (before?.doneOn === publishedOn) return false;
		const dueOn = registerPublicationDue(p.canvassYear, await polls(t, organisation.id)).dueOn;
		if (before) await t.update(schema.duties).set({ doneOn: publishedOn, dueOn, anchorOn: start }).where(eq(schema.duties.id, before.id));
		else await t.insert(schema.duties).values({ organisationId: organisation.id, serviceId: Number(service.id), code, occurrence, anchorOn: start, dueOn, doneOn: publishedOn });
		await audit.record(t, {
			...audit.audited(input.actor),
			action: before ? 'update' : 'create',
			entity: 'duty',
			entityId: `${code}:${p.canvassYear}`,
			organisationId: organisation.id,
			before: before ? { doneOn: before.doneOn } : undefined,
			after: { duty: DUTY_NAMES[code], occurrence, doneOn: publishedOn }
		});
		return true;
	});
}
