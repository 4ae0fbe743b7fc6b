/**
 * Asterisk's queue_log (docs.asterisk.org, "Queue Logs"; app_queue.c): one line per event,
 * `time|callid|queue|agent|EVENT|data1|data2|…`, time in Unix seconds; or the same events as a
 * database table exported to CSV with a header (`time, callid, queuename, agent, event,
 * data1…data5`, as Wazo/XiVO, FreePBX or Issabel with database logging, PBXware and QueueMetrics
 * keep them).
 *
 * One call is one contact, from its first ENTERQUEUE to its end. Asterisk keeps a caller's call id
 * when it leaves one queue for another (an overflow after EXITWITHTIMEOUT or EXITWITHKEY, or an
 * agent transferring the caller to another queue), so each further queue visit of the same call id
 * is a leg of that call, never a second contact. Whose call it is and how long the caller waited
 * follow the organisation's setting (docs/rules.md "Phone service level"): by default the first
 * queue's, the wait counted from the first ENTERQUEUE to the answer (or to leaving unanswered for
 * good); or the queue that answered and the wait in it.
 *
 * Each event is read from the fields the Asterisk version that wrote it puts there (1.2 to 20+),
 * so the tail or head of a rotated file is right on its own. Only calls still open, or ended within
 * the last hour (a caller may yet enter another queue), are held in memory, so a log of any length
 * streams.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseInstant } from '../../engine/instants.ts';
import type { Codes, PhoneWaitFrom, Placement } from './codes.ts';
import { rawRow } from './columns.ts';
import { csvRecords } from './csv.ts';
import { placeQueue as placeIn, type QueueMap } from './queues.ts';
import { referenceProblem, type ContactRow, type RowResult } from './rows.ts';

/** One visit of a call to a queue. */
interface Leg {
	queue: string;
	enteredAt: number;
	/** Known from ENTERQUEUE in this file (so an exit's wait can be counted from it). */
	entered: boolean;
	answeredAt: number | null;
	/** Seconds in this queue before the answer, or before leaving it unanswered; null while waiting. */
	wait: number | null;
	/** When this leg ended (the caller left the queue, or the answered call ended or was transferred). */
	endedAt: number | null;
}

interface Call {
	row: number;
	/** The first line read of the call, as kept with a rejection (made only then). */
	raw: () => Record<string, string>;
	callid: string;
	legs: Leg[];
	/** When its latest leg ended (null while it waits or talks): it settles an hour after, unless it goes on. */
	endedAt: number | null;
}

export const CONSULTATION = 'an agent’s consultation call into a queue for an attended transfer: the transferred caller took its place and is counted instead';

/** How long an ended call waits for a further leg (an overflow, a transfer to another queue) before it is stored. */
const SETTLE_MS = 60 * 60 * 1000;

// Where each event that ends a leg unanswered keeps the seconds waited (data fields, 1-based). 1.4
// wrote EXITWITHTIMEOUT with the position only and EXITWITHKEY with key and position: then the
// wait is the exit time less the ENTERQUEUE time.
const LEFT_UNANSWERED: Record<string, number> = { ABANDON: 3, EXITWITHTIMEOUT: 3, EXITEMPTY: 3, EXITWITHKEY: 4 };


export async function* readQueueLog(text: Readable, codes: Codes, queues: QueueMap = {}): AsyncGenerator<RowResult> {
	const out: RowResult[] = [];
	const calls = queueLogCalls(codes, queues, out);
	let row = 0;
	for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
		row++;
		if (line.trim() === '') continue;
		const fields = line.split('|');
		const time = fields[0]!;
		if (fields.length < 5 || !/^\d+(\.\d+)?$/.test(time) || !fields[1] || !fields[4]) {
			yield reject(row, { line }, 'is not a queue_log line (time|callid|queue|agent|EVENT|data…, time in Unix seconds)');
			continue;
		}
		calls.event(Math.round(Number(time) * 1000), fields, row, line);
		if (out.length > 0) {
			yield* out;
			out.length = 0;
		}
	}
	calls.end();
	yield* out;
}

/** The queue_log table's columns (Asterisk's realtime queue_log), as a database exports them. */
const TABLE_COLUMNS = ['time', 'callid', 'queuename', 'agent', 'event'] as const;

/** Whether a file's first line is the header of an exported queue_log table. */
export function isQueueLogTable(firstLine: string): boolean {
	const cells = new Set(firstLine.split(',').map((cell) => cell.replace(/^\uFEFF/, '').replaceAll('"', '').trim().toLowerCase()));
	return TABLE_COLUMNS.every((column) => cells.has(column));
}

