import { describe, it } from 'vitest';
import { yardstick } from './run.ts';

// `erlang` never touches a database: make sure it could not find one.
const offline = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', YARDSTICK_DATA_DIR: '/nonexistent/yardstick' };
const erlang = (...args: string[]) => yardstick(['erlang', ...args], offline);
const example = ['--calls', '100', '--interval-minutes', '30', '--aht', '180', '--target-seconds', '20', '--service-level', '0.8'];

describe.concurrent('yardstick erlang', () => {
	it('prints the staff to schedule for 80% in 20 seconds as one JSON object', async ({ expect }) => {
		// The ErlangC R package / pyworkforce example: 14 agents on the phones, 20 to schedule with 30% shrinkage.
		const run = await erlang(...example, '--shrinkage', '0.3', '--max-occupancy', '0.85', '--json');
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const answer = JSON.parse(run.stdout);
		expect(Object.keys(answer)).toEqual(['agents', 'serviceLevel', 'probabilityWait', 'asa', 'occupancy']);
		expect(answer.agents).toBe(20);
		expect(answer.serviceLevel).toBeCloseTo(0.88835, 5);
		expect(answer.probabilityWait).toBeCloseTo(0.1741319, 6);
		expect(answer.asa).toBeCloseTo(7.835937, 5);
		expect(answer.occupancy).toBeCloseTo(0.7142857, 6);
	});

	it('measures a given number of agents, and says the queue never clears with too few', async ({ expect }) => {
		const run = await erlang(...example, '--agents', '11', '--json');
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout)).toMatchObject({ agents: 11 });
		expect(JSON.parse(run.stdout).serviceLevel).toBeCloseTo(0.3896138, 6);
		const overloaded = await erlang(...example, '--agents', '10', '--json');
		expect(JSON.parse(overloaded.stdout)).toEqual({ agents: 10, serviceLevel: 0, probabilityWait: 1, asa: null, occupancy: 1 });
	});

	it('models callers who give up with --patience (Erlang A)', async ({ expect }) => {
		const run = await erlang(...example, '--agents', '14', '--patience', '300', '--json');
		expect(run.code).toBe(0);
		// pyworkforce test_abandonment.py: service level 0.916792, waiting probability 0.14526.
		const answer = JSON.parse(run.stdout);
		expect(answer.serviceLevel).toBeCloseTo(0.916792, 6);
		expect(answer.probabilityWait).toBeCloseTo(0.14526, 5);
	});

	it('explains the answer in words without --json', async ({ expect }) => {
		const run = await erlang(...example, '--shrinkage', '0.3');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('10.00 erlangs');
		expect(run.stdout).toContain('14 on the phones, 20 to schedule with 30.0% shrinkage');
		expect(run.stdout).toContain('service level:           88.8% within 20 seconds');
	});

	it.for([
		[['--interval-minutes', '30', '--aht', '180'], 'give the calls offered per interval'],
		[['--calls', 'lots', '--interval-minutes', '30', '--aht', '180'], "--calls 'lots' is not a number"],
		[['--calls', '100', '--interval-minutes', '0', '--aht', '180'], '--interval-minutes must be more than 0'],
		[['--calls', '100', '--interval-minutes', '30', '--aht', '180', '--service-level', '80'], '--service-level must be at most 1'],
		[['--calls', '100', '--interval-minutes', '30', '--aht', '180', '--shrinkage', '1'], '--shrinkage must be less than 1'],
		[['--calls', '100', '--interval-minutes', '30', '--aht', '180', '--agents', '2.5'], '--agents must be a whole number'],
		[['--calls', '100', '--interval-minutes', '30', '--aht', '180', '--patience=-5'], '--patience must be more than 0 seconds']
	] as const)('refuses %j with exit status 2', async ([args, message], { expect }) => {
		const run = await erlang(...args);
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toContain(message);
	});
});
