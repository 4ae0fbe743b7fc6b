import { describe, expect, it } from 'vitest';
import { codesOf } from '../../../src/lib/server/ingest/codes.ts';
import { electoralReader, settleFile, type ElectoralRecord } from '../../../src/lib/server/ingest/electoral.ts';

const codes = codesOf({ harrowfield: { electoral: [] } });
const scope = { mapping: null, organisation: null };

describe('reading the electoral data files', () => {
	it('tells the grain from the header, and reads a property row with a UK date', () => {
		const reader = electoralReader('canvass', codes, ['Organisation', 'Canvass', 'Property', 'Route', 'Responded'], scope);
		expect(reader.grain).toBe('canvass-property');
		const result = reader.read(['harrowfield', '2025', 'P1', '2', '15/07/2025'], 2);
		expect(result).toMatchObject({ record: { grain: 'canvass-property', canvassYear: 2025, propertyRef: 'P1', route: 2, respondedOn: '2025-07-15' }, warnings: [] });
		expect(electoralReader('canvass', codes, ['organisation', 'canvass', 'route', 'properties', 'responses'], scope).grain).toBe('canvass-summary');
		expect(electoralReader('register-changes', codes, ['organisation', 'notice', 'determined_before_cutoff', 'included'], scope).grain).toBe('notice-summary');
	});

	it('gives every reason a row is refused, and flags a notice in the canvass months', () => {
		const reader = electoralReader('register-changes', codes, ['organisation', 'change', 'kind', 'determined', 'notice'], scope);
		expect(reader.read(['shire', '', 'transfer', '31/02/2026', ''], 2)).toMatchObject({
			rejection: { reason: "organisation 'shire' is not one of harrowfield; change is empty; kind 'transfer' is not addition, amendment or deletion; determined '31/02/2026' is not a date" }
		});
		expect(reader.read(['harrowfield', 'C1', 'Addition', '2025-08-20', '2025-09-01'], 3)).toMatchObject({
			warnings: ['notice 2025-09-01 falls in the canvass (August to December), when no monthly notices are published: check the date']
		});
		const summary = electoralReader('canvass', codes, ['organisation', 'canvass', 'route', 'properties', 'responses'], scope);
		expect(summary.read(['harrowfield', '25', '2', '8', '9'], 2)).toMatchObject({
			rejection: { reason: "canvass '25' is not a year such as 2025 (the year the canvass began); responses (9) is more than properties (8)" }
		});
	});

	it('keeps the first of two identical rows, and neither row of a property in two routes', () => {
		const reader = electoralReader('canvass', codes, ['organisation', 'canvass', 'property', 'route', 'responded'], scope);
		const records = [
			reader.read(['harrowfield', '2025', 'A', '2', ''], 2),
			reader.read(['harrowfield', '2025', 'A', '2', ''], 3),
			reader.read(['harrowfield', '2025', 'B', '1', ''], 4),
			reader.read(['harrowfield', '2025', 'B', '3', ''], 5),
			reader.read(['harrowfield', '2024', 'B', '3', ''], 6)
		].map((r) => (r as { record: ElectoralRecord }).record);
		const settled = settleFile(records);
		expect(settled.kept.map((r) => r.row)).toEqual([2, 6]);
		expect(settled.rejected.map((r) => [r.row, r.reason.slice(0, 40)])).toEqual([
			[3, 'duplicate of row 2'],
			[5, 'property B is in route 3 here and in rou'],
			[4, 'property B is in more than one row of th']
		]);
	});
});

describe('a mapping of an electoral file', () => {
	it("names its kind's columns; a contact-log column is refused, and no kind is a contact log", async () => {
		const { mappingDefinition } = await import('../../../src/lib/server/ingest/mappings.ts');
		const ems = { kind: 'canvass', columns: { 'Property Ref': 'property', 'Canvass Route': 'route' }, values: { route: { Matched: '1' } } };
		expect(mappingDefinition.safeParse(ems).success).toBe(true);
		const wrong = mappingDefinition.safeParse({ kind: 'canvass', columns: { 'Case Ref': 'reference' } });
		expect(wrong.success ? [] : wrong.error.issues.map((i) => i.message)).toEqual([
			"'reference' is not a column of the canvass file (organisation, canvass, property, route, responded, properties, responses, as_of)"
		]);
		const contacts = mappingDefinition.safeParse({ columns: { 'Property Ref': 'property' } });
		expect(contacts.success ? [] : contacts.error.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^'property' is not a contact-log column \(reference, /)]);
	});
});
