import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CONSULTATION, readQueueLog, readQueueLogTable } from '../../../src/lib/server/ingest/asterisk.ts';
import { codesOf, type Codes } from '../../../src/lib/server/ingest/codes.ts';
import { detectKind } from '../../../src/lib/server/ingest/formats.ts';
import type { ContactRow, RowResult } from '../../../src/lib/server/ingest/rows.ts';

const codes = codesOf({ county: { customer: [], planning: [] } });
const queues = { main: { organisation: 'county', service: 'customer' }, overflow: { organisation: 'county', service: 'customer' }, planning: { organisation: 'county', service: 'planning' } };
const lines = (...text: string[]) => Readable.from([text.join('\n')]);

async function read(text: string[], using: Codes = codes): Promise<RowResult[]> {
	const out: RowResult[] = [];
	for await (const item of readQueueLog(lines(...text), using, queues)) out.push(item);
	return out;
}
const call = (result: RowResult | undefined): Partial<ContactRow> => {
	if (!result || !('contact' in result)) throw new Error(`not a contact: ${JSON.stringify(result)}`);
	const { externalRef, receivedAt, firstResponseAt, resolvedAt, waitSeconds, abandoned, serviceId } = result.contact;
	return { externalRef, receivedAt, firstResponseAt, resolvedAt, waitSeconds, abandoned, serviceId };
};
const reasons = (results: RowResult[]) => results.flatMap((r) => ('rejection' in r ? [r.rejection.reason] : []));
const s = (seconds: number) => seconds * 1000;

describe('an Asterisk queue_log read from the fields each version writes', () => {
	it('a blind transfer at the head of a rotated file stores the caller’s 6-second wait, not the extension number', async () => {
		const [result] = await read(['1741001000|1741000950.12|main|Agent/1128|BLINDTRANSFER|1142|transfer|6|38|1']);
		expect(call(result)).toEqual({
			externalRef: '1741000950.12', receivedAt: s(1741001000 - 38 - 6), firstResponseAt: s(1741001000 - 38), resolvedAt: s(1741001000),
			waitSeconds: 6, abandoned: false, serviceId: codes.organisations.get('county')!.services.get('customer')
		});
	});

	it.each([
		['BRIDGE|a5b7e0c1-6f2d-4c1e-9d7a-2f1e0c9b8a77|6|30|1'],
		['APP|Playback|6|30|1'],
		['LINK|Local/8001@from-queue-00000012;1|Local/8001@from-queue-00000012;2|6|30|1']
	])('an attended transfer alone (%s) is a call answered after 6 seconds, not one still waiting', async (data) => {
		const results = await read([`1741001000|c1|main|PJSIP/2001|ATTENDEDTRANSFER|${data}`]);
		expect(reasons(results)).toEqual([]);
		expect(call(results[0])).toMatchObject({ waitSeconds: 6, abandoned: false, firstResponseAt: s(1741001000 - 30), resolvedAt: s(1741001000) });
	});

	it('an Asterisk 1.4 TRANSFER (extension|context|holdtime|calltime) reads its hold time, and a 1.2 CONNECT its only field', async () => {
		const results = await read([
			'100|a|main|NONE|ENTERQUEUE||0123',
			'109|a|main|Agent/1001|CONNECT|9',
			'400|a|main|Agent/1001|TRANSFER|8001|from-internal|9|291'
		]);
		expect(call(results[0])).toMatchObject({ receivedAt: s(100), firstResponseAt: s(109), waitSeconds: 9, resolvedAt: s(400), abandoned: false });
	});

	it('Asterisk 1.4 exits (EXITWITHTIMEOUT|<pos>, EXITWITHKEY|<key>|<pos>) wait from ENTERQUEUE to the exit', async () => {
		const results = await read([
			'100|a|main|NONE|ENTERQUEUE||0123',
			'400|a|main|NONE|EXITWITHTIMEOUT|1',
			'500|b|main|NONE|ENTERQUEUE||0124',
			'545|b|main|NONE|EXITWITHKEY|0|2'
		]);
		expect(reasons(results)).toEqual([]);
		expect(results.map(call)).toEqual([
			expect.objectContaining({ externalRef: 'a', waitSeconds: 300, abandoned: true, resolvedAt: s(400) }),
			expect.objectContaining({ externalRef: 'b', waitSeconds: 45, abandoned: true, resolvedAt: s(545) })
		]);
	});

	it('a 1.4 exit whose ENTERQUEUE is in the previous file is rejected saying to import that file with it, not guessed', async () => {
		const results = await read(['400|a|main|NONE|EXITWITHTIMEOUT|1']);
		expect(reasons(results)).toEqual([
			"call a left queue 'main' (EXITWITHTIMEOUT) but entered it before this log begins, and this Asterisk version does not write the wait: import the earlier log with it"
		]);
	});

	it('newer exits carry position|origposition|waittime, and EXITWITHKEY key|position|origposition|waittime', async () => {
		const results = await read(['400|a|main|NONE|EXITWITHTIMEOUT|1|1|300', '545|b|main|NONE|EXITWITHKEY|0|2|2|45', '600|c|main|NONE|EXITEMPTY|1|1|12']);
		expect(results.map(call).map((c) => [c.externalRef, c.waitSeconds, c.abandoned, c.receivedAt])).toEqual([
			['a', 300, true, s(100)],
			['b', 45, true, s(500)],
			['c', 12, true, s(588)]
		]);
	});
});

