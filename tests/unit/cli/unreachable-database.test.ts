import { describe, it } from 'vitest';
import { yardstick } from './run.ts';

// An IT officer's first run with a wrong DATABASE_URL: the message says what is wrong, not the SQL
// that was running, and never the password.
describe('yardstick with a database it cannot reach', () => {
	it('says the connection was refused, with the address and the password hidden', async ({ expect }) => {
		const run = await yardstick(['assess'], { DATABASE_URL: 'postgres://yardstick:s3cret@127.0.0.1:1/yardstick' });
		expect(run.code).toBe(1);
		expect(run.stderr.trim()).toBe('yardstick assess: Cannot connect to postgres://yardstick:***@127.0.0.1:1/yardstick: connection refused. Is PostgreSQL running?');
	});
});
