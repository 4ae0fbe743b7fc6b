/**
 * A report as HTML: the sections the report page shows, and the self-contained A4 print view
 * (inline CSS and SVG, no script, no external request) that Chromium turns into the PDF.
 */
import type { Rag } from '../../engine/performance.ts';
import { aTarget, count, dateTime, day, dayRange, occurrence, percent as pct, whole } from '../../format.ts';
import { ragColour, ragLabel } from '../../rag.ts';
import { escapeHtml } from '../html.ts';
import { percentBars, percentColumns, sparkline } from './charts.ts';
import type { Report } from './model.ts';
import type { Comparison, DutyStatus, MatrixCell } from './sections.ts';
import { reportHtml as feedbackHtml } from '../feedback/report.ts';

export interface ReportStatus {
	/** Null for a draft (not published). */
	version: number | null;
	publishedAt: string | null;
	publishedBy: string | null;
	contentHash: string | null;
}

const num = (value: number | null) => (value === null ? '–' : whole(value));

const tag = (rag: Rag | null) => (rag ? `<strong class="govuk-tag govuk-tag--${ragColour[rag]}">${ragLabel[rag]}</strong>` : '');
const directionText = { improving: '↑ improving', worsening: '↓ worsening', steady: '→ steady' } as const;
const travel = (d: keyof typeof directionText | null) => (d ? directionText[d] : '–');
const dutyText: Record<DutyStatus, string> = { met: 'Met', late: 'Late', overdue: 'Overdue', due: 'Not yet due' };
const dutyColour: Record<DutyStatus, string> = { met: 'green', late: 'red', overdue: 'red', due: 'grey' };

function table(label: string, headers: { text: string; numeric?: boolean }[], body: string[][], options: { firstIsHeader?: boolean; compact?: boolean } = {}): string {
	const { firstIsHeader = true, compact = true } = options;
	const head = headers.map((h) => `<th scope="col" class="govuk-table__header${h.numeric ? ' govuk-table__header--numeric' : ''}">${h.text}</th>`).join('');
	const rows = body
		.map(
			(cells) =>
				`<tr class="govuk-table__row">${cells
					.map((cell, i) =>
						i === 0 && firstIsHeader
							? `<th scope="row" class="govuk-table__header">${cell}</th>`
							: `<td class="govuk-table__cell${headers[i]?.numeric ? ' govuk-table__cell--numeric' : ''}">${cell}</td>`
					)
					.join('')}</tr>`
		)
		.join('');
	return (
		`<div class="app-table-scroll" role="region" aria-label="${escapeHtml(label)}" tabindex="0">` +
		`<table class="govuk-table${compact ? ' app-table--compact' : ''} app-report__table"><caption class="govuk-table__caption govuk-table__caption--s">${escapeHtml(label)}</caption>` +
		`<thead class="govuk-table__head"><tr class="govuk-table__row">${head}</tr></thead><tbody class="govuk-table__body">${rows}</tbody></table></div>`
	);
}

/** A reference where one is needed: the council's own (CS01, ES01), never an internal code. */
const refTag = (ref: string | null) => (ref ? ` <span class="app-report__ref">${escapeHtml(ref)}</span>` : '');
const valueOf = (unit: 'percent' | 'count', v: number | null) => (unit === 'percent' ? pct(v) : num(v));
const targetOf = (unit: 'percent' | 'count', v: number | null) => (v === null ? '–' : unit === 'percent' ? `${v}%` : num(v));

