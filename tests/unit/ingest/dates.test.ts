import { describe, expect, it } from 'vitest';
import { fromExcelSerial, parseInstant } from '../../../src/lib/engine/instants.ts';
import { parseFlag, parseSeconds } from '../../../src/lib/server/ingest/dates.ts';

const iso = (text: string) => {
	const parsed = parseInstant(text);
	return 'ms' in parsed ? new Date(parsed.ms).toISOString() : parsed.reason;
};

describe('reading a date cell', () => {
	it.each([
		['2025-03-03', '2025-03-03T00:00:00.000Z'],
		['2025-07-01', '2025-06-30T23:00:00.000Z'],
		['2025-07-01T09:30', '2025-07-01T08:30:00.000Z'],
		['2025-07-01 09:30:15', '2025-07-01T08:30:15.000Z'],
		['2025-07-01T09:30:15.5Z', '2025-07-01T09:30:15.500Z'],
		['2025-07-01T09:30:00+02:00', '2025-07-01T07:30:00.000Z'],
		['2025-07-01T09:30:00-0500', '2025-07-01T14:30:00.000Z'],
		['03/03/2025', '2025-03-03T00:00:00.000Z'],
		['3/7/2025 9:05', '2025-07-03T08:05:00.000Z'],
		['01/07/2025 23:59:59', '2025-07-01T22:59:59.000Z'],
		['29/02/2024', '2024-02-29T00:00:00.000Z'],
		['  03/03/2025  ', '2025-03-03T00:00:00.000Z']
	])('reads %s as %s', (text, expected) => {
		expect(iso(text)).toBe(expected);
	});

	it.each([
		['31/02/2025', 'is not a date'],
		['29/02/2025', 'is not a date'],
		['2025-02-30', 'is not a date'],
		['13/13/2025', 'is not a date'],
		['03/03/25', 'is not a date'],
		['next Tuesday', 'is not a date'],
		['2025-03-03T24:00', 'is not a time of day'],
		['03/03/2025 10:60', 'is not a time of day'],
		['2025-03-03T10:00+15:00', 'has an offset that no time zone uses'],
		['0000-01-01', 'is before 1900 (is the year right?)'],
		['01/03/1899 09:00', 'is before 1900 (is the year right?)']
	])('refuses %s: %s', (text, reason) => {
		expect(iso(text)).toBe(reason);
	});

	describe('on the nights the clocks change (Europe/London)', () => {
		it('refuses a time in the hour skipped in spring', () => {
			expect(iso('30/03/2025 01:00')).toMatch(/^is not a time in Europe\/London: the clocks went forward an hour on the night of 30 March 2025/);
			expect(iso('2025-03-30T01:59:59')).toMatch(/^is not a time in Europe\/London/);
		});
		it('reads the minutes either side of the spring gap', () => {
			expect(iso('30/03/2025 00:59:59')).toBe('2025-03-30T00:59:59.000Z');
			expect(iso('30/03/2025 02:00')).toBe('2025-03-30T01:00:00.000Z');
		});
		it('refuses a time in the hour repeated in autumn, unless it has an offset', () => {
			expect(iso('26/10/2025 01:00')).toMatch(/^happened twice in Europe\/London: the clocks went back an hour on the night of 26 October 2025/);
			expect(iso('26/10/2025 01:59')).toMatch(/^happened twice/);
			expect(iso('2025-10-26T01:30+01:00')).toBe('2025-10-26T00:30:00.000Z');
			expect(iso('2025-10-26T01:30Z')).toBe('2025-10-26T01:30:00.000Z');
		});
		it('reads the minutes either side of the autumn repeat', () => {
			expect(iso('26/10/2025 00:59')).toBe('2025-10-25T23:59:00.000Z');
			expect(iso('26/10/2025 02:00')).toBe('2025-10-26T02:00:00.000Z');
		});
	});
});

describe('Excel serial day numbers', () => {
	const serial = (n: number) => {
		const parsed = fromExcelSerial(n);
		return 'ms' in parsed ? new Date(parsed.ms).toISOString() : parsed.reason;
	};
	it.each([
		[45719, '2025-03-03T00:00:00.000Z'],
		[45719.5, '2025-03-03T12:00:00.000Z'],
		[45839.75, '2025-07-01T17:00:00.000Z'],
		[61, '1900-03-01T00:00:00.000Z'],
		[45658.999988426, '2025-01-01T23:59:59.000Z']
	])('reads %d as %s (Europe/London)', (n, expected) => {
		expect(serial(n)).toBe(expected);
	});
	it('refuses serials before Excel’s phantom 29 February 1900, and past 9999', () => {
		expect(serial(60)).toBe('is an Excel date before 1 March 1900');
		expect(serial(3_000_000)).toBe('is not a date');
	});
	it('refuses a serial in the spring-forward hour', () => {
		expect(serial(45746.0625)).toMatch(/^is not a time in Europe\/London/);
	});
	it('is what a cell holding a serial reads as', () => {
		expect(iso('45719')).toBe('2025-03-03T00:00:00.000Z');
	});
});

describe('flags and seconds', () => {
	it.each([
		['yes', true], ['Y', true], ['TRUE', true], ['1', true],
		['no', false], ['False', false], ['0', false], ['', null], ['maybe', undefined]
	])('reads %s as %s', (text, expected) => {
		expect(parseFlag(text)).toBe(expected);
	});
	it.each([
		['12', 12], ['0', 0], ['12.0', 12], ['12.5', undefined], ['-3', undefined], ['abc', undefined], ['', undefined]
	])('reads wait %s as %s', (text, expected) => {
		expect(parseSeconds(text)).toBe(expected);
	});
});
