/**
 * Survey links: a council makes one per contact to paste into its reply. The link carries a
 * signed token (a random id and its expiry, HMAC-SHA256 with a server secret), so a guessed or
 * altered link is refused before the database is asked; the id's row makes it single use. The
 * public page asks one question per page; the answers wait on the request row until the last is
 * sent, when the feedback row is written and the link is spent. Nothing on the page names anyone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { localDate } from '../../engine/dates.ts';
import { isSatisfactionScore, type SatisfactionScore } from '../../engine/satisfaction.ts';
import { SURVEY_TOKEN_PATTERN } from '../../survey-token.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import * as audit from '../audit/record.ts';

/** How long a link stays open: 28 days unless YARDSTICK_SURVEY_DAYS says otherwise. */
export function linkLifetimeDays(env: Record<string, string | undefined> = process.env): number {
	const days = Number(env.YARDSTICK_SURVEY_DAYS ?? 28);
	return Number.isFinite(days) && days > 0 && days <= 365 ? days : 28;
}

/**
 * The signing secret: YARDSTICK_SURVEY_SECRET (several servers on one database must share it), or
 * one made on first use and kept in app_settings so links survive a restart.
 */
async function secret(db: Database): Promise<string> {
	const configured = process.env.YARDSTICK_SURVEY_SECRET;
	if (configured) {
		if (configured.length < 32) throw new Error('YARDSTICK_SURVEY_SECRET must be at least 32 characters long');
		return configured;
	}
	await db.insert(schema.appSettings).values({ key: 'survey_secret', value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
	const [stored] = await db.select({ value: schema.appSettings.value }).from(schema.appSettings).where(eq(schema.appSettings.key, 'survey_secret'));
	return stored!.value;
}

const sign = (key: string, payload: string) => createHmac('sha256', key).update(`survey:${payload}`).digest('base64url').slice(0, 22);

export const TOKEN_PATTERN = SURVEY_TOKEN_PATTERN;

async function verify(db: Database, token: string): Promise<{ id: string; expiresAt: Date } | null> {
	if (!TOKEN_PATTERN.test(token)) return null;
	const [id, expiry, signature] = token.split('.') as [string, string, string];
	const expected = sign(await secret(db), `${id}.${expiry}`);
	if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return null;
	return { id, expiresAt: new Date(parseInt(expiry, 36) * 1000) };
}

export class SurveyLinkError extends Error {}

/** A new survey link's token for a contact (the caller has checked the viewer may see the contact). */
export async function createLink(db: Database, input: { contactId: number; actor: audit.Actor; now?: Date }): Promise<{ token: string; expiresAt: Date }> {
	const now = input.now ?? new Date();
	const [contact] = await rows<{ id: number; organisation_id: number }>(db, sql`select id, organisation_id from contacts where id = ${input.contactId}`);
	if (!contact) throw new SurveyLinkError('There is no such contact');
	const id = randomBytes(12).toString('base64url');
	const expiresAt = new Date(Math.floor(now.getTime() / 1000 + linkLifetimeDays() * 86400) * 1000);
	const expiry = Math.floor(expiresAt.getTime() / 1000).toString(36);
	await db.insert(schema.surveyRequests).values({ id, organisationId: contact.organisation_id, contactId: contact.id, expiresAt, createdBy: audit.actorName(input.actor), createdAt: now });
	await audit.record(db, { ...audit.audited(input.actor), action: 'create', entity: 'survey_link', entityId: id, organisationId: contact.organisation_id, after: { contactId: contact.id, expiresAt } });
	return { token: `${id}.${expiry}.${sign(await secret(db), `${id}.${expiry}`)}`, expiresAt };
}

export type SurveyState =
	| { kind: 'invalid' }
	| { kind: 'expired' }
	| { kind: 'answered' }
	| { kind: 'open'; id: string; organisation: string; service: string; satisfaction: SatisfactionScore | null; resolved: boolean | null };

/** What a token opens: a survey still to answer (with the organisation and service names only), or why not. */
export async function state(db: Database, token: string, now = new Date()): Promise<SurveyState> {
	const verified = await verify(db, token);
	if (!verified) return { kind: 'invalid' };
	const [found] = await rows<{ id: string; expires_at: Date | string; answered_at: Date | string | null; satisfaction: number | null; resolved: boolean | null; organisation: string; service: string }>(
		db,
		sql`select r.id, r.expires_at, r.answered_at, r.satisfaction, r.resolved, o.name as organisation, s.name as service
			from survey_requests r join contacts c on c.id = r.contact_id join organisations o on o.id = r.organisation_id join services s on s.id = c.service_id
			where r.id = ${verified.id}`
	);
	if (!found) return { kind: 'invalid' };
	if (found.answered_at) return { kind: 'answered' };
	if (new Date(found.expires_at).getTime() <= now.getTime() || verified.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
	return {
		kind: 'open',
		id: found.id,
		organisation: found.organisation,
		service: found.service,
		satisfaction: found.satisfaction === null ? null : (Number(found.satisfaction) as SatisfactionScore),
		resolved: found.resolved
	};
}

export type Answer = { question: 'satisfaction'; value: number } | { question: 'resolved'; value: boolean } | { question: 'comment'; value: string };

export const COMMENT_LIMIT = 1200;

/**
 * Records one page's answer. The last (the optional comment) writes the feedback row and spends
 * the link in one transaction: a second answer, or one after the expiry, is refused.
 */
export async function answer(db: Database, token: string, given: Answer, now = new Date()): Promise<SurveyState> {
	const current = await state(db, token, now);
	if (current.kind !== 'open') return current;
	if (given.question === 'satisfaction') {
		if (!isSatisfactionScore(given.value)) throw new SurveyLinkError('Select how satisfied you are');
		await db.update(schema.surveyRequests).set({ satisfaction: given.value }).where(sql`id = ${current.id} and answered_at is null`);
	} else if (given.question === 'resolved') {
		await db.update(schema.surveyRequests).set({ resolved: given.value }).where(sql`id = ${current.id} and answered_at is null`);
	} else {
		if (current.satisfaction === null) throw new SurveyLinkError('Select how satisfied you are');
		if (given.value.length > COMMENT_LIMIT) throw new SurveyLinkError(`Your comments must be ${COMMENT_LIMIT.toLocaleString('en-GB')} characters or fewer`);
		const spent = await db.transaction(async (tx) => {
			const claimed = await rows<{ id: string; organisation_id: number; contact_id: number; satisfaction: number; resolved: boolean | null }>(
				tx,
				sql`update survey_requests set answered_at = ${now.toISOString()}::timestamptz where id = ${current.id} and answered_at is null and expires_at > ${now.toISOString()}::timestamptz
					returning id, organisation_id, contact_id, satisfaction, resolved`
			);
			const request = claimed[0];
			if (!request) return false;
			const [contact] = await rows<{ service_id: number; team_id: number | null; contact_type: string }>(tx, sql`select service_id, team_id, contact_type from contacts where id = ${request.contact_id}`);
			await tx.insert(schema.feedback).values({
				organisationId: request.organisation_id,
				serviceId: contact!.service_id,
				teamId: contact!.team_id,
				contactId: request.contact_id,
				kind: 'survey',
				satisfaction: Number(request.satisfaction),
				resolved: request.resolved,
				channel: channelOf(contact!.contact_type),
				comment: given.value.trim() || null,
				givenOn: localDate(now),
				source: 'survey-link',
				externalRef: request.id
			});
			return true;
		});
		// Spent by another tab a moment ago, or expired since the page was read: say which.
		return spent ? { kind: 'answered' } : state(db, token, now);
	}
	return state(db, token, now);
}

/** The channel a contact came by, from its type (docs/interfaces.md contact types). */
export function channelOf(contactType: string): string | null {
	if (contactType === 'phone' || contactType === 'callback' || contactType === 'message') return 'phone';
	if (contactType === 'email' || contactType === 'letter') return contactType;
	return null;
}
