/**
 * RFC 4180 records from a text stream (csv-parse, streaming), numbered as a spreadsheet numbers
 * its rows: the header is row 1. Blank lines and rows of empty cells are skipped.
 */
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { HeaderError } from './columns.ts';
import type { Rejection } from './rows.ts';

export type CsvItem = { record: string[]; row: number } | { unreadable: { row: number; reason: string; text: string } };

export async function* csvRecords(text: Readable): AsyncGenerator<CsvItem> {
	// Every line is a record here, blank ones too, so rows are counted as they pass: csv-parse's
	// own count (`info`) builds two objects a record, a fifth of the time of reading a large file.
	const parser = parse({
		relax_column_count: true,
		// Excel writes "" inside quotes; a stray quote mid-field (5" floppy) is kept, not fatal.
		relax_quotes: true
	});
	const feeding = pipeline(text, parser).catch(() => {
		// The parser's own iteration below reports the error.
	});
	let lines = 0;
	try {
		for await (const record of parser as AsyncIterable<string[]>) {
			const row = lines + 1;
			lines += 1 + newlinesIn(record);
			if (!isBlank(record)) yield { record, row };
		}
	} catch (error) {
		const code = (error as { code?: string }).code;
		// A file cut off inside a quoted field: keep every row before it, reject the rest.
		if (code === 'CSV_QUOTE_NOT_CLOSED') {
			yield { unreadable: { row: lines + 1, reason: 'the file ends inside a quoted value (is it cut short?): this row and any after it were not read', text: '' } };
		} else if (code?.startsWith('CSV_')) {
			yield { unreadable: { row: lines + 1, reason: `this row is not valid CSV (${(error as Error).message}); nothing after it was read`, text: '' } };
		} else {
			throw error;
		}
	}
	await feeding;
}

/** A blank line, or a row of empty (or only spaces) cells: skipped, not a record. */
function isBlank(record: readonly string[]): boolean {
	for (const field of record) if (field.length > 0 && field.trim() !== '') return false;
	return true;
}

/**
 * A file of a header row and records: `begin` gets the header and returns what reads each record
 * (with the count of records read so far); a record csv-parse cannot read goes to `unreadable`
 * as a rejection, and counts as read. No header, or one that cannot be read, is a HeaderError.
 */
export async function readHeaded(
	text: Readable,
	begin: (header: string[]) => (record: string[], row: number, read: number) => void,
	unreadable: (rejection: Rejection) => void
): Promise<{ header: string[]; read: number }> {
	let header: string[] | null = null;
	let readRecord: ((record: string[], row: number, read: number) => void) | null = null;
	let read = 0;
	for await (const item of csvRecords(text)) {
		if ('unreadable' in item) {
			if (!readRecord) throw new HeaderError(`row ${item.unreadable.row}: ${item.unreadable.reason}`);
			read++;
			unreadable({ row: item.unreadable.row, reason: item.unreadable.reason, raw: {} });
		} else if (!readRecord) {
			header = item.record;
			readRecord = begin(header);
		} else readRecord(item.record, item.row, ++read);
	}
	if (!header) throw new HeaderError('row 1: the file has no header row (it holds only blank lines)');
	return { header, read };
}

/** A quoted value may span lines; the row is where the record starts. */
function newlinesIn(record: readonly string[]): number {
	let count = 0;
	for (const field of record) {
		if (field.length > 0 && field.includes('\n')) for (const c of field) if (c === '\n') count++;
	}
	return count;
}
