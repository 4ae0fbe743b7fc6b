/**
 * What the /feedback page, the indicators table and the reports read: satisfaction (satisfied or
 * very satisfied ÷ answered, engine/satisfaction.ts) per service, channel and quarter against the
 * CS01 target in force (85% unless the council set its own), complaints by stage, outcome and
 * theme, the upheld rate, the speed-against-satisfaction comparison, the free text a viewer may
 * read, and the "you said, we did" actions.
 */
import { sql, type SQL } from 'drizzle-orm';
import { localDate } from '../../engine/dates.ts';
import { targetInForce } from '../../engine/indicators.ts';
import type { Direction, Rag } from '../../engine/performance.ts';
import { previousQuarter, quarterOf, type Quarter } from '../../engine/periods.ts';
import type { ReportingPeriod } from '../../engine/reporting-period.ts';
import {
	ACTION_STATUS_LABELS,
	COMPLAINT_OUTCOME_LABELS,
	COMPLAINT_STAGE_LABELS,
	COMPLAINT_STAGES,
	DEFAULT_SATISFACTION_TARGET,
	SATISFACTION_LABELS,
	SATISFIED_FROM,
	judgeSatisfaction,
	satisfactionDirection,
	speedAgainstSatisfaction,
	upheldPercent,
	type ActionStatus,
	type ComplaintOutcome,
	type ComplaintStage,
	type FeedbackKind,
	type SatisfactionScore
} from '../../engine/satisfaction.ts';
import type { Viewer } from '../auth/access.ts';
import { caseScope } from '../auth/access.ts';
import { scopeConditions } from '../dashboard/scope-sql.ts';
import { rows, type Database } from '../db/client.ts';
import { withinCaseScope } from '../directory/scope.ts';
import { month } from '../../format.ts';

/** The satisfaction indicator's code in the indicators table. */
export const SATISFACTION_INDICATOR = 'CS01';

export interface Scope {
	organisation: string | null;
	service: string | null;
	team: string | null;
}

export interface SatisfactionFigure {
	answered: number;
	satisfied: number;
	percent: number | null;
	target: number;
	rag: Rag | null;
}

export interface FeedbackSummary {
	period: { label: string; start: string; end: string };
	satisfaction: SatisfactionFigure & { direction: Direction | null; previousLabel: string };
	byService: (SatisfactionFigure & { organisation: string; service: string })[];
	byChannel: (SatisfactionFigure & { channel: string })[];
	/** The eight quarters up to the period's end, oldest first. */
	trend: (SatisfactionFigure & { label: string })[];
	/** Answers by the five words, 5 first. */
	distribution: { score: SatisfactionScore; label: string; count: number }[];
	resolved: { yes: number; no: number };
	counts: Record<FeedbackKind, number>;
	themes: { theme: string; complaints: number; compliments: number }[];
	complaints: {
		total: number;
		byStage: { stage: ComplaintStage; label: string; count: number }[];
		outcomes: Record<ComplaintOutcome, number>;
		undecided: number;
		upheldPercent: number | null;
	};
	speed: ReturnType<typeof speedAgainstSatisfaction>;
}

const conditions = (scope: Scope, period: { start: string; end: string }, alias = 'f'): SQL =>
	sql`${sql.raw(alias)}.given_on between ${period.start}::date and ${period.end}::date ${scopeConditions(scope, alias)}`;

/** The CS01 target in force for the financial year holding `on`, for one organisation; the default otherwise. */
export async function target(db: Database, organisation: string | null, on: string, asOf = new Date()): Promise<number> {
	if (!organisation) return DEFAULT_SATISFACTION_TARGET;
	const found = await rows<{ financial_year: number; target: number; effective_from: Date | string }>(
		db,
		sql`select t.financial_year, t.target::float8 as target, t.effective_from from indicator_targets t join indicators i on i.id = t.indicator_id
			join organisations o on o.id = i.organisation_id where o.code = ${organisation} and i.code = ${SATISFACTION_INDICATOR}`
	);
	const inForce = targetInForce(
		found.map((t) => ({ financialYear: Number(t.financial_year), target: Number(t.target), effectiveFrom: new Date(t.effective_from) })),
		quarterOf(on).startYear,
		asOf
	);
	return inForce?.target ?? DEFAULT_SATISFACTION_TARGET;
}

