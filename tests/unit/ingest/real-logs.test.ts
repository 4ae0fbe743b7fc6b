/**
 * Logs and records that others published (sources, and every edit made to them, in the README.md
 * beside each fixture), read through the importers as a council would: how many calls, which were
 * answered within 20 seconds, which were skipped and why, and the service level.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { serviceLevel } from '../../../src/lib/engine/phone.ts';
import { CONSULTATION, readQueueLog, readQueueLogTable } from '../../../src/lib/server/ingest/asterisk.ts';
import { codesOf } from '../../../src/lib/server/ingest/codes.ts';
import { readConnect } from '../../../src/lib/server/ingest/connect.ts';
import type { ContactRow, RowResult } from '../../../src/lib/server/ingest/rows.ts';

const fixture = (path: string) => new URL(`../../fixtures/ingest/${path}`, import.meta.url);
const codes = codesOf({ county: { customer: [] } });
const customer = { organisation: 'county', service: 'customer' };
const queues = { '7100': customer, '7200': customer, '1501': customer, '1509': customer, BasicQueue: customer, 'Chinese CSR': customer };

async function collect(results: AsyncIterable<RowResult>) {
	const calls: ContactRow[] = [];
	const skipped: { row: number; reason: string }[] = [];
	const rejected: { row: number; reason: string }[] = [];
	for await (const result of results) {
		if ('contact' in result) calls.push(result.contact);
		else if ('skipped' in result) skipped.push(result.skipped);
		else rejected.push({ row: result.rejection.row, reason: result.rejection.reason });
	}
	return { calls, skipped, rejected };
}
const queueLog = (name: string) => collect(readQueueLog(createReadStream(fixture(`asterisk/${name}`)), codes, queues));
const connect = (name: string) => {
	const text = readFileSync(fixture(`connect/${name}`), 'utf8');
	return collect(readConnect(createReadStream(fixture(`connect/${name}`)), text.slice(0, 8192), codes, queues));
};
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const story = (call: ContactRow) => ({
	ref: call.externalRef,
	received: iso(call.receivedAt),
	answered: iso(call.firstResponseAt),
	ended: iso(call.resolvedAt),
	wait: call.waitSeconds,
	abandoned: call.abandoned
});

describe('Asterisk queue_log lines others published', () => {
	it('the sample of "Asterisk: The Definitive Guide": two callers, both answered after 2 seconds; member changes are not calls', async () => {
		const { calls, skipped, rejected } = await queueLog('asterisk-book-queue_log');
		expect(rejected).toEqual([]);
		expect(skipped).toEqual([]);
		expect(calls.map(story)).toEqual([
			// ENTERQUEUE at …046, RINGNOANSWER on 9996, CONNECT on 9990 at …048 (holdtime 2), COMPLETECALLER after 3,073 s of talk.
			{ ref: 'psy1-1292281041.87', received: iso(1292281046_000), answered: iso(1292281048_000), ended: iso(1292284121_000), wait: 2, abandoned: false },
			// The excerpt ends while this caller is still talking: answered, not yet ended.
			{ ref: 'psy1-1292284515.93', received: iso(1292284519_000), answered: iso(1292284521_000), ended: null, wait: 2, abandoned: false }
		]);
		expect(serviceLevel(calls)).toMatchObject({ counted: 2, answeredWithinThreshold: 2, serviceLevel: 1 });
	});

	it('an attended transfer into another queue (asterisk/asterisk issue 759) is one caller answered after 12 seconds, and the agent’s consultation call is skipped, not a second caller', async () => {
		const { calls, skipped, rejected } = await queueLog('asterisk-issue-759-queue_log');
		// By hand, from the eight lines:
		// - caller 1717397243.239826 (caller number anonymised) entered queue 1501 at 1717397259 and PJSIP/7009
		//   answered at …271 (CONNECT holdtime 12);
		// - at …390 agent 7009 dialled queue 1509 (call id 1717397390.239830, caller id 7009: the
		//   consultation leg of an attended transfer);
		// - at …391 Asterisk wrote ATTENDEDTRANSFER under the consultation call's id but with queue 1501,
		//   member PJSIP/7009, holdtime 12 and calltime 120: 391 − 120 = 271, the caller's answer;
		// - at …397 the caller, now in the consultation call's place in 1509, was answered by PJSIP/7051
		//   (holdtime 7, counted from the consultation call's ENTERQUEUE at …390) and the agent hung up at …570.
		// One caller, answered within 20 s of entering the first queue: 1 met of 1 counted, 100%.
		expect(rejected).toEqual([]);
		expect(skipped).toEqual([{ row: 5, reason: CONSULTATION }]);
		expect(calls.map(story)).toEqual([
			{ ref: '1717397243.239826', received: iso(1717397259_000), answered: iso(1717397271_000), ended: iso(1717397570_000), wait: 12, abandoned: false }
		]);
		expect(serviceLevel(calls)).toMatchObject({ counted: 1, answeredWithinThreshold: 1, abandoned: 0, serviceLevel: 1 });
	});

	it('the same transfer as the issue’s MariaDB queuelog table holds it (the transfer row missing) is rejected as still waiting, with the queue named', async () => {
		const { calls, skipped, rejected } = await collect(readQueueLogTable(createReadStream(fixture('asterisk/asterisk-issue-759-queuelog-table.csv')), codes, queues));
		expect(calls).toEqual([]);
		expect(skipped).toEqual([]);
		// Row 3: the ENTERQUEUE row (the header is row 1, the DID row 2).
		expect(rejected).toEqual([{ row: 3, reason: "call 1717397390.239830 is still waiting in queue '1509' at the end of the log" }]);
	});
});

describe('Amazon Connect contact records others published', () => {
	it('two real inbound calls, queued 7 and 5 seconds: both met, handle time from the agent interaction', async () => {
		const { calls, skipped, rejected } = await connect('published-records.ndjson');
		expect(rejected).toEqual([]);
		expect(skipped).toEqual([]);
		expect(calls.map(story)).toEqual([
			// Queue.EnqueueTimestamp 15:00:42, Agent.ConnectedToAgentTimestamp 15:00:49 (Queue.Duration 7), AgentInteractionDuration 33.
			{ ref: '15a5cf14-3212-45a1-9f86-a8e97db8afaf', received: '2022-04-08T15:00:42.000Z', answered: '2022-04-08T15:00:49.000Z', ended: '2022-04-08T15:01:22.000Z', wait: 7, abandoned: false },
			// Enqueued 16:20:11, connected 16:20:16 (Queue.Duration 5), AgentInteractionDuration 14.
			{ ref: 'ee0a8fcc-9cf8-4b9c-9fcf-e86ebe989486', received: '2020-03-31T16:20:11.000Z', answered: '2020-03-31T16:20:16.000Z', ended: '2020-03-31T16:20:30.000Z', wait: 5, abandoned: false }
		]);
		expect(calls.map((call) => call.contactType)).toEqual(['phone', 'phone']);
		expect(serviceLevel(calls)).toMatchObject({ counted: 2, answeredWithinThreshold: 2, serviceLevel: 1 });
	});

	it('the same records as one JSON array (as the console or a script saves them) read the same', async () => {
		const records = readFileSync(fixture('connect/published-records.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
		const text = JSON.stringify(records, null, 2);
		const asArray = await collect(readConnect(Readable.from([text]), text.slice(0, 8192), codes, queues));
		const asLines = await connect('published-records.ndjson');
		expect(asArray.rejected).toEqual([]);
		expect(asArray.calls.map(story)).toEqual(asLines.calls.map(story));
	});
});
