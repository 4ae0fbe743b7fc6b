/**
 * The report's charts as inline SVG, drawn on the server: the same picture on the page, in the
 * print view and in the PDF (nothing to wait for, nothing animated), each with a text alternative
 * and its figures in a table beside it.
 */

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (value: number) => `${value.toFixed(1)}%`;

export interface BarChartInput {
	id: string;
	/** Text alternative: what the chart shows, with every figure. */
	summary: string;
	bars: { label: string; value: number | null; target: number | null }[];
}

/** A label that fits its column: whole words up to `max` characters, then an ellipsis (the full name is in the text alternative and the table). */
function fit(label: string, max: number): string {
	if (label.length <= max) return label;
	const cut = label.slice(0, max - 1);
	return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).trimEnd()}…`;
}

/**
 * Horizontal bars, 0–100%, one per item by name, each with its target marked by a black tick;
 * the values stand in their own column to the right of the plot, clear of the bars and ticks.
 */
export function percentBars({ id, summary, bars }: BarChartInput): string {
	const rowHeight = 26;
	const labelWidth = 300;
	const plot = 320;
	const right = 90;
	const top = 8;
	const height = top + bars.length * rowHeight + 28;
	const width = labelWidth + plot + right;
	const x = (v: number) => labelWidth + (Math.max(0, Math.min(100, v)) / 100) * plot;
	const grid = [0, 25, 50, 75, 100]
		.map((v) => `<line x1="${x(v)}" x2="${x(v)}" y1="${top}" y2="${height - 22}" stroke="#b1b4b6" stroke-width="1"/><text x="${x(v)}" y="${height - 8}" text-anchor="middle" class="app-svg__axis">${v}%</text>`)
		.join('');
	const rows = bars
		.map((bar, i) => {
			const y = top + i * rowHeight;
			const value = bar.value === null ? '' : `<rect x="${labelWidth}" y="${y + 5}" width="${x(bar.value) - labelWidth}" height="${rowHeight - 10}" fill="#1d70b8"/>`;
			const target =
				bar.target === null
					? ''
					: `<line x1="${x(bar.target)}" x2="${x(bar.target)}" y1="${y + 1}" y2="${y + rowHeight - 1}" stroke="#0b0c0c" stroke-width="3"/>`;
			return (
				`<text x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end" class="app-svg__label">${esc(fit(bar.label, 42))}</text>` +
				value +
				target +
				`<text x="${labelWidth + plot + right - 4}" y="${y + rowHeight / 2 + 4}" text-anchor="end" class="app-svg__value">${bar.value === null ? 'no contacts' : fmt(bar.value)}</text>`
			);
		})
		.join('');
	return (
		`<svg class="app-svg" id="${esc(id)}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(summary)}" preserveAspectRatio="xMinYMin meet">` +
		`<title>${esc(summary)}</title>${grid}${rows}</svg>`
	);
}

export interface ColumnChartInput {
	id: string;
	summary: string;
	columns: { label: string; value: number | null }[];
	target: number | null;
}

/** Vertical bars by quarter, 0–100%, with the target as a dashed line. */
export function percentColumns({ id, summary, columns, target }: ColumnChartInput): string {
	const width = 640;
	const height = 240;
	const left = 48;
	const bottom = 36;
	const top = 12;
	const plotHeight = height - top - bottom;
	const slot = (width - left - 10) / Math.max(1, columns.length);
	const y = (v: number) => top + plotHeight - (Math.max(0, Math.min(100, v)) / 100) * plotHeight;
	const grid = [0, 25, 50, 75, 100]
		.map((v) => `<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#b1b4b6" stroke-width="1"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" class="app-svg__axis">${v}%</text>`)
		.join('');
	const bars = columns
		.map((c, i) => {
			const cx = left + slot * i + slot / 2;
			const w = Math.min(70, slot * 0.6);
			const bar = c.value === null ? '' : `<rect x="${cx - w / 2}" y="${y(c.value)}" width="${w}" height="${y(0) - y(c.value)}" fill="#1d70b8"/>`;
			const label = `<text x="${cx}" y="${height - bottom + 18}" text-anchor="middle" class="app-svg__label">${esc(c.label)}</text>`;
			const value = `<text x="${cx}" y="${(c.value === null ? y(0) : y(c.value)) - 5}" text-anchor="middle" class="app-svg__value">${c.value === null ? 'no calls' : fmt(c.value)}</text>`;
			return bar + label + value;
		})
		.join('');
	const targetLine =
		target === null
			? ''
			: `<line x1="${left}" x2="${width - 10}" y1="${y(target)}" y2="${y(target)}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>` +
				`<text x="${width - 12}" y="${y(target) - 5}" text-anchor="end" class="app-svg__axis">Target ${target}%</text>`;
	return (
		`<svg class="app-svg" id="${esc(id)}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(summary)}" preserveAspectRatio="xMinYMin meet">` +
		`<title>${esc(summary)}</title>${grid}${bars}${targetLine}</svg>`
	);
}

export interface SparklineInput {
	/** Text alternative, with every figure. */
	summary: string;
	points: { label: string; value: number | null }[];
	/** Drawn as a dashed line; null for none. */
	target: number | null;
}

/** A small trend line for a table cell: the points (a gap where there is no figure), the latest one marked, the target dashed. */
export function sparkline({ summary, points, target }: SparklineInput): string {
	const width = 110;
	const height = 30;
	const pad = 4;
	const values = points.map((p) => p.value).filter((v): v is number => v !== null);
	if (!values.length) return '–';
	const all = target === null ? values : [...values, target];
	let low = Math.min(...all);
	let high = Math.max(...all);
	if (high - low < 10) {
		const middle = (high + low) / 2;
		low = middle - 5;
		high = middle + 5;
	}
	const x = (i: number) => pad + (i * (width - 2 * pad)) / Math.max(1, points.length - 1);
	const y = (v: number) => height - pad - ((v - low) / (high - low)) * (height - 2 * pad);
	const segments: string[] = [];
	let current: string[] = [];
	points.forEach((p, i) => {
		if (p.value === null) {
			if (current.length) segments.push(current.join(' '));
			current = [];
		} else current.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
	});
	if (current.length) segments.push(current.join(' '));
	const lines = segments.map((s) => (s.includes(' ') ? `<polyline points="${s}" fill="none" stroke="#1d70b8" stroke-width="2"/>` : '')).join('');
	const dots = points
		.map((p, i) => (p.value === null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="${i === points.length - 1 ? 3.5 : 2}" fill="${i === points.length - 1 ? '#0b0c0c' : '#1d70b8'}"/>`))
		.join('');
	const targetLine = target === null ? '' : `<line x1="${pad}" x2="${width - pad}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}" stroke="#505a5f" stroke-width="1" stroke-dasharray="3 2"/>`;
	return `<svg class="app-spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(summary)}"><title>${esc(summary)}</title>${targetLine}${lines}${dots}</svg>`;
}