const figure = (answered: number, satisfied: number, goal: number): SatisfactionFigure => {
	const judged = judgeSatisfaction(satisfied, answered, goal);
	return { answered, satisfied, percent: judged.percent, target: goal, rag: judged.rag };
};

/** Satisfaction per quarter (answers given in it), oldest first: what the trend, the indicator and the reports read. */
export async function quarterly(db: Database, scope: Scope, quarters: Quarter[], asOf = new Date()): Promise<(SatisfactionFigure & { label: string; quarter: Quarter })[]> {
	if (quarters.length === 0) return [];
	const from = quarters[0]!.start;
	const to = quarters.at(-1)!.end;
	const found = await rows<{ q: string; answered: number; satisfied: number }>(
		db,
		sql`select f.given_on::text as q, count(*)::int as answered, count(*) filter (where f.satisfaction >= ${SATISFIED_FROM})::int as satisfied
			from feedback f where f.satisfaction is not null and ${conditions(scope, { start: from, end: to })} group by 1`
	);
	const out = [];
	for (const q of quarters) {
		let answered = 0;
		let satisfied = 0;
		for (const r of found) {
			if (r.q >= q.start && r.q <= q.end) {
				answered += Number(r.answered);
				satisfied += Number(r.satisfied);
			}
		}
		out.push({ ...figure(answered, satisfied, await target(db, scope.organisation, q.start, asOf)), label: `Q${q.quarter} ${q.fy}`, quarter: q });
	}
	return out;
}

/** The eight quarters ending with the one that holds `end`. */
export function lastQuarters(end: string, count = 8): Quarter[] {
	const list = [quarterOf(end)];
	while (list.length < count) list.unshift(previousQuarter(list[0]!));
	return list;
}