/** The cover report: organisation, title, period, owner, date and status; then its purpose and recommendations. */
export function cover(report: Report, status: ReportStatus): string {
	const paper = report.paper;
	const facts: [string, string][] = [
		['Organisation', escapeHtml(report.organisation.name)],
		['Period', `${escapeHtml(report.period.label)}: ${dayRange(report.period.start, report.period.end)}`],
		['Report owner', paper.owner ? escapeHtml(paper.owner) : 'Named when the report is published'],
		['Date', status.publishedAt ? day(status.publishedAt) : `Draft of ${day(report.builtAt)}`],
		[
			'Status',
			status.version === null
				? 'Draft: not published. The figures change as data arrives.'
				: `Published version ${status.version} on ${escapeHtml(dateTime(status.publishedAt!))}${status.publishedBy ? ` by ${escapeHtml(status.publishedBy)}` : ''}. These figures are frozen.`
		],
		['Figures', `as recorded on ${escapeHtml(dateTime(report.builtAt))}, for contacts up to ${day(report.dataTo)}`]
	];
	return (
		`<header class="app-report__cover">` +
		`<p class="govuk-caption-l">${escapeHtml(report.organisation.name)}</p>` +
		`<h1 class="govuk-heading-xl">${escapeHtml(report.title)}</h1>` +
		`<dl class="govuk-summary-list app-report__facts">${facts
			.map(([k, v]) => `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd></div>`)
			.join('')}</dl>` +
		(paper.purpose
			? `<section class="app-report__keep" aria-labelledby="report-purpose"><h2 class="govuk-heading-m" id="report-purpose">Purpose</h2><p class="govuk-body">${escapeHtml(paper.purpose)}</p></section>` +
				`<section class="app-report__keep" aria-labelledby="report-recommendations"><h2 class="govuk-heading-m" id="report-recommendations">Recommendations</h2><ol class="govuk-list govuk-list--number">${paper.recommendations
					.map((r) => `<li>${escapeHtml(r)}</li>`)
					.join('')}</ol></section>`
			: '') +
		`</header>`
	);
}

/** The RAG legend: the one period every rating is for, and what each colour means. */
function legend(report: Report): string {
	return (
		`<div class="app-report__legend app-report__keep" role="note" aria-labelledby="report-legend"><h3 class="govuk-heading-s" id="report-legend">How to read the ratings</h3>` +
		`<p class="govuk-body">${escapeHtml(report.basis.legend.period)}</p><ul class="govuk-list">${(['green', 'amber', 'red'] as const).map((r) => `<li>${tag(r)} ${escapeHtml(report.basis.legend.rules[r])}</li>`).join('')}` +
		`<li>Trend charts show the five quarters to ${escapeHtml(report.basis.basis === 'quarter' ? report.basis.label : (report.quarters.at(-1)?.label ?? ''))}, oldest on the left; the dashed line is the target.</li></ul></div>`
	);
}

function comparisonText(c: Comparison, unit: 'percent' | 'count'): string {
	const parts = [c.previous.label ? `${escapeHtml(c.previous.label)}: ${valueOf(unit, c.previous.value)}` : '', c.lastYear.label ? `${escapeHtml(c.lastYear.label)} (same quarter last year): ${valueOf(unit, c.lastYear.value)}` : ''];
	return parts.filter(Boolean).join('; ');
}