/**
 * A queue_log table exported as CSV with its header. `time` is Unix seconds or a date and time (a
 * time without a zone is the phone system's clock, read as Europe/London); data1…data5 (or one
 * `data` column) hold the event's fields.
 */
export async function* readQueueLogTable(text: Readable, codes: Codes, queues: QueueMap = {}, onHeader?: (columns: string[]) => void): AsyncGenerator<RowResult> {
	const out: RowResult[] = [];
	const calls = queueLogCalls(codes, queues, out);
	let header: string[] | undefined;
	let at: Record<string, number> = {};
	let data: number[] = [];
	for await (const item of csvRecords(text)) {
		if ('unreadable' in item) {
			yield { rejection: { row: item.unreadable.row, reason: item.unreadable.reason, raw: {} } };
			continue;
		}
		if (!header) {
			header = item.record;
			onHeader?.(header);
			at = Object.fromEntries(header.map((cell, i) => [cell.trim().toLowerCase(), i]));
			data = [1, 2, 3, 4, 5].map((n) => at[`data${n}`]).filter((i): i is number => i !== undefined);
			if (data.length === 0 && at.data !== undefined) data = [at.data];
			continue;
		}
		const cells = item.record;
		const cell = (name: string) => (at[name] === undefined ? '' : (cells[at[name]!] ?? '').trim());
		const raw = rawRow(header, cells);
		const time = cell('time');
		const when = /^\d+(\.\d+)?$/.test(time) ? { ms: Math.round(Number(time) * 1000) } : parseInstant(time);
		if ('reason' in when) {
			yield reject(item.row, raw, `time '${time}' ${when.reason}`);
			continue;
		}
		if (!cell('callid') || !cell('event')) {
			yield reject(item.row, raw, 'callid or event is empty: not a queue_log event');
			continue;
		}
		// data1…data5 joined as Asterisk wrote them: a sixth field (ATTENDEDTRANSFER's LINK) stays in data5.
		const fields = [time, cell('callid'), cell('queuename'), cell('agent'), cell('event'), ...data.map((i) => cells[i] ?? '').join('|').split('|')];
		calls.event(when.ms, fields, item.row, raw);
		if (out.length > 0) {
			yield* out;
			out.length = 0;
		}
	}
	calls.end();
	yield* out;
}