export async function summary(db: Database, scope: Scope, period: ReportingPeriod, asOf = new Date()): Promise<FeedbackSummary> {
	const goal = await target(db, scope.organisation, period.end, asOf);
	const where = conditions(scope, period);
	const previous = previousOf(period);
	const [overall, before, byService, byChannel, distribution, kinds, themes, complaints, speed, trend] = await Promise.all([
		rows<{ answered: number; satisfied: number; yes: number; no: number }>(
			db,
			sql`select count(*) filter (where satisfaction is not null)::int as answered, count(*) filter (where satisfaction >= ${SATISFIED_FROM})::int as satisfied,
				count(*) filter (where resolved)::int as yes, count(*) filter (where resolved = false)::int as no from feedback f where ${where}`
		),
		rows<{ answered: number; satisfied: number }>(
			db,
			sql`select count(*) filter (where satisfaction is not null)::int as answered, count(*) filter (where satisfaction >= ${SATISFIED_FROM})::int as satisfied
				from feedback f where ${conditions(scope, previous)}`
		),
		rows<{ organisation: string; service: string; answered: number; satisfied: number }>(
			db,
			sql`select o.name as organisation, s.name as service, count(*)::int as answered, count(*) filter (where f.satisfaction >= ${SATISFIED_FROM})::int as satisfied
				from feedback f join services s on s.id = f.service_id join organisations o on o.id = f.organisation_id
				where f.satisfaction is not null and ${where} group by o.name, s.name order by o.name, s.name`
		),
		rows<{ channel: string | null; answered: number; satisfied: number }>(
			db,
			sql`select f.channel, count(*)::int as answered, count(*) filter (where f.satisfaction >= ${SATISFIED_FROM})::int as satisfied
				from feedback f where f.satisfaction is not null and ${where} group by f.channel order by f.channel nulls last`
		),
		rows<{ satisfaction: number; count: number }>(db, sql`select satisfaction, count(*)::int as count from feedback f where satisfaction is not null and ${where} group by 1`),
		rows<{ kind: FeedbackKind; count: number }>(db, sql`select kind, count(*)::int as count from feedback f where ${where} group by 1`),
		rows<{ theme: string; complaints: number; compliments: number }>(
			db,
			sql`select t.name as theme, count(*) filter (where f.kind = 'complaint')::int as complaints, count(*) filter (where f.kind = 'compliment')::int as compliments
				from feedback f join feedback_themes t on t.id = f.theme_id where ${where} group by t.name order by 2 desc, 3 desc, t.name`
		),
		rows<{ stage: ComplaintStage | null; outcome: ComplaintOutcome | null; count: number }>(
			db,
			sql`select stage, outcome, count(*)::int as count from feedback f where f.kind = 'complaint' and ${where} group by 1, 2`
		),
		// On time: every decided standard the contact was scored against met; late: one breached. Contacts still open say nothing.
		rows<{ late: boolean; answered: number; satisfied: number }>(
			db,
			sql`with answers as (select f.contact_id, f.satisfaction from feedback f where f.satisfaction is not null and f.contact_id is not null and ${where}),
				verdicts as (select a.contact_id, bool_or(a.status = 'breached') as late, bool_or(a.status = 'met') as met
					from assessments a where a.contact_id in (select contact_id from answers) group by a.contact_id)
				select v.late, count(*)::int as answered, count(*) filter (where x.satisfaction >= ${SATISFIED_FROM})::int as satisfied
				from answers x join verdicts v on v.contact_id = x.contact_id where v.late or v.met group by v.late`
		),
		quarterly(db, scope, lastQuarters(period.end), asOf)
	]);
	const o = overall[0]!;
	const current = figure(Number(o.answered), Number(o.satisfied), goal);
	const prior = figure(Number(before[0]!.answered), Number(before[0]!.satisfied), goal);
	const outcomes: Record<ComplaintOutcome, number> = { upheld: 0, 'partly-upheld': 0, 'not-upheld': 0 };
	const stages = new Map<ComplaintStage, number>();
	let total = 0;
	let undecided = 0;
	for (const c of complaints) {
		const n = Number(c.count);
		total += n;
		if (c.outcome) outcomes[c.outcome] += n;
		else undecided += n;
		const stage = c.stage ?? 'informal';
		stages.set(stage, (stages.get(stage) ?? 0) + n);
	}
	const group = (late: boolean) => {
		const r = speed.find((s) => s.late === late);
		return { answered: Number(r?.answered ?? 0), satisfied: Number(r?.satisfied ?? 0) };
	};
	const counts: Record<FeedbackKind, number> = { survey: 0, compliment: 0, comment: 0, complaint: 0 };
	for (const k of kinds) counts[k.kind] = Number(k.count);
	return {
		period: { label: period.label, start: period.start, end: period.end },
		satisfaction: { ...current, direction: satisfactionDirection(current.percent, prior.percent), previousLabel: previous.label },
		byService: byService.map((r) => ({ organisation: r.organisation, service: r.service, ...figure(Number(r.answered), Number(r.satisfied), goal) })),
		byChannel: byChannel.map((r) => ({ channel: r.channel ?? 'not known', ...figure(Number(r.answered), Number(r.satisfied), goal) })),
		trend: trend.map(({ quarter: _quarter, ...rest }) => rest),
		distribution: ([5, 4, 3, 2, 1] as SatisfactionScore[]).map((score) => ({ score, label: SATISFACTION_LABELS[score], count: Number(distribution.find((d) => Number(d.satisfaction) === score)?.count ?? 0) })),
		resolved: { yes: Number(o.yes), no: Number(o.no) },
		counts,
		themes: themes.map((t) => ({ theme: t.theme, complaints: Number(t.complaints), compliments: Number(t.compliments) })),
		complaints: {
			total,
			byStage: COMPLAINT_STAGES.map((stage) => ({ stage, label: COMPLAINT_STAGE_LABELS[stage], count: stages.get(stage) ?? 0 })),
			outcomes,
			undecided,
			upheldPercent: upheldPercent(outcomes.upheld, outcomes['partly-upheld'], outcomes['not-upheld'])
		},
		speed: speedAgainstSatisfaction(group(false), group(true))
	};
}

