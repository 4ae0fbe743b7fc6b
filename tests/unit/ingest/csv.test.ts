import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvRecords, type CsvItem } from '../../../src/lib/server/ingest/csv.ts';

const read = async (text: string) => {
	const items: CsvItem[] = [];
	// Line by line, each a moment after the last, as a large file arrives in pieces.
	const pieces = async function* () {
		for (const line of text.split(/(?<=\n)/)) {
			yield line;
			await new Promise((resolve) => setImmediate(resolve));
		}
	};
	for await (const item of csvRecords(Readable.from(pieces()))) items.push(item);
	return items.map((item) => ('record' in item ? `${item.row}: ${item.record.join('|')}` : `${item.unreadable.row}: unreadable`));
};

/** A person told "row 5" opens the file and finds that line: rows are the file's lines, as an editor numbers them. */
describe('the rows of a CSV file, as a person finds them in it', () => {
	it('numbers records by the line they start on, past blank lines and rows of empty cells', async () => {
		expect(await read('a,b\n1,2\n\n3,4\n , \n,\n5,6')).toEqual(['1: a|b', '2: 1|2', '4: 3|4', '7: 5|6']);
	});

	it('counts each line of a quoted value, with Windows line ends too', async () => {
		expect(await read('a,b\r\n"line one\r\nline two",2\r\n\r\n3,4\r\n')).toEqual(['1: a|b', '2: line one\r\nline two|2', '5: 3|4']);
		expect(await read('a,b\n"x\ny\nz",2\n3,4\n')).toEqual(['1: a|b', '2: x\ny\nz|2', '5: 3|4']);
	});

	it('says which row a file cut off inside quotes stops at, keeping the rows before it', async () => {
		expect(await read('a,b\n1,2\n"cut,3\n')).toEqual(['1: a|b', '2: 1|2', '3: unreadable']);
	});
});
