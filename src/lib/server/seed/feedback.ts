/**
 * The demo's customer feedback: survey answers for a share of answered casework (those answered
 * late less satisfied), complaints with a stage, outcome and theme, a few compliments, and the
 * "you said, we did" actions. Deterministic: its own random stream, seeded from the demo's seed.
 */
import { sql } from 'drizzle-orm';
import { addCalendarDays, fromEpochDay, localDate, localEpochDay } from '../../engine/dates.ts';
import type { ComplaintOutcome, ComplaintStage, SatisfactionScore } from '../../engine/satisfaction.ts';
import { rows, type Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { channelOf } from '../feedback/survey.ts';
import type { DemoContact } from './contacts.ts';
import { Random } from './random.ts';
import type { Reference } from './reference.ts';

/** The share of answered casework whose customer answered the survey link in the reply. */
const SURVEY_SHARE = 0.08;
/** Satisfaction 5 down to 1: answered on time (about 87% satisfied) and late (about 40%). */
const ON_TIME: readonly number[] = [52, 35, 7, 4, 2];
const LATE: readonly number[] = [14, 26, 20, 22, 18];

const THEMES: Record<string, string[]> = {
	county: ['Waiting times', 'Staff attitude', 'Wrong information', 'Website', 'Helpful staff'],
	borough: ['Polling stations', 'Postal votes', 'Registration letters', 'Helpful staff']
};

const COMMENTS_HAPPY = ['Quick and clear answer, thank you.', 'Sorted first time.', 'Very helpful on the phone.', 'Easy to understand.'];
const COMMENTS_UNHAPPY = ['Took far too long to hear back.', 'I had to chase twice.', 'The letter did not answer my question.', 'Nobody told me what was happening.'];

export interface DemoFeedback {
	organisation: string;
	source: string;
	externalRef: string;
	kind: 'survey' | 'complaint' | 'compliment';
	satisfaction: SatisfactionScore | null;
	resolved: boolean | null;
	comment: string | null;
	givenOn: string;
	theme: string | null;
	stage: ComplaintStage | null;
	outcome: ComplaintOutcome | null;
	channel: string | null;
}

/** Feedback about one generated contact, if its customer gave any (none for calls, meetings or unanswered cases). */
export function feedbackFor(random: Random, contact: DemoContact, asOf: Date): DemoFeedback | null {
	if (contact.met === undefined || contact.firstResponseAt === null) return null;
	const themes = THEMES[contact.organisation] ?? [];
	const base = { organisation: contact.organisation, source: contact.source, externalRef: contact.externalRef, channel: channelOf(contact.contactType), theme: null, stage: null, outcome: null };
	if (contact.contactType === 'complaint') {
		// Most complaints get a recorded outcome; late handling is upheld more often.
		if (!random.chance(0.6)) return null;
		const stage = (['informal', 'stage-1', 'stage-1', 'stage-1', 'stage-2', 'ombudsman'] as const)[random.weighted([20, 40, 0, 0, 12, 2])]!;
		const outcome = (['upheld', 'partly-upheld', 'not-upheld'] as const)[random.weighted(contact.met ? [15, 25, 60] : [40, 30, 30])]!;
		return { ...base, kind: 'complaint', satisfaction: null, resolved: null, comment: null, givenOn: localDate(contact.receivedAt), theme: random.pick(themes.filter((t) => t !== 'Helpful staff')), stage, outcome };
	}
	const givenOn = fromEpochDay(localEpochDay(contact.firstResponseAt.getTime()) + random.int(0, 6));
	if (givenOn > localDate(asOf)) return null;
	if (contact.met && random.chance(0.004)) {
		return { ...base, kind: 'compliment', satisfaction: null, resolved: null, comment: random.pick(COMMENTS_HAPPY), givenOn, theme: themes.includes('Helpful staff') ? 'Helpful staff' : null };
	}
	if (!random.chance(SURVEY_SHARE)) return null;
	const satisfaction = (5 - random.weighted(contact.met ? ON_TIME : LATE)) as SatisfactionScore;
	const resolved = random.chance(contact.met ? 0.9 : 0.65);
	const comment = random.chance(0.2) ? random.pick(satisfaction >= 4 ? COMMENTS_HAPPY : COMMENTS_UNHAPPY) : null;
	return { ...base, kind: 'survey', satisfaction, resolved, comment, givenOn };
}

/** The demo's themes, then its feedback rows (each tied to its contact by source and reference). */
export async function writeFeedback(tx: Database, reference: Reference, feedback: DemoFeedback[]): Promise<void> {
	const themeIds = new Map<string, number>();
	for (const [organisation, names] of Object.entries(THEMES)) {
		const orgId = reference.organisation(organisation).id;
		const added = await tx.insert(schema.feedbackThemes).values(names.map((name) => ({ organisationId: orgId, name }))).returning({ id: schema.feedbackThemes.id, name: schema.feedbackThemes.name });
		for (const t of added) themeIds.set(`${organisation}:${t.name}`, t.id);
	}
	for (let i = 0; i < feedback.length; i += 2000) {
		const json = JSON.stringify(
			feedback.slice(i, i + 2000).map((f) => ({
				o: reference.organisation(f.organisation).id,
				src: f.source,
				ref: f.externalRef,
				k: f.kind,
				sat: f.satisfaction,
				res: f.resolved,
				ch: f.channel,
				com: f.comment,
				d: f.givenOn,
				st: f.stage,
				out: f.outcome,
				th: f.theme ? (themeIds.get(`${f.organisation}:${f.theme}`) ?? null) : null
			}))
		);
		// Complaints are recorded on their contact (as the contact page does); answers came through survey links.
		await tx.execute(sql`insert into feedback (organisation_id, service_id, team_id, contact_id, kind, satisfaction, resolved, channel, comment, given_on, source, external_ref, stage, outcome, theme_id)
			select c.organisation_id, c.service_id, c.team_id, c.id, x.k, x.sat, x.res, x.ch, x.com, x.d,
				case when x.k = 'complaint' then 'contact' else 'demo' end,
				case when x.k = 'complaint' then c.id::text else x.src || ':' || x.ref end,
				x.st, x.out, x.th
			from jsonb_to_recordset(${json}::jsonb) as x(o int, src text, ref text, k text, sat smallint, res boolean, ch text, com text, d date, st text, out text, th int)
			join contacts c on c.organisation_id = x.o and c.source = x.src and c.external_ref = x.ref`);
	}
}

/** A few "you said, we did" actions per council, due around the demo's today. */
export async function writeActions(tx: Database, reference: Reference, asOf: Date): Promise<void> {
	const today = localDate(asOf);
	const plan = [
		{ organisation: 'county', service: 'customer', theme: 'Waiting times', youSaid: 'You told us you waited too long for replies to letters and emails.', weDid: 'We moved two officers into the Correspondence team over the winter and now reply to the oldest cases first.', owner: 'Customer Services Manager', due: -40, status: 'done' as const },
		{ organisation: 'county', service: 'customer', theme: 'Wrong information', youSaid: 'You said some of our replies did not answer your question.', weDid: 'We are rewriting our standard replies with customers and checking a sample every month.', owner: 'Customer Services Team Leader', due: 45, status: 'in-progress' as const },
		{ organisation: 'county', service: 'customer', theme: 'Website', youSaid: 'You said the website did not tell you how long a reply would take.', weDid: 'We will publish our response times on every contact page.', owner: 'Digital Services Lead', due: -10, status: 'planned' as const },
		{ organisation: 'borough', service: 'electoral', theme: 'Postal votes', youSaid: 'You said you did not know whether your postal vote application had arrived.', weDid: 'We now confirm every application by email within 5 working days.', owner: 'Electoral Services Manager', due: 60, status: 'in-progress' as const },
		{ organisation: 'borough', service: 'electoral', theme: 'Polling stations', youSaid: 'You said one polling station was hard to reach in a wheelchair.', weDid: 'We reviewed access at every polling place and moved one station.', owner: 'Electoral Services Officer', due: -120, status: 'done' as const }
	];
	for (const a of plan) {
		const organisation = reference.organisation(a.organisation);
		const [theme] = await rows<{ id: number }>(tx, sql`select id from feedback_themes where organisation_id = ${organisation.id} and name = ${a.theme}`);
		const [action] = await tx
			.insert(schema.feedbackActions)
			.values({
				organisationId: organisation.id,
				serviceId: organisation.service(a.service),
				themeId: theme ? Number(theme.id) : null,
				youSaid: a.youSaid,
				weDid: a.weDid,
				owner: a.owner,
				dueOn: addCalendarDays(today, a.due),
				status: a.status,
				updatedBy: 'seed',
				createdAt: new Date(asOf.getTime() - 120 * 86_400_000)
			})
			.returning({ id: schema.feedbackActions.id });
		// Link each action to the complaints of its theme from the last year.
		if (theme) {
			await tx.execute(sql`insert into feedback_action_complaints (action_id, feedback_id)
				select ${action!.id}, id from feedback where theme_id = ${theme.id} and kind = 'complaint' and given_on > ${addCalendarDays(today, -365)}::date order by id limit 5`);
		}
	}
}

