import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yardstick } from '../unit/cli/run.ts';

/** `yardstick import --kind canvass|register-changes` as an Electoral Services officer runs it, on an empty embedded database. */
describe('yardstick import --kind for electoral data', () => {
	let dir: string;
	let env: Record<string, string | undefined>;
	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-electoral-'));
		env = { DATABASE_URL: undefined, YARDSTICK_DATA_DIR: dir, YARDSTICK_SEED: 'off' };
		const setup = await yardstick(['setup', 'tests/fixtures/electoral/council.yaml'], env);
		expect(setup.code, setup.stderr).toBe(0);
	}, 120_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('imports a canvass file with --kind canvass and prints the counts; again, every row is unchanged', async () => {
		const run = await yardstick(['import', 'docs/examples/canvass-properties.csv', '--kind', 'canvass'], env);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(/^Imported docs\/examples\/canvass-properties.csv \(canvass, source 'canvass', UTF-8\) as batch \d+:\n  read +12\n  accepted +12  new rows\n  updated +0 .*\n  unchanged +0\n  skipped +0\n  rejected +0\n$/);
		const again = await yardstick(['import', 'docs/examples/canvass-properties.csv', '--kind', 'canvass', '--json'], env);
		expect(JSON.parse(again.stdout)).toEqual({ read: 12, accepted: 0, updated: 0, unchanged: 12, skipped: 0, rejected: 0, skippedReasons: [], errors: [], warnings: [] });
	}, 120_000);

	it('--kind register-changes with an organisation and a mapping-less file; rejections exit 1 with reasons and warnings', async () => {
		const run = await yardstick(['import', 'tests/fixtures/electoral/bad-changes.csv', '--kind', 'register-changes', '--organisation', 'harrowfield', '--json'], env);
		expect(run.code).toBe(1);
		const out = JSON.parse(run.stdout);
		expect(out).toMatchObject({ read: 4, accepted: 1, rejected: 3 });
		expect(out.errors.map((e: { row: number }) => e.row)).toEqual([2, 4, 5]);
		expect(out.warnings).toEqual([{ row: 3, reason: 'notice 2026-02-01 is not a working day (Sunday): notices are published on the first working day of the month' }]);
	}, 120_000);

	it('an unknown kind is a usage error naming the kinds', async () => {
		const run = await yardstick(['import', 'docs/examples/canvass-properties.csv', '--kind', 'canvas'], env);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--kind must be one of contacts, asterisk, connect, canvass, register-changes, feedback, not 'canvas'/);
	}, 60_000);
});
