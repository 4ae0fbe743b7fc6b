import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { codesOf } from '../../../src/lib/server/ingest/codes.ts';
import { readConnect } from '../../../src/lib/server/ingest/connect.ts';
import type { RowResult } from '../../../src/lib/server/ingest/rows.ts';

const codes = codesOf({ county: { customer: [] } });
const queues = { BasicQueue: { organisation: 'county', service: 'customer' }, CallbackQueue: { organisation: 'county', service: 'customer' }, '0d9b1c4e-8a2f-4b7e-9c3d-5e6f7a8b9c0d': { organisation: 'county', service: 'customer' } };

async function read(text: string): Promise<RowResult[]> {
	const out: RowResult[] = [];
	for await (const item of readConnect(Readable.from([text]), text.slice(0, 8192), codes, queues)) out.push(item);
	return out;
}
const contacts = (results: RowResult[]) => results.map((r) => ('contact' in r ? r.contact : 'rejection' in r ? r.rejection.reason : `skipped: ${r.skipped.reason}`));
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

describe('Amazon Connect contact records as Connect writes them', () => {
	it('reads a time without a zone as UTC, so a summer call is not an hour early', async () => {
		const csv = [
			'ContactId,Channel,InitiationMethod,InitiationTimestamp,DisconnectTimestamp,LastUpdateTimestamp,Queue.Name,Queue.EnqueueTimestamp,Queue.DequeueTimestamp,Queue.Duration,Agent.ConnectedToAgentTimestamp',
			'c-1,VOICE,INBOUND,2022-04-08 15:00:00.000,2022-04-08 15:06:00.000,2022-04-08 15:06:05.000,BasicQueue,2022-04-08 15:00:42.000,2022-04-08 15:00:57.000,15,2022-04-08 15:00:57.000'
		].join('\n');
		const [call] = contacts(await read(csv));
		expect(typeof call === 'object' && iso(call.receivedAt)).toBe('2022-04-08T15:00:42.000Z');
	});

	it('reads the data lake’s and Athena’s columns (contact_id, queue_enqueue_timestamp, queue_duration_ms, …) instead of calling every call never queued', async () => {
		const csv = [
			'contact_id,initial_contact_id,channel,initiation_method,initiation_timestamp,disconnect_timestamp,last_update_timestamp,queue_name,queue_enqueue_timestamp,queue_dequeue_timestamp,queue_duration_ms,agent_connected_to_agent_timestamp,agent_interaction_duration_ms',
			'd-1,,VOICE,INBOUND,2025-07-01 08:00:00.000,2025-07-01 08:10:00.000,2025-07-01 08:10:05.000,BasicQueue,2025-07-01 08:00:30.000,2025-07-01 08:00:48.500,18500,2025-07-01 08:00:48.500,240000',
			'd-2,,VOICE,INBOUND,2025-07-01 08:05:00.000,2025-07-01 08:06:10.000,2025-07-01 08:06:15.000,BasicQueue,2025-07-01 08:05:20.000,2025-07-01 08:06:10.000,50000,,'
		].join('\n');
		const [answered, abandoned] = contacts(await read(csv));
		expect(answered).toMatchObject({ externalRef: 'd-1', waitSeconds: 19, abandoned: false, contactType: 'phone' });
		expect(typeof answered === 'object' && [iso(answered.receivedAt), iso(answered.firstResponseAt), iso(answered.resolvedAt)]).toEqual([
			'2025-07-01T08:00:30.000Z',
			'2025-07-01T08:00:48.500Z',
			'2025-07-01T08:04:48.500Z'
		]);
		expect(abandoned).toMatchObject({ externalRef: 'd-2', waitSeconds: 50, abandoned: true });
	});

	it('reads `aws connect search-contacts` output: its Contacts array, Id, QueueInfo and AgentInfo', async () => {
		const json = JSON.stringify({
			Contacts: [
				{
					Arn: 'arn:aws:connect:eu-west-2:111122223333:instance/x/contact/s-1',
					Id: 's-1',
					InitialContactId: 's-1',
					Channel: 'VOICE',
					InitiationMethod: 'INBOUND',
					InitiationTimestamp: '2025-07-01T08:00:00+00:00',
					DisconnectTimestamp: '2025-07-01T08:09:00+00:00',
					QueueInfo: { Id: '0d9b1c4e-8a2f-4b7e-9c3d-5e6f7a8b9c0d', EnqueueTimestamp: '2025-07-01T08:00:20+00:00' },
					AgentInfo: { Id: 'a-1', ConnectedToAgentTimestamp: '2025-07-01T08:00:31+00:00' }
				}
			],
			TotalCount: 1
		});
		expect(contacts(await read(json))).toEqual([expect.objectContaining({ externalRef: 's-1', waitSeconds: 11, abandoned: false })]);
	});

	it('refuses a contact search download with no queue times as a whole, saying what to export instead', async () => {
		await expect(read('Contact ID,Channel,Initiation timestamp,Disconnect timestamp,Queue,Agent\nx-1,Voice,2025-07-01 08:00,2025-07-01 08:09,BasicQueue,jo\n')).rejects.toThrow(
			/no queue times .* a contact search download lists contacts without them/
		);
	});

	it('an outbound record that carries queue times is skipped, not scored as an inbound call answered in 0 seconds', async () => {
		const csv = [
			'ContactId,Channel,InitiationMethod,InitiationTimestamp,Queue.Name,Queue.EnqueueTimestamp,Queue.Duration,Agent.ConnectedToAgentTimestamp',
			'o-1,VOICE,OUTBOUND,2025-07-01T09:00:00Z,BasicQueue,2025-07-01T09:00:00Z,0,2025-07-01T09:00:00Z'
		].join('\n');
		expect(contacts(await read(csv))).toEqual(['skipped: an outbound call made by the council: nobody waited in a queue']);
	});

	it('a queued callback is a callback contact of the call that chose it: received when the caller chose it, responded when an agent connected', async () => {
		// AWS's queued-callback example: chosen at 11:37, enqueued after the 99-second initial delay, an agent 21 s later.
		const json = JSON.stringify({
			ContactId: 'cb-2',
			InitialContactId: 'in-1',
			PreviousContactId: 'in-1',
			Channel: 'VOICE',
			InitiationMethod: 'CALLBACK',
			InitiationTimestamp: '2025-07-01T11:37:00Z',
			DisconnectTimestamp: '2025-07-01T11:45:00Z',
			LastUpdateTimestamp: '2025-07-01T11:45:05Z',
			Queue: { Name: 'CallbackQueue', EnqueueTimestamp: '2025-07-01T11:38:39Z', DequeueTimestamp: '2025-07-01T11:39:00Z', Duration: 21 },
			Agent: { ConnectedToAgentTimestamp: '2025-07-01T11:39:00Z', AgentInteractionDuration: 300 }
		});
		const [callback] = contacts(await read(json));
		// Kept under the call's first contact, as a transfer's legs are: staging gives it the wait until the choice.
		expect(callback).toMatchObject({ contactType: 'callback', externalRef: 'in-1', legRef: 'cb-2', previousRef: 'in-1', waitSeconds: null, abandoned: null });
		expect(typeof callback === 'object' && [iso(callback.receivedAt), iso(callback.firstResponseAt)]).toEqual(['2025-07-01T11:37:00.000Z', '2025-07-01T11:39:00.000Z']);
	});

	it('handle time of a call transferred out is the agent’s interaction, not the minutes until the caller left the third party', async () => {
		const json = JSON.stringify({
			ContactId: 't-1',
			Channel: 'VOICE',
			InitiationMethod: 'INBOUND',
			InitiationTimestamp: '2025-07-01T10:00:00Z',
			DisconnectTimestamp: '2025-07-01T10:27:16Z',
			LastUpdateTimestamp: '2025-07-01T10:27:20Z',
			Queue: { Name: 'BasicQueue', EnqueueTimestamp: '2025-07-01T10:00:10Z', DequeueTimestamp: '2025-07-01T10:00:20Z', Duration: 10 },
			Agent: { ConnectedToAgentTimestamp: '2025-07-01T10:00:20Z', AgentInteractionDuration: 229, CustomerHoldDuration: 10 }
		});
		const [call] = contacts(await read(json));
		expect(typeof call === 'object' && (call.resolvedAt! - call.firstResponseAt!) / 1000).toBe(239);
	});
});
