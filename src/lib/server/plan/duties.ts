/**
 * Periodic duties: what was recorded (duties, the notices of alteration) merged with what the
 * engine says was due (register publication, monthly notices, polling district reviews), each
 * occurrence's due date computed by the engine from its anchor and judged met / late / due / overdue.
 */
import { sql } from 'drizzle-orm';
import { getCalendar } from '../../engine/calendar.ts';
import { addCalendarDays, localDate } from '../../engine/dates.ts';
import { DUTY_CODES, DUTY_NAMES, dutyDue, dutyStatus, expectedDuties, isDutyCode, type DutyCode, type DutyStatus } from '../../engine/duties.ts';
import { rows, type Database } from '../db/client.ts';
import { organisationOf } from './indicator-definitions.ts';
import { polls } from './indicator-results.ts';

/** One occurrence of a periodic duty. */
export interface DutyOccurrence {
	code: DutyCode;
	/** 'Monthly notice of alteration' */
	duty: string;
	/** 'Notice of alteration March 2026', 'Cabinet 2026-03-04' */
	occurrence: string;
	service: string | null;
	anchorOn: string;
	dueOn: string;
	/** Why it is due then (the engine's rule). */
	reason: string;
	doneOn: string | null;
	status: DutyStatus;
	/** Working or calendar days late (done late, or overdue now); null when met or not yet due. */
	daysLate: number | null;
	notes: string | null;
}

/** The occurrences of one kind of duty, with their counts. */
export interface DutyGroup {
	code: DutyCode;
	duty: string;
	occurrences: DutyOccurrence[];
	met: number;
	late: number;
	due: number;
	overdue: number;
	/** The next occurrence not yet done (soonest due), if any. */
	next: DutyOccurrence | null;
}

/** Every periodic duty occurrence due from..to (inclusive local dates) for an organisation, newest last. */
export async function list(db: Database, options: { organisation: string; from: string; to: string; today?: string }): Promise<DutyOccurrence[]> {
	const today = options.today ?? localDate(new Date());
	const organisation = await organisationOf(db, options.organisation);
	const calendar = getCalendar('england-wales');
	const pollDates = await polls(db, organisation.id);
	const context = { calendar, polls: pollDates };

	// Recorded occurrences: the duties table, plus the notices of alteration as published.
	const recorded = await rows<{ code: string; occurrence: string; anchor_on: string | null; due_on: string; done_on: string | null; notes: string | null; service: string | null }>(
		db,
		sql`select d.code, d.occurrence, d.anchor_on::text, d.due_on::text, d.done_on::text, d.notes, s.name as service
			from duties d left join services s on s.id = d.service_id
			where d.organisation_id = ${organisation.id}
				and d.due_on between ${options.from}::date - 400 and ${options.to}::date + 400
			union all
			select 'es.monthly-notice', 'Notice of alteration', n.month::text, n.due_on::text, n.published_on::text, null, null
			from register_notices n
			where n.organisation_id = ${organisation.id} and n.month between ${options.from}::date - 40 and ${options.to}::date + 40`
	);

	const byKey = new Map<string, DutyOccurrence>();
	const add = (occurrence: DutyOccurrence) => {
		const key = `${occurrence.code}:${occurrence.anchorOn}:${occurrence.code.startsWith('ds.') ? occurrence.occurrence : ''}`;
		const existing = byKey.get(key);
		// A notice recorded twice (as a duty and as a register notice) keeps its earliest done date.
		if (existing) {
			if (occurrence.doneOn && (!existing.doneOn || occurrence.doneOn < existing.doneOn)) existing.doneOn = occurrence.doneOn;
			existing.notes ??= occurrence.notes;
			existing.service ??= occurrence.service;
			if (!occurrence.occurrence.startsWith('Notice of alteration') || existing.occurrence === 'Notice of alteration') existing.occurrence = occurrence.occurrence;
			return;
		}
		byKey.set(key, occurrence);
	};
	const occurrenceOf = (code: DutyCode, anchorOn: string, occurrence: string, doneOn: string | null, notes: string | null, service: string | null): DutyOccurrence => {
		const due = dutyDue(code, anchorOn, context);
		return { code, duty: DUTY_NAMES[code], occurrence, service, anchorOn, dueOn: due.dueOn, reason: due.reason, doneOn, status: 'due', daysLate: null, notes };
	};

	// Electoral registration is the borough's (district's) function: only a council with an electoral service owes these.
	const electoral = await rows<{ id: number }>(db, sql`select id from services where organisation_id = ${organisation.id} and code = 'electoral'`);
	for (const expected of electoral.length ? expectedDuties({ from: options.from, to: options.to }, context) : []) {
		add({ code: expected.code, duty: DUTY_NAMES[expected.code], occurrence: expected.occurrence, service: null, anchorOn: expected.anchorOn, dueOn: expected.dueOn, reason: expected.reason, doneOn: null, status: 'due', daysLate: null, notes: null });
	}
	for (const row of recorded) {
		if (!isDutyCode(row.code)) continue;
		const anchorOn = row.anchor_on ?? legacyAnchor(row.code, row.due_on, row.occurrence);
		add(occurrenceOf(row.code, anchorOn, row.occurrence, row.done_on, row.notes, row.service));
	}

	const out = [...byKey.values()].filter((o) => o.dueOn >= options.from && o.dueOn <= options.to);
	for (const o of out) {
		o.status = dutyStatus(o.dueOn, o.doneOn, today);
		const end = o.status === 'late' ? o.doneOn! : o.status === 'overdue' ? today : null;
		o.daysLate = end === null ? null : Math.max(0, o.code.startsWith('ds.') || o.code === 'es.monthly-notice' ? calendar.workingDaysBetween(o.dueOn, end) : daysBetween(o.dueOn, end));
	}
	return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.occurrence.localeCompare(b.occurrence));
}

