/**
 * Customer feedback in the board and committee reports: satisfaction against its target by
 * quarter, complaints and the upheld rate, and the "you said, we did" actions (the board's
 * exceptions: actions overdue or open; the committee's: every action, without its owner). Never
 * any free text a customer wrote. Plain types of its own, so a published report never depends on
 * this module's other types; and its HTML, escaped, for the report to place.
 */
import { upheldPercent, type ComplaintOutcome } from '../../engine/satisfaction.ts';
import type { Rag } from '../../engine/performance.ts';
import { quarter as quarterOf, type QuarterNumber } from '../../engine/periods.ts';
import type { Database } from '../db/client.ts';
import { escapeHtml } from '../html.ts';
import { day, percent, whole } from '../../format.ts';
import * as summary from './summary.ts';

export interface ReportFeedback {
	/** The report's quarters, with satisfaction in each. */
	quarters: { label: string; answered: number; satisfied: number; percent: number | null; target: number; rag: Rag | null }[];
	complaints: { total: number; outcomes: Record<ComplaintOutcome, number>; upheldPercent: number | null };
	actions: { theme: string | null; service: string | null; youSaid: string; weDid: string; owner: string | null; dueOn: string; status: string; overdue: boolean }[];
}

export interface ReportContext {
	kind: 'board' | 'committee';
	organisation: string;
	financialYear: number;
	quarters: { number: QuarterNumber; start: string; end: string }[];
	period: { start: string; end: string };
	/** False for the committee report: no owner's name. */
	personalData: boolean;
	now: Date;
}

/** The report's feedback figures and actions; the board report lists only actions still open or overdue (its exceptions). */
export async function reportSection(db: Database, context: ReportContext): Promise<ReportFeedback> {
	const scope = { organisation: context.organisation, service: null, team: null };
	const quarters = context.quarters.map((q) => quarterOf(context.financialYear, q.number));
	const [figures, page, actions] = await Promise.all([
		summary.quarterly(db, scope, quarters, context.now),
		summary.summary(db, scope, { kind: 'custom', param: 'custom', label: '', start: context.period.start, end: context.period.end }, context.now),
		summary.actions(db, scope, context.period, { withOwner: context.personalData, asOf: context.now })
	]);
	return {
		quarters: figures.map((q) => ({ label: q.label, answered: q.answered, satisfied: q.satisfied, percent: q.percent, target: q.target, rag: q.rag })),
		complaints: {
			total: page.complaints.total,
			outcomes: page.complaints.outcomes,
			upheldPercent: upheldPercent(page.complaints.outcomes.upheld, page.complaints.outcomes['partly-upheld'], page.complaints.outcomes['not-upheld'])
		},
		// The board's exceptions: actions not done yet (overdue ones marked); the committee sees the period's actions.
		actions: actions
			.filter((a) => context.kind === 'committee' || a.status !== 'done')
			.map((a) => ({ theme: a.theme, service: a.service, youSaid: a.youSaid, weDid: a.weDid, owner: a.owner, dueOn: a.dueOn, status: a.statusLabel, overdue: a.overdue }))
	};
}

const pct = (value: number | null) => percent(value);

/** The report's "Customer feedback" section as HTML (everything escaped); empty for a report published before feedback was kept. */
export function reportHtml(feedback: ReportFeedback | undefined, kind: 'board' | 'committee'): string {
	if (!feedback) return '';
	const rows = feedback.quarters
		.map((q) => `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${escapeHtml(q.label)}</th><td class="govuk-table__cell govuk-table__cell--numeric">${pct(q.percent)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${q.target}%</td><td class="govuk-table__cell govuk-table__cell--numeric">${whole(q.answered)}</td></tr>`)
		.join('');
	const c = feedback.complaints;
	const actions = feedback.actions.length
		? `<ul class="govuk-list govuk-list--bullet">${feedback.actions
				.map(
					(a) =>
						`<li><strong>${escapeHtml(a.theme ?? 'Complaints')}${a.service ? `, ${escapeHtml(a.service)}` : ''}</strong> (${escapeHtml(a.status)}${a.overdue ? ', overdue' : ''}, due ${day(a.dueOn)}${a.owner ? `, ${escapeHtml(a.owner)}` : ''}). You said: ${escapeHtml(a.youSaid)} We did: ${escapeHtml(a.weDid)}</li>`
				)
				.join('')}</ul>`
		: `<p class="govuk-body">${kind === 'board' ? 'No action is open or overdue.' : 'No actions in this period.'}</p>`;
	return (
		`<section class="app-report__section" aria-labelledby="report-feedback"><h2 class="govuk-heading-l" id="report-feedback">Customer feedback</h2>` +
		`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">Customers satisfied or very satisfied (CS01), by quarter</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Quarter</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Satisfied</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Target</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Answers</th></tr></thead><tbody class="govuk-table__body">${rows}</tbody></table>` +
		`<p class="govuk-body">Complaints: ${whole(c.total)}; upheld ${c.outcomes.upheld}, partly upheld ${c.outcomes['partly-upheld']}, not upheld ${c.outcomes['not-upheld']} (upheld rate ${pct(c.upheldPercent)}).</p>` +
		`<h3 class="govuk-heading-m">${kind === 'board' ? 'You said, we did: actions open or overdue' : 'You said, we did'}</h3>${actions}</section>`
	);
}