/** The period of the same length just before (a quarter's previous quarter, a month's previous month). */
function previousOf(period: ReportingPeriod): { label: string; start: string; end: string } {
	const start = new Date(`${period.start}T00:00:00Z`);
	const end = new Date(`${period.end}T00:00:00Z`);
	if (period.kind === 'quarter') {
		const q = previousQuarter(quarterOf(period.start));
		return { label: `Q${q.quarter} ${q.fy}`, start: q.start, end: q.end };
	}
	if (period.kind === 'month') {
		const s = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1));
		const e = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 0));
		return { label: month(s), start: s.toISOString().slice(0, 10), end: e.toISOString().slice(0, 10) };
	}
	const days = Math.round((end.getTime() - start.getTime()) / 86400000) + 1;
	const s = new Date(start.getTime() - days * 86400000);
	const e = new Date(start.getTime() - 86400000);
	return { label: period.kind === 'year' ? `${s.getUTCFullYear()}/${String((s.getUTCFullYear() + 1) % 100).padStart(2, '0')}` : 'the period before', start: s.toISOString().slice(0, 10), end: e.toISOString().slice(0, 10) };
}

export interface Comment {
	id: number;
	givenOn: string;
	kind: FeedbackKind;
	service: string;
	satisfaction: string | null;
	theme: string | null;
	text: string;
}

/**
 * The free text a viewer may read, newest first: managers and admins every comment in scope,
 * team leads their teams' only; committee members and officers none (an empty list).
 */
export async function comments(db: Database, viewer: Viewer, scope: Scope, period: { start: string; end: string }, limit = 50): Promise<Comment[]> {
	if (!mayReadComments(viewer)) return [];
	const found = await rows<{ id: number; given_on: string; kind: FeedbackKind; service: string; satisfaction: number | null; theme: string | null; comment: string }>(
		db,
		sql`select f.id, f.given_on::text, f.kind, s.name as service, f.satisfaction, t.name as theme, f.comment
			from feedback f join services s on s.id = f.service_id left join feedback_themes t on t.id = f.theme_id
			where f.comment is not null and ${conditions(scope, period)} and ${withinCaseScope(caseScope(viewer), 'f')}
			order by f.given_on desc, f.id desc limit ${limit}`
	);
	return found.map((c) => ({
		id: Number(c.id),
		givenOn: c.given_on,
		kind: c.kind,
		service: c.service,
		satisfaction: c.satisfaction === null ? null : SATISFACTION_LABELS[Number(c.satisfaction) as SatisfactionScore],
		theme: c.theme,
		text: c.comment
	}));
}

export const mayReadComments = (viewer: Pick<Viewer, 'role'>): boolean => viewer.role === 'admin' || viewer.role === 'manager' || viewer.role === 'team-lead';

export interface Action {
	id: number;
	organisation: string;
	service: string | null;
	theme: string | null;
	youSaid: string;
	weDid: string;
	/** Null for committee viewers and in the committee report. */
	owner: string | null;
	dueOn: string;
	status: ActionStatus;
	statusLabel: string;
	complaints: number;
	overdue: boolean;
}