/** Every section after the cover, in the order the board reads them. */
export function sections(report: Report): string {
	const parts: string[] = [];
	const section = (id: string, title: string, content: string, pageBreak = false) =>
		parts.push(`<section class="app-report__section${pageBreak ? ' app-report__section--break' : ''}" aria-labelledby="report-${id}"><h2 class="govuk-heading-l" id="report-${id}">${title}</h2>${content}</section>`);
	const basis = report.basis.label;
	const lines = report.standards.lines;
	const last = lines[0]?.comparison ?? report.indicators.rows[0]?.comparison;

	section(
		'summary',
		'Summary',
		`<div class="app-report__headlines">${report.summary.headlines
			.map(
				(h) =>
					`<div class="app-report__headline"><h3 class="govuk-heading-s app-report__headline-title">${escapeHtml(h.label)}</h3>` +
					`<p class="app-report__figure">${h.unit === 'percent' ? pct(h.value) : num(h.value)}</p>` +
					`<p class="govuk-body-s">${tag(h.rag)} ${escapeHtml(h.note)}</p></div>`
			)
			.join('')}</div>` +
			`<ul class="govuk-list govuk-list--bullet">${report.summary.sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` +
			legend(report) +
			(report.gaps.length ? `<div class="govuk-inset-text"><p class="govuk-body">Not included in this report:</p><ul class="govuk-list govuk-list--bullet">${report.gaps.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul></div>` : ''),
		true
	);

	const reds = report.exceptions.filter((e) => e.rag === 'red').length;
	section(
		'exceptions',
		'Exceptions: red and amber items',
		(report.exceptions.length
			? `<p class="govuk-body">${count(reds, 'item')} below target and ${count(report.exceptions.length - reds, 'item')} near target for ${escapeHtml(basis)}, each with what the service says about it and the action it is taking.</p>` +
				report.exceptions
					.map((e) => {
						const action = e.action
							? `${escapeHtml(e.action.text)} <span class="app-report__muted">Owner: ${escapeHtml(e.action.owner)}. Due ${day(e.action.dueOn)}.</span>`
							: 'No corrective action given.';
						return (
							`<div class="app-report__exception app-report__exception--${e.rag}">` +
							`<h3 class="govuk-heading-s">${tag(e.rag)} ${escapeHtml(e.name)}${refTag(e.ref)}</h3>` +
							`<dl class="govuk-summary-list app-report__exception-facts">` +
							`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Result</dt><dd class="govuk-summary-list__value">${valueOf(e.unit, e.value)} against ${e.target === null ? 'no target' : e.unit === 'percent' ? aTarget(e.target) : `a target of ${num(e.target)}`} (${escapeHtml(basis)})</dd></div>` +
							`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Compared with</dt><dd class="govuk-summary-list__value">${comparisonText(e.comparison, e.unit) || 'No earlier figures'}</dd></div>` +
							`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Commentary</dt><dd class="govuk-summary-list__value app-report__comment-body">${e.commentary ? escapeHtml(e.commentary.body) : '<strong>No commentary given.</strong>'}</dd></div>` +
							`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Corrective action</dt><dd class="govuk-summary-list__value">${action}</dd></div>` +
							`</dl></div>`
						);
					})
					.join('')
			: `<p class="govuk-body">No standard or indicator is red or amber for ${escapeHtml(basis)}.</p>`) + otherCommentary(report)
	);

	const chart = report.standards.chart;
	const committeePeriod = report.kind === 'committee' ? [{ text: report.quarter === 2 ? 'Half year' : 'Year', numeric: true }] : [];
	section(
		'standards',
		'Customer service standards',
		table(
			`Compliance by standard: ${basis} beside the quarter before and the same quarter last year`,
			[
				{ text: 'Standard' },
				{ text: 'Target', numeric: true },
				{ text: `${escapeHtml(last?.lastYear.label ?? '')} (same quarter last year)`, numeric: true },
				{ text: `${escapeHtml(last?.previous.label ?? '')} (quarter before)`, numeric: true },
				{ text: escapeHtml(report.quarters.at(-1)!.label), numeric: true },
				...committeePeriod,
				{ text: 'On time', numeric: true },
				{ text: 'RAG' },
				{ text: 'Trend' }
			],
			lines.map((s) => [
				`${escapeHtml(s.title)}${refTag(s.ref)}`,
				`${s.targetPercent}%`,
				pct(s.comparison.lastYear.value),
				pct(s.comparison.previous.value),
				pct(s.quarters.at(-1)?.compliance ?? null),
				...(report.kind === 'committee' ? [pct(s.period.compliance)] : []),
				s.period.met + s.period.breached === 0 ? 'none decided' : `${num(s.period.met)} of ${num(s.period.met + s.period.breached)}`,
				tag(s.period.rag) || '–',
				sparkline({ summary: `${s.title}: ${s.trend.map((t) => `${t.label} ${pct(t.value)}`).join(', ')}; target ${s.targetPercent}%`, points: s.trend, target: s.targetPercent })
			])
		) +
			`<figure class="app-report__figure-chart" aria-labelledby="report-standards-chart-caption"><figcaption class="govuk-heading-s" id="report-standards-chart-caption">${escapeHtml(chart.caption)}</figcaption>` +
			percentBars({ id: 'report-standards-chart', summary: chart.summary, bars: chart.bars }) +
			`</figure>`,
		true
	);

	const plan = report.indicators.rows.filter((r) => r.kind === 'plan');
	if (plan.length) {
		section(
			'indicators',
			'Service plan indicators',
			table(
				`Service plan indicators, ${report.financialYear.label}`,
				[
					{ text: 'Indicator' },
					{ text: 'Target', numeric: true },
					{ text: `${escapeHtml(last?.lastYear.label ?? '')} (same quarter last year)`, numeric: true },
					{ text: `${escapeHtml(last?.previous.label ?? '')} (quarter before)`, numeric: true },
					{ text: escapeHtml(report.quarters.at(-1)!.label), numeric: true },
					{ text: 'Year to date', numeric: true },
					{ text: 'RAG' },
					{ text: 'Trend' }
				],
				plan.map((row) => [
					`${escapeHtml(row.description)}${refTag(row.ref)}`,
					targetOf(row.unit, row.target),
					valueOf(row.unit, row.comparison.lastYear.value),
					valueOf(row.unit, row.comparison.previous.value),
					valueOf(row.unit, row.quarters.find((q) => q.quarter === report.quarter)?.actual ?? null),
					valueOf(row.unit, row.yearToDate),
					tag(row.rag) || '–',
					sparkline({ summary: `${row.ref}: ${row.trend.map((t) => `${t.label} ${valueOf(row.unit, t.value)}`).join(', ')}`, points: row.trend, target: row.unit === 'percent' ? row.target : null })
				])
			)
		);
	}

	if (report.context.rows.length) {
		const quarters = report.context.quarters;
		section(
			'demand',
			'Demand',
			`<p class="govuk-body">How much work arrived, quarter by quarter. Much of it is seasonal (the canvass, elections, the year end), so each quarter is best read beside the same quarter last year.</p>` +
				table(
					`Contacts received by type, and telephone calls offered, ${quarters[0]} to ${quarters.at(-1)}`,
					[{ text: 'Received or offered' }, ...quarters.map((q) => ({ text: escapeHtml(q), numeric: true })), { text: 'Change on a year ago', numeric: true }],
					report.context.rows.map((row) => {
						const now = row.values.at(-1)?.value ?? null;
						const then = row.values[0]?.value ?? null;
						const change = now === null || then === null || then === 0 ? '–' : `${now >= then ? '+' : '−'}${Math.abs(((now - then) / then) * 100).toFixed(0)}%`;
						return [escapeHtml(row.name), ...row.values.map((v) => (row.unit === 'percent' ? pct(v.value) : num(v.value))), change];
					})
				)
		);
	}

	if (report.phone) {
		const phone = report.phone;
		const quarters = phone.lines.filter((l) => l.quarter !== null);
		section(
			'phone',
			'Telephone calls',
			`<figure class="app-report__figure-chart" aria-labelledby="report-phone-chart-caption"><figcaption class="govuk-heading-s" id="report-phone-chart-caption">Phone service level by quarter${phone.targetPercent === null ? '' : `, against the ${phone.targetPercent}% target`}</figcaption>` +
				percentColumns({
					id: 'report-phone-chart',
					summary: `Phone service level by quarter: ${quarters.map((l) => `${l.label} ${pct(l.serviceLevel)}`).join(', ')}${phone.targetPercent === null ? '' : `; target ${phone.targetPercent}%`}`,
					columns: quarters.map((l) => ({ label: l.label, value: l.serviceLevel })),
					target: phone.targetPercent
				}) +
				`</figure>` +
				table(
					'Telephone calls by quarter',
					[
						{ text: 'Period' },
						{ text: 'Offered', numeric: true },
						{ text: 'Answered', numeric: true },
						{ text: 'Abandoned', numeric: true },
						{ text: 'Service level', numeric: true },
						{ text: 'Average speed of answer', numeric: true },
						{ text: 'Abandonment rate', numeric: true }
					],
					phone.lines.map((l) => [
						escapeHtml(l.label),
						num(l.offered),
						num(l.answered),
						num(l.abandoned),
						pct(l.serviceLevel),
						l.averageSpeedOfAnswer === null ? '–' : `${Math.round(l.averageSpeedOfAnswer)} s`,
						pct(l.abandonmentRate)
					])
				)
		);
	}

	if (report.duties.rows.length) {
		const { met, late, overdue, open } = report.duties.totals;
		const exceptions = report.duties.rows.filter((d) => d.status !== 'met');
		section(
			'duties',
			'Periodic duties',
			`<p class="govuk-body">${whole(met)} of ${count(report.duties.rows.length, 'periodic duty', 'periodic duties')} due in ${escapeHtml(report.period.label)} ${met === 1 ? 'was' : 'were'} done on time` +
				`${late ? `; ${late} late` : ''}${overdue ? `; ${overdue} overdue` : ''}${open ? `; ${open} not yet due` : ''}.${exceptions.length ? ' Only those not done on time are listed.' : ''}</p>` +
				(exceptions.length
					? table(
							`Periodic duties not done on time, ${report.period.label}`,
							[{ text: 'Duty' }, { text: 'Due' }, { text: 'Done' }, { text: 'Result' }],
							exceptions.map((d) => [
								`${escapeHtml(d.title)}: ${escapeHtml(occurrence(d.occurrence))}`,
								day(d.dueOn),
								day(d.doneOn),
								`<strong class="govuk-tag govuk-tag--${dutyColour[d.status]}">${dutyText[d.status]}</strong>`
							])
						)
					: '')
		);
	}

	if (report.risks.register.length) {
		section(
			'risks',
			'Risks',
			matrix(report.risks.matrix, `Risk matrix, ${report.quarters.at(-1)!.label}: residual likelihood and impact`) +
				table(
					'Risk register',
					[
						{ text: 'Risk' },
						{ text: 'Owner' },
						{ text: 'Controls' },
						{ text: 'Inherent', numeric: true },
						{ text: 'Residual', numeric: true },
						{ text: 'Target', numeric: true },
						{ text: 'Band' },
						{ text: 'Direction' },
						{ text: 'Last reviewed' }
					],
					report.risks.register.map((r) => [
						`<span class="app-report__ref">${escapeHtml(r.ref)}</span> ${escapeHtml(r.title)}`,
						escapeHtml(r.owner),
						escapeHtml(r.controls) || '–',
						`${r.inherent.likelihood}×${r.inherent.impact} = ${r.inherent.score}`,
						`${r.residual.likelihood}×${r.residual.impact} = ${r.residual.score}`,
						`${r.target.likelihood}×${r.target.impact} = ${r.target.score}`,
						escapeHtml(r.band),
						travel(r.direction),
						day(r.lastReviewedOn)
					])
				),
			true
		);
	}
	parts.push(feedbackHtml(report.feedback, report.kind));
	return parts.join('');
}

