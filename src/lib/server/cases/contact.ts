/**
 * One contact's page (/contacts/[id]): its details, the timeline of its clock, and each
 * standard's verdict recomputed now with the engine's explanation. Outside the viewer's organisation
 * or teams the contact is not found.
 *
 *   import * as contactPage from '$lib/server/cases/contact.ts';
 *   const found = await contactPage.contact(db, id, caseScope(viewer));
 */
import { PAUSE_NAMES, type PauseReason } from '../../engine/events.ts';
import { sql } from 'drizzle-orm';
import type { Assessment } from '../../engine/assess.ts';
import { fromEpochDay } from '../../engine/dates.ts';
import { describeRule } from '../../engine/rules.ts';
import * as assessments from '../assessments/index.ts';
import type { CaseScope } from '../auth/access.ts';
import { epochMs, fromEpochMs, rows, type Database } from '../db/client.ts';
import { withinCaseScope } from '../directory/scope.ts';

export interface TimelineEntry {
	at: Date;
	/** End of a pause (inclusive day). */
	until: Date | null;
	what: string;
	detail: string | null;
}

export interface ContactAssessment {
	standard: { code: string; title: string; statutory: boolean; source: string };
	version: { number: number; effectiveFrom: string; wording: string; limit: string };
	/** The engine's verdict now: open ones may be at risk or overdue. */
	status: Assessment['status'];
	/** The stored verdict, when it differs from the engine's now (the contact awaits re-scoring). */
	staleStatus: string | null;
	clockStartOn: string;
	dueAt: Date | null;
	elapsed: number | null;
	margin: number | null;
	unit: Assessment['unit'];
	explanation: string[];
}

export interface ContactPage {
	id: number;
	reference: string;
	source: string;
	contactType: string;
	subject: string | null;
	organisation: { code: string; name: string };
	service: string;
	team: string | null;
	status: string;
	receivedAt: Date;
	clockStartAt: Date | null;
	firstResponseAt: Date | null;
	resolvedAt: Date | null;
	extended: boolean;
	waitSeconds: number | null;
	abandoned: boolean | null;
	/**
	 * PERSONAL DATA: the requester's name, and nothing else about them. This is the only place the
	 * dashboard reads it; the sign-in issue restricts it (never to committee viewers).
	 */
	personal: { requester: string | null };
	timeline: TimelineEntry[];
	assessments: ContactAssessment[];
}

/**
 * One contact: its details, the timeline of its clock, and each standard's verdict with the
 * engine's explanation, recomputed now with the plan and calendars the assessment job uses.
 */
export async function contact(db: Database, id: number, visible: CaseScope, now = new Date()): Promise<ContactPage | null> {
	// Outside the viewer's organisation or teams, the contact does not exist for them (404, not 403: no hint that it does).
	const allowed = withinCaseScope(visible, 'c');
	const [found] = await rows<Record<string, unknown>>(
		db,
		sql`select c.id, c.external_ref, c.source, c.contact_type, c.subject, c.requester, c.status, c.extended, c.wait_seconds, c.abandoned,
				${epochMs('c.received_at')} as received_ms, ${epochMs('c.clock_start_at')} as clock_start_ms,
				${epochMs('c.first_response_at')} as first_response_ms, ${epochMs('c.resolved_at')} as resolved_ms,
				o.code as organisation_code, o.name as organisation_name, s.name as service, t.name as team
			from contacts c
			join organisations o on o.id = c.organisation_id
			join services s on s.id = c.service_id
			left join teams t on t.id = c.team_id
			where c.id = ${id} and ${allowed}`
	);
	if (!found) return null;
	const [events, stored, plan, record, catalogue] = await Promise.all([
		rows<{ kind: string; at_ms: number; until_ms: number | null; detail: unknown }>(
			db,
			sql`select kind, ${epochMs('at')} as at_ms, ${epochMs('until')} as until_ms, detail from contact_events where contact_id = ${id} order by at, id`
		),
		rows<{ standard_version_id: number; status: string; standard_code: string; title: string; statutory: boolean; source: string; version: number; effective_from: string; wording: string; clock_start_on: string; due_ms: number | null; margin: number | null; elapsed: number | null; unit: string }>(
			db,
			sql`select a.standard_version_id, a.status, s.code as standard_code, s.title, s.statutory, s.source, v.version,
					v.effective_from::text as effective_from, v.wording, a.clock_start_on::text as clock_start_on,
					${epochMs('a.due_at')} as due_ms, a.margin::float8 as margin, a.elapsed::float8 as elapsed, a.unit
				from assessments a join standards s on s.id = a.standard_id join standard_versions v on v.id = a.standard_version_id
				where a.contact_id = ${id} order by s.code`
		),
		assessments.loadPlan(db),
		assessments.loadContactRecord(db, id),
		rows<{ id: number; version: number; effective_from: string; wording: string; title: string; statutory: boolean; source: string }>(
			db,
			sql`select v.id, v.version, v.effective_from::text as effective_from, v.wording, s.title, s.statutory, s.source
				from standard_versions v join standards s on s.id = v.standard_id
				where v.organisation_id = (select organisation_id from contacts where id = ${id})`
		)
	]);

	const verdicts = record ? assessments.assessContact(record, plan, { now, explain: true }) : [];
	const storedByVersion = new Map(stored.map((row) => [Number(row.standard_version_id), row]));
	const versionOf = new Map(catalogue.map((v) => [Number(v.id), v]));

	const scored: ContactAssessment[] = verdicts.map(({ standard, version, startDay, result }) => {
		const row = storedByVersion.get(version.id);
		storedByVersion.delete(version.id);
		const about = versionOf.get(version.id)!;
		const live = result.status === 'at-risk' || result.status === 'overdue' ? 'open' : result.status;
		return {
			standard: { code: standard.code, title: about.title, statutory: about.statutory, source: about.source },
			version: { number: Number(about.version), effectiveFrom: about.effective_from, wording: about.wording, limit: describeRule(version.rules.rule) },
			status: result.status,
			staleStatus: !row ? 'not scored yet' : row.status !== live ? row.status : null,
			clockStartOn: fromEpochDay(startDay),
			dueAt: result.dueAt,
			elapsed: result.elapsed,
			margin: result.margin,
			unit: result.unit,
			explanation: result.explanation
		};
	});
	// Stored verdicts under a standard that no longer applies to the contact, until the job removes them.
	for (const row of storedByVersion.values()) {
		scored.push({
			standard: { code: row.standard_code, title: row.title, statutory: row.statutory, source: row.source },
			version: { number: Number(row.version), effectiveFrom: row.effective_from, wording: row.wording, limit: '' },
			status: row.status as Assessment['status'],
			staleStatus: 'no longer applies',
			clockStartOn: row.clock_start_on,
			dueAt: fromEpochMs(row.due_ms),
			elapsed: row.elapsed === null ? null : Number(row.elapsed),
			margin: row.margin === null ? null : Number(row.margin),
			unit: row.unit as Assessment['unit'],
			explanation: []
		});
	}

	return {
		id: Number(found.id),
		reference: String(found.external_ref),
		source: String(found.source),
		contactType: String(found.contact_type),
		subject: (found.subject as string | null) ?? null,
		organisation: { code: String(found.organisation_code), name: String(found.organisation_name) },
		service: String(found.service),
		team: (found.team as string | null) ?? null,
		status: String(found.status),
		receivedAt: fromEpochMs(found.received_ms as number)!,
		clockStartAt: fromEpochMs(found.clock_start_ms as number | null),
		firstResponseAt: fromEpochMs(found.first_response_ms as number | null),
		resolvedAt: fromEpochMs(found.resolved_ms as number | null),
		extended: Boolean(found.extended),
		waitSeconds: found.wait_seconds === null ? null : Number(found.wait_seconds),
		abandoned: (found.abandoned as boolean | null) ?? null,
		personal: { requester: (found.requester as string | null) ?? null },
		timeline: timeline(found, events),
		assessments: scored.sort((a, b) => a.standard.code.localeCompare(b.standard.code))
	};
}

