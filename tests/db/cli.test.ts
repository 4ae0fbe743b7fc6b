import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';
import { yardstick } from '../unit/cli/run.ts';

interface Target {
	name: string;
	setUp(): Promise<{ env: Record<string, string | undefined>; tearDown(): Promise<void> }>;
}

// The commands as a user runs them, on a throwaway embedded database and (when DATABASE_URL is
// set) a scratch PostgreSQL database.
const targets: Target[] = [
	{
		name: 'PGlite',
		setUp: async () => {
			const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-cli-'));
			return { env: { DATABASE_URL: undefined, YARDSTICK_DATA_DIR: dir }, tearDown: async () => rmSync(dir, { recursive: true, force: true }) };
		}
	}
];
const url = process.env.DATABASE_URL;
if (url) {
	targets.push({
		name: 'PostgreSQL',
		setUp: async () => {
			const scratch = await createScratchDatabase(url, 'yardstick_cli');
			return { env: { DATABASE_URL: scratch.url }, tearDown: () => scratch.drop() };
		}
	});
}

describe.each(targets)('yardstick seed, assess and due --organisation on $name', (target) => {
	let env: Record<string, string | undefined>;
	let tearDown: () => Promise<void>;
	beforeAll(async () => {
		({ env, tearDown } = await target.setUp());
	});
	afterAll(() => tearDown());

	it('seeds the demo and scores each contact as it is stored, saying so', async () => {
		const run = await yardstick(['seed', '--contacts', '3000', '--as-of', '2026-03-01'], env);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/Seeded and scored 3,000 contacts/);
		expect(run.stdout).toMatch(/Scored 3,000 contacts \([\d,]+ assessments: [\d,]+ changed, 0 removed\)/);
	});

	it('assess finds nothing new to score, and assess --all re-scores every contact and changes nothing', async () => {
		const run = await yardstick(['assess'], env);
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/Scored 0 contacts \(0 assessments: 0 changed, 0 removed\)/);
		const all = await yardstick(['assess', '--all'], env);
		expect(all.code).toBe(0);
		expect(all.stdout).toMatch(/Scored 3,000 contacts \([\d,]+ assessments: 0 changed, 0 removed\)/);
		expect(all.stdout).toMatch(/Assessments stored: [\d,]+ breached, [\d,]+ excluded, [\d,]+ met, [\d,]+ open\./);
	});

	it("due --organisation applies that council's Christmas closure days", async () => {
		// Tuesday 23 December 2025: day 1 Wed 24 Dec; 25, 26 Dec bank holidays; 29–31 Dec closed; 1 Jan bank holiday;
		// day 2 Fri 2 Jan, day 3 Mon 5 Jan (without closure days it would be Tue 30 Dec).
		const run = await yardstick(['due', 'email.reply', '2025-12-23T10:00', '--organisation', 'county', '--json'], env);
		expect(run.code).toBe(0);
		const answer = JSON.parse(run.stdout);
		expect(answer).toMatchObject({ standard: 'email.reply', dueDate: '2026-01-05' });
		expect(answer.explanation.join(' ')).toContain('29 December Council closure day');
		// FOI never takes closure days (FOIA s.10(6)).
		const foi = await yardstick(['due', 'foi.response', '2025-12-19T16:10', '--organisation', 'county', '--json'], env);
		expect(JSON.parse(foi.stdout).dueDate).toBe('2026-01-22');
	});

	it('due --organisation refuses an organisation or standard it does not know, with status 2', async () => {
		const unknown = await yardstick(['due', 'email.reply', '2025-12-23', '--organisation', 'parish'], env);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/unknown organisation 'parish'/);
		const notTheirs = await yardstick(['due', 'es.email', '2025-12-23', '--organisation', 'county'], env);
		expect(notTheirs.code).toBe(2);
		expect(notTheirs.stderr).toMatch(/county has no standard 'es.email'/);
	});
});