/** Commentary given for the report's last quarter on items that are not exceptions. */
function otherCommentary(report: Report): string {
	const exceptional = new Set(report.exceptions.map((e) => e.key));
	const quarter = report.quarters.at(-1)!;
	const notes = report.commentary.filter((c) => c.quarter === quarter.number && !exceptional.has(c.indicator));
	if (!notes.length) return '';
	const nameOf = (key: string) => {
		const line = report.standards.lines.find((s) => s.code === key);
		if (line) return `${escapeHtml(line.title)}${refTag(line.ref)}`;
		const row = report.indicators.rows.find((r) => r.ref === key);
		return row ? `${escapeHtml(row.description)}${refTag(row.ref)}` : escapeHtml(key);
	};
	return (
		`<h3 class="govuk-heading-m">Other commentary, ${escapeHtml(quarter.label)}</h3>` +
		notes
			.map(
				(c) =>
					`<div class="app-report__comment"><h4 class="govuk-heading-s">${nameOf(c.indicator)}</h4>` +
					`<p class="govuk-body app-report__comment-body">${escapeHtml(c.body)}</p>` +
					`<p class="govuk-body-s app-report__muted">${c.author ? `${escapeHtml(c.author)}, ` : ''}${escapeHtml(dateTime(c.at))}</p></div>`
			)
			.join('')
	);
}

