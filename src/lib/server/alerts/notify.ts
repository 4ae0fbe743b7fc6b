/**
 * Notifications about alerts, to each team's leads (users with the team-lead role in that team):
 * - statutory breaches (FOI, subject access: standards marked statutory) at once, one message
 *   per team per evaluation;
 * - a digest of warnings at 08:00 Europe/London on working days (england-wales), one per lead,
 *   grouped by team;
 * - the same to a Microsoft Teams incoming webhook when one is configured.
 *
 * enqueue() writes messages to the outbox (after the evaluator, never during it); deliver()
 * sends them apart from evaluation and retries failures with exponential back-off. Messages
 * carry what a team lead may see on /alerts (reference, promise, team, due), never requester
 * details. Nothing is queued when no channel is configured.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, isNull, lt, lte, sql } from 'drizzle-orm';
import { getCalendar } from '../../engine/calendar.ts';
import { formatDay, formatInstant, fromEpochDay, localEpochDay, localMinuteOfDay } from '../../engine/dates.ts';
import { epochMs, rows, type Database } from '../db/client.ts';
import { alertOutbox } from '../db/schema/alerts.ts';
import { configFromEnv, redactError, type NotifyConfig } from './notify-config.ts';
import { breachMessage, digestMessage, teamsCard, type NotifiedAlert } from './notify-messages.ts';
import { instant } from './sql.ts';

export { configFromEnv, describe, inWords, type NotifyConfig, type NotificationStatus } from './notify-config.ts';

export const DIGEST_MINUTE = 8 * 60; // 08:00 Europe/London
export const MAX_ATTEMPTS = 10;
const BREACH_WINDOW_MS = 24 * 3_600_000; // older breaches (e.g. before SMTP was set up) are not mailed
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

interface AlertRow {
	id: string | number;
	team_id: number | null;
	organisation_id: number;
	team_name: string | null;
	code: string;
	title: string;
	reference: string;
	contact_type: string;
	due_ms: number | null;
}

interface Lead {
	user_id: string;
	email: string;
	name: string;
	team_ids: number[];
}

/** Team leads of teams, with their teams (disabled users never). */
async function leads(db: Database): Promise<Lead[]> {
	return rows<Lead>(
		db,
		sql`select u.id as user_id, u.email, u.name, array_agg(ut.team_id order by ut.team_id) as team_ids
			from users u join user_teams ut on ut.user_id = u.id
			where u.role = 'team-lead' and not u.disabled
			group by u.id, u.email, u.name order by u.id`
	);
}

const hash = (text: string) => createHash('sha1').update(text).digest('base64url').slice(0, 16);
const toAlert = (row: AlertRow): NotifiedAlert => ({
	reference: row.reference,
	contactType: row.contact_type,
	standardCode: row.code,
	standardTitle: row.title,
	team: row.team_name ?? 'No team',
	due: row.due_ms === null ? '' : formatInstant(Number(row.due_ms))
});

/** Queues what the alerts call for as at `now`; returns the number of messages queued. */
export async function enqueue(db: Database, now: Date = new Date(), config: NotifyConfig = configFromEnv()): Promise<number> {
	if (!config.smtp && !config.teamsWebhookUrl) return 0;
	return (await enqueueBreaches(db, now, config)) + (await enqueueDigests(db, now, config));
}

async function enqueueBreaches(db: Database, now: Date, config: NotifyConfig): Promise<number> {
	const breaches = await rows<AlertRow>(
		db,
		sql`select al.id, al.team_id, al.organisation_id, t.name as team_name, s.code, s.title, c.external_ref as reference,
				c.contact_type, ${epochMs('al.due_at')} as due_ms
			from alerts al
			join standards s on s.id = al.standard_id
			join contacts c on c.id = al.contact_id
			left join teams t on t.id = al.team_id
			where al.level = 'breach' and s.statutory and al.notified_at is null and al.cleared_at is null
				and al.raised_at >= ${instant(new Date(now.getTime() - BREACH_WINDOW_MS))}
			order by al.team_id, al.due_at, al.id`
	);
	if (breaches.length === 0) return 0;
	const teamLeads = await leads(db);
	const byTeam = new Map<number | null, AlertRow[]>();
	for (const row of breaches) byTeam.set(row.team_id, [...(byTeam.get(row.team_id) ?? []), row]);
	let queued = 0;
	await db.transaction(async (tx) => {
		for (const [teamId, teamBreaches] of byTeam) {
			const key = `breach:${hash(teamBreaches.map((b) => String(b.id)).join(','))}`;
			const alerts = teamBreaches.map(toAlert);
			const link = `${config.publicUrl}/alerts${teamId === null ? '' : `?team=${teamId}`}`;
			const message = breachMessage(alerts, link);
			const recipients = teamLeads.filter((l) => teamId !== null && l.team_ids.includes(teamId)).map((l) => l.email);
			const organisationId = teamBreaches[0]!.organisation_id;
			if (config.smtp && recipients.length > 0) {
				queued += await queue(tx, now, { organisationId, channel: 'email', dedupeKey: `${key}:email`, recipients, ...message });
			}
			if (config.teamsWebhookUrl) {
				queued += await queue(tx, now, { organisationId, channel: 'teams', dedupeKey: `${key}:teams`, recipients: [], subject: message.subject, text: message.text, payload: teamsCard(message.subject, message.text, link) });
			}
		}
		const ids = JSON.stringify(breaches.map((b) => Number(b.id)));
		await tx.execute(sql`update alerts set notified_at = ${instant(now)} where id in (select value::bigint from jsonb_array_elements_text(${ids}::jsonb))`);
	});
	return queued;
}