describe('one queued call, however many queues it visits', () => {
	it('an overflow caller answered in the second queue is one answered call that met the promise', async () => {
		const results = await read([
			'100|c1|main|NONE|ENTERQUEUE||07700900001|1',
			'108|c1|main|NONE|EXITWITHTIMEOUT|1|1|8',
			'108|c1|overflow|NONE|ENTERQUEUE||07700900001|1',
			'118|c1|overflow|PJSIP/2001|CONNECT|10|1741.2|3',
			'300|c1|overflow|PJSIP/2001|COMPLETECALLER|10|182|1'
		]);
		expect(reasons(results)).toEqual([]);
		expect(results.map(call)).toEqual([expect.objectContaining({ externalRef: 'c1', receivedAt: s(100), firstResponseAt: s(118), waitSeconds: 18, abandoned: false, resolvedAt: s(300) })]);
	});

	it('an overflow caller waits from the first queue: 300 s there and 10 s in the next is a 310-second answer', async () => {
		const results = await read([
			'100|c1|main|NONE|ENTERQUEUE||07700900001|1',
			'400|c1|main|NONE|EXITWITHTIMEOUT|1|1|300',
			'400|c1|planning|NONE|ENTERQUEUE||07700900001|1',
			'410|c1|planning|PJSIP/2001|CONNECT|10|1741.2|3',
			'600|c1|planning|PJSIP/2001|COMPLETEAGENT|10|190|1'
		]);
		expect(results.map(call)).toEqual([expect.objectContaining({ waitSeconds: 310, abandoned: false, serviceId: codes.organisations.get('county')!.services.get('customer') })]);
	});

	it('with the answering-queue setting, the same caller is the answering queue’s call, answered in 10 s', async () => {
		const answering = codesOf({ county: { customer: [], planning: [] } });
		answering.organisations.get('county')!.phoneWaitFrom = 'answering-queue';
		const results = await read(
			[
				'100|c1|main|NONE|ENTERQUEUE||07700900001|1',
				'400|c1|main|NONE|EXITWITHTIMEOUT|1|1|300',
				'400|c1|planning|NONE|ENTERQUEUE||07700900001|1',
				'410|c1|planning|PJSIP/2001|CONNECT|10|1741.2|3',
				'600|c1|planning|PJSIP/2001|COMPLETEAGENT|10|190|1'
			],
			answering
		);
		expect(results.map(call)).toEqual([expect.objectContaining({ waitSeconds: 10, abandoned: false, serviceId: answering.organisations.get('county')!.services.get('planning') })]);
	});

	it('an abandon in the second queue is counted: one abandoned call that waited in both', async () => {
		const results = await read([
			'100|c1|main|NONE|ENTERQUEUE||07700900001|1',
			'130|c1|main|NONE|EXITWITHKEY|5|1|1|30',
			'131|c1|overflow|NONE|ENTERQUEUE||07700900001|1',
			'171|c1|overflow|NONE|ABANDON|1|1|40'
		]);
		expect(reasons(results)).toEqual([]);
		expect(results.map(call)).toEqual([expect.objectContaining({ externalRef: 'c1', waitSeconds: 70, abandoned: true, firstResponseAt: null, resolvedAt: s(171) })]);
	});

	it('a caller an agent transferred to another queue is one call, answered in the first queue, ended when the second ends', async () => {
		const results = await read([
			'100|c1|main|NONE|ENTERQUEUE||07700900001|1',
			'105|c1|main|PJSIP/2001|CONNECT|5|1741.2|3',
			'200|c1|main|PJSIP/2001|BLINDTRANSFER|8002|from-queue|5|95|1',
			'200|c1|planning|NONE|ENTERQUEUE||07700900001|1',
			'260|c1|planning|PJSIP/2002|CONNECT|60|1741.3|2',
			'500|c1|planning|PJSIP/2002|COMPLETECALLER|60|240|1'
		]);
		expect(reasons(results)).toEqual([]);
		expect(results.map(call)).toEqual([expect.objectContaining({ receivedAt: s(100), firstResponseAt: s(105), waitSeconds: 5, abandoned: false, resolvedAt: s(500) })]);
	});

	it('a call that ended is stored once no further leg can follow, with the log still being read', async () => {
		const results: RowResult[] = [];
		const log = ['100|a|main|NONE|ENTERQUEUE||1|1', '140|a|main|NONE|ABANDON|1|1|40', '5000|b|main|NONE|ENTERQUEUE||1|1'];
		for await (const item of readQueueLog(lines(...log), codes, queues)) {
			results.push(item);
			break; // the first call comes out before the end of the file
		}
		expect(call(results[0])).toMatchObject({ externalRef: 'a', waitSeconds: 40 });
	});

	it('an attended transfer written under the agent’s consultation call (Asterisk 20 under FreePBX) is the caller’s, and the consultation call is no second caller', async () => {
		const results = await read([
			'259|a|main|NONE|ENTERQUEUE||07700900001|1',
			'271|a|main|PJSIP/7009|CONNECT|12|b0|11',
			'390|b|overflow|NONE|ENTERQUEUE||7009|1',
			'391|b|main|PJSIP/7009|ATTENDEDTRANSFER|APP|Queue|12|120|1',
			'397|a|overflow|PJSIP/7051|CONNECT|7|b1|6',
			'570|a|overflow|PJSIP/7051|COMPLETEAGENT|7|173|1'
		]);
		expect(reasons(results)).toEqual([]);
		expect(results.filter((r) => 'skipped' in r)).toEqual([{ skipped: { row: 3, reason: CONSULTATION } }]);
		expect(results.filter((r) => 'contact' in r).map(call)).toEqual([
			expect.objectContaining({ externalRef: 'a', receivedAt: s(259), firstResponseAt: s(271), waitSeconds: 12, abandoned: false, resolvedAt: s(570) })
		]);
	});

	it('a caller whose ENTERQUEUE was in the previous file never takes the place of another caller who entered that second', async () => {
		const results = await read([
			'100|new|main|NONE|ENTERQUEUE||07700900002|1',
			'110|old|main|PJSIP/2001|CONNECT|10|x|3',
			'130|new|main|NONE|ABANDON|1|1|30',
			'200|old|main|PJSIP/2001|COMPLETECALLER|10|90|1'
		]);
		expect(results.map(call)).toEqual([
			expect.objectContaining({ externalRef: 'new', receivedAt: s(100), waitSeconds: 30, abandoned: true }),
			expect.objectContaining({ externalRef: 'old', receivedAt: s(100), waitSeconds: 10, abandoned: false })
		]);
	});
});

