/**
 * A report as HTML: the sections the report page shows, and the self-contained A4 print view
 * (inline CSS and SVG, no script, no external request) that Chromium turns into the PDF.
 */
import type { Rag } from '../../engine/performance.ts';
import { dateTime, day, occurrence, percent as pct } from '../../format.ts';
import { ragColour, ragLabel } from '../../rag.ts';
import { escapeHtml } from '../html.ts';
import { percentBars, percentColumns } from './charts.ts';
import type { Report } from './model.ts';
import type { DutyStatus, MatrixCell } from './sections.ts';

export interface ReportStatus {
	/** Null for a draft (not published). */
	version: number | null;
	publishedAt: string | null;
	publishedBy: string | null;
	contentHash: string | null;
}

const num = (value: number | null) => (value === null ? '–' : value.toLocaleString('en-GB'));
/** '1 April 2026' (GOV.UK, src/lib/format.ts), or a dash. */
export const formatDate = (iso: string | null) => day(iso);
/** '1 April 2026, 2:30pm' (UK time). */
export const formatInstant = (iso: string) => dateTime(iso);

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

/** An indicator by its council name: a standard's by its title (its code is no label), ES01 and the like with their reference. */
const indicatorName = (row: { ref: string; description: string }) =>
	row.ref.includes('.') ? escapeHtml(row.description) : `<span class="app-report__ref">${escapeHtml(row.ref)}</span> ${escapeHtml(row.description)}`;

/** The cover block: organisation, title, period and whether (and when) it was published. */
export function cover(report: Report, status: ReportStatus): string {
	const facts: [string, string][] = [
		['Organisation', escapeHtml(report.organisation.name)],
		['Period', `${escapeHtml(report.period.label)} (${formatDate(report.period.start)} to ${formatDate(report.period.end)})`],
		['Figures', `as recorded on ${escapeHtml(formatInstant(report.builtAt))}, for contacts up to ${formatDate(report.dataTo)}`],
		[
			'Status',
			status.version === null
				? 'Draft: not published. The figures change as data arrives.'
				: `Published version ${status.version} on ${escapeHtml(formatInstant(status.publishedAt!))}${status.publishedBy ? ` by ${escapeHtml(status.publishedBy)}` : ''}. These figures are frozen.`
		]
	];
	return (
		`<header class="app-report__cover">` +
		`<p class="govuk-caption-l">${escapeHtml(report.organisation.name)}</p>` +
		`<h1 class="govuk-heading-xl">${escapeHtml(report.title)}</h1>` +
		`<dl class="govuk-summary-list app-report__facts">${facts
			.map(([k, v]) => `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd></div>`)
			.join('')}</dl></header>`
	);
}

/** Every section after the cover, in the order the board reads them. */
export function sections(report: Report): string {
	const parts: string[] = [];
	const section = (id: string, title: string, content: string, pageBreak = false) =>
		parts.push(`<section class="app-report__section${pageBreak ? ' app-report__section--break' : ''}" aria-labelledby="report-${id}"><h2 class="govuk-heading-l" id="report-${id}">${title}</h2>${content}</section>`);

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
			(report.gaps.length ? `<div class="govuk-inset-text"><p class="govuk-body">Not included in this report:</p><ul class="govuk-list govuk-list--bullet">${report.gaps.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul></div>` : '')
	);

	const q = report.quarters;
	if (report.indicators.rows.length) {
		const allQuarters = [1, 2, 3, 4] as const;
		section(
			'indicators',
			'Performance indicators',
			table(
				`Performance indicators, ${report.financialYear.label}`,
				[
					{ text: 'Indicator' },
					{ text: 'Last year', numeric: true },
					{ text: 'Target', numeric: true },
					...allQuarters.map((n) => ({ text: `Q${n}`, numeric: true })),
					{ text: 'Year to date', numeric: true },
					{ text: 'RAG' },
					{ text: 'Direction' }
				],
				report.indicators.rows.map((row) => {
					const value = (v: number | null) => (row.unit === 'percent' ? pct(v) : num(v));
					return [
						indicatorName(row),
						value(row.lastYearActual),
						row.target === null ? '–' : row.unit === 'percent' ? `${row.target}%` : num(row.target),
						...allQuarters.map((n) => value(row.quarters.find((x) => x.quarter === n)?.actual ?? null)),
						value(row.yearToDate),
						tag(row.rag) || '–',
						travel(row.direction)
					];
				})
			)
		);
	}

	const lines = report.standards.lines;
	const chart = report.standards.chart;
	section(
		'standards',
		'Customer service standards',
		`<figure class="app-report__figure-chart" aria-labelledby="report-standards-chart-caption"><figcaption class="govuk-heading-s" id="report-standards-chart-caption">${escapeHtml(chart.caption)}</figcaption>` +
			percentBars({ id: 'report-standards-chart', summary: chart.summary, bars: chart.bars.map((b) => ({ ...b, label: lines.find((l) => l.code === b.label)?.title ?? b.label })) }) +
			`</figure>` +
			table(
				`Compliance by standard and quarter`,
				[
					{ text: 'Standard' },
					{ text: 'Target', numeric: true },
					...q.map((x) => ({ text: `Q${x.number}`, numeric: true })),
					...(report.kind === 'committee' ? [{ text: report.quarter === 2 ? 'Half year' : 'Year', numeric: true }] : []),
					{ text: `Met (${report.kind === 'board' ? `Q${report.quarter}` : report.quarter === 2 ? 'half year' : 'year'})`, numeric: true },
					{ text: 'Breached', numeric: true },
					{ text: 'RAG' },
					{ text: 'Direction' }
				],
				lines.map((s) => [
					escapeHtml(s.title),
					`${s.targetPercent}%`,
					...s.quarters.map((x) => pct(x.compliance)),
					...(report.kind === 'committee' ? [pct(s.period.compliance)] : []),
					num(s.period.met),
					num(s.period.breached),
					tag(s.period.rag) || '–',
					travel(s.direction)
				])
			),
		true
	);

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
		section(
			'duties',
			'Periodic duties',
			table(
				`Periodic duties due in ${report.period.label}`,
				[{ text: 'Duty' }, { text: 'Due' }, { text: 'Done' }, { text: 'Result' }],
				report.duties.rows.map((d) => [
					`${escapeHtml(d.title)}: ${escapeHtml(occurrence(d.occurrence))}`,
					formatDate(d.dueOn),
					formatDate(d.doneOn),
					`<strong class="govuk-tag govuk-tag--${dutyColour[d.status]}">${dutyText[d.status]}</strong>`
				])
			)
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
						formatDate(r.lastReviewedOn)
					])
				),
			true
		);
	}

	if (report.commentary.length) {
		section(
			'commentary',
			'Commentary',
			report.commentary
				.map(
					(c) =>
						`<div class="app-report__comment"><h3 class="govuk-heading-s">${indicatorName(report.indicators.rows.find((r) => r.ref === c.indicator) ?? { ref: c.indicator, description: c.indicator })}, Q${c.quarter} ${escapeHtml(report.financialYear.label)}</h3>` +
						`<p class="govuk-body app-report__comment-body">${escapeHtml(c.body)}</p>` +
						`<p class="govuk-body-s app-report__muted">${c.author ? `${escapeHtml(c.author)}, ` : ''}${escapeHtml(formatInstant(c.at))}</p></div>`
				)
				.join('')
		);
	}
	return parts.join('');
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
 .app-report__section h2{break-after:avoid}
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
