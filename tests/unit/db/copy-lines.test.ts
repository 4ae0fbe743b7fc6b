import { describe, expect, it } from 'vitest';
import { CopyLines } from '../../../src/lib/server/db/client.ts';

describe('COPY text written line by line', () => {
	it('holds every line, in order, as UTF-8, however many lines a batch has', () => {
		// Enough lines to outgrow the first buffer several times; names with accents, Welsh and an emoji.
		const lines = Array.from({ length: 20_000 }, (_, i) => `${i}\tREF-${i}\tSiân Llŷr — café ☕ 👍\t2025-03-03 09:15:00.000+00\n`);
		const out = new CopyLines();
		for (const line of lines) out.add(line);
		const bytes = out.bytes();
		expect(bytes.byteLength).toBe(Buffer.byteLength(lines.join('')));
		expect(Buffer.from(bytes).toString('utf8')).toBe(lines.join(''));
	});

	it('gives no bytes for no lines', () => {
		expect(new CopyLines().bytes().byteLength).toBe(0);
	});
});
