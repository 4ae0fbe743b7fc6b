import { describe, expect, it } from 'vitest';
import { EXAMPLE_SETUP } from '../../../src/lib/server/setup/example.ts';
import { parseSetup, SetupError } from '../../../src/lib/server/setup/file.ts';

/** The problems a file is refused with, or [] when it reads. */
function problems(text: string): string[] {
	try {
		parseSetup(text);
		return [];
	} catch (error) {
		if (error instanceof SetupError) return error.problems;
		throw error;
	}
}

const harrowfield = (standards: string) => `organisations:
  - code: harrowfield
    name: Harrowfield District Council
    services:
      - code: customer-services
        name: Customer Services
    standards:
${standards}
`;

describe('a council set-up file', () => {
	it('reads the example that yardstick setup --example prints', () => {
		const { file } = parseSetup(EXAMPLE_SETUP);
		expect(file.organisations.map((o) => o.code)).toEqual(['harrowfield']);
		expect(file.organisations[0]!.closures).toEqual([{ from: '2026-12-29', to: '2026-12-31' }]);
		expect(file.organisations[0]!.mappings.crm!.values.type).toMatchObject({ 'E-mail': 'email' });
		expect(file.users).toHaveLength(2);
	});

	it('reads the same set-up written as JSON', () => {
		const { file } = parseSetup(JSON.stringify({ organisations: [{ code: 'harrowfield', name: 'Harrowfield', standards: [{ adopt: 'email.reply' }] }] }));
		expect(file.organisations[0]!.standards).toEqual([{ adopt: 'email.reply' }]);
	});

	it('names the key path and line of a catalogue code that does not exist', () => {
		const text = harrowfield('      - adopt: phone.answer\n      - adopt: email.reply\n      - adopt: emial.reply');
		expect(problems(text)).toEqual([expect.stringMatching(/^organisations\[0\]\.standards\[2\]\.adopt: no catalogue standard 'emial\.reply' \(the catalogue has phone\.answer, .*\) \(line 10\)$/)]);
	});

	it.each([
		['an unknown key', '      - adopt: email.reply\n        colour: red', /^organisations\[0\]\.standards\[0\]\.colour: unknown key \(see yardstick setup --example\) \(line 9\)$/],
		['a service the council does not have', '      - adopt: email.reply\n        services: [electoral]', /^organisations\[0\]\.standards\[0\]\.services\[0\]: 'electoral' is not a service of harrowfield \(customer-services\) \(line 9\)$/],
		['a rule the engine does not have', '      - code: harrowfield.visits\n        name: Visits\n        contactTypes: [phone]\n        rule: { kind: fortnights, n: 1 }', /^organisations\[0\]\.standards\[0\]\.rule: kind 'fortnights' is not one of seconds, working-days, .* \(line 11\)$/],
		['a catalogue code used as the council’s own', '      - code: email.reply\n        name: Emails\n        contactTypes: [email]\n        rule: { kind: working-days, days: 2 }', /^organisations\[0\]\.standards\[0\]\.code: 'email\.reply' is a catalogue standard: write adopt: email\.reply \(line 8\)$/],
		['a retirement without a date', '      - retire: ds.agenda', /^organisations\[0\]\.standards\[0\]\.from: must be a date \(YYYY-MM-DD\) \(line 8\)$/]
	])('refuses %s, naming where it is', (_what, standards, expected) => {
		expect(problems(harrowfield(standards))).toEqual([expect.stringMatching(expected)]);
	});

	it('refuses a closure range that ends before it starts, and a date that does not exist', () => {
		const text = `organisations:\n  - code: harrowfield\n    name: Harrowfield\n    closures: [2026-12-31..2026-12-29, 2026-02-30]\n`;
		expect(problems(text)).toEqual([
			"organisations[0].closures[0]: the range '2026-12-31..2026-12-29' ends before it starts (line 4)",
			"organisations[0].closures[1]: '2026-02-30' is not a date or a range like 2026-12-29..2026-12-31 (line 4)"
		]);
	});

	it('refuses text that is not YAML with the line it stopped at', () => {
		expect(problems('organisations:\n  - code: [harrowfield\n')).toEqual([expect.stringMatching(/^line \d+: /)]);
	});

	it('refuses a top-level key it does not know, and an import mapping to a column the contact log lacks', () => {
		const text = `organisation:\n  - code: x\n`;
		expect(problems(text)).toEqual(['organisation: unknown key (see yardstick setup --example) (line 1)']);
		const mapping = `organisations:\n  - code: harrowfield\n    name: Harrowfield\n    mappings:\n      crm:\n        columns: { Case Ref: ref }\n`;
		expect(problems(mapping)).toEqual([expect.stringMatching(/^organisations\[0\]\.mappings\.crm\.columns\.Case Ref: 'ref' is not a contact-log column \(reference, organisation, .*\) \(line 6\)$/)]);
	});
});
