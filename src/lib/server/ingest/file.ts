/**
 * Reading an uploaded or exported file: one streaming pass to learn its encoding, size and hash
 * (and to refuse a binary or empty file), then the text as a stream of strings. Memory stays
 * flat whatever the size: nothing holds more than a chunk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type Encoding = 'utf-8' | 'windows-1252';

export interface FileFacts {
	encoding: Encoding;
	/** It began with a UTF-8 byte order mark (Excel's "CSV UTF-8"). */
	bom: boolean;
	bytes: number;
	/** SHA-256 of the bytes, hex: the same file imported twice is recognisable. */
	sha256: string;
	/** The first few KB as text, for guessing the format and for previews. */
	head: string;
	/** The file is gzip-compressed (a Firehose object, a rotated queue_log.1.gz): read through gunzip. Sizes and hash are of the text inside. */
	gzip?: boolean;
}

/** The file cannot be read as text at all: refused before any row. */
export class FileError extends Error {}

const HEAD_BYTES = 8192;

/**
 * The first pass. Text is UTF-8 unless some byte sequence is not valid UTF-8: then Windows-1252.
 * A gzip file (known by its first two bytes, whatever its name) is read through gunzip.
 */
export async function inspectFile(path: string): Promise<FileFacts> {
	const { size } = await stat(path);
	const gzip = await isGzip(path);
	try {
		return { ...(await inspectBytes(bytesOf(path, gzip), gzip ? undefined : size)), gzip };
	} catch (error) {
		if (gzip && /^Z_|ERR_/.test((error as { code?: string }).code ?? '')) {
			throw new FileError(`the file is gzip-compressed but cannot be decompressed (${(error as Error).message}): is it cut short?`);
		}
		throw error;
	}
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function isGzip(path: string): Promise<boolean> {
	const handle = await open(path, 'r');
	try {
		const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
		return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
	} finally {
		await handle.close();
	}
}

/** The file's bytes, decompressed when it is gzip. */
function bytesOf(path: string, gzip: boolean): AsyncIterable<Uint8Array> & Readable {
	const raw = createReadStream(path, { highWaterMark: 1 << 20 });
	if (!gzip) return raw;
	const gunzip = createGunzip({ chunkSize: 1 << 20 });
	raw.on('error', (error) => gunzip.destroy(error));
	return raw.pipe(gunzip);
}

export async function inspectBytes(chunks: AsyncIterable<Uint8Array>, size?: number): Promise<FileFacts> {
	const hash = createHash('sha256');
	const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
	let validUtf8 = true;
	let bytes = 0;
	let first: Uint8Array | undefined;
	const head: Uint8Array[] = [];
	let headBytes = 0;
	for await (const chunk of chunks) {
		if (bytes === 0) {
			first = chunk;
			refuseUtf16(chunk);
		}
		if (chunk.indexOf(0) !== -1) {
			throw new FileError(`this is not a text file: it has a NUL byte near byte ${(bytes + chunk.indexOf(0)).toLocaleString('en-GB')} (is it a spreadsheet, .xlsx, or a zip? Save it as CSV)`);
		}
		hash.update(chunk);
		if (validUtf8) {
			try {
				utf8.decode(chunk, { stream: true });
			} catch {
				validUtf8 = false;
			}
		}
		if (headBytes < HEAD_BYTES) {
			head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
			headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
		}
		bytes += chunk.length;
	}
	if (bytes === 0) throw new FileError('the file is empty (0 bytes)');
	if (validUtf8) {
		try {
			utf8.decode(); // an incomplete sequence at the very end
		} catch {
			validUtf8 = false;
		}
	}
	if (size !== undefined && size !== bytes) throw new FileError('the file changed while it was being read');
	const encoding: Encoding = validUtf8 ? 'utf-8' : 'windows-1252';
	const bom = first !== undefined && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
	return { encoding, bom, bytes, sha256: hash.digest('hex'), head: decodeHead(Buffer.concat(head), encoding) };
}

function refuseUtf16(chunk: Uint8Array) {
	if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
		throw new FileError('the file is UTF-16 ("Unicode text"): save it as "CSV UTF-8" or "CSV (comma delimited)"');
	}
}

function decodeHead(bytes: Uint8Array, encoding: Encoding): string {
	// The head may end inside a character: the decoder without `fatal` just drops it.
	return textDecoder(encoding).decode(bytes).replace(/\uFFFD$/, '');
}

// Windows-1252's 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ; five unassigned).
const CP1252_HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1, turning Excel's curly quotes and
 * € into control characters (nodejs/node#56542); Windows-1252 is one byte per character, so
 * decoding it here is a table lookup.
 */
function textDecoder(encoding: Encoding): { decode(bytes?: Uint8Array, options?: { stream?: boolean }): string } {
	if (encoding === 'utf-8') return new TextDecoder('utf-8');
	return {
		decode: (bytes) => (bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : '')
	};
}

/** The file as text chunks (BOM removed, gunzipped when `gzip`), reporting bytes read as it goes. */
export function readText(path: string, encoding: Encoding, onBytes?: (bytes: number) => void, gzip = false): Readable {
	return decodeStream(bytesOf(path, gzip), encoding, onBytes);
}

export function decodeStream(chunks: AsyncIterable<Uint8Array>, encoding: Encoding, onBytes?: (bytes: number) => void): Readable {
	return Readable.from(
		(async function* () {
			const decoder = textDecoder(encoding); // UTF-8: strips a leading BOM
			let bytes = 0;
			for await (const chunk of chunks) {
				bytes += chunk.length;
				onBytes?.(bytes);
				const text = decoder.decode(chunk, { stream: true });
				if (text) yield text;
			}
			const rest = decoder.decode();
			if (rest) yield rest;
		})(),
		{ objectMode: false, encoding: 'utf8' }
	);
}
