/**
 * Every number in a report as one flat list: the CSV download, the "what changed since
 * publication" comparison and the tests all read the report through this.
 */
import type { Report } from './model.ts';

export interface Figure {
	/** Stable identity across builds: 'standard:email.reply:Q2:compliance'. */
	key: string;
	section: 'Standards' | 'Phone' | 'Indicators' | 'Demand' | 'Duties' | 'Risks';
	/** The standard, indicator, duty or risk: code or reference. */
	ref: string;
	/** Its name for people. */
	name: string;
	/** The quarter ('Q2 2025/26') or the report's whole period. */
	period: string;
	measure: string;
	value: number | string | null;
	unit: 'percent' | 'count' | 'seconds' | 'score' | 'date' | 'text';
}

export function figures(report: Report): Figure[] {
	const out: Figure[] = [];
	const quarterLabel = (n: number) => report.quarters.find((q) => q.number === n)?.label ?? `Q${n} ${report.financialYear.label}`;

	for (const s of report.standards.lines) {
		const add = (period: string, slot: string, measure: string, value: number | null, unit: Figure['unit']) =>
			out.push({ key: `standard:${s.code}:${slot}:${measure}`, section: 'Standards', ref: s.code, name: s.title, period, measure, value, unit });
		add(report.period.label, 'period', 'target', s.targetPercent, 'percent');
		for (const q of s.quarters) {
			add(quarterLabel(q.quarter), `Q${q.quarter}`, 'met', q.met, 'count');
			add(quarterLabel(q.quarter), `Q${q.quarter}`, 'breached', q.breached, 'count');
			add(quarterLabel(q.quarter), `Q${q.quarter}`, 'compliance', q.compliance, 'percent');
		}
		// A board report's period is its last quarter, already listed.
		if (report.kind === 'committee') {
			add(report.period.label, 'period', 'met', s.period.met, 'count');
			add(report.period.label, 'period', 'breached', s.period.breached, 'count');
			add(report.period.label, 'period', 'compliance', s.period.compliance, 'percent');
		}
	}

	for (const line of report.phone?.lines ?? []) {
		const slot = line.quarter === null ? 'period' : `Q${line.quarter}`;
		const add = (measure: string, value: number | null, unit: Figure['unit']) =>
			out.push({ key: `phone:${slot}:${measure}`, section: 'Phone', ref: 'phone', name: 'Telephone calls', period: line.label, measure, value, unit });
		add('offered', line.offered, 'count');
		add('answered', line.answered, 'count');
		add('abandoned', line.abandoned, 'count');
		add('service level', line.serviceLevel, 'percent');
		add('average speed of answer', line.averageSpeedOfAnswer, 'seconds');
		add('abandonment rate', line.abandonmentRate, 'percent');
	}

	for (const row of report.indicators.rows) {
		const unit = row.unit;
		const add = (period: string, slot: string, measure: string, value: number | null) =>
			out.push({ key: `indicator:${row.ref}:${slot}:${measure}`, section: 'Indicators', ref: row.ref, name: row.description, period, measure, value, unit });
		add(`${report.financialYear.startYear - 1}/${String(report.financialYear.startYear % 100).padStart(2, '0')}`, 'last-year', 'actual', row.lastYearActual);
		add(report.financialYear.label, 'year', 'target', row.target);
		for (const q of row.quarters) add(quarterLabel(q.quarter), `Q${q.quarter}`, 'actual', q.actual);
		add(report.financialYear.label, 'year', 'year to date', row.yearToDate);
	}

	for (const row of report.context.rows) {
		for (const v of row.values) {
			out.push({ key: `demand:${row.ref}:${v.label}`, section: 'Demand', ref: row.ref, name: row.name, period: v.label, measure: row.measure, value: v.value, unit: row.unit });
		}
	}

	for (const duty of report.duties.rows) {
		const ref = `${duty.code} ${duty.occurrence}`;
		out.push({ key: `duty:${ref}:due`, section: 'Duties', ref: duty.code, name: `${duty.title}: ${duty.occurrence}`, period: report.period.label, measure: 'due', value: duty.dueOn, unit: 'date' });
		out.push({ key: `duty:${ref}:done`, section: 'Duties', ref: duty.code, name: `${duty.title}: ${duty.occurrence}`, period: report.period.label, measure: 'done', value: duty.doneOn, unit: 'date' });
		out.push({ key: `duty:${ref}:status`, section: 'Duties', ref: duty.code, name: `${duty.title}: ${duty.occurrence}`, period: report.period.label, measure: 'status', value: duty.status, unit: 'text' });
	}

	for (const risk of report.risks.register) {
		for (const [slot, score] of [['inherent', risk.inherent], ['residual', risk.residual], ['target', risk.target]] as const) {
			const add = (measure: string, value: number) =>
				out.push({ key: `risk:${risk.ref}:${slot}:${measure}`, section: 'Risks', ref: risk.ref, name: risk.title, period: quarterLabel(report.quarter), measure: `${slot} ${measure}`, value, unit: 'score' });
			add('likelihood', score.likelihood);
			add('impact', score.impact);
			add('score', score.score);
		}
	}
	return out;
}

export interface FigureChange {
	key: string;
	section: Figure['section'];
	name: string;
	period: string;
	measure: string;
	unit: Figure['unit'];
	published: Figure['value'];
	now: Figure['value'];
}

/** Figures whose value differs between the published snapshot and a fresh build (added and removed ones too). */
export function changes(published: Report, current: Report): FigureChange[] {
	const before = new Map(figures(published).map((f) => [f.key, f]));
	const after = new Map(figures(current).map((f) => [f.key, f]));
	const out: FigureChange[] = [];
	const same = (a: Figure['value'], b: Figure['value']) =>
		typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b;
	for (const key of new Set([...before.keys(), ...after.keys()])) {
		const a = before.get(key);
		const b = after.get(key);
		const was = a?.value ?? null;
		const is = b?.value ?? null;
		if (same(was, is)) continue;
		const f = (b ?? a)!;
		out.push({ key, section: f.section, name: f.name, period: f.period, measure: f.measure, unit: f.unit, published: was, now: is });
	}
	return out;
}
