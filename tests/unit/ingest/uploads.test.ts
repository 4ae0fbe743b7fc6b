import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as uploads from '../../../src/lib/server/ingest/uploads.ts';

const boundary = '----YardstickBoundary7MA4YWxkTrZu0gW';

function multipart(parts: { name: string; filename?: string; content: string | Buffer }[]): Buffer {
	const chunks: Buffer[] = [];
	for (const part of parts) {
		const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
		const type = part.filename === undefined ? '' : 'Content-Type: text/csv\r\n';
		chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return Buffer.concat(chunks);
}

/** A request whose body arrives in pieces of `size` bytes, so delimiters straddle chunks. */
function request(body: Buffer, size = body.length, contentType = `multipart/form-data; boundary=${boundary}`): Request {
	let at = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (at >= body.length) return controller.close();
			controller.enqueue(new Uint8Array(body.subarray(at, at + size)));
			at += size;
		}
	});
	return new Request('http://localhost/import', { method: 'POST', body: stream, headers: { 'content-type': contentType }, duplex: 'half' } as RequestInit);
}

describe('saving an upload to a temporary file as it arrives', () => {
	const csv = 'reference,organisation\r\nA-1,county\r\n--not-a-boundary\r\n\r\n'.repeat(50);

	for (const size of [1, 7, 64, 100_000]) {
		it(`keeps the file byte for byte and reads the fields, in pieces of ${size} bytes`, async () => {
			const body = multipart([
				{ name: 'file', filename: 'C:\\Users\\lead\\March log.csv', content: csv },
				{ name: 'kind', content: 'contacts' }
			]);
			const upload = await uploads.receive(request(body, size));
			expect(upload.fields).toEqual({ kind: 'contacts' });
			expect(upload.file).toMatchObject({ filename: 'March log.csv', bytes: Buffer.byteLength(csv) });
			expect(readFileSync(upload.file!.path, 'utf8')).toBe(csv);
			await uploads.discard(upload.file!);
			expect(existsSync(upload.file!.path)).toBe(false);
		});
	}

	it('keeps binary bytes as they are', async () => {
		const bytes = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255, 254, 13, 10]);
		const upload = await uploads.receive(request(multipart([{ name: 'file', filename: 'x.xlsx', content: bytes }]), 3));
		expect(readFileSync(upload.file!.path).equals(bytes)).toBe(true);
		await uploads.discard(upload.file!);
	});

	it('reports no file when none was chosen (an empty file part with no name)', async () => {
		const upload = await uploads.receive(request(multipart([{ name: 'file', filename: '', content: '' }, { name: 'kind', content: 'detect' }])));
		expect(upload.file).toMatchObject({ filename: '', bytes: 0 });
		await uploads.discard(upload.file!);
	});

	it('refuses a file over the limit and leaves nothing behind', async () => {
		const error = await uploads.receive(request(multipart([{ name: 'file', filename: 'big.csv', content: 'x'.repeat(5000) }]), 100), { maxBytes: 1000 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(uploads.UploadError);
		expect((error as Error).message).toMatch(/smaller than/);
	});

	it('refuses a body cut short, and one that is not a form', async () => {
		const body = multipart([{ name: 'file', filename: 'a.csv', content: csv }]);
		await expect(uploads.receive(request(body.subarray(0, 200)))).rejects.toThrow(/cut short/);
		await expect(uploads.receive(request(body, body.length, 'application/json'))).rejects.toThrow(/form/);
	});
});

describe('a body whose boundary never comes', () => {
	/**
	 * Counts the bytes the parser searches and copies: Buffer#indexOf over its buffer and
	 * Buffer.concat's results. Work that grows with the square of the body's size shows here
	 * without timing anything.
	 */
	async function work(body: Buffer): Promise<{ bytes: number; error: unknown }> {
		let bytes = 0;
		const indexOf = Buffer.prototype.indexOf;
		const concat = Buffer.concat;
		Buffer.prototype.indexOf = function (this: Buffer, ...args: Parameters<Buffer['indexOf']>) {
			bytes += this.length;
			return indexOf.apply(this, args);
		};
		Buffer.concat = (...args: Parameters<typeof Buffer.concat>) => {
			const joined = concat(...args);
			bytes += joined.length;
			return joined;
		};
		try {
			const error = await uploads.receive(request(body, 64 * 1024)).then(
				() => null,
				(e: unknown) => e
			);
			return { bytes, error };
		} finally {
			Buffer.prototype.indexOf = indexOf;
			Buffer.concat = concat;
		}
	}

	const MB = 1024 * 1024;
	const bodies = {
		'no boundary at all': (size: number) => Buffer.alloc(size, 'x'),
		'a delimiter line that never ends': (size: number) => Buffer.concat([Buffer.from(`--${boundary}`), Buffer.alloc(size, 'x')]),
		'a file whose closing boundary never comes': (size: number) =>
			Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n`), Buffer.alloc(size, 'x')])
	};

	for (const [name, make] of Object.entries(bodies)) {
		it(`is refused with a clear message, with work in proportion to its size: ${name}`, async () => {
			const small = await work(make(4 * MB));
			const large = await work(make(16 * MB));
			expect(large.error).toBeInstanceOf(uploads.UploadError);
			expect((large.error as Error).message).toMatch(/^(The form could not be read|The upload was cut short: try again)$/);
			// At most a few passes over each byte (the quadratic parser did about 1,000 at 16 MB).
			expect(large.bytes).toBeLessThan(4 * 16 * MB);
			expect(large.bytes).toBeLessThan(4 * Math.max(small.bytes, 64 * 1024) * 2);
		});
	}
});
