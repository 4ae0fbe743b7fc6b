/**
 * Published reports: "Publish" freezes a report by storing the whole built object. Every later
 * view or download of a published report renders that stored snapshot, never the live data.
 * Publishing the same report again stores version n+1; earlier versions are kept (and can be
 * opened), so what a committee was sent can always be shown exactly as it was.
 */
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { QuarterNumber } from '../../engine/periods.ts';
import * as audit from '../audit/record.ts';
import { rows, type Database } from '../db/client.ts';
import { REPORT_FORMAT, upgrade, type Report, type ReportKind } from './model.ts';
import { canonicalJson } from '../db/json.ts';
import * as schema from '../db/schema/index.ts';
import type { PdfStore } from './pdf.ts';


export interface ReportKey {
	organisation: string;
	kind: ReportKind;
	financialYear: number;
	quarter: QuarterNumber;
}

export interface PublishedSummary extends ReportKey {
	id: number;
	version: number;
	title: string;
	contentHash: string;
	publishedAt: string;
	/** Who published it; null for a committee report, which names no one (docs/rules.md "Privacy"): the audit log keeps it. */
	publishedBy: string | null;
}

export interface Published extends PublishedSummary {
	report: Report;
	/** Whether the stored snapshot still hashes to its recorded content hash. */
	intact: boolean;
}

export function contentHash(report: Report): string {
	return createHash('sha256').update(canonicalJson(report)).digest('hex');
}

/** Stores the report as the next published version of its (organisation, kind, year, quarter), audited. */
export async function publish(db: Database, report: Report, by: audit.Actor): Promise<PublishedSummary> {
	const hash = contentHash(report);
	return db.transaction(async (tx) => {
		const [organisation] = await rows<{ id: number }>(tx, sql`select id from organisations where code = ${report.organisation.code}`);
		if (!organisation) throw new Error(`There is no organisation '${report.organisation.code}'`);
		// One publisher at a time per organisation, so two clicks cannot both take version n+1.
		await tx.execute(sql`select id from organisations where id = ${organisation.id} for update`);
		const [inserted] = await rows<{ id: number; version: number; published_at: string }>(
			tx,
			sql`insert into published_reports (organisation_id, kind, financial_year, quarter, version, snapshot, content_hash, published_by, published_by_name)
				select ${organisation.id}, ${report.kind}, ${report.financialYear.startYear}, ${report.quarter},
					coalesce(max(version), 0) + 1, ${canonicalJson(report)}::jsonb, ${hash}, ${audit.audited(by).actorId}, ${audit.actorName(by)}
				from published_reports
				where organisation_id = ${organisation.id} and kind = ${report.kind} and financial_year = ${report.financialYear.startYear} and quarter = ${report.quarter}
				returning id, version, published_at`
		);
		const summary: PublishedSummary = {
			id: inserted!.id,
			organisation: report.organisation.code,
			kind: report.kind,
			financialYear: report.financialYear.startYear,
			quarter: report.quarter,
			version: inserted!.version,
			title: report.title,
			contentHash: hash,
			publishedAt: new Date(inserted!.published_at).toISOString(),
			publishedBy: audit.actorName(by)
		};
		await audit.record(tx, {
			// A report's publisher is audited by the name the report shows.
			actorId: audit.audited(by).actorId,
			actor: audit.actorName(by),
			action: 'publish',
			entity: 'report',
			entityId: summary.id,
			organisationId: organisation.id,
			after: { kind: summary.kind, financialYear: summary.financialYear, quarter: summary.quarter, version: summary.version, contentHash: hash, title: summary.title }
		});
		return summary;
	});
}

const columns = sql`p.id, o.code as organisation, p.kind, p.financial_year, p.quarter, p.version, p.content_hash, p.published_at, p.published_by_name, p.snapshot->>'title' as title`;

type SummaryRow = { id: number; organisation: string; kind: ReportKind; financial_year: number; quarter: number; version: number; content_hash: string; published_at: string; published_by_name: string; title: string };

function summaryOf(row: SummaryRow): PublishedSummary {
	return {
		id: Number(row.id),
		organisation: row.organisation,
		kind: row.kind,
		financialYear: Number(row.financial_year),
		quarter: Number(row.quarter) as QuarterNumber,
		version: Number(row.version),
		title: row.title,
		contentHash: row.content_hash,
		publishedAt: new Date(row.published_at).toISOString(),
		publishedBy: row.kind === 'committee' ? null : row.published_by_name
	};
}

/** The published version of a report: the latest, or the one asked for; null when never published. */
export async function get(db: Database, key: ReportKey, version?: number): Promise<Published | null> {
	const [row] = await rows<SummaryRow & { snapshot: string }>(
		db,
		sql`select ${columns}, p.snapshot::text as snapshot
			from published_reports p join organisations o on o.id = p.organisation_id
			where o.code = ${key.organisation} and p.kind = ${key.kind} and p.financial_year = ${key.financialYear} and p.quarter = ${key.quarter}
				${version === undefined ? sql`` : sql`and p.version = ${version}`}
			order by p.version desc limit 1`
	);
	if (!row) return null;
	const report = JSON.parse(row.snapshot) as Report;
	const summary = summaryOf(row);
	// An earlier format is still intact if it hashes as stored; it is shown with the parts it lacks left empty.
	const intact = contentHash(report) === summary.contentHash && report.format <= REPORT_FORMAT;
	return { ...summary, report: upgrade(report), intact };
}

/** Every published version, newest first; optionally one organisation's or one kind's. */
export async function list(db: Database, filter: { organisation?: string | null; kind?: ReportKind | null } = {}): Promise<PublishedSummary[]> {
	const found = await rows<SummaryRow>(
		db,
		sql`select ${columns}
			from published_reports p join organisations o on o.id = p.organisation_id
			where true
				${filter.organisation ? sql`and o.code = ${filter.organisation}` : sql``}
				${filter.kind ? sql`and p.kind = ${filter.kind}` : sql``}
			order by p.published_at desc, p.id desc
			limit 500`
	);
	return found.map(summaryOf);
}

/** Printed PDFs of published versions, kept in `report_pdfs` (reports/pdf.ts prints each once). */
export function pdfStore(db: Database): PdfStore {
	return {
		async get(documentHash) {
			const [found] = await db.select({ pdf: schema.reportPdfs.pdf }).from(schema.reportPdfs).where(eq(schema.reportPdfs.documentHash, documentHash));
			return found ? new Uint8Array(found.pdf) : null;
		},
		async put(documentHash, pdf) {
			await db.insert(schema.reportPdfs).values({ documentHash, pdf }).onConflictDoNothing();
		}
	};
}
