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

/** Horizontal bars, 0–100%, one per item, each with its target marked by a black tick. */
export function percentBars({ id, summary, bars }: BarChartInput): string {
	const rowHeight = 26;
	const labelWidth = 300; // room for a standard's name (not its code)
	const plot = 430;
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
				`<text x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end" class="app-svg__label">${esc(bar.label)}</text>` +
				value +
				target +
				`<text x="${Math.max(bar.value === null ? labelWidth : x(bar.value), bar.target === null ? 0 : x(bar.target)) + 6}" y="${y + rowHeight / 2 + 4}" class="app-svg__value">${bar.value === null ? 'no contacts' : fmt(bar.value)}</text>`
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
