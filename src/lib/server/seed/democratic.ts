import { getCalendar } from '../../engine/calendar.ts';
import { fromEpochDay, isoWeekday, localEpochDay, startOfLocalDayMs, toEpochDay } from '../../engine/dates.ts';
import type { DemoContact } from './contacts.ts';
import { Random } from './random.ts';

/** The borough's committee cycle: how often each meets and on which weekday (1 = Monday). */
const committees = [
	{ code: 'COU', name: 'Full Council', everyWeeks: 8, weekday: 3, time: 1110 },
	{ code: 'CAB', name: 'Cabinet', everyWeeks: 4, weekday: 2, time: 1080 },
	{ code: 'PLA', name: 'Planning Committee', everyWeeks: 4, weekday: 4, time: 1110 },
	{ code: 'LIC', name: 'Licensing Committee', everyWeeks: 12, weekday: 1, time: 600 },
	{ code: 'AUD', name: 'Audit and Standards Committee', everyWeeks: 12, weekday: 2, time: 1110 },
	{ code: 'OSC', name: 'Overview and Scrutiny Committee', everyWeeks: 6, weekday: 1, time: 1110 }
] as const;

export interface DemoMeeting {
	contact: DemoContact | null;
	committee: string;
	date: string;
	agendaDueOn: string;
	agendaPublishedOn: string | null;
	minutesDueOn: string;
	minutesPublishedOn: string | null;
}

/**
 * Meetings from the first date to six weeks past asOf (upcoming meetings have agenda duties but
 * no contact yet). No meetings in August or over Christmas.
 */
export function generateMeetings(seed: string, from: string, asOf: Date): DemoMeeting[] {
	const calendar = getCalendar('england-wales');
	const asOfMs = asOf.getTime();
	const today = fromEpochDay(localEpochDay(asOfMs));
	const lastDay = localEpochDay(asOfMs) + 42;
	const meetings: DemoMeeting[] = [];
	for (const committee of committees) {
		const random = new Random(`${seed}:meetings:${committee.code}`);
		let day = toEpochDay(from);
		while (isoWeekday(day) !== committee.weekday) day++;
		day += 7 * random.int(0, committee.everyWeeks - 1);
		for (; day <= lastDay; day += 7 * committee.everyWeeks) {
			const date = fromEpochDay(day);
			const md = date.slice(5);
			if (!calendar.isWorkingDay(date) || date.slice(5, 7) === '08' || md >= '12-18' || md <= '01-06') continue;
			const meetingMs = startOfLocalDayMs(day) + committee.time * 60_000;
			// 5 clear working days: neither the publication day nor the meeting day counts (LGA 1972 s.100B).
			const agendaDueOn = calendar.addWorkingDays(date, -6);
			const agendaLate = random.chance(0.03);
			const agendaPublishedOn = agendaLate
				? calendar.addWorkingDays(agendaDueOn, random.int(1, 2))
				: calendar.addWorkingDays(agendaDueOn, -random.int(0, 2));
			const minutesDueOn = calendar.addWorkingDays(date, 13);
			const minutesDay = random.chance(0.88) ? random.int(4, 13) : random.int(14, 22);
			const minutesOn = calendar.addWorkingDays(date, minutesDay);
			const minutesMs = startOfLocalDayMs(toEpochDay(minutesOn)) + random.int(540, 1020) * 60_000;
			const minutesPublished = minutesMs <= asOfMs;
			const held = meetingMs <= asOfMs;
			meetings.push({
				committee: committee.name,
				date,
				agendaDueOn,
				agendaPublishedOn: agendaPublishedOn <= today ? agendaPublishedOn : null,
				minutesDueOn,
				minutesPublishedOn: held && minutesPublished ? minutesOn : null,
				contact: held
					? {
							organisation: 'borough',
							service: 'democratic',
							team: 'ds-committees',
							contactType: 'meeting',
							source: 'modgov',
							externalRef: `MTG-${committee.code}-${date}`,
							requester: null,
							subject: committee.name,
							receivedAt: new Date(meetingMs),
							clockStartAt: null,
							firstResponseAt: minutesPublished ? new Date(minutesMs) : null,
							resolvedAt: minutesPublished ? new Date(minutesMs) : null,
							waitSeconds: null,
							abandoned: null,
							extended: false,
							status: minutesPublished ? 'closed' : 'open',
							events: []
						}
					: null
			});
		}
	}
	return meetings.sort((a, b) => a.date.localeCompare(b.date) || a.committee.localeCompare(b.committee));
}