const bandClass = (band: string) => `app-matrix__cell--${band.toLowerCase().replace(/[^a-z]+/g, '-')}`;
const likelihoodNames: Record<number, string> = { 4: 'Very likely', 3: 'Likely', 2: 'Unlikely', 1: 'Remote' };
const impactNames: Record<number, string> = { 1: 'Marginal', 2: 'Significant', 3: 'Critical', 4: 'Catastrophic' };

/** The 4×4 matrix as the service plan draws it: likelihood 4 → 1 down, impact 1 → 4 across. */
export function matrix(cells: MatrixCell[], caption: string): string {
	const cell = (l: number, i: number) => cells.find((c) => c.likelihood === l && c.impact === i);
	const rows = [4, 3, 2, 1]
		.map((l) => {
			const tds = [1, 2, 3, 4]
				.map((i) => {
					const c = cell(l, i);
					const risks = (c?.risks ?? [])
						.map((r) => {
							const moved = r.movedFrom && (r.movedFrom.likelihood !== l || r.movedFrom.impact !== i);
							return `<li><span class="app-report__ref">${escapeHtml(r.ref)}</span> ${escapeHtml(r.title)}${moved ? ` <span class="app-matrix__moved">(was ${r.movedFrom!.likelihood}×${r.movedFrom!.impact})</span>` : ''}</li>`;
						})
						.join('');
					return `<td class="app-matrix__cell ${c ? bandClass(c.band) : ''}"><span class="app-matrix__score">${l * i} ${c ? escapeHtml(c.band) : ''}</span>${risks ? `<ul class="app-matrix__risks">${risks}</ul>` : ''}</td>`;
				})
				.join('');
			return `<tr><th scope="row" class="app-matrix__axis">${l} ${likelihoodNames[l]}</th>${tds}</tr>`;
		})
		.join('');
	const head = [1, 2, 3, 4].map((i) => `<th scope="col" class="app-matrix__axis">${i} ${impactNames[i]}</th>`).join('');
	return (
		`<div class="app-table-scroll" role="region" aria-label="${escapeHtml(caption)}" tabindex="0"><table class="app-matrix"><caption class="govuk-table__caption govuk-table__caption--s">${escapeHtml(caption)}</caption>` +
		`<thead><tr><td class="app-matrix__corner">Likelihood ↓ · Impact →</td>${head}</tr></thead><tbody>${rows}</tbody></table></div>`
	);
}

