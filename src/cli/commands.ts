import { rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { defaultDataDir, openDatabase, type DatabaseHandle } from '../lib/server/db/client.ts';
import { rows } from '../lib/server/db/client.ts';
import * as assessments from '../lib/server/assessments/index.ts';
import { seed, DEFAULT_SEED } from '../lib/server/seed/index.ts';
import { bench } from './bench.ts';
import { importCommand } from './import.ts';
import { computeDueAnswer, dueJson, dueText, parseDueInput, UsageError } from './due.ts';
import { progressReporter } from './progress.ts';

export { UsageError };

type Values = Record<string, string | boolean | string[] | undefined>;
interface Command {
	options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
	run(values: Values, positionals: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
	import: importCommand,
	seed: {
		options: { contacts: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' } },
		run: (values) =>
			withDatabase(async (handle) => {
				const summary = await seed(handle.db, {
					seed: typeof values.seed === 'string' ? values.seed : DEFAULT_SEED,
					asOf: values['as-of'] ? parseInstant(String(values['as-of'])) : undefined,
					contacts: values.contacts === undefined ? undefined : parseCount(String(values.contacts), '--contacts'),
					log: (line) => console.log(line)
				});
				console.log(`Seeded ${summary.contacts.toLocaleString('en-GB')} contacts into ${handle.location}.`);
				const scored = await assessments.scoreAll(handle.db, {
					concurrency: concurrencyOf(handle),
					onProgress: assessments.progressLines((line) => console.log(line))
				});
				console.log(assessments.describeSummary(scored));
				return 0;
			})
	},
	due: {
		options: {
			start: { type: 'string' },
			pause: { type: 'string', multiple: true },
			extend: { type: 'boolean' },
			organisation: { type: 'string' },
			json: { type: 'boolean' }
		},
		run: async (values, positionals) => {
			const input = parseDueInput(values, positionals);
			const answer = await computeDueAnswer(input);
			console.log(input.json ? dueJson(answer) : dueText(answer));
			return 0;
		}
	},
	assess: {
		options: { all: { type: 'boolean' } },
		run: (values) =>
			withDatabase(async (handle) => {
				const progress = progressReporter(values.all ? 'Scoring every contact' : 'Scoring new and affected contacts');
				const options = { concurrency: concurrencyOf(handle), onProgress: progress.update };
				const summary = values.all ? await assessments.scoreAll(handle.db, options) : await assessments.rescore(handle.db, options);
				progress.done();
				console.log(assessments.describeSummary(summary));
				const stored = await rows<{ status: string; count: number }>(
					handle.db,
					sql`select status, count(*)::int as count from assessments group by status order by status`
				);
				const counts = stored.map((row) => `${Number(row.count).toLocaleString('en-GB')} ${row.status}`).join(', ');
				console.log(`Assessments stored: ${counts || 'none'}.`);
				return 0;
			})
	},
	reset: {
		options: { yes: { type: 'boolean' } },
		run: async (values) => {
			const url = process.env.DATABASE_URL;
			const target = url ? 'every table in the database at DATABASE_URL' : `the embedded database in ${defaultDataDir()}`;
			if (!values.yes) {
				console.error(`This deletes ${target}. Run again with --yes to do it.`);
				return 1;
			}
			if (!url) {
				const handle = await openDatabase(); // takes the lock: refuses while the server runs
				await handle.close();
				rmSync(path.join(defaultDataDir(), 'pglite'), { recursive: true, force: true });
			} else {
				const handle = await openDatabase();
				try {
					await handle.db.execute(sql`drop schema if exists drizzle cascade`);
					await handle.db.execute(sql`drop schema public cascade`);
					await handle.db.execute(sql`create schema public`);
				} finally {
					await handle.close();
				}
			}
			console.log(`Deleted ${target}. The next start migrates it and loads the demo data.`);
			return 0;
		}
	},
	bench: {
		options: { contacts: { type: 'string' }, engine: { type: 'string' }, 'due-contacts': { type: 'string' } },
		run: async (values) => {
			const engine = values.engine;
			if (engine !== undefined && engine !== 'pglite' && engine !== 'postgres') throw new UsageError(`--engine must be pglite or postgres, not '${String(engine)}'`);
			await bench({
				contacts: values.contacts === undefined ? 100_000 : parseCount(String(values.contacts), '--contacts'),
				engine,
				dueContacts: values['due-contacts'] === undefined ? undefined : parseCount(String(values['due-contacts']), '--due-contacts')
			});
			return 0;
		}
	}
};

/** PostgreSQL takes several batch writes at once; PGlite has one connection. */
function concurrencyOf(handle: DatabaseHandle): number {
	return handle.kind === 'postgres' ? 3 : 1;
}

async function withDatabase(work: (handle: DatabaseHandle) => Promise<number>): Promise<number> {
	const handle = await openDatabase();
	try {
		await handle.migrate();
		return await work(handle);
	} finally {
		await handle.close();
	}
}

function parseCount(text: string, option: string): number {
	const value = Number(text.replaceAll(/[_,]/g, ''));
	if (!Number.isInteger(value) || value < 0) throw new UsageError(`${option} must be a whole number, not '${text}'`);
	return value;
}

function parseInstant(text: string): Date {
	const value = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text);
	if (Number.isNaN(value.getTime())) throw new UsageError(`--as-of must be an ISO date or date-time, not '${text}'`);
	return value;
}
