import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { rows } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { engines } from '../support/databases.ts';

/** Every table the drizzle schema declares: the migrations must create exactly these. */
const expectedTables = (Object.values(schema) as unknown[])
	.filter((value): value is PgTable => is(value, PgTable))
	.map((table) => getTableName(table))
	.sort();

describe.each(engines)('migrations on $name', (engine) => {
	it('creates every table of the schema, and applying them again changes nothing', async () => {
		const database = await engine.open();
		try {
			const tables = async () =>
				(
					await rows<{ name: string }>(
						database.db,
						sql`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`
					)
				).map((row) => row.name);
			expect(await tables()).toEqual(expectedTables);
			await database.migrate();
			expect(await tables()).toEqual(expectedTables);
		} finally {
			await database.dispose();
		}
	});

	it('rejects a second contact with the same reference from the same source', async () => {
		const database = await engine.open();
		try {
			await database.db.execute(sql`insert into organisations (code, name) values ('borough', 'B')`);
			await database.db.execute(sql`insert into services (organisation_id, code, name) select id, 'customer', 'C' from organisations`);
			const insert = () =>
				database.db.execute(sql`insert into contacts (organisation_id, service_id, contact_type, source, external_ref, received_at)
					select organisation_id, id, 'email', 'crm', 'EM-1', now() from services`);
			await insert();
			// 23505: unique_violation, on both drivers.
			await expect(insert()).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23505' }) });
		} finally {
			await database.dispose();
		}
	});
});
