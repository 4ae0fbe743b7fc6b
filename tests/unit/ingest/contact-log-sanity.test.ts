import { describe, expect, it } from 'vitest';
import { codesOf } from '../../../src/lib/server/ingest/codes.ts';
import { contactLogReader } from '../../../src/lib/server/ingest/contact-log.ts';
import type { RowResult } from '../../../src/lib/server/ingest/rows.ts';

const codes = codesOf({ county: { customer: [] }, borough: { democratic: [] } });
const header = ['reference', 'organisation', 'service', 'type', 'received', 'responded', 'closed', 'wait_seconds', 'abandoned'];
const reason = (result: RowResult) => ('rejection' in result ? result.rejection.reason : 'stored');

describe('a contact log row that cannot be true is refused with a reason an officer can act on', () => {
	const read = contactLogReader(codes, header);

	it('a reply before the contact arrived', () => {
		expect(reason(read(['E1', 'county', 'customer', 'email', '03/03/2025 10:00', '02/03/2025 09:00', '', '', ''], 2))).toBe(
			"responded '02/03/2025 09:00' is before received '03/03/2025 10:00': a reply cannot come before the contact; check the two dates (or their columns)"
		);
	});

	it('a case closed before it arrived', () => {
		expect(reason(read(['E2', 'county', 'customer', 'email', '03/03/2025', '', '01/03/2025', '', ''], 2))).toBe(
			"closed '01/03/2025' is before received '03/03/2025': check the two dates (or their columns)"
		);
	});

	it('a call "abandoned" that has an answer time', () => {
		expect(reason(read(['C1', 'county', 'customer', 'phone', '2025-03-03T10:00:00', '2025-03-03T10:00:12', '', '12', 'yes'], 2))).toBe(
			"abandoned is 'yes' but the call has a responded time ('2025-03-03T10:00:12'): an answered call was not abandoned; clear one of them"
		);
	});

	it('a 999,999-second wait, over the day a wait may last unless the import allows more', () => {
		expect(reason(read(['C2', 'county', 'customer', 'phone', '2025-03-03T10:00:00', '', '', '999999', 'yes'], 2))).toBe(
			'wait_seconds 999999 is more than 86,400 seconds (a day): is it in milliseconds, or from the wrong columns? Correct it, or import with a higher --max-wait-seconds'
		);
		const twoHours = contactLogReader(codes, header, { mapping: null, organisation: null, maxWaitSeconds: 7200 });
		expect(reason(twoHours(['C3', 'county', 'customer', 'phone', '2025-03-03T10:00:00', '', '', '7201', 'yes'], 2))).toMatch(/^wait_seconds 7201 is more than 7,200 seconds \(2 hours\)/);
		expect(reason(twoHours(['C4', 'county', 'customer', 'phone', '2025-03-03T10:00:00', '', '', '7200', 'yes'], 2))).toBe('stored');
	});

	it('a meeting’s agenda published before the meeting is not refused', () => {
		expect(reason(read(['M1', 'borough', 'democratic', 'meeting', '20/03/2025', '10/03/2025', '', '', ''], 2))).toBe('stored');
	});
});
