/**
 * The PDF: Chromium (through playwright-core) prints the self-contained A4 print view. Tagged
 * (accessible) PDF with an outline from the headings, and "Page n of m" in a running footer.
 * The charts are inline SVG, drawn before printing with nothing to load or animate.
 *
 * One Chromium per process, launched on first use and closed after a minute with nothing to
 * print, prints at most PDF_PAGES documents at once; further requests wait their turn in order.
 * A document is printed once: requests for the same one while it prints share that print, a
 * printed one is kept in memory (the last few), and a published version's PDF is also stored in
 * the database (`report_pdfs`) so no later request, restart or other server prints it again.
 * Documents are keyed by the SHA-256 of everything printed, so two ways of showing a version
 * never share a PDF, and a draft whose figures have changed is printed afresh.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { printDocument, type ReportStatus } from './html.ts';
import type { Report } from './model.ts';

export class PdfUnavailableError extends Error {}

/** Pages Chromium prints at once; more requests queue. */
export const PDF_PAGES = 2;
const IDLE_CLOSE_MS = 60_000;
const KEPT_IN_MEMORY = 16;

/** Debian's Chromium, or CHROMIUM_PATH. */
export function chromiumExecutable(): string {
	const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!existsSync(path)) throw new PdfUnavailableError(`PDF output needs Chromium at ${path} (install the chromium package, or set CHROMIUM_PATH)`);
	return path;
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where printed PDFs are kept beyond this process (the database, for published versions). */
export interface PdfStore {
	get(documentHash: string): Promise<Uint8Array | null>;
	put(documentHash: string, pdf: Uint8Array): Promise<void>;
}

interface Printed {
	hash: string;
	html: string;
	header: string;
	footer: string;
}

function documentOf(report: Report, status: ReportStatus): Printed {
	const html = printDocument(report, status);
	const running = `${esc(report.organisation.name)} · ${esc(report.title)}${status.version === null ? ' · DRAFT' : ` · version ${status.version}`}`;
	const header = `<div style="font:8pt arial,sans-serif;color:#484949;width:100%;padding:0 15mm;">${running}</div>`;
	const footer = `<div style="font:8pt arial,sans-serif;color:#484949;width:100%;padding:0 15mm;display:flex;justify-content:space-between;"><span>${esc(report.period.label)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
	const hash = createHash('sha256').update(html).update('\0').update(header).update('\0').update(footer).digest('hex');
	return { hash, html, header, footer };
}

async function print(page: Page, printed: Printed): Promise<Buffer> {
	// Nothing in the print view may reach the network.
	await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
	await page.emulateMedia({ media: 'print', reducedMotion: 'reduce' });
	await page.setContent(printed.html, { waitUntil: 'load' });
	await page.evaluate(() => document.fonts.ready.then(() => undefined));
	return page.pdf({
		format: 'A4',
		printBackground: true,
		tagged: true,
		outline: true,
		displayHeaderFooter: true,
		headerTemplate: printed.header,
		footerTemplate: printed.footer,
		margin: { top: '20mm', bottom: '18mm', left: '15mm', right: '15mm' }
	});
}

/** The process's Chromium and its queue. */
export class PdfPrinter {
	/** What it has done, for tests and the README's figures. */
	readonly stats = { launches: 0, prints: 0, mostAtOnce: 0 };
	private browser: Promise<Browser> | null = null;
	private printing = 0;
	private readonly waiting: (() => void)[] = [];
	private readonly inFlight = new Map<string, Promise<Uint8Array>>();
	private readonly kept = new Map<string, Uint8Array>();
	private idle: NodeJS.Timeout | undefined;

	constructor(private readonly pages = PDF_PAGES) {}

	/** The report's PDF: kept, stored or printed once. */
	async render(report: Report, status: ReportStatus, store?: PdfStore): Promise<Uint8Array> {
		const printed = documentOf(report, status);
		const kept = this.kept.get(printed.hash);
		if (kept) return kept;
		let pending = this.inFlight.get(printed.hash);
		if (!pending) {
			pending = this.produce(printed, store);
			this.inFlight.set(printed.hash, pending);
			pending.then(
				(pdf) => this.keep(printed.hash, pdf),
				() => {}
			).finally(() => this.inFlight.delete(printed.hash));
		}
		return pending;
	}

	/** Closes Chromium (the next PDF launches it again); for commands on their way out. */
	async close(): Promise<void> {
		clearTimeout(this.idle);
		const browser = this.browser;
		this.browser = null;
		await (await browser?.catch(() => null))?.close();
	}

	private async produce(printed: Printed, store?: PdfStore): Promise<Uint8Array> {
		const stored = await store?.get(printed.hash).catch(() => null);
		if (stored) return stored;
		const pdf = new Uint8Array(await this.withPage((page) => print(page, printed)));
		await store?.put(printed.hash, pdf).catch((error: unknown) => console.error(`Keeping a report PDF: ${(error as Error).message}`));
		return pdf;
	}

	private keep(hash: string, pdf: Uint8Array): void {
		this.kept.delete(hash);
		this.kept.set(hash, pdf);
		if (this.kept.size > KEPT_IN_MEMORY) this.kept.delete(this.kept.keys().next().value!);
	}

	private async withPage<T>(run: (page: Page) => Promise<T>): Promise<T> {
		if (this.printing >= this.pages) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.printing++;
		this.stats.mostAtOnce = Math.max(this.stats.mostAtOnce, this.printing);
		clearTimeout(this.idle);
		try {
			const browser = await this.launched();
			const context = await browser.newContext();
			try {
				this.stats.prints++;
				return await run(await context.newPage());
			} finally {
				await context.close().catch(() => {});
			}
		} finally {
			this.printing--;
			const next = this.waiting.shift();
			if (next) next();
			else if (this.printing === 0) {
				this.idle = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
				this.idle.unref();
			}
		}
	}

	private launched(): Promise<Browser> {
		if (!this.browser) {
			const executablePath = chromiumExecutable();
			this.stats.launches++;
			// The server stopping (adapter-node's signal after SIGTERM or SIGINT) closes it, so the process can end.
			if (this.stats.launches === 1) process.once('sveltekit:shutdown' as 'exit', () => void this.close());
			const launching = chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
			this.browser = launching;
			launching.then(
				// A Chromium that crashed or was killed is replaced at the next print.
				(browser) => browser.on('disconnected', () => this.browser === launching && (this.browser = null)),
				() => this.browser === launching && (this.browser = null)
			);
		}
		return this.browser;
	}
}

/** The server's (or command's) printer. */
export const printer = new PdfPrinter();

/** The report's PDF, through the process's one Chromium; `store` keeps it beyond this process. */
export async function renderPdf(report: Report, status: ReportStatus, store?: PdfStore): Promise<Buffer> {
	const pdf = await printer.render(report, status, store);
	return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

/** Lets a command end: closes the Chromium its PDFs were printed with. */
export const closePdfPrinter = () => printer.close();
