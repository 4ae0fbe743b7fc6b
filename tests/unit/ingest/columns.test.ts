import { describe, expect, it } from 'vitest';
import { contactLogColumns } from '../../../src/lib/server/ingest/contact-log.ts';
import { HeaderError, mapColumns, normaliseHeader } from '../../../src/lib/server/ingest/columns.ts';

describe('matching a header to the contact log’s columns', () => {
	it.each(['wait_seconds', 'Wait Seconds', 'WAIT-SECONDS', 'waitSeconds', ' wait  seconds '])('matches %s to wait_seconds', (cell) => {
		expect(normaliseHeader(cell)).toBe('waitseconds');
	});

	it('finds columns in any order and ignores ones it does not know', () => {
		const mapping = mapColumns(['Notes', 'Received', 'Type', 'Service', 'Organisation', 'Reference', 'Clock-Start'], contactLogColumns);
		expect(mapping.index).toEqual({ received: 1, type: 2, service: 3, organisation: 4, reference: 5, clock_start: 6 });
		expect(mapping.ignored).toEqual(['Notes']);
	});

	it('matches a first cell that still carries a byte order mark', () => {
		expect(mapColumns(['\uFEFFreference', 'organisation', 'service', 'type', 'received'], contactLogColumns).index.reference).toBe(0);
	});

	it('names every missing required column in one error', () => {
		expect(() => mapColumns(['reference', 'service'], contactLogColumns)).toThrowError(
			new HeaderError("row 1: the header has no columns 'organisation', 'type', 'received' (required: reference, organisation, service, type, received; the header read was: reference, service)")
		);
	});

	it('refuses a column given twice', () => {
		expect(() => mapColumns(['reference', 'organisation', 'service', 'type', 'received', 'Type'], contactLogColumns)).toThrowError(
			"row 1: column 'type' appears twice (columns 4 and 6)"
		);
	});
});