async function enqueueDigests(db: Database, now: Date, config: NotifyConfig): Promise<number> {
	const today = localEpochDay(now.getTime());
	if (!getCalendar('england-wales').isWorkingEpochDay(today) || localMinuteOfDay(now.getTime()) < DIGEST_MINUTE) return 0;
	const date = fromEpochDay(today);
	// Warnings still open that have not gone on to a breach (breaches have their own messages).
	const warnings = await rows<AlertRow>(
		db,
		sql`select al.id, al.team_id, al.organisation_id, t.name as team_name, s.code, s.title, c.external_ref as reference,
				c.contact_type, ${epochMs('al.due_at')} as due_ms
			from alerts al
			join standards s on s.id = al.standard_id
			join contacts c on c.id = al.contact_id
			left join teams t on t.id = al.team_id
			where al.level = 'warning' and al.cleared_at is null and al.team_id is not null
				and not exists (select 1 from alerts b where b.contact_id = al.contact_id and b.standard_id = al.standard_id
					and b.level in ('breach', 'very-overdue'))
			order by t.name, al.due_at, al.id`
	);
	if (warnings.length === 0) return 0;
	const link = `${config.publicUrl}/alerts?level=warning`;
	let queued = 0;
	await db.transaction(async (tx) => {
		if (config.smtp) {
			for (const lead of await leads(tx)) {
				const mine = warnings.filter((w) => lead.team_ids.includes(w.team_id as number));
				if (mine.length === 0) continue;
				const message = digestMessage(mine.map(toAlert), formatDay(today), link);
				queued += await queue(tx, now, { organisationId: null, channel: 'email', dedupeKey: `digest:${date}:${lead.user_id}`, recipients: [lead.email], ...message });
			}
		}
		if (config.teamsWebhookUrl) {
			const message = digestMessage(warnings.map(toAlert), formatDay(today), link);
			queued += await queue(tx, now, { organisationId: null, channel: 'teams', dedupeKey: `digest:${date}:teams`, recipients: [], subject: message.subject, text: message.text, payload: teamsCard(message.subject, message.text, link) });
		}
	});
	return queued;
}

async function queue(db: Database, now: Date, message: typeof alertOutbox.$inferInsert): Promise<number> {
	const inserted = await db.insert(alertOutbox).values({ ...message, nextAttemptAt: now }).onConflictDoNothing({ target: alertOutbox.dedupeKey }).returning({ id: alertOutbox.id });
	return inserted.length;
}

export interface DeliverySummary {
	sent: number;
	failed: number;
}

/** Sends what is due in the outbox; a failure is retried later (1 min, 2, 4, … up to 6 h), up to MAX_ATTEMPTS. */
export async function deliver(db: Database, config: NotifyConfig = configFromEnv(), now: Date = new Date()): Promise<DeliverySummary> {
	const summary: DeliverySummary = { sent: 0, failed: 0 };
	if (!config.smtp && !config.teamsWebhookUrl) return summary;
	const due = await db
		.select()
		.from(alertOutbox)
		.where(and(isNull(alertOutbox.sentAt), lte(alertOutbox.nextAttemptAt, now), lt(alertOutbox.attempts, MAX_ATTEMPTS)))
		.orderBy(asc(alertOutbox.id))
		.limit(50);
	if (due.length === 0) return summary;
	// Loaded only to send: an import that queues alerts (yardstick import) never needs it (15 MB resident).
	const transport = config.smtp
		? (await import('nodemailer')).default.createTransport({ ...config.smtp, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 })
		: null;
	try {
		for (const message of due) {
			try {
				if (message.channel === 'email') {
					if (!transport) continue;
					await transport.sendMail({ from: config.from, to: message.recipients, subject: message.subject, text: message.text, html: message.html ?? undefined });
				} else {
					if (!config.teamsWebhookUrl) continue;
					await postToTeams(config.teamsWebhookUrl, message.payload ?? {});
				}
				await db.update(alertOutbox).set({ sentAt: new Date(), attempts: message.attempts + 1, lastError: null }).where(eq(alertOutbox.id, message.id));
				summary.sent++;
			} catch (error) {
				const wait = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** message.attempts);
				await db
					.update(alertOutbox)
					.set({ attempts: message.attempts + 1, nextAttemptAt: new Date(now.getTime() + wait), lastError: redactError(error) })
					.where(eq(alertOutbox.id, message.id));
				summary.failed++;
			}
		}
	} finally {
		transport?.close();
	}
	return summary;
}

async function postToTeams(url: string, payload: Record<string, unknown>): Promise<void> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(payload),
		signal: AbortSignal.timeout(15_000)
	});
	if (!response.ok) throw new Error(`the Teams webhook answered ${response.status}`);
}
