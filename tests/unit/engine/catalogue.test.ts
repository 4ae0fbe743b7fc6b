import { describe, it, expect } from 'vitest';
import {
	STANDARDS,
	STANDARD_CODES,
	CONTACT_TYPES,
	standardsFor,
	getStandardDefinition
} from '../../../src/lib/engine/catalogue.ts';
import { parseRule } from '../../../src/lib/engine/rules.ts';
import { getCalendar } from '../../../src/lib/engine/calendar.ts';

describe('the default standards catalogue', () => {
	it('has one entry per standard code in docs/rules.md, in order', () => {
		expect(STANDARDS.map((s) => s.code)).toEqual([...STANDARD_CODES]);
		expect(STANDARD_CODES).toHaveLength(18);
	});

	it('is plain data that survives a trip through JSON (jsonb)', () => {
		expect(JSON.parse(JSON.stringify(STANDARDS))).toEqual(STANDARDS);
	});

	it.each(STANDARDS.map((s) => [s.code, s] as const))('%s has a valid rule, calendar, scope and target', (_code, standard) => {
		expect(parseRule(standard.rule)).toEqual(standard.rule);
		expect(getCalendar(standard.calendar).code).toBe(standard.calendar);
		expect(standard.contactTypes.every((t) => (CONTACT_TYPES as readonly string[]).includes(t))).toBe(true);
		expect(standard.appliesTo.length).toBeGreaterThan(0);
		expect(standard.targetPercent).toBeGreaterThan(0);
		expect(standard.targetPercent).toBeLessThanOrEqual(100);
		expect(standard.atRiskShare).toBe(0.75);
		expect(standard.wording.length).toBeGreaterThan(20);
	});

	it('keeps council closure days off the statutory FOI and SAR clocks, and aims for 100%', () => {
		for (const code of ['foi.response', 'sar.statutory', 'ds.agenda'] as const) {
			const standard = getStandardDefinition(code);
			expect(standard).toMatchObject({ statutory: true, closuresApply: false, targetPercent: 100 });
		}
		expect(getStandardDefinition('sar.published')?.closuresApply).toBe(false);
	});

	it('counts FOI on the UK-wide calendar and everything else on England and Wales', () => {
		expect(STANDARDS.filter((s) => s.calendar === 'foia-uk').map((s) => s.code)).toEqual(['foi.response']);
	});

	it('scores a county SAR against both the published and the statutory promise', () => {
		expect(standardsFor('county', 'customer', 'sar').map((s) => s.code)).toEqual(['sar.published', 'sar.statutory']);
		expect(standardsFor('borough', 'electoral', 'sar').map((s) => s.code)).toEqual(['sar.statutory']);
	});

	it.each([
		['county', 'customer', 'phone', ['phone.answer']],
		['county', 'customer', 'email', ['email.reply']],
		['borough', 'customer', 'email', ['email.reply']],
		['borough', 'electoral', 'email', ['es.email']],
		['borough', 'democratic', 'email', []],
		['borough', 'electoral', 'registration', ['es.registration']],
		['borough', 'democratic', 'meeting', ['ds.minutes', 'ds.agenda']],
		['borough', 'democratic', 'foi', ['foi.response']],
		['county', 'customer', 'complaint', ['complaint.ack']],
		['borough', 'customer', 'phone', []]
	])('a %s %s %s contact is scored against %o', (organisation, service, type, codes) => {
		expect(standardsFor(organisation, service, type).map((s) => s.code)).toEqual(codes);
	});
});