describe('a queue_log table exported from a database', () => {
	it('reads time, callid, queuename, agent, event, data1…data5 with dates or Unix seconds, ATTENDEDTRANSFER’s sixth field in data5', async () => {
		const csv = [
			'time,callid,queuename,agent,event,data1,data2,data3,data4,data5',
			'2025-03-03 09:00:00.000000,1741.1,main,NONE,ENTERQUEUE,,07700900001,1,,',
			'2025-03-03 09:00:12.000000,1741.1,main,PJSIP/2001,CONNECT,12,1741.2,3,,',
			'2025-03-03 09:05:12.000000,1741.1,main,PJSIP/2001,COMPLETEAGENT,12,300,1,,',
			'1740992700,1741.3,main,NONE,ENTERQUEUE,,07700900002,1,,',
			'1740992740,1741.3,main,NONE,ABANDON,1,1,40,,',
			'1740993000,1741.5,main,PJSIP/2001,ATTENDEDTRANSFER,LINK,Local/1@a;1,Local/1@a;2,7,"20|1"'
		].join('\n');
		const out: RowResult[] = [];
		for await (const item of readQueueLogTable(Readable.from([csv]), codes, queues)) out.push(item);
		expect(reasons(out)).toEqual([]);
		expect(out.map(call)).toEqual([
			expect.objectContaining({ externalRef: '1741.1', receivedAt: Date.UTC(2025, 2, 3, 9, 0, 0), waitSeconds: 12, abandoned: false, resolvedAt: Date.UTC(2025, 2, 3, 9, 5, 12) }),
			expect.objectContaining({ externalRef: '1741.3', waitSeconds: 40, abandoned: true }),
			expect.objectContaining({ externalRef: '1741.5', waitSeconds: 7, abandoned: false, firstResponseAt: s(1740993000 - 20) })
		]);
	});
});

describe('which kind a phone log is', () => {
	it('knows a queue_log table export by its header', () => {
		expect(detectKind('time,callid,queuename,agent,event,data1,data2,data3,data4,data5\n')).toBe('asterisk');
		expect(detectKind('"id","time","callid","queuename","agent","event","data","data1","data2"\n')).toBe('asterisk');
	});
});