/** "You said, we did": the actions of the organisation(s) in scope, open ones and those due in or after the period's start; `withOwner` false leaves names out. */
export async function actions(db: Database, scope: Pick<Scope, 'organisation' | 'service'>, period: { start: string; end: string }, options: { withOwner: boolean; asOf?: Date }): Promise<Action[]> {
	const today = localDate(options.asOf ?? new Date());
	const found = await rows<{ id: number; organisation: string; service: string | null; theme: string | null; you_said: string; we_did: string; owner: string; due_on: string; status: ActionStatus; complaints: number }>(
		db,
		sql`select a.id, o.name as organisation, s.name as service, t.name as theme, a.you_said, a.we_did, a.owner, a.due_on::text, a.status,
				(select count(*)::int from feedback_action_complaints c where c.action_id = a.id) as complaints
			from feedback_actions a join organisations o on o.id = a.organisation_id left join services s on s.id = a.service_id left join feedback_themes t on t.id = a.theme_id
			where (a.status <> 'done' or a.due_on >= ${period.start}::date) and a.created_at::date <= ${period.end}::date
				${scope.organisation ? sql`and o.code = ${scope.organisation}` : sql``}
				${scope.service ? sql`and (s.code = ${scope.service} or a.service_id is null)` : sql``}
			order by a.due_on, a.id`
	);
	return found.map((a) => ({
		id: Number(a.id),
		organisation: a.organisation,
		service: a.service,
		theme: a.theme,
		youSaid: a.you_said,
		weDid: a.we_did,
		owner: options.withOwner ? a.owner : null,
		dueOn: a.due_on,
		status: a.status,
		statusLabel: ACTION_STATUS_LABELS[a.status],
		complaints: Number(a.complaints),
		overdue: a.status !== 'done' && a.due_on < today
	}));
}

/** The complaints of a period an action may be linked to (no names: reference, date, service, theme). */
export async function complaintChoices(db: Database, organisation: string, period: { start: string; end: string }): Promise<{ id: number; label: string }[]> {
	const found = await rows<{ id: number; given_on: string; service: string; theme: string | null; ref: string | null; outcome: ComplaintOutcome | null }>(
		db,
		sql`select f.id, f.given_on::text, s.name as service, t.name as theme, c.external_ref as ref, f.outcome from feedback f
			join organisations o on o.id = f.organisation_id join services s on s.id = f.service_id
			left join feedback_themes t on t.id = f.theme_id left join contacts c on c.id = f.contact_id
			where o.code = ${organisation} and f.kind = 'complaint' and f.given_on between ${period.start}::date and ${period.end}::date order by f.given_on desc, f.id desc limit 40`
	);
	return found.map((c) => ({
		id: Number(c.id),
		label: [c.ref ?? `#${c.id}`, c.given_on, c.service, c.theme, c.outcome ? COMPLAINT_OUTCOME_LABELS[c.outcome] : 'no outcome yet'].filter(Boolean).join(' · ')
	}));
}

export interface ContactFeedback {
	kind: FeedbackKind;
	givenOn: string;
	satisfaction: string | null;
	resolved: boolean | null;
	/** Only for viewers who may read free text. */
	comment: string | null;
}

/** The feedback given about one contact (the caller has checked the viewer may see the contact), and the survey links made for it. */
export async function forContact(db: Database, viewer: Viewer, contactId: number): Promise<{ answers: ContactFeedback[]; links: { made: number; answered: number } }> {
	const [found, links] = await Promise.all([
		rows<{ kind: FeedbackKind; given_on: string; satisfaction: number | null; resolved: boolean | null; comment: string | null }>(
			db,
			sql`select kind, given_on::text, satisfaction, resolved, comment from feedback where contact_id = ${contactId} and satisfaction is not null order by given_on, id`
		),
		rows<{ made: number; answered: number }>(db, sql`select count(*)::int as made, count(answered_at)::int as answered from survey_requests where contact_id = ${contactId}`)
	]);
	const readable = mayReadComments(viewer);
	return {
		answers: found.map((f) => ({
			kind: f.kind,
			givenOn: f.given_on,
			satisfaction: f.satisfaction === null ? null : SATISFACTION_LABELS[Number(f.satisfaction) as SatisfactionScore],
			resolved: f.resolved,
			comment: readable ? f.comment : null
		})),
		links: { made: Number(links[0]!.made), answered: Number(links[0]!.answered) }
	};
}