/** Report-specific styles, used by the report page and the print view alike. */
export const REPORT_CSS = `
.app-report__headlines{display:grid;grid-template-columns:repeat(auto-fit,minmax(165px,1fr));gap:15px;margin-bottom:20px}
.app-report__headline{padding:15px;border-top:5px solid #1d70b8;background:#f3f2f1;break-inside:avoid}
.app-report__headline-title{margin-bottom:5px}
.app-report__figure{font-weight:700;font-size:36px;line-height:1.1;margin:0 0 5px}
.app-report__ref{font-family:monospace;font-size:0.9em;color:#484949;white-space:nowrap}
.app-report__hash{word-break:break-all;font-size:14px}
.app-report__muted{color:#484949}
.app-report__legend{border-left:5px solid #1d70b8;padding:4px 0 4px 12px;margin:16px 0;font-size:0.9em}
.app-report__legend .govuk-list{margin:0}
.app-report__exception{border-left:6px solid #b1b4b6;padding-left:12px;margin-bottom:18px;break-inside:avoid}
.app-report__exception--red{border-left-color:#d4351c}
.app-report__exception--amber{border-left-color:#ffdd00}
.app-report__exception-facts .govuk-summary-list__key{width:22%}
.app-report__keep{break-inside:avoid}
.app-spark{display:block;width:110px;height:30px}
.app-report__table tbody th[scope=row]{min-width:150px}
.app-report__comment{border-left:5px solid #b1b4b6;padding-left:15px;margin-bottom:20px;break-inside:avoid}
.app-report__comment-body{white-space:pre-wrap}
.app-report__figure-chart{margin:0 0 30px;break-inside:avoid}
.app-report__section{margin-bottom:30px}
.app-svg{max-width:720px;height:auto;display:block;font-family:"GDS Transport",arial,sans-serif}
.app-svg text{font-family:"GDS Transport",arial,sans-serif;fill:#0b0c0c}
.app-svg__axis{font-size:12px}
.app-svg__label{font-size:13px}
.app-svg__value{font-size:12px;font-weight:700}
.app-matrix{border-collapse:collapse;margin-bottom:30px;min-width:560px;width:100%;font-family:"GDS Transport",arial,sans-serif;color:#0b0c0c}
.app-matrix caption{text-align:left;margin-bottom:10px}
.app-matrix td,.app-matrix th{border:2px solid #fff;padding:8px;vertical-align:top;font-size:16px}
.app-matrix__axis{background:#f3f2f1;text-align:left;font-weight:700}
.app-matrix__corner{font-size:14px}
.app-matrix__cell{width:21%;height:80px;color:#0b0c0c}
.app-matrix__cell--low{background:#cce2d8}
.app-matrix__cell--medium{background:#fff7bf}
.app-matrix__cell--high{background:#fcd6c3}
.app-matrix__cell--very-high{background:#f4cdc6}
.app-matrix__score{display:block;font-weight:700;font-size:14px;margin-bottom:4px}
.app-matrix__risks{margin:0;padding:0;list-style:none;font-size:14px}
.app-matrix__risks li{margin-bottom:4px}
.app-matrix__moved{font-style:italic}
@media print{
 .app-report__section--break{break-before:page}
 .app-report__section h2,.app-report__section h3,.app-report__section h4,figcaption,caption{break-after:avoid}
 .app-report__section h2+*,.app-report__section h3+*{break-before:avoid}
 .app-report__table tr,.app-matrix tr{break-inside:avoid}
 .app-report__table thead{display:table-header-group}
 .app-table-scroll{overflow:visible!important}
}
`;

