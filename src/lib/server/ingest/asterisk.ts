/**
 * Asterisk's queue_log (docs.asterisk.org, "Queue Logs"): one line per event,
 * `time|callid|queue|agent|EVENT|data1|data2|…`, time in Unix seconds. Each call that entered a
 * queue becomes one phone contact: received when it entered, wait_seconds until answered or
 * until the caller left, abandoned when nobody answered. Only calls still open are held in
 * memory, so a log of any length streams.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Codes, Placement } from './codes.ts';
import { placeQueue as placeIn, type QueueMap } from './queues.ts';
import { referenceProblem, type ContactRow, type RowResult } from './rows.ts';

interface Call {
	row: number;
	line: string;
	callid: string;
	queue: string;
	enteredAt: number;
	answeredAt: number | null;
	wait: number | null;
}

// Where each event keeps the seconds the caller waited (data fields, 1-based).
const LEFT_UNANSWERED: Record<string, number> = { ABANDON: 3, EXITWITHTIMEOUT: 3, EXITEMPTY: 3, EXITWITHKEY: 4 };
const ENDED_ANSWERED = new Set(['COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER']);

export async function* readQueueLog(text: Readable, codes: Codes, queues: QueueMap = {}): AsyncGenerator<RowResult> {
	const placements = new Map<string, Placement>();
	const placeQueue = (queue: string) => {
		let found = placements.get(queue);
		if (!found) {
			found = placeIn(codes, queues, queue);
			placements.set(queue, found);
		}
		return found;
	};
	const open = new Map<string, Call>();
	const contact = (call: Call, end: { at: number; abandoned: boolean; wait: number | null } | null): RowResult => {
		const placement = placeQueue(call.queue);
		if ('reason' in placement) return reject(call.row, call.line, placement.reason);
		const wait = end?.wait ?? call.wait;
		if (wait === null) return reject(call.row, call.line, `call ${call.callid} is still waiting in queue '${call.queue}' at the end of the log`);
		const row: ContactRow = {
			row: call.row,
			...placement,
			contactType: 'phone',
			externalRef: call.callid,
			receivedAt: call.enteredAt,
			clockStartAt: null,
			firstResponseAt: end?.abandoned ? null : call.answeredAt,
			resolvedAt: end?.at ?? null,
			waitSeconds: wait,
			abandoned: end?.abandoned ?? false,
			extended: false,
			pausedFrom: null,
			pausedTo: null,
			version: null
		};
		return { contact: row };
	};

	let row = 0;
	for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
		row++;
		if (line.trim() === '') continue;
		const fields = line.split('|');
		const [time, callid, queue, , event] = fields;
		const seconds = Number(time);
		if (fields.length < 5 || !/^\d+(\.\d+)?$/.test(time ?? '') || !callid || !event) {
			yield reject(row, line, 'is not a queue_log line (time|callid|queue|agent|EVENT|data…, time in Unix seconds)');
			continue;
		}
		if (callid === 'NONE' || queue === 'NONE') continue; // queue and agent events, not calls
		const tooLong = referenceProblem('callid', callid);
		if (tooLong) {
			yield reject(row, line, tooLong);
			continue;
		}
		const at = Math.round(seconds * 1000);
		const data = (n: number) => number(fields[4 + n]);
		const call = open.get(callid);
		if (event === 'ENTERQUEUE') {
			if (call) yield reject(call.row, call.line, `call ${callid} entered queue '${call.queue}' again on row ${row} before leaving it`);
			open.set(callid, { row, line, callid, queue: queue!, enteredAt: at, answeredAt: null, wait: null });
		} else if (event === 'CONNECT') {
			const holdtime = data(1);
			const current = call ?? { row, line, callid, queue: queue!, enteredAt: at - (holdtime ?? 0) * 1000, answeredAt: null, wait: null };
			current.answeredAt = at;
			current.wait = holdtime;
			open.set(callid, current);
		} else if (event in LEFT_UNANSWERED) {
			const wait = data(LEFT_UNANSWERED[event]!);
			open.delete(callid);
			yield contact(call ?? { row, line, callid, queue: queue!, enteredAt: at - (wait ?? 0) * 1000, answeredAt: null, wait }, { at, abandoned: true, wait });
		} else if (ENDED_ANSWERED.has(event)) {
			// COMPLETE*(holdtime|calltime|origposition); TRANSFER(extension|context|holdtime|calltime|…)
			const [hold, talk] = event === 'TRANSFER' ? [data(3), data(4)] : [data(1), data(2)];
			open.delete(callid);
			const answeredAt = at - (talk ?? 0) * 1000;
			const current = call ?? { row, line, callid, queue: queue!, enteredAt: answeredAt - (hold ?? 0) * 1000, answeredAt, wait: hold };
			current.answeredAt ??= answeredAt;
			yield contact(current, { at, abandoned: false, wait: current.wait ?? hold });
		}
		// RINGNOANSWER, ENTERQUEUE's neighbours (DID, INFO…) change nothing about the promise.
	}
	// Answered and still talking: a responded contact; never answered: no outcome to store yet.
	for (const call of open.values()) yield contact(call, null);
}

function number(text: string | undefined): number | null {
	if (text === undefined || !/^\d+(\.\d+)?$/.test(text.trim())) return null;
	return Math.round(Number(text));
}

function reject(row: number, line: string, reason: string): RowResult {
	return { rejection: { row, reason, raw: { line } } };
}
