import { rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { defaultDataDir, openDatabase, type DatabaseHandle } from '../lib/server/db/client.ts';
import { rows } from '../lib/server/db/client.ts';
import * as assessments from '../lib/server/assessments/index.ts';
import { computeDueAnswer, dueJson, dueText, parseDueInput, UsageError } from './due.ts';
import { computeErlang, erlangJson, erlangText, parseErlangInput } from './erlang.ts';
import { progressReporter } from './progress.ts';

export { UsageError };

type Values = Record<string, string | boolean | string[] | undefined>;
interface Command {
	options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
	run(values: Values, positionals: string[]): Promise<number>;
}

/**
 * Each command is loaded when it is run, with only the modules it needs: a CLI import's peak
 * memory is the import's, not the report renderer's or the sign-in library's.
 */
export const commands: Record<string, () => Promise<Command>> = {
	import: async () => (await import('./import.ts')).importCommand,
	user: async () => (await import('./user.ts')).userCommand,
	setup: async () => (await import('./setup.ts')).setupCommand,
	seed: async () => ({
		options: { contacts: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' } },
		run: (values) =>
			withDatabase(async (handle) => {
				// Loaded here, not above: each command loads only what it uses (the import's peak memory counts).
				const [{ seed, DEFAULT_SEED }, { publishDemoReports }, alerts] = await Promise.all([
					import('../lib/server/seed/index.ts'),
					import('../lib/server/seed/publish.ts'),
					import('../lib/server/alerts/evaluate.ts')
				]);
				const summary = await seed(handle.db, {
					seed: typeof values.seed === 'string' ? values.seed : DEFAULT_SEED,
					asOf: values['as-of'] ? parseAsOf(String(values['as-of'])) : undefined,
					contacts: values.contacts === undefined ? undefined : parseCount(String(values.contacts), '--contacts'),
					log: (line) => console.log(line)
				});
				console.log(`Seeded and scored ${summary.contacts.toLocaleString('en-GB')} contacts into ${handle.location}.`);
				const asOf = values['as-of'] ? parseAsOf(String(values['as-of'])) : undefined;
				for (const title of await publishDemoReports(handle.db, asOf)) console.log(`Published ${title}.`);
				const raised = await alerts.evaluate(handle.db); // the demo's breach alerts (nothing is emailed here)
				console.log(`Raised ${raised.raised.toLocaleString('en-GB')} breach alerts.`);
				return 0;
			})
	}),
	due: async () => ({
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
	}),
	erlang: async () => ({
		options: Object.fromEntries(
			[...['calls', 'interval-minutes', 'aht', 'target-seconds', 'service-level', 'agents', 'shrinkage', 'max-occupancy', 'patience'].map((name) => [name, { type: 'string' as const }]), ['json', { type: 'boolean' as const }]]
		),
		run: async (values, positionals) => {
			const input = parseErlangInput(values, positionals);
			const answer = computeErlang(input);
			console.log(input.json ? erlangJson(answer) : erlangText(answer));
			return 0;
		}
	}),
	assess: async () => ({
		options: { all: { type: 'boolean' } },
		run: (values) =>
			withDatabase(async (handle) => {
				const progress = progressReporter(values.all ? 'Scoring every contact' : 'Scoring new and affected contacts');
				const options = { onProgress: progress.update };
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
	}),
	reset: async () => ({
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
	}),
	report: async () => {
		const { parseReportInput, reportOptions, runReport } = await import('./report.ts');
		return {
			options: reportOptions,
			// Bad arguments exit 1 with the reason (the contract for this command).
			run: async (values, positionals) => {
				const input = parseReportInput(values, positionals);
				if (typeof input === 'string') {
					console.error(`yardstick report: ${input}`);
					return 1;
				}
				return withDatabase((handle) => runReport(handle, input));
			}
		};
	},
	bench: async () => ({
		options: { contacts: { type: 'string' }, engine: { type: 'string' }, 'due-contacts': { type: 'string' }, properties: { type: 'string' }, only: { type: 'string' } },
		run: async (values) => {
			const engine = values.engine;
			if (engine !== undefined && engine !== 'pglite' && engine !== 'postgres') throw new UsageError(`--engine must be pglite or postgres, not '${String(engine)}'`);
			if (values.only !== undefined && values.only !== 'canvass-import' && values.only !== 'import' && values.only !== 'first-start') throw new UsageError(`--only takes canvass-import, import or first-start, not '${String(values.only)}'`);
			const { bench } = await import('./bench.ts');
			await bench({
				contacts: values.contacts === undefined ? 100_000 : parseCount(String(values.contacts), '--contacts'),
				engine,
				dueContacts: values['due-contacts'] === undefined ? undefined : parseCount(String(values['due-contacts']), '--due-contacts'),
				properties: values.properties === undefined ? undefined : parseCount(String(values.properties), '--properties'),
				only: values.only
			});
			return 0;
		}
	})
};

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

// Not the engine's parseInstant (lib/engine/instants.ts): that reads a date alone as London midnight, and the seed's --as-of has always meant 12:00 UTC.
function parseAsOf(text: string): Date {
	const value = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text);
	if (Number.isNaN(value.getTime())) throw new UsageError(`--as-of must be an ISO date or date-time, not '${text}'`);
	return value;
}
