import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readQueueLog } from '../../../src/lib/server/ingest/asterisk.ts';
import { codesOf } from '../../../src/lib/server/ingest/codes.ts';
import { contactLogReader } from '../../../src/lib/server/ingest/contact-log.ts';
import { jsonObjects } from '../../../src/lib/server/ingest/connect.ts';
import { inspectBytes } from '../../../src/lib/server/ingest/file.ts';
import { detectKind } from '../../../src/lib/server/ingest/formats.ts';
import { queueMapOf } from '../../../src/lib/server/ingest/queues.ts';
import type { RowResult } from '../../../src/lib/server/ingest/rows.ts';

const codes = codesOf({ county: { customer: ['cc-contact-centre'] }, borough: { electoral: ['es-registration'], customer: [] } });
const header = ['reference', 'organisation', 'service', 'type', 'received', 'wait_seconds', 'abandoned', 'team', 'paused_from', 'paused_to'];
const read = contactLogReader(codes, header);
const reason = (result: RowResult) => ('rejection' in result ? result.rejection.reason : 'stored');

describe('a contact log row', () => {
	it('becomes a contact with ids for its codes', () => {
		const result = read(['E1', 'County', 'customer', 'Email', '03/03/2025', '', '', 'cc-contact-centre', '', ''], 2);
		expect(result).toMatchObject({ contact: { row: 2, externalRef: 'E1', contactType: 'email', receivedAt: Date.UTC(2025, 2, 3), teamId: 3 } });
	});

	it.each([
		[['E1', 'county', 'customer', 'emial', '03/03/2025', '', '', '', '', ''], "type 'emial' is not one of phone, callback, message, email, letter, complaint, info, sar, foi, registration, absent-vote, enquiry, governance, meeting, dp-complaint"],
		[['E1', 'county', 'customer', 'email', '31/02/2025', '', '', '', '', ''], "received '31/02/2025' is not a date"],
		[['', 'county', 'customer', 'email', '03/03/2025', '', '', '', '', ''], 'reference is empty'],
		[['E1', 'county', 'customer', 'phone', '03/03/2025 10:00', 'ten', 'no', '', '', ''], "wait_seconds 'ten' is not a whole number of seconds"],
		[['E1', 'county', 'customer', 'email', '03/03/2025', '', '', 'es-registration', '', ''], "team 'es-registration' is not a team of county customer (cc-contact-centre)"],
		[['E1', 'borough', 'customer', 'email', '03/03/2025', '', '', 'x', '', ''], "team 'x' is not a team of borough customer (it has none)"],
		[['E1', 'county', 'customer', 'foi', '03/03/2025', '', '', '', '', '10/03/2025'], 'paused_to needs paused_from (when the pause began)'],
		[['E1', 'county', 'customer', 'foi', '03/03/2025', '', '', '', '10/03/2025', '09/03/2025'], 'paused_to is before paused_from'],
		[['E1', 'county', 'customer', 'email', '31/02/2025', '', 'perhaps', '', '', ''], "received '31/02/2025' is not a date; abandoned 'perhaps' is not yes, no, true, false, 1 or 0"],
		[['E1', 'county'], 'has 2 values but the header has 10 columns (is the file cut short?)']
	])('%j is rejected: %s', (record, expected) => {
		expect(reason(read(record, 9))).toBe(expected);
	});
});

describe('a contact log row with a pause (paused_from, paused_to, pause_reason)', () => {
	const withReason = contactLogReader(codes, [...header, 'pause_reason']);
	const row = (type: string, from: string, to: string, why: string) => withReason(['S1', 'county', 'customer', type, '02/06/2026', '', '', '', from, to, why], 2);

	it('keeps a SAR clarification pause, and one not yet answered (no paused_to)', () => {
		expect(row('sar', '25/06/2026', '27/06/2026', 'clarification')).toMatchObject({
			contact: { pausedFrom: Date.UTC(2026, 5, 24, 23), pausedTo: Date.UTC(2026, 5, 26, 23), pauseReason: 'clarification' }
		});
		expect(row('foi', '25/06/2026', '', 'Fee notice')).toMatchObject({ contact: { pausedTo: null, pauseReason: 'fee-notice' } });
		expect(row('sar', '25/06/2026', '', '')).toMatchObject({ contact: { pausedTo: null, pauseReason: null } });
	});

	it.each([
		['sar', '25/06/2026', '27/06/2026', 'fee-notice', "pause_reason 'fee-notice' is not a sar pause: a sar is paused by clarification"],
		['foi', '25/06/2026', '27/06/2026', 'clarification', "pause_reason 'clarification' is not a foi pause: a foi is paused by fee-notice"],
		['sar', '25/06/2026', '27/06/2026', 'holiday', "pause_reason 'holiday' is not fee-notice or clarification"],
		['sar', '', '', 'clarification', 'pause_reason needs paused_from (when the pause began)']
	])('a %s row paused %s to %s for %j is rejected: %s', (type, from, to, why, expected) => {
		expect(reason(row(type, from, to, why))).toBe(expected);
	});
});

const lines = (...text: string[]) => Readable.from([text.join('\n')]);
async function all<T>(generator: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of generator) out.push(item);
	return out;
}

