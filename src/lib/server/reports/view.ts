/**
 * What the report page and the downloads show for one report: the published snapshot when there
 * is one (with what has changed since), otherwise the report built from the data now.
 */
import { sql } from 'drizzle-orm';
import { organisationVisible } from '../directory/scope.ts';
import type { Viewer } from '../auth/access.ts';
import { rows, type Database } from '../db/client.ts';
import { changes, type FigureChange } from './figures.ts';
import { reportCsv } from './csv.ts';
import { printDocument, type ReportStatus } from './html.ts';
import { renderPdf } from './pdf.ts';
import { reportXlsx } from './xlsx.ts';
import { build, REPORT_KINDS, type Report, type ReportKind } from './model.ts';
import * as published from './published.ts';

export interface ReportView {
	report: Report;
	status: ReportStatus;
	/** Every published version of this report, newest first. */
	versions: published.PublishedSummary[];
	/** For a published report: figures that differ in the data now; null for a draft. */
	changes: FigureChange[] | null;
	/** Whether the snapshot still matches its content hash. */
	intact: boolean;
}

export interface ViewOptions {
	/** A published version (default: the latest). */
	version?: number;
	/** The report built from the data now, even when published (the draft of the next version). */
	live?: boolean;
	/** Committee viewers: published reports only (null when there is none). */
	publishedOnly?: boolean;
	/** Skip the comparison with the live data (downloads do not show it). */
	compare?: boolean;
	now?: Date;
}

const draft: ReportStatus = { version: null, publishedAt: null, publishedBy: null, contentHash: null };

export async function view(db: Database, key: published.ReportKey, options: ViewOptions = {}): Promise<ReportView | null> {
	const { compare = true, now = new Date() } = options;
	const versions = (await published.list(db, { organisation: key.organisation, kind: key.kind })).filter(
		(p) => p.financialYear === key.financialYear && p.quarter === key.quarter
	);
	const wantsPublished = !options.live || options.publishedOnly;
	const stored = wantsPublished && versions.length ? await published.get(db, key, options.version) : null;
	if (options.version !== undefined && !stored) return null;
	if (stored) {
		// Someone who may see published reports only must not see today's unpublished figures in the changes.
		const fresh = compare && !options.publishedOnly ? await build(db, key, now) : null;
		return {
			report: stored.report,
			// A committee report names no one, not even who published it (published.ts leaves the name out).
			status: { version: stored.version, publishedAt: stored.publishedAt, publishedBy: stored.publishedBy, contentHash: stored.contentHash },
			versions,
			changes: fresh ? changes(stored.report, fresh) : null,
			intact: stored.intact
		};
	}
	if (options.publishedOnly) return null;
	return { report: await build(db, key, now), status: draft, versions, changes: null, intact: true };
}

/** What a viewer may open: committee members see published committee reports only. */
export function accessOf(viewer: Pick<Viewer, 'role'>): { kinds: readonly ReportKind[]; publishedOnly: boolean } {
	return viewer.role === 'committee' ? { kinds: ['committee'], publishedOnly: true } : { kinds: REPORT_KINDS, publishedOnly: false };
}

/** Whether the viewer's organisation (if they have one) is the report's. */
export { organisationVisible };

/**
 * The report as this viewer may see it, or null (answer 404: a committee viewer asking for a
 * board report or an unpublished one, or another organisation's report, learns nothing of it).
 */
export async function viewFor(db: Database, key: published.ReportKey, viewer: Viewer, options: Omit<ViewOptions, 'publishedOnly'> = {}): Promise<ReportView | null> {
	const access = accessOf(viewer);
	if (!access.kinds.includes(key.kind)) return null;
	if (!(await organisationVisible(db, viewer, key.organisation))) return null;
	return view(db, key, { ...options, live: access.publishedOnly ? false : options.live, publishedOnly: access.publishedOnly });
}

/** The published reports this viewer may open, newest first. */
export async function publishedFor(db: Database, viewer: Viewer): Promise<published.PublishedSummary[]> {
	const access = accessOf(viewer);
	const all = await published.list(db);
	const codes = viewer.organisationId === null ? null : await rows<{ code: string }>(db, sql`select code from organisations where id = ${viewer.organisationId}`);
	return all.filter((p) => access.kinds.includes(p.kind) && (codes === null || codes.some((c) => c.code === p.organisation)));
}

/** One of a report's files: the PDF, the workbook, the CSV or the A4 print view. */
export async function renderFile(
	view: ReportView,
	file: 'report.pdf' | 'report.xlsx' | 'report.csv' | 'print.html',
	/** Where a published version's PDF is kept once printed (reports/pdf.ts). */
	db?: Database
): Promise<Uint8Array<ArrayBuffer> | string> {
	switch (file) {
		case 'report.pdf':
			return new Uint8Array(await renderPdf(view.report, view.status, db && view.status.version !== null ? published.pdfStore(db) : undefined));
		case 'report.xlsx':
			return new Uint8Array(await reportXlsx(view.report, view.status));
		case 'report.csv':
			return reportCsv(view.report);
		case 'print.html':
			return printDocument(view.report, view.status);
	}
}
