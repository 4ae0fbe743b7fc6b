/**
 * An uploaded file, saved to a temporary file as it arrives: a multipart/form-data body is read
 * as a stream and the file part written straight to disk, so a 200 MB log never sits in memory
 * (Request.formData() would buffer all of it). The other fields are small strings.
 *
 * Linear in the body's size: the parser holds at most a delimiter's length of file content, a
 * field's MAX_FIELD_BYTES, or MAX_HEADER_BYTES of anything else (a preamble, a delimiter line, a
 * part's headers) before it refuses the form, so no byte is searched or copied more than a few times.
 */
import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The largest file the /import page takes. adapter-node's BODY_SIZE_LIMIT (512K by default) must allow it. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

export interface SavedFile {
	/** The temporary file; `discard` removes it and its folder. */
	path: string;
	/** The name the browser gave, without any folder. */
	filename: string;
	bytes: number;
}

export interface Upload {
	fields: Record<string, string>;
	/** The form's file field ('file'), absent when the form had none. */
	file?: SavedFile;
}

/** A request the person can fix (too big, not a form); the message is for them. */
export class UploadError extends Error {}

/** Reads a multipart/form-data request, saving its file field to a new temporary folder. */
export async function receive(request: Request, options: { fileField?: string; maxBytes?: number } = {}): Promise<Upload> {
	const fileField = options.fileField ?? 'file';
	const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
	const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(request.headers.get('content-type') ?? '');
	if (!boundary || !request.body) throw new UploadError('Send the file with the form on this page');
	const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);

	const fields: Record<string, string> = {};
	let file: SavedFile | undefined;
	let dir: string | undefined;
	let sink: WriteStream | null = null;
	let field: { name: string; chunks: Buffer[]; bytes: number } | null = null;
	const reader = request.body.getReader();
	// The body's first delimiter has no CRLF before it: lend it one so every delimiter looks alike.
	let buffer: Buffer = Buffer.from(CRLF);
	let state: 'preamble' | 'after-delimiter' | 'headers' | 'content' | 'end' = 'preamble';

	const write = async (chunk: Buffer) => {
		if (chunk.length === 0) return;
		if (sink && file) {
			file.bytes += chunk.length;
			if (file.bytes > maxBytes) throw new UploadError(`The file must be smaller than ${Math.round(maxBytes / 1024 / 1024)} MB`);
			if (!sink.write(chunk)) await once(sink, 'drain');
		} else if (field) {
			field.bytes += chunk.length;
			if (field.bytes > MAX_FIELD_BYTES) throw new UploadError(`The form field '${field.name}' is too long`);
			field.chunks.push(chunk);
		}
	};
	const endPart = async () => {
		if (sink) {
			const closed = once(sink, 'close');
			sink.end();
			await closed;
			sink = null;
		}
		if (field) fields[field.name] = Buffer.concat(field.chunks).toString('utf8');
		field = null;
	};

	try {
		let done = false;
		while (state !== 'end') {
			if (!done) {
				let chunk;
				try {
					chunk = await reader.read();
				} catch (error) {
					// adapter-node ends the body at BODY_SIZE_LIMIT with a 413.
					if ((error as { status?: number }).status === 413) throw new UploadError(`The file is larger than this server accepts (up to ${Math.round(maxBytes / 1024 / 1024)} MB when BODY_SIZE_LIMIT allows it)`);
					throw error;
				}
				if (chunk.done) done = true;
				else buffer = buffer.length ? Buffer.concat([buffer, chunk.value]) : Buffer.from(chunk.value);
			}
			let progressed = true;
			while (progressed && state !== 'end') {
				progressed = false;
				if (state === 'preamble' || state === 'content') {
					const at = buffer.indexOf(delimiter);
					if (at >= 0) {
						if (state === 'content') {
							await write(buffer.subarray(0, at));
							await endPart();
						}
						buffer = buffer.subarray(at + delimiter.length);
						state = 'after-delimiter';
						progressed = true;
					} else if (state === 'content' && buffer.length > delimiter.length) {
						// Keep a tail that could be the start of a delimiter split across chunks.
						await write(buffer.subarray(0, buffer.length - delimiter.length));
						buffer = buffer.subarray(buffer.length - delimiter.length);
					} else if (state === 'preamble' && buffer.length > MAX_HEADER_BYTES) {
						// A browser's form starts with its boundary. Holding (and searching again) an ever
						// longer preamble would take time growing with the square of the body's size.
						throw new UploadError('The form could not be read');
					}
				} else if (state === 'after-delimiter' && buffer.length >= 2) {
					if (buffer[0] === 0x2d && buffer[1] === 0x2d) state = 'end';
					else {
						const lineEnd = buffer.indexOf(CRLF);
						if (lineEnd < 0) {
							if (buffer.length > MAX_HEADER_BYTES) throw new UploadError('The form could not be read');
							break;
						}
						buffer = buffer.subarray(lineEnd + 2);
						state = 'headers';
					}
					progressed = true;
				} else if (state === 'headers') {
					// An empty header block ends right away ("\r\n" after the delimiter line).
					const at = buffer.subarray(0, 2).equals(CRLF) ? -2 : buffer.indexOf(HEADER_END);
					if (at === -1) {
						if (buffer.length > MAX_HEADER_BYTES) throw new UploadError('The form could not be read');
						break;
					}
					const headers = at === -2 ? '' : buffer.subarray(0, at).toString('utf8');
					buffer = buffer.subarray(at === -2 ? 2 : at + HEADER_END.length);
					const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
					const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
					const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
					if (filename !== undefined && name === fileField && !file) {
						dir = await mkdtemp(path.join(tmpdir(), 'yardstick-upload-'));
						file = { path: path.join(dir, 'upload'), filename: path.basename(filename.replaceAll('\\', '/')), bytes: 0 };
						sink = createWriteStream(file.path, { flags: 'wx' });
					} else if (filename === undefined && name) field = { name, chunks: [], bytes: 0 };
					state = 'content';
					progressed = true;
				}
			}
			if (done && state !== 'end') throw new UploadError('The upload was cut short: try again');
		}
		await drain(reader);
		return { fields, file };
	} catch (error) {
		await drain(reader);
		// Writes still queued fail as it is destroyed; the upload is refused already.
		(sink as WriteStream | null)?.on('error', () => {}).destroy();
		if (dir) await rm(dir, { recursive: true, force: true });
		throw error;
	}
}

/**
 * Reads what is left of the body and drops it. Cancelling instead would make adapter-node destroy
 * the connection, and the browser would never see the answer (an error summary, say).
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		while (!(await reader.read()).done);
	} catch {
		// The body had already failed (too large, or the connection dropped).
	}
}

/** Removes a saved upload and its folder. */
export async function discard(file: Pick<SavedFile, 'path'>): Promise<void> {
	await rm(path.dirname(file.path), { recursive: true, force: true });
}

/** The same, for a process on its way out. */
export function discardNow(file: Pick<SavedFile, 'path'>): void {
	rmSync(path.dirname(file.path), { recursive: true, force: true });
}
