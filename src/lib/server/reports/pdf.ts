/**
 * The PDF: Chromium (through playwright-core) prints the self-contained A4 print view. Tagged
 * (accessible) PDF with an outline from the headings, and "Page n of m" in a running footer.
 * The charts are inline SVG, drawn before printing with nothing to load or animate.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { printDocument, type ReportStatus } from './html.ts';
import type { Report } from './model.ts';

export class PdfUnavailableError extends Error {}

/** Debian's Chromium, or CHROMIUM_PATH. */
export function chromiumExecutable(): string {
	const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!existsSync(path)) throw new PdfUnavailableError(`PDF output needs Chromium at ${path} (install the chromium package, or set CHROMIUM_PATH)`);
	return path;
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function renderPdf(report: Report, status: ReportStatus): Promise<Buffer> {
	const browser = await chromium.launch({
		executablePath: chromiumExecutable(),
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	try {
		const page = await browser.newPage();
		// Nothing in the print view may reach the network.
		await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
		await page.emulateMedia({ media: 'print', reducedMotion: 'reduce' });
		await page.setContent(printDocument(report, status), { waitUntil: 'load' });
		await page.evaluate(() => document.fonts.ready.then(() => undefined));
		const running = `${esc(report.organisation.name)} · ${esc(report.title)}${status.version === null ? ' · DRAFT' : ` · version ${status.version}`}`;
		const pdf = await page.pdf({
			format: 'A4',
			printBackground: true,
			tagged: true,
			outline: true,
			displayHeaderFooter: true,
			headerTemplate: `<div style="font:8pt arial,sans-serif;color:#484949;width:100%;padding:0 15mm;">${running}</div>`,
			footerTemplate: `<div style="font:8pt arial,sans-serif;color:#484949;width:100%;padding:0 15mm;display:flex;justify-content:space-between;"><span>${esc(report.period.label)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
			margin: { top: '20mm', bottom: '18mm', left: '15mm', right: '15mm' }
		});
		return pdf;
	} finally {
		await browser.close();
	}
}
