import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/lib/server/db/client.ts';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';
import { yardstick } from '../unit/cli/run.ts';

interface Target {
	name: string;
	setUp(): Promise<{ env: Record<string, string | undefined>; dir: string; tearDown(): Promise<void> }>;
}

/*
 * A council moving in with no code and no SQL, as its IT officer would: an empty database
 * (YARDSTICK_SEED=off), `yardstick setup` from the printed example, then its own CRM export through
 * a mapping and its phone system's queue_log, then the board report. The fixtures are in
 * tests/fixtures/setup (a CRM export in the council's own columns and a queue_log of five calls).
 */
const targets: Target[] = [
	{
		name: 'PGlite',
		setUp: async () => {
			const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-setup-'));
			return { dir, env: { DATABASE_URL: undefined, YARDSTICK_DATA_DIR: dir, YARDSTICK_SEED: 'off' }, tearDown: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	}
];
const url = process.env.DATABASE_URL;
if (process.env.YARDSTICK_TEST_ENGINES === 'postgres') targets.length = 0;
if (url) {
	targets.push({
		name: 'PostgreSQL',
		setUp: async () => {
			const scratch = await createScratchDatabase(url, 'yardstick_setup');
			const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-setup-'));
			return {
				dir,
				env: { DATABASE_URL: scratch.url, YARDSTICK_SEED: 'off' },
				tearDown: async () => {
					rmSync(dir, { recursive: true, force: true });
					await scratch.drop();
				}
			};
		}
	});
}

const fixture = (name: string) => path.resolve('tests/fixtures/setup', name);

describe.each(targets)('a council sets itself up with yardstick setup and the CLI, on $name', (target) => {
	let env: Record<string, string | undefined>;
	let dir: string;
	let tearDown: () => Promise<void>;
	let council: string;

	/** A query on the council's database between commands (the embedded one is free once a command ends). */
	async function query<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
		const handle = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { url: '', dataDir: dir });
		try {
			return await rows<T>(handle.db, statement);
		} finally {
			await handle.close();
		}
	}
	const auditCount = async () => Number((await query<{ n: number }>(sql`select count(*)::int as n from audit_log`))[0]?.n ?? 0);

	beforeAll(async () => {
		({ env, dir, tearDown } = await target.setUp());
		council = path.join(dir, 'council.yaml');
	});
	afterAll(() => tearDown());

	it('prints a commented example, and a dry run of it lists the plan and changes nothing', async () => {
		const example = await yardstick(['setup', '--example'], env);
		expect(example.code).toBe(0);
		expect(example.stdout).toContain('# Yardstick set-up file for a district council.');
		writeFileSync(council, example.stdout);
		const dry = await yardstick(['setup', council, '--dry-run'], env);
		expect(dry.stderr).toBe('');
		expect(dry.code).toBe(0);
		expect(dry.stdout).toMatch(/would make 23 changes \(dry run: nothing was applied\)/);
		// A statutory duty applies from the day it began: s.164A DPA 2018 from 19 June 2026.
		expect(dry.stdout).toMatch(/harrowfield: add standard dp\.complaint-ack \(30 calendar days, target 100%, from 2026-06-19; [^)]*dp-complaint\)/);
		expect(dry.stdout).toContain('harrowfield: add standard harrowfield.visit-wait (within 900 seconds, target 85%, from 2020-04-01; customer-services; visit)');
		expect(dry.stdout).not.toContain('One-time passwords');
		expect(await query(sql`select code from organisations`)).toEqual([]);
	});

	it('applies it once, printing each person’s one-time password once; a second run changes nothing', async () => {
		const run = await yardstick(['setup', council], env);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/23 changes applied/);
		expect(run.stdout).toMatch(/sam\.lead@harrowfield\.example {2}[a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{5}/);
		const [lead] = await query<{ role: string; must_change_password: boolean; organisation: string }>(
			sql`select u.role, u.must_change_password, o.code as organisation from users u join organisations o on o.id = u.organisation_id where u.email = 'sam.lead@harrowfield.example'`
		);
		expect(lead).toEqual({ role: 'team-lead', must_change_password: true, organisation: 'harrowfield' });
		const before = await auditCount();
		const again = await yardstick(['setup', council], env);
		expect(again.stdout).toContain('nothing to change; the database already matches it.');
		expect(await auditCount()).toBe(before);
	});

	it('refuses a bad file whole, naming each problem’s key path and line, and applies nothing', async () => {
		const before = await auditCount();
		const bad = readFileSync(council, 'utf8')
			.replace('      - adopt: letter.reply\n', '      - adopt: emial.reply\n')
			.replace('      - code: democratic-services\n', '      - code: democratic-services\n        colour: blue\n');
		writeFileSync(path.join(dir, 'bad.yaml'), bad);
		const run = await yardstick(['setup', path.join(dir, 'bad.yaml')], env);
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		const lines = run.stderr.trim().split('\n');
		expect(lines[0]).toMatch(/bad\.yaml was not applied; nothing changed:$/);
		expect(lines.slice(1).map((l) => l.trim().replace(/ \(the catalogue has [^)]*\)/, ''))).toEqual([
			`organisations[0].services[2].colour: unknown key (see yardstick setup --example) (line ${lineOf(bad, 'colour: blue')})`,
			`organisations[0].standards[3].adopt: no catalogue standard 'emial.reply' (line ${lineOf(bad, 'adopt: emial.reply')})`
		]);
		expect(await auditCount()).toBe(before);
	});

	it('rolls a file back whole when a change fails part way, naming where', async () => {
		const before = await auditCount();
		const text = readFileSync(council, 'utf8')
			.replace('      - code: democratic-services\n', '      - code: planning\n        name: Planning\n      - code: democratic-services\n')
			.replace('      # - { retire: letter.reply, from: 2027-04-01 }', '      - { retire: ds.agenda, from: 2027-04-01 }');
		writeFileSync(path.join(dir, 'partial.yaml'), text);
		const run = await yardstick(['setup', path.join(dir, 'partial.yaml')], env);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain(`organisations[0].standards[10].retire: harrowfield has no standard 'ds.agenda' to retire (line ${lineOf(text, 'retire: ds.agenda')})`);
		expect(await query(sql`select code from services where code = 'planning'`)).toEqual([]);
		expect(await auditCount()).toBe(before);
	});

	it('changes only what a changed file changes: a new target is a new version from today, history kept', async () => {
		const text = readFileSync(council, 'utf8').replace('        services: [customer-services, democratic-services]\n        target: 90', '        services: [customer-services, democratic-services]\n        target: 85');
		writeFileSync(council, text);
		const run = await yardstick(['setup', council], env);
		expect(run.code).toBe(0);
		const changes = run.stdout.trim().split('\n').slice(1);
		expect(changes).toEqual([expect.stringMatching(/^ {2}harrowfield: email\.reply version 2 from \d{4}-\d{2}-\d{2} \(3 working days, target 85%, tolerance 5 points\)$/)]);
		expect(await query(sql`select version, compliance_percent::float as target from standard_versions v join standards s on s.id = v.standard_id where s.code = 'email.reply' order by version`)).toEqual([
			{ version: 1, target: 90 },
			{ version: 2, target: 85 }
		]);
	});

	it('gives a standard the council’s own reference for its reports (ref:), unique within the council', async () => {
		const text = readFileSync(council, 'utf8');
		writeFileSync(council, text.replace('        services: [customer-services, democratic-services]\n        target: 85', '        services: [customer-services, democratic-services]\n        target: 85\n        ref: CS01'));
		const run = await yardstick(['setup', council], env);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('harrowfield: email.reply is referred to as CS01 in reports');
		expect(await query(sql`select ref from standards where code = 'email.reply'`)).toEqual([{ ref: 'CS01' }]);
		// A second run changes nothing; a malformed reference is refused by its key path, applying nothing.
		expect((await yardstick(['setup', council], env)).stdout).not.toContain('CS01');
		writeFileSync(council, text.replace('        services: [customer-services, democratic-services]\n        target: 85', '        services: [customer-services, democratic-services]\n        target: 85\n        ref: "not a ref!"'));
		const refused = await yardstick(['setup', council], env);
		expect(refused.code).not.toBe(0);
		expect(refused.stderr + refused.stdout).toMatch(/standards\[\d+\]\.ref.*a reference is up to 12 letters and digits/);
		expect(await query(sql`select ref from standards where code = 'email.reply'`)).toEqual([{ ref: 'CS01' }]);
		writeFileSync(council, text);
	});

	it('imports the council’s own CRM export through its mapping, rejecting unmapped values by name, and says what no standard measures', async () => {
		const text = await yardstick(['import', fixture('harrowfield-crm.csv'), '--mapping', 'crm'], env);
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(/accepted +4 +new contacts/);
		expect(text.stderr).toContain('1 of the contacts stored has no standard that applies to it, so it is not measured:\n  harrowfield customer-services message: 1\n');
		// The same file again: nothing changes, and the same two rows are refused for the same reasons.
		const run = await yardstick(['import', fixture('harrowfield-crm.csv'), '--mapping', 'crm', '--json'], env);
		expect(run.code).toBe(1);
		const result = JSON.parse(run.stdout);
		expect(result).toMatchObject({ read: 6, accepted: 0, updated: 0, unchanged: 4, rejected: 2 });
		expect(result.errors).toEqual([
			{ row: 6, reason: expect.stringMatching(/^type 'Fax' is not one of phone, .*, visit; 'Fax' has no value in mapping 'crm' under values\.type: add it there$/) },
			{ row: 7, reason: "received '2026-10-08' is not written dd/mm/yyyy, as mapping 'crm' says this export writes dates; responded '2026-10-09' is not written dd/mm/yyyy, as mapping 'crm' says this export writes dates" }
		]);
		const [stored] = await query<{ source: string; type: string; team: string }>(
			sql`select c.source, c.contact_type as type, t.code as team from contacts c join teams t on t.id = c.team_id where c.external_ref = 'HDC-1002'`
		);
		expect(stored).toEqual({ source: 'crm', type: 'email', team: 'correspondence' });
	});

	it('refuses an unknown mapping by name, listing the ones there are, storing nothing', async () => {
		const before = await query<{ n: number }>(sql`select count(*)::int as n from import_batches`);
		const run = await yardstick(['import', fixture('harrowfield-crm.csv'), '--mapping', 'crn'], env);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain("there is no import mapping 'crn' (the mappings are crm)");
		expect(await query(sql`select count(*)::int as n from import_batches`)).toEqual(before);
	});

	it('imports the phone system’s queue_log for the council, rejecting a call in a queue nobody mapped', async () => {
		const run = await yardstick(['import', fixture('harrowfield-queue_log'), '--organisation', 'harrowfield', '--json'], env);
		const result = JSON.parse(run.stdout);
		expect(result).toMatchObject({ read: 5, accepted: 4, rejected: 1 });
		expect(result.errors).toEqual([{ row: 14, reason: "queue 'harrowfield-planning' is not mapped to a service: map it under Admin › Queues (or the set-up file's queues), then import again" }]);
		const unknown = await yardstick(['import', fixture('harrowfield-queue_log'), '--organisation', 'harrowfeld'], env);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toContain("there is no organisation 'harrowfeld' (harrowfield)");
	});

	it('reports the council’s own figures for the quarter, as counted by hand', async () => {
		const csv = path.join(dir, 'q3.csv');
		const run = await yardstick(['report', '--quarter', '2026/27-Q3', '--organisation', 'harrowfield', '--csv', csv], env);
		expect(run.code).toBe(0);
		// By hand: e-mails HDC-1001 answered next day (met), HDC-1002 after 5 working days (breached);
		// letter HDC-1003 in 7 working days (met); calls answered in 5, 12 and 19 s (met) and 35 s (breached).
		expect(run.stdout).toContain('overall 71.4% of contacts (5 of 7) were answered within the promised time');
		expect(run.stdout).toContain('The phone service level was 75.0% against an 80% target, with 4 calls offered');
		// A council's first quarter: nothing earlier to compare with, said rather than counted as zeros.
		expect(run.stdout).toContain('There is no earlier period to compare with: Q2 2026/27 has no figures.');
		expect(run.stdout).not.toMatch(/0 standards improved/);
		const figures = readFileSync(csv, 'utf8');
		const figure = (code: string, measure: string) => new RegExp(`^Standards,${code.replace('.', '\\.')},[^,]+,Q3 2026/27,${measure},([^,]*),`, 'm').exec(figures)?.[1];
		expect([figure('email.reply', 'met'), figure('email.reply', 'breached')]).toEqual(['1', '1']);
		expect([figure('letter.reply', 'met'), figure('letter.reply', 'breached')]).toEqual(['1', '0']);
		expect([figure('phone.answer', 'met'), figure('phone.answer', 'breached')]).toEqual(['3', '1']);
	});

	it('stops scoring a retired standard from its date, and will not bring it back', async () => {
		const text = readFileSync(council, 'utf8').replace('      # - { retire: letter.reply, from: 2027-04-01 }', '      - { retire: letter.reply, from: 2026-10-06 }');
		writeFileSync(council, text);
		const run = await yardstick(['setup', council], env);
		expect(run.stdout).toContain('harrowfield: retire letter.reply from 2026-10-06');
		// HDC-1003 was received on 6 October: no standard measures it now.
		expect(await query(sql`select count(*)::int as n from assessments a join contacts c on c.id = a.contact_id where c.external_ref = 'HDC-1003'`)).toEqual([{ n: 0 }]);
		const back = readFileSync(council, 'utf8').replace('      - { retire: letter.reply, from: 2026-10-06 }\n', '');
		writeFileSync(path.join(dir, 'back.yaml'), back);
		const refused = await yardstick(['setup', path.join(dir, 'back.yaml')], env);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/organisations\[0\]\.standards\[3\]\.adopt: letter\.reply was retired from 2026-10-06; a retired standard is not brought back \(line \d+\)/);
	});
});

function lineOf(text: string, needle: string): number {
	return text.slice(0, text.indexOf(needle)).split('\n').length;
}