/** The call model both readers share: events in, contacts (or rejections) pushed to `out` as calls settle. */
function queueLogCalls(codes: Codes, queues: QueueMap, out: RowResult[]) {
	const placements = new Map<string, Placement>();
	const placeQueue = (queue: string) => {
		let found = placements.get(queue);
		if (!found) {
			found = placeIn(codes, queues, queue);
			placements.set(queue, found);
		}
		return found;
	};
	const waitFrom = new Map<number, PhoneWaitFrom>();
	for (const organisation of codes.organisations.values()) waitFrom.set(organisation.id, organisation.phoneWaitFrom ?? 'first-queue');
	const open = new Map<string, Call>();
	// Who is talking to each queue member (queue and agent to call id), from CONNECT until that leg ends.
	const answering = new Map<string, string>();
	const memberKey = (queue: string, agent: string) => `${queue}\u0000${agent}`;
	// Calls whose latest leg ended, in the order they ended: each is stored an hour later unless it went on.
	let ended: { at: number; call: Call }[] = [];
	let settled = 0;
	let now = 0;

	const contact = (call: Call): RowResult => {
		const legs = call.legs;
		const first = legs[0]!;
		const firstPlacement = placeQueue(first.queue);
		let answered = -1;
		for (let i = 0; i < legs.length; i++) {
			if (legs[i]!.answeredAt !== null) {
				answered = i;
				break;
			}
		}
		const last = legs[legs.length - 1]!;
		if (answered === -1 && last.endedAt === null) {
			return reject(call.row, call.raw(), `call ${call.callid} is still waiting in queue '${last.queue}' at the end of the log`);
		}
		const byAnswer = 'reason' in firstPlacement ? 'first-queue' : waitFrom.get(firstPlacement.organisationId);
		let placement = firstPlacement;
		let wait: number;
		if (byAnswer === 'answering-queue') {
			const leg = legs[answered === -1 ? legs.length - 1 : answered]!;
			placement = placeQueue(leg.queue);
			wait = leg.wait ?? 0;
		} else {
			// From the first ENTERQUEUE: every queue visited before the answer (or all, unanswered).
			wait = 0;
			for (let i = 0; i <= (answered === -1 ? legs.length - 1 : answered); i++) wait += legs[i]!.wait ?? 0;
		}
		if ('reason' in placement) return reject(call.row, call.raw(), placement.reason);
		const row: ContactRow = {
			row: call.row,
			...placement,
			contactType: 'phone',
			externalRef: call.callid,
			receivedAt: first.enteredAt,
			clockStartAt: null,
			firstResponseAt: answered === -1 ? null : legs[answered]!.answeredAt,
			resolvedAt: last.endedAt,
			waitSeconds: wait,
			abandoned: answered === -1,
			extended: false,
			pausedFrom: null,
			pausedTo: null,
			version: null
		};
		return { contact: row };
	};

	/** The leg an event belongs to: the call's current one, or one begun before this file when the call is new here. */
	const legOf = (callid: string, queue: string, row: number, raw: string | Record<string, string>, enteredAt: number): Leg => {
		let call = open.get(callid);
		if (!call) {
			call = { row, raw: typeof raw === 'string' ? () => ({ line: raw }) : () => raw, callid, legs: [], endedAt: null };
			open.set(callid, call);
		}
		call.endedAt = null;
		const current = call.legs[call.legs.length - 1];
		if (current && current.queue === queue && current.endedAt === null) return current;
		const leg: Leg = { queue, enteredAt, entered: false, answeredAt: null, wait: null, endedAt: null };
		call.legs.push(leg);
		return leg;
	};

	const end = (callid: string, at: number) => {
		const call = open.get(callid)!;
		call.endedAt = at;
		ended.push({ at, call });
	};

	/**
	 * The call an event that ends an answered leg belongs to. Asterisk (seen with 20 under FreePBX) can
	 * write an attended transfer under the call id of the agent's consultation call, while its queue,
	 * member and times are those of the caller the member was talking to: when the call id has no
	 * visit open in that queue, and that member's current caller was answered at the event's answer
	 * time, the event is that caller's.
	 */
	const ownerOf = (callid: string, queue: string, member: string, answeredAt: number): string => {
		if (open.get(callid)?.legs.at(-1)?.queue === queue) return callid;
		const other = answering.get(member);
		const leg = other === undefined ? undefined : open.get(other)?.legs.at(-1);
		if (other === undefined || !leg || leg.queue !== queue || leg.endedAt !== null || leg.answeredAt === null) return callid;
		return Math.abs(leg.answeredAt - answeredAt) <= 1000 ? other : callid;
	};

	/**
	 * A caller already seen in another queue, answered in a queue it was never seen entering, whose
	 * wait began the second another call entered that queue and is still waiting there: after an
	 * attended transfer Asterisk puts the caller in the place of the agent's consultation call (the
	 * caller's CONNECT counts its hold from that call's ENTERQUEUE). That consultation call is not a
	 * caller: it is skipped, not left "still waiting". (A call whose ENTERQUEUE is in the previous,
	 * rotated file has no earlier visit here, so it never takes another caller's place.)
	 */
	const takeOver = (callid: string, queue: string, enteredAt: number, into: RowResult[]) => {
		for (const [otherId, other] of open) {
			if (otherId === callid || other.legs.length !== 1) continue;
			const leg = other.legs[0]!;
			if (leg.queue !== queue || !leg.entered || leg.answeredAt !== null || leg.endedAt !== null || Math.abs(leg.enteredAt - enteredAt) > 1000) continue;
			open.delete(otherId);
			into.push({ skipped: { row: other.row, reason: CONSULTATION } });
			return;
		}
	};

	/** Calls that ended over an hour before the latest event and did not go on: no further leg will come. */
	const settle = () => {
		while (settled < ended.length && ended[settled]!.at <= now - SETTLE_MS) {
			const { at, call } = ended[settled++]!;
			if (call.endedAt === at && open.get(call.callid) === call) {
				open.delete(call.callid);
				out.push(contact(call));
			}
		}
		if (settled > 10_000 && settled * 2 > ended.length) {
			ended = ended.slice(settled);
			settled = 0;
		}
	};

	return {
		event(at: number, fields: string[], row: number, raw: string | Record<string, string>): void {
			const callid = fields[1]!;
			const queue = fields[2]!;
			const event = fields[4]!;
			if (callid === 'NONE' || queue === 'NONE' || queue === '') return; // queue and agent events, not calls
			const tooLong = referenceProblem('callid', callid);
			if (tooLong) {
				out.push(reject(row, typeof raw === 'string' ? { line: raw } : raw, tooLong));
				return;
			}
			if (at > now) {
				now = at;
				settle();
			}
			if (event === 'ENTERQUEUE') {
				const current = open.get(callid)?.legs.at(-1);
				// Entered again without a word about leaving (a transfer logged after, or a lost line): that visit ends here.
				if (current && current.endedAt === null) {
					current.endedAt = at;
					current.wait ??= Math.max(0, Math.round((at - current.enteredAt) / 1000));
				}
				const leg = legOf(callid, queue, row, raw, at);
				leg.enteredAt = at;
				leg.entered = true;
			} else if (event === 'CONNECT') {
				// 1.2: holdtime; 1.4: holdtime|bridged channel; 1.6+: holdtime|bridged channel|ringtime.
				const hold = number(fields[5]);
				const leg = legOf(callid, queue, row, raw, at - (hold ?? 0) * 1000);
				if (!leg.entered && open.get(callid)!.legs.length > 1) takeOver(callid, queue, leg.enteredAt, out);
				leg.answeredAt = at;
				leg.wait = hold ?? Math.max(0, Math.round((at - leg.enteredAt) / 1000));
				answering.set(memberKey(queue, fields[3]!), callid);
			} else if (event in LEFT_UNANSWERED) {
				const given = number(fields[4 + LEFT_UNANSWERED[event]!]);
				const leg = legOf(callid, queue, row, raw, at - (given ?? 0) * 1000);
				if (given === null && !leg.entered) {
					const call = open.get(callid)!;
					call.legs.pop();
					if (call.legs.length === 0) open.delete(callid);
					out.push(reject(row, typeof raw === 'string' ? { line: raw } : raw, `call ${callid} left queue '${queue}' (${event}) but entered it before this log begins, and this Asterisk version does not write the wait: import the earlier log with it`));
					return;
				}
				leg.wait = given ?? Math.max(0, Math.round((at - leg.enteredAt) / 1000));
				leg.endedAt = at;
				end(callid, at);
			} else if (event === 'COMPLETEAGENT' || event === 'COMPLETECALLER' || event === 'TRANSFER' || event === 'BLINDTRANSFER' || event === 'ATTENDEDTRANSFER') {
				const [hold, talk] = answeredTimes(event, fields);
				const answeredAt = at - (talk ?? 0) * 1000;
				const member = memberKey(queue, fields[3]!);
				const owner = ownerOf(callid, queue, member, answeredAt);
				if (answering.get(member) === owner) answering.delete(member);
				const leg = legOf(owner, queue, row, raw, answeredAt - (hold ?? 0) * 1000);
				leg.answeredAt ??= answeredAt;
				leg.wait ??= hold ?? Math.max(0, Math.round((leg.answeredAt - leg.enteredAt) / 1000));
				leg.endedAt = at;
				end(owner, at);
			}
			// RINGNOANSWER (milliseconds of ringing), DID, INFO and the rest change nothing about the promise.
		},
		end(): void {
			// Answered and still talking: a responded contact; never answered and still waiting: rejected, no outcome yet.
			for (const call of open.values()) out.push(contact(call));
			open.clear();
		}
	};
}

