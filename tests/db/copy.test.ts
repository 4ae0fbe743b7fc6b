import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyClient, copyIn, openCopy, rows, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { engines } from '../support/databases.ts';

const postgres = engines.find((e) => e.name === 'PostgreSQL');
const pglite = engines.find((e) => e.name === 'PGlite');

describe.skipIf(!pglite)('COPY on PGlite', () => {
	it('is not offered: PGlite stages with multi-row statements instead', async () => {
		const handle = await pglite!.open();
		try {
			await handle.db.transaction(async (tx) => expect(copyClient(tx)).toBeNull());
		} finally {
			await handle.dispose();
		}
	});
});

describe.skipIf(!postgres)('COPY on PostgreSQL', () => {
	let handle: DatabaseHandle & { dispose(): Promise<void> };
	beforeAll(async () => {
		handle = await postgres!.open();
	});
	afterAll(() => handle?.dispose());

	it('copies rows into a table inside the transaction', async () => {
		const copied = await handle.db.transaction(async (tx) => {
			await tx.execute(sql`create temp table copied (n integer, label text) on commit drop`);
			await copyIn(copyClient(tx)!, 'copy copied (n, label) from stdin', '1\tone\n2\ttwo\\tand a tab\n');
			return rows<{ n: number; label: string }>(tx, sql`select n, label from copied order by n`);
		});
		expect(copied).toEqual([{ n: 1, label: 'one' }, { n: 2, label: 'two\tand a tab' }]);
	});

	// postgres.js leaves such a COPY unsettled for ever (porsager/postgres#1173): the import would hang.
	it('fails, and rolls the transaction back, when the server refuses the rows after the last one was sent', async () => {
		const failure = await handle.db
			.transaction(async (tx) => {
				await tx.execute(sql`create table refused (n integer)`);
				await copyIn(copyClient(tx)!, 'copy refused (n) from stdin', '1\nnot a number\n');
			})
			.catch((error: unknown) => error as Error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toBe('the database refused the rows copied to it');
		// The server's own reason, not "current transaction is aborted".
		expect(((failure as Error).cause as Error).message).toMatch(/invalid input syntax for type integer: "not a number"/);
		const [table] = await rows<{ found: string | null }>(handle.db, sql`select to_regclass('refused')::text as found`);
		expect(table!.found).toBeNull();
	});

	it('keeps one COPY open across many writes, more than the connection takes at once', async () => {
		const lines = (from: number) => Array.from({ length: 20_000 }, (_, i) => `${from + i}\t${'x'.repeat(100)}\n`).join('');
		const copied = await handle.db.transaction(async (tx) => {
			await tx.execute(sql`create temp table streamed (n integer, label text) on commit drop`);
			const stream = await openCopy(copyClient(tx)!, 'copy streamed (n, label) from stdin');
			for (let part = 0; part < 20; part++) await stream.write(Buffer.from(lines(part * 20_000)));
			await stream.end();
			return rows<{ n: number; sum: string }>(tx, sql`select count(*)::int as n, sum(n)::text as sum from streamed`);
		});
		expect(copied).toEqual([{ n: 400_000, sum: String((399_999 * 400_000) / 2) }]);
	});

	it('fails a later write, and the transaction, once the server has refused a row part way', async () => {
		const failure = await handle.db
			.transaction(async (tx) => {
				await tx.execute(sql`create table refused_later (n integer)`);
				const stream = await openCopy(copyClient(tx)!, 'copy refused_later (n) from stdin');
				try {
					await stream.write('1\nnot a number\n');
					for (let i = 0; i < 50; i++) {
						await new Promise((resolve) => setTimeout(resolve, 20));
						await stream.write('2\n');
					}
				} finally {
					await stream.end().catch(() => {});
				}
			})
			.catch((error: unknown) => error as Error);
		expect((failure as Error).message).toBe('the database refused the rows copied to it');
		expect(((failure as Error).cause as Error).message).toMatch(/invalid input syntax for type integer: "not a number"/);
		const [table] = await rows<{ found: string | null }>(handle.db, sql`select to_regclass('refused_later')::text as found`);
		expect(table!.found).toBeNull();
	});
});