describe('an Asterisk queue_log', () => {
	const county = { '*': { organisation: 'county', service: 'customer' } };

	it('turns ENTERQUEUE … CONNECT … COMPLETEAGENT into an answered call', async () => {
		const [call] = await all(readQueueLog(lines('100|c1|q|NONE|ENTERQUEUE||0123|1', '125|c1|q|SIP/1|CONNECT|25|c2|3', '400|c1|q|SIP/1|COMPLETEAGENT|25|275|1'), codes, county));
		expect(call).toMatchObject({ contact: { row: 1, externalRef: 'c1', receivedAt: 100_000, firstResponseAt: 125_000, resolvedAt: 400_000, waitSeconds: 25, abandoned: false } });
	});

	it('takes the wait of an abandoned call from ABANDON’s third field, and of EXITWITHKEY from its fourth', async () => {
		const calls = await all(readQueueLog(lines('100|a|q|NONE|ENTERQUEUE||1|1', '140|a|q|NONE|ABANDON|1|1|40', '200|b|q|NONE|ENTERQUEUE||1|1', '209|b|q|NONE|EXITWITHKEY|1|2|1|9'), codes, county));
		expect(calls.map((c) => ('contact' in c ? [c.contact.waitSeconds, c.contact.abandoned] : c))).toEqual([[40, true], [9, true]]);
	});

	it('places queues by the map given, and rejects a queue mapped to codes that do not exist', async () => {
		const calls = await all(
			readQueueLog(lines('100|a|electoral|NONE|ENTERQUEUE||1|1', '140|a|electoral|NONE|ABANDON|1|1|40', '150|b|odd|NONE|ENTERQUEUE||1|1', '160|b|odd|NONE|ABANDON|1|1|10'), codes, {
				electoral: { organisation: 'borough', service: 'electoral' },
				odd: { organisation: 'nowhere', service: 'x' }
			})
		);
		expect(calls[0]).toMatchObject({ contact: { organisationId: codes.organisations.get('borough')!.id } });
		expect(reason(calls[1]!)).toBe("queue 'odd': organisation 'nowhere' is not one of borough, county");
	});

	it('rejects a call in a queue nobody mapped, naming the queue and where to map it, and never guesses an organisation', async () => {
		const [call] = await all(readQueueLog(lines('100|a|harrowfield-main|NONE|ENTERQUEUE||1|1', '140|a|harrowfield-main|NONE|ABANDON|1|1|40'), codes, {}));
		expect(reason(call!)).toBe("queue 'harrowfield-main' is not mapped to a service: map it under Admin › Queues (or the set-up file's queues), then import again");
	});

	it('asks which organisation a queue name two organisations mapped belongs to', async () => {
		const queues = queueMapOf([
			{ queue: 'main', organisation: 'county', service: 'customer' },
			{ queue: 'main', organisation: 'borough', service: 'electoral' }
		]);
		const [call] = await all(readQueueLog(lines('100|a|main|NONE|ENTERQUEUE||1|1', '140|a|main|NONE|ABANDON|1|1|40'), codes, queues));
		expect(reason(call!)).toBe("queue 'main' is mapped by borough and county: import with --organisation to say whose calls these are");
	});
});

describe('reading files', () => {
	it('splits JSON records in an array, on lines, or back to back, across chunks', async () => {
		const values = async (...chunks: string[]) => (await all(jsonObjects(Readable.from(chunks)))).map((item) => ('value' in item ? item.value : item));
		expect(await values('[{"a":1},', '{"b":"}{"}]')).toEqual([{ a: 1 }, { b: '}{' }]);
		expect(await values('{"a":1}\n{"a"', ':2}\n')).toEqual([{ a: 1 }, { a: 2 }]);
		expect(await values('{"a":1}{"a":{"b":[1,2]}}')).toEqual([{ a: 1 }, { a: { b: [1, 2] } }]);
		expect(await values('[{"a":1},{"a":')).toEqual([{ a: 1 }, { error: 'the file ends inside this record (is it cut short?)' }]);
	});

	it('tells the three formats apart from their first lines', () => {
		expect(detectKind('reference,organisation,service,type,received\n')).toBe('contacts');
		expect(detectKind('1741000000|NONE|NONE|NONE|QUEUESTART||||\n')).toBe('asterisk');
		expect(detectKind('"ContactId","Channel"\n')).toBe('connect');
		expect(detectKind('  [{"ContactId": "x"}]')).toBe('connect');
	});

	it('detects UTF-8, its BOM, and Windows-1252 when the bytes are not UTF-8', async () => {
		const facts = (...chunks: number[][]) => inspectBytes(Readable.from(chunks.map((c) => Buffer.from(c))));
		expect(await facts([0xef, 0xbb, 0xbf, 0x61], [0xc3], [0xa9])).toMatchObject({ encoding: 'utf-8', bom: true, bytes: 6, head: 'aé' });
		expect(await facts([0x43, 0x61, 0x66, 0xe9, 0x92])).toMatchObject({ encoding: 'windows-1252', bom: false, head: 'Café’' });
		expect(await facts([0x61, 0xc3])).toMatchObject({ encoding: 'windows-1252' });
		await expect(facts([])).rejects.toThrow('the file is empty (0 bytes)');
		await expect(facts([0xff, 0xfe, 0x61, 0x00])).rejects.toThrow(/UTF-16/);
		await expect(facts([0x61, 0x62], [0x00])).rejects.toThrow('this is not a text file: it has a NUL byte near byte 2');
	});
});