/** What happened to the contact's clock, in order. */
function timeline(found: Record<string, unknown>, events: { kind: string; at_ms: number; until_ms: number | null; detail: unknown }[]): TimelineEntry[] {
	const entries: TimelineEntry[] = [];
	const add = (ms: unknown, what: string, detail: string | null = null, until: unknown = null) => {
		if (ms !== null && ms !== undefined) entries.push({ at: fromEpochMs(ms as number)!, until: fromEpochMs(until as number | null), what, detail });
	};
	const received = Number(found.received_ms);
	add(received, found.contact_type === 'meeting' ? 'Meeting' : 'Received', (found.subject as string | null) ?? null);
	if (found.clock_start_ms !== null && Number(found.clock_start_ms) > received) add(found.clock_start_ms, 'Clock started', 'All the information needed was received');
	if (found.wait_seconds !== null) {
		const wait = Number(found.wait_seconds);
		const waited = `After ${wait} second${wait === 1 ? '' : 's'} in the queue`;
		// A queued callback is received when the caller chose it: its wait came before.
		if (found.contact_type === 'callback') add(received, 'Caller chose a callback', waited);
		else add(received + wait * 1000, found.abandoned ? 'Caller hung up' : 'Answered', waited);
	}
	for (const event of events) {
		const detail = (typeof event.detail === 'string' ? JSON.parse(event.detail) : event.detail) as Record<string, unknown> | null;
		const reason = typeof detail?.reason === 'string' ? detail.reason : typeof detail?.text === 'string' ? detail.text : null;
		if (event.kind === 'pause') {
			// The pause's kind (engine/events.ts) in words: "Clock paused: fee notice to payment", "…: clarification asked, not yet answered".
			const kind = typeof detail?.kind === 'string' && Object.hasOwn(PAUSE_NAMES, detail.kind) ? PAUSE_NAMES[detail.kind as PauseReason] : null;
			const what = event.until_ms === null ? `Clock paused (not yet resumed${kind ? `: ${kind.open}` : ''})` : `Clock paused${kind ? ` (${kind.paused})` : ''}`;
			add(event.at_ms, what, reason, event.until_ms);
		}
		else if (event.kind === 'restart') add(event.at_ms, 'Clock restarted', reason);
		else if (event.kind === 'extension') {
			const by = typeof detail?.workingDays === 'number' ? `${detail.workingDays} working days` : typeof detail?.months === 'number' ? `${detail.months} months` : null;
			add(event.at_ms, 'Time extended', [by ? `By ${by}` : null, reason].filter(Boolean).join(': ') || null);
		} else add(event.at_ms, 'Note', reason);
	}
	add(found.first_response_ms, 'Responded');
	add(found.resolved_ms, 'Closed');
	return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}
