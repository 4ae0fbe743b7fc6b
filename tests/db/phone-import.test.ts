import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yardstick } from '../unit/cli/run.ts';

// A council's phone logs through `yardstick import`, as a user runs it, on a fresh embedded database
// set up with the council's queues.
describe('yardstick import of a phone system’s log', () => {
	let dir: string;
	let env: Record<string, string | undefined>;
	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'yardstick-phone-'));
		env = { DATABASE_URL: undefined, YARDSTICK_DATA_DIR: dir, YARDSTICK_SEED: 'off' };
		const setup = path.join(dir, 'council.yaml');
		writeFileSync(
			setup,
			[
				'organisations:',
				'  - code: harrowfield',
				'    name: Harrowfield District Council',
				'    services:',
				'      - { code: customer, name: Customer Services }',
				'    queues:',
				'      BasicQueue: { service: customer }'
			].join('\n')
		);
		const applied = await yardstick(['setup', setup], env);
		expect(applied.code, applied.stderr).toBe(0);
	}, 120_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('a day of Connect records with chat and IVR-only contacts imports with exit status 0 and says how many it skipped and why', async () => {
		const run = await yardstick(['import', 'tests/fixtures/ingest/connect/day.ndjson', '--organisation', 'harrowfield', '--json'], env);
		expect(run.code, run.stderr).toBe(0);
		const answer = JSON.parse(run.stdout);
		expect(answer).toMatchObject({ read: 8, accepted: 2, updated: 0, unchanged: 0, skipped: 6, rejected: 0, errors: [] });
		expect(answer.skippedReasons).toEqual([
			{ reason: 'never reached a queue (self-service in the IVR, or ended before queueing): no wait to measure', count: 2 },
			{ reason: 'a chat contact, not a phone call', count: 1 },
			{ reason: 'a supervisor listening in on a call (MONITOR): not a call to answer', count: 1 },
			{ reason: 'a task contact, not a phone call', count: 1 },
			{ reason: 'an outbound call made by the council: nobody waited in a queue', count: 1 }
		]);
		const text = await yardstick(['import', 'tests/fixtures/ingest/connect/day.ndjson', '--organisation', 'harrowfield'], env);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/skipped\s+6 {2}not calls to measure:\n\s+2 {4}never reached a queue/);
	}, 120_000);
});
