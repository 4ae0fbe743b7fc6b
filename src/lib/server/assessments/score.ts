import { assess, type Assessment, type ContactFacts } from '../../engine/assess.ts';
import { clockStartMs } from '../../engine/clock.ts';
import type { Pause } from '../../engine/deadline.ts';
import { PAUSE_REASONS, type PauseReason } from '../../engine/events.ts';
import { fromEpochDay, localEpochDay, startOfLocalDayMs, toEpochDay } from '../../engine/dates.ts';
import type { AssessmentStatus } from '../db/schema/assessments.ts';

import type { PlannedStandard, PlannedVersion, ScoringPlan } from './plan.ts';

/** A contact as the job reads it: instants as epoch ms. */
export interface ContactRecord {
	id: number;
	organisationId: number;
	serviceId: number;
	teamId: number | null;
	contactType: string;
	receivedAt: number;
	clockStartAt: number | null;
	firstResponseAt: number | null;
	waitSeconds: number | null;
	abandoned: boolean | null;
	extended: boolean;
	events: ContactEventRecord[];
	/** Done dates of duties tied to this contact, by standard code (a meeting's agenda publication). */
	duties?: Map<string, string>;
}

export interface ContactEventRecord {
	kind: string;
	at: number;
	until: number | null;
	detail: Record<string, unknown> | null;
}

/** One row of the assessments table, as the upsert sends it (snake_case: it goes out as JSON). */
export interface AssessmentRecord {
	organisation_id: number;
	contact_id: number;
	standard_id: number;
	standard_version_id: number;
	service_id: number;
	team_id: number | null;
	clock_start_on: string;
	due_at: string | null;
	responded_at: string | null;
	status: AssessmentStatus;
	elapsed: number | null;
	margin: number | null;
	unit: string;
	fingerprint: string;
}

/** The kind of a stored pause (detail.kind), when it says; else the standard's own kind of pause. */
function pauseReasonOf(detail: Record<string, unknown> | null): PauseReason | null {
	const kind = detail?.kind;
	return typeof kind === 'string' && (PAUSE_REASONS as readonly string[]).includes(kind) ? (kind as PauseReason) : null;
}

/** The engine's clock facts of a stored contact (its events turned into restarts, pauses, an extension). */
export function contactFacts(contact: ContactRecord): ContactFacts {
	const restarts: Date[] = [];
	const pauses: Pause[] = [];
	let extensionWorkingDays: number | null = null;
	for (const event of contact.events) {
		if (event.kind === 'restart') restarts.push(new Date(event.at));
		// A pause with no end yet (a fee notice unpaid, a clarification awaited) stops the clock.
		else if (event.kind === 'pause') pauses.push({ from: new Date(event.at), to: event.until === null ? null : new Date(event.until), reason: pauseReasonOf(event.detail) });
		else if (event.kind === 'extension' && typeof event.detail?.workingDays === 'number') extensionWorkingDays = event.detail.workingDays;
	}
	return {
		receivedAt: new Date(contact.receivedAt),
		clockStartAt: contact.clockStartAt === null ? null : new Date(contact.clockStartAt),
		restarts,
		pauses,
		extended: contact.extended,
		extensionWorkingDays,
		respondedAt: contact.firstResponseAt === null ? null : new Date(contact.firstResponseAt),
		waitSeconds: contact.waitSeconds,
		abandoned: contact.abandoned
	};
}

/** The version in force at the contact's clock start (effectiveFrom <= local start date < effectiveTo). */
function versionInForce(versions: readonly PlannedVersion[], facts: ContactFacts): { version: PlannedVersion; startDay: number } | null {
	for (const version of versions) {
		const startDay = localEpochDay(clockStartMs(facts, version.rules));
		if (startDay >= version.fromDay && (version.toDay === null || startDay < version.toDay)) return { version, startDay };
	}
	return null;
}


/** A standard's verdict on a contact under the version in force at its clock start. */
export interface VersionVerdict {
	standard: PlannedStandard;
	version: PlannedVersion;
	/** Local date the clock started under this version (epoch day). */
	startDay: number;
	/** The clock facts scored: the contact's, or for an agenda the linked duty's done date as the response. */
	facts: ContactFacts;
	result: Assessment;
}

/**
 * The engine's verdict on a contact under every standard that applies to it, as at `now`; the
 * one path both the job (no explanation) and the contact page (explain) take.
 */
export function assessContact(contact: ContactRecord, plan: ScoringPlan, options: { now: Date; explain: boolean }): VersionVerdict[] {
	const standards = plan.standardsFor(contact.organisationId, contact.serviceId, contact.contactType);
	if (standards.length === 0) return [];
	const facts = contactFacts(contact);
	const out: VersionVerdict[] = [];
	for (const standard of standards) {
		const found = versionInForce(standard.versions, facts);
		if (!found) continue;
		const { version, startDay } = found;
		let scored = facts;
		if (version.rules.rule.kind === 'clear-working-days-before') {
			// Published before the event: kept by the linked duty's done date (a meeting's agenda), not the contact's response.
			const done = contact.duties?.get(standard.code);
			scored = { ...facts, respondedAt: done ? new Date(startOfLocalDayMs(toEpochDay(done))) : null };
		}
		const result = assess(scored, version.standard, {
			now: options.now,
			explain: options.explain,
			nonWorkingStartIsNextWorkingDay: version.nonWorkingStartIsNextWorkingDay
		});
		out.push({ standard, version, startDay, facts: scored, result });
	}
	return out;
}

/**
 * A contact's verdict against every standard that applies to it. Open contacts are stored as
 * 'open' without elapsed time or margin (they depend on the time of asking; due_at lets SQL
 * tell at-risk and overdue), so scoring the same contact twice gives the same rows.
 */
export function scoreContact(contact: ContactRecord, plan: ScoringPlan): AssessmentRecord[] {
	// Stored verdicts depend on the time only through a lapse (a fee notice unpaid past three
	// months: FOIA s.9(2)); open contacts are stored as 'open', whether at risk or overdue.
	return assessContact(contact, plan, { now: new Date(), explain: false }).map(({ standard, version, startDay, facts, result }) => {
		const status: AssessmentStatus = result.status === 'at-risk' || result.status === 'overdue' ? 'open' : result.status;
		const open = status === 'open';
		return {
			organisation_id: contact.organisationId,
			contact_id: contact.id,
			standard_id: standard.id,
			standard_version_id: version.id,
			service_id: contact.serviceId,
			team_id: contact.teamId,
			clock_start_on: fromEpochDay(startDay),
			due_at: result.dueAt ? result.dueAt.toISOString() : null,
			responded_at: open ? null : (facts.respondedAt?.toISOString() ?? null),
			status,
			elapsed: open ? null : result.elapsed,
			margin: open ? null : result.margin,
			unit: result.unit,
			fingerprint: version.fingerprint
		};
	});
}