/** GOV.UK Design System's look for the classes the report uses, for the self-contained print view. */
const PRINT_BASE_CSS = `
@page{size:A4;margin:20mm 15mm 18mm}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"GDS Transport",arial,sans-serif;color:#0b0c0c;font-size:11pt;line-height:1.35;margin:0;padding:0 2mm}
.govuk-heading-xl{font-size:26pt;line-height:1.1;margin:0 0 16px;font-weight:700}
.govuk-heading-l{font-size:18pt;margin:24px 0 12px;font-weight:700}
.govuk-heading-m{font-size:14pt;margin:18px 0 8px;font-weight:700}
.govuk-list--number{padding-left:20px;list-style:decimal}
.govuk-list--number li{margin-bottom:4px}
.govuk-heading-s{font-size:12pt;margin:0 0 8px;font-weight:700}
.govuk-caption-l{font-size:14pt;color:#484949;margin:0 0 4px}
.govuk-body,.govuk-list{margin:0 0 12px}
.govuk-body-s{font-size:10pt;margin:0}
.govuk-list--bullet{padding-left:20px}
.govuk-list--bullet li{margin-bottom:4px}
.govuk-inset-text{border-left:8px solid #b1b4b6;padding:8px 12px;margin:12px 0}
.govuk-summary-list{margin:0 0 20px;display:table;width:100%}
.govuk-summary-list__row{display:table-row}
.govuk-summary-list__key,.govuk-summary-list__value{display:table-cell;padding:6px 10px 6px 0;border-bottom:1px solid #b1b4b6;margin:0}
.govuk-summary-list__key{font-weight:700;width:30%}
.govuk-table{border-collapse:collapse;width:100%;margin-bottom:20px;font-size:9.5pt}
.govuk-table__caption{text-align:left;font-weight:700;font-size:11pt;margin-bottom:6px}
.govuk-table__header,.govuk-table__cell{border-bottom:1px solid #b1b4b6;padding:5px 8px 5px 0;text-align:left;vertical-align:top}
.govuk-table__header{font-weight:700}
.govuk-table__header--numeric,.govuk-table__cell--numeric{text-align:right}
.app-report__table .govuk-table__cell--numeric{white-space:nowrap}
.govuk-tag{display:inline-block;padding:1px 6px;font-weight:700;font-size:9pt;white-space:nowrap}
.govuk-tag--green{background:#cce2d8;color:#005a30}
.govuk-tag--yellow{background:#fff7bf;color:#594d00}
.govuk-tag--red{background:#f4cdc6;color:#2a0b06}
.govuk-tag--grey{background:#e5e6e7;color:#0b0c0c}
.app-report__cover{border-bottom:10px solid #1d70b8;margin-bottom:20px}
.app-report__figure{font-size:24pt}
.app-report__headlines{grid-template-columns:repeat(4,1fr);gap:8px}
.app-report__headline{padding:8px}
.app-matrix td,.app-matrix th{font-size:9.5pt}
`;

/** The self-contained A4 print view: cover and sections, print CSS, no scripts. */
export function printDocument(report: Report, status: ReportStatus): string {
	return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)} – ${escapeHtml(report.organisation.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${PRINT_BASE_CSS}${REPORT_CSS}</style>
</head>
<body>
<main class="app-report">
${cover(report, status)}
${sections(report)}
</main>
</body>
</html>`;
}
