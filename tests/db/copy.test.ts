import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyClient, copyIn, copyOut, copyRows, openCopy, rows, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { engines } from '../support/databases.ts';

const postgres = engines.find((e) => e.name === 'PostgreSQL');
const pglite = engines.find((e) => e.name === 'PGlite');

describe.each(engines)('copyRows on $name', (engine) => {
	const text = (s: string) => new TextEncoder().encode(s);

	it('copies COPY text into a table inside the transaction: escapes, nulls and accents as written', async () => {
		const handle = await engine.open();
		try {
			const copied = await handle.db.transaction(async (tx) => {
				await tx.execute(sql`create temp table copied (n integer, label text) on commit drop`);
				await copyRows(tx, 'copied (n, label)', text('1\tone\n2\ttwo\\tand a tab\n3\t\\N\n4\tCaerdydd – Pen-y-bont\n'));
				return rows<{ n: number; label: string | null }>(tx, sql`select n, label from copied order by n`);
			});
			expect(copied).toEqual([
				{ n: 1, label: 'one' },
				{ n: 2, label: 'two\tand a tab' },
				{ n: 3, label: null },
				{ n: 4, label: 'Caerdydd – Pen-y-bont' }
			]);
		} finally {
			await handle.dispose();
		}
	});

	it('fails, and keeps nothing, when the database refuses a row', async () => {
		const handle = await engine.open();
		try {
			await handle.db.execute(sql`create table refused_rows (n integer not null)`);
			const failure = await handle.db
				.transaction(async (tx) => {
					await copyRows(tx, 'refused_rows (n)', text('1\n\\N\n3\n'));
				})
				.then(
					() => null,
					(error: unknown) => error as Error
				);
			expect(failure).not.toBeNull();
			const reasons = [failure?.message, (failure?.cause as Error | undefined)?.message, ((failure?.cause as Error | undefined)?.cause as Error | undefined)?.message];
			expect(reasons.join(' ')).toMatch(/null value in column "n"/);
			expect(await rows(handle.db, sql`select n from refused_rows`)).toEqual([]);
		} finally {
			await handle.dispose();
		}
	});
});

describe.skipIf(!pglite)('the embedded database', () => {
	it('opens with the buffer cache asked for (yardstick import takes a small one), PGlite’s 128MB otherwise', async () => {
		const { openDatabase } = await import('../../src/lib/server/db/client.ts');
		for (const [sharedBuffers, expected] of [['32MB', '32MB'], [undefined, '128MB']] as const) {
			const handle = await openDatabase({ url: '', dataDir: 'memory://', sharedBuffers });
			try {
				const [setting] = await rows<{ shared_buffers: string }>(handle.db, sql`show shared_buffers`);
				expect(setting?.shared_buffers).toBe(expected);
			} finally {
				await handle.close();
			}
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

	// postgres.js left the connection's socket paused when a COPY's rows filled its stream and its end came in the same
	// read: the next statement on that connection waited for ever (porsager/postgres#499). The scoring job reads every
	// batch of contacts this way, then writes on the same pool.
	it('reads rows by COPY, and the connection answers the next statement, whatever the size read', async () => {
		const answered = await handle.db.transaction(async (tx) => {
			const sizes: number[] = [];
			for (const count of [1, 100, 400, 1_000, 4_000, 20_000]) {
				const text = await copyOut(tx, `select g, repeat('x', 30) from generate_series(1, ${count}) g`);
				const next = rows<{ n: number }>(tx, sql`select ${count}::int as n`);
				const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer after reading ${count} rows`)), 5_000));
				const [row] = await Promise.race([next, timeout]);
				expect(row!.n).toBe(count);
				sizes.push(text.split('\n').length - 1);
			}
			return sizes;
		});
		expect(answered).toEqual([1, 100, 400, 1_000, 4_000, 20_000]);
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
