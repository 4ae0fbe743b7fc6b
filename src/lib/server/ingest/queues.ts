/**
 * Which organisation, service and team a telephony queue's calls belong to (Asterisk, Amazon
 * Connect). Queue mappings are kept per organisation (directory/queues.ts); an import reads them
 * once. A call in a queue nobody mapped is rejected with the queue named, never guessed.
 */
import { place, type Codes, type Placement } from './codes.ts';

export interface QueuePlacement {
	organisation: string;
	service: string;
	team?: string | null;
}

/** The same queue name mapped by several organisations: only `--organisation` can say which. */
export interface QueueConflict {
	organisations: string[];
}

/** Queue name (or '*', every other queue of an organisation) → where its calls go. */
export type QueueMap = Record<string, QueuePlacement | QueueConflict>;

/** Where a call in `queue` belongs, or a reason naming the queue and where to map it. */
export function placeQueue(codes: Codes, queues: QueueMap, queue: string): Placement {
	const found = Object.hasOwn(queues, queue) ? queues[queue] : Object.hasOwn(queues, '*') ? queues['*'] : undefined;
	if (found === undefined) {
		return { reason: `queue '${queue}' is not mapped to a service: map it under Admin › Queues (or the set-up file's queues), then import again` };
	}
	if ('organisations' in found) {
		return { reason: `queue '${queue}' is mapped by ${found.organisations.join(' and ')}: import with --organisation to say whose calls these are` };
	}
	const placement = place(codes, found.organisation, found.service, found.team ?? null);
	return 'reason' in placement ? { reason: `queue '${queue}': ${placement.reason}` } : placement;
}

/** The map from mapping rows (of one organisation, or of all: a name two organisations use conflicts). */
export function queueMapOf(rows: readonly (QueuePlacement & { queue: string })[]): QueueMap {
	const map: QueueMap = {};
	for (const { queue, ...placement } of rows) {
		const seen = map[queue];
		if (seen === undefined) map[queue] = placement;
		else {
			const organisations = 'organisations' in seen ? seen.organisations : [seen.organisation];
			if (!organisations.includes(placement.organisation)) map[queue] = { organisations: [...organisations, placement.organisation].sort() };
		}
	}
	return map;
}
