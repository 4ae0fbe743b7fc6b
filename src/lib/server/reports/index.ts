/**
 * Board and committee reports: the report model, publishing (frozen snapshots), and its formats
 * (page sections and print view, PDF, CSV, XLSX). Import as a namespace:
 * `import * as reports from '$lib/server/reports/index.ts'`.
 */
export * from './model.ts';
export * from './figures.ts';
export * from './published.ts';
export * from './view.ts';
export { cover, sections, printDocument, REPORT_CSS, type ReportStatus } from './html.ts';
export { closePdfPrinter, renderPdf, PdfUnavailableError, PDF_PAGES } from './pdf.ts';
export { reportCsv } from './csv.ts';
export { reportXlsx, sheetNames } from './xlsx.ts';
