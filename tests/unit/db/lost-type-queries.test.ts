import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * postgres.js 3.4.9 drops the promise of the array-types query a new connection sends first
 * (porsager/postgres#1192): a connection lost during it rejects a promise nobody can handle. Once
 * a PostgreSQL client is open, such a rejection is logged and the process goes on; any other
 * unhandled rejection still ends it, as Node's default does.
 */
const afterOpening = (rejection: string) =>
	spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			'--input-type=module',
			'-e',
			`const { openDatabase } = await import('./src/lib/server/db/client.ts');
			// No statement is sent, so nothing needs to listen at this address.
			const handle = await openDatabase({ url: 'postgres://yardstick@127.0.0.1:1/yardstick' });
			${rejection};
			await new Promise((resolve) => setTimeout(resolve, 200));
			console.log('still running');
			await handle.close();`
		],
		{ encoding: 'utf8', timeout: 30_000 }
	);

describe('an unhandled rejection once a PostgreSQL client is open', () => {
	it('is logged, and the process goes on, when postgres.js failed a query because its connection was lost', () => {
		const run = afterOpening(`Promise.reject(Object.defineProperty(Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' }), 'query', { value: 'select b.oid, b.typarray …' }))`);
		expect(run.stderr).toMatch(/A database connection was lost while it opened: write CONNECTION_CLOSED 127\.0\.0\.1:5432/);
		expect(run.stdout).toMatch(/still running/);
		expect(run.status).toBe(0);
	});

	it('ends the process when it is anything else, a reset of some other socket among them', () => {
		for (const rejection of [`Promise.reject(new Error('a bug'))`, `Promise.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))`]) {
			const run = afterOpening(rejection);
			expect(run.stdout).not.toMatch(/still running/);
			expect(run.status).not.toBe(0);
			expect(run.stderr).toMatch(/a bug|read ECONNRESET/);
			expect(run.stderr).not.toMatch(/A database connection was lost/);
		}
	});
});