/**
 * The hold time and talk time an event that ends an answered leg writes:
 * COMPLETEAGENT / COMPLETECALLER holdtime|calltime|origposition;
 * TRANSFER (1.4–11) and BLINDTRANSFER (12+) extension|context|holdtime|calltime|origposition;
 * ATTENDEDTRANSFER (12+) BRIDGE|bridge id, APP|application or LINK|channel|channel, then
 * holdtime|calltime|origposition (read from the end).
 */
function answeredTimes(event: string, fields: string[]): [number | null, number | null] {
	if (event === 'COMPLETEAGENT' || event === 'COMPLETECALLER') return [number(fields[5]), number(fields[6])];
	if (event === 'TRANSFER' || event === 'BLINDTRANSFER') return [number(fields[7]), number(fields[8])];
	let end = fields.length;
	while (end > 5 && fields[end - 1]!.trim() === '') end--;
	return end - 3 >= 5 ? [number(fields[end - 3]), number(fields[end - 2])] : [null, null];
}

function number(text: string | undefined): number | null {
	if (text === undefined || !/^\d+(\.\d+)?$/.test(text.trim())) return null;
	return Math.round(Number(text));
}

function reject(row: number, raw: Record<string, string>, reason: string): RowResult {
	return { rejection: { row, reason, raw } };
}