/** The occurrences grouped per duty type, in the order of DUTY_CODES, with counts and the next one due. */
export function groups(occurrences: readonly DutyOccurrence[]): DutyGroup[] {
	return DUTY_CODES.map((code) => {
		const mine = occurrences.filter((o) => o.code === code);
		const count = (status: DutyStatus) => mine.filter((o) => o.status === status).length;
		return {
			code,
			duty: DUTY_NAMES[code],
			occurrences: mine,
			met: count('met'),
			late: count('late'),
			due: count('due'),
			overdue: count('overdue'),
			next: mine.find((o) => o.doneOn === null) ?? null
		};
	}).filter((g) => g.occurrences.length > 0);
}

/** Rows recorded before duties carried an anchor: infer it from the recorded due date. */
function legacyAnchor(code: DutyCode, dueOn: string, occurrence: string): string {
	switch (code) {
		case 'es.register-publication':
		case 'es.canvass':
			return `${dueOn.slice(0, 4)}-07-01`;
		case 'es.monthly-notice':
			return `${dueOn.slice(0, 7)}-01`;
		case 'es.polling-review':
			return `${Number(dueOn.slice(0, 4)) - 2}-10-01`;
		default:
			// Per-meeting duties were named '<committee> <meeting date>'.
			return /\d{4}-\d{2}-\d{2}$/.exec(occurrence)?.[0] ?? dueOn;
	}
}

function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** For each duty type, the next occurrence not yet done (looking up to six years ahead, and back a year for overdue ones). */
export async function nextDue(db: Database, options: { organisation: string; today?: string }): Promise<DutyOccurrence[]> {
	const today = options.today ?? localDate(new Date());
	const year = Number(today.slice(0, 4));
	const all = await list(db, { organisation: options.organisation, from: addCalendarDays(today, -366), to: `${year + 6}-12-31`, today });
	return DUTY_CODES.flatMap((code) => all.find((o) => o.code === code && o.doneOn === null) ?? []);
}

/** The duties page: the next occurrence due of each duty, and the year's occurrences grouped per duty type. */
export async function register(db: Database, options: { organisation: string; from: string; to: string; today?: string }): Promise<{ next: DutyOccurrence[]; groups: DutyGroup[]; today: string }> {
	const today = options.today ?? localDate(new Date());
	const [next, occurrences] = await Promise.all([nextDue(db, { organisation: options.organisation, today }), list(db, { ...options, today })]);
	return { next, groups: groups(occurrences), today };
}
