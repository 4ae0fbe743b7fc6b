import { existsSync, statSync } from 'node:fs';
import { openDatabase } from '../lib/server/db/client.ts';
import * as ingest from '../lib/server/ingest/index.ts';
import { afterImport } from '../lib/server/alerts/schedule.ts';
import { cliActor } from './actor.ts';
import { UsageError } from './due.ts';
import { terminalBar } from './progress.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

/** How many row errors the text output lists; --json and the database keep them all. */
const LISTED_ERRORS = 50;

/**
 * `yardstick import <file> [--kind contacts|asterisk|connect|canvass|register-changes|feedback] [--source NAME] [--mapping NAME]
 * [--organisation CODE] [--max-wait-seconds N] [--json]` (docs/interfaces.md "The `yardstick` commands"): counts on
 * stdout, a progress bar on a terminal's stderr, exit status 1 if any row was rejected or the
 * file could not be imported (records skipped as not calls to measure are not errors).
 */
export const importCommand = {
	options: {
		kind: { type: 'string' as const },
		source: { type: 'string' as const },
		mapping: { type: 'string' as const },
		organisation: { type: 'string' as const },
		'max-wait-seconds': { type: 'string' as const },
		json: { type: 'boolean' as const }
	},
	run: async (values: Values, positionals: string[]): Promise<number> => {
		const [file, ...extra] = positionals;
		if (!file) throw new UsageError(`import needs a file: yardstick import <file> [--kind ${ingest.importKinds.join('|')}] [--source NAME] [--mapping NAME] [--organisation CODE] [--max-wait-seconds N] [--json]`);
		if (extra.length > 0) throw new UsageError(`import takes one file, not ${positionals.length}`);
		if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no such file: ${file}`);
		const kind = values.kind;
		if (kind !== undefined && !(ingest.importKinds as readonly unknown[]).includes(kind)) {
			throw new UsageError(`--kind must be one of ${ingest.importKinds.join(', ')}, not '${String(kind)}'`);
		}
		const source = typeof values.source === 'string' ? values.source.trim() : undefined;
		if (source === '') throw new UsageError('--source needs a name');
		const json = values.json === true;
		const named = (option: 'mapping' | 'organisation') => {
			const value = values[option];
			if (value === undefined) return undefined;
			if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${option} needs a name`);
			return value.trim();
		};
		const mapping = named('mapping');
		const organisation = named('organisation');
		const maxWait = values['max-wait-seconds'];
		let maxWaitSeconds: number | undefined;
		if (maxWait !== undefined) {
			maxWaitSeconds = typeof maxWait === 'string' && /^\d+$/.test(maxWait.trim()) ? Number(maxWait.trim()) : NaN;
			if (!Number.isSafeInteger(maxWaitSeconds) || maxWaitSeconds < 1) throw new UsageError(`--max-wait-seconds needs a whole number of seconds, not '${String(maxWait)}'`);
		}

		// On the embedded database: a small buffer cache, the import's memory kept low (db/client.ts).
		const handle = await openDatabase({ sharedBuffers: '32MB' });
		const bar = progressBar(process.stderr);
		const stopping = stopOnSignal();
		try {
			await handle.migrate();
			const result = await ingest.importFile(handle.db, file, {
				kind: kind as ingest.ImportKind | undefined,
				source,
				mapping,
				organisation,
				maxWaitSeconds,
				actor: cliActor(),
				onProgress: bar.update,
				signal: stopping.signal
			});
			bar.done();
			await afterImport(handle.db); // breach alerts; logs its own failures, never fails the import
			if (json) console.log(JSON.stringify(summary(result, result.errors, result.skippedReasons)));
			else printText(file, result);
			if (result.scoringFailure) console.error(`yardstick import: ${result.scoringFailure}`);
			if (!json) printUnscored(result.unscored);
			return result.rejected > 0 ? 1 : 0;
		} catch (error) {
			bar.done();
			if (!(error instanceof ingest.ImportError) && !(error instanceof ingest.SourceError)) throw error;
			const row = error instanceof ingest.ImportError ? error.row : 0;
			if (json) console.log(JSON.stringify(summary({ read: 0, accepted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0 }, [{ row, reason: error.message }], [])));
			else console.error(`yardstick import: ${file}: ${error.message}`);
			return 1;
		} finally {
			stopping.release();
			await handle.close();
		}
	}
};

/**
 * Stops the import before it commits when this process is told to stop (Ctrl+C, SIGTERM, SIGHUP)
 * or when the `yardstick` process that started it ends, however it ended (src/cli/bin.js runs the
 * import in a child joined by an IPC channel, which closes when its parent dies): the batch is
 * recorded as failed with the reason, and nothing is stored.
 */
function stopOnSignal() {
	const controller = new AbortController();
	const stop = (why: string) => {
		if (!controller.signal.aborted) controller.abort(new Error(`the import was stopped (${why})`));
	};
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	const handlers = signals.map((signal) => [signal, () => stop(signal)] as const);
	for (const [signal, handler] of handlers) process.on(signal, handler);
	const orphaned = () => stop('the yardstick command that started it ended');
	process.on('disconnect', orphaned);
	// The channel must not keep this process alive once the import is done.
	(process.channel as { unref?: () => void } | undefined)?.unref?.();
	return {
		signal: controller.signal,
		release() {
			for (const [signal, handler] of handlers) process.off(signal, handler);
			process.off('disconnect', orphaned);
			if (process.connected) process.disconnect();
		}
	};
}

function summary(counts: ingest.Counts & { warnings?: { row: number; reason: string }[] }, errors: { row: number; reason: string }[], skippedReasons: ingest.SkippedReasons) {
	const { read, accepted, updated, unchanged, skipped, rejected } = counts;
	const out = { read, accepted, updated, unchanged, skipped, rejected, skippedReasons, errors: errors.map(({ row, reason }) => ({ row, reason })) };
	// An electoral file's warnings (rows stored that deserve a second look) follow the errors.
	return counts.warnings ? { ...out, warnings: counts.warnings.map(({ row, reason }) => ({ row, reason })) } : out;
}

function printText(file: string, result: ingest.ImportResult) {
	const n = (value: number) => value.toLocaleString('en-GB').padStart(10);
	const encoding = result.file ? `, ${result.file.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252'}${result.file.bom ? ' with BOM' : ''}` : '';
	console.log(`Imported ${file} (${result.kind}, source '${result.source}'${encoding}) as batch ${result.batchId}:`);
	console.log(`  read      ${n(result.read)}`);
	const electoral = ingest.isElectoralKind(result.kind);
	console.log(`  accepted  ${n(result.accepted)}  new ${electoral ? 'rows' : 'contacts'}`);
	console.log(`  updated   ${n(result.updated)}  changed since the last import`);
	console.log(`  unchanged ${n(result.unchanged)}`);
	console.log(`  skipped   ${n(result.skipped)}${result.skipped ? '  not calls to measure:' : ''}`);
	for (const { reason, count } of result.skippedReasons) console.log(`  ${n(count)}    ${reason}`);
	console.log(`  rejected  ${n(result.rejected)}`);
	for (const error of result.errors.slice(0, LISTED_ERRORS)) console.error(ingest.describeRejection(error));
	for (const warning of (result.warnings ?? []).slice(0, LISTED_ERRORS)) console.error(`row ${warning.row}: warning: ${warning.reason}`);
	if (result.rejected > LISTED_ERRORS) {
		console.error(`… and ${(result.rejected - LISTED_ERRORS).toLocaleString('en-GB')} more: all are kept with batch ${result.batchId} (--json lists them).`);
	}
}

/** Stored contacts no standard scores, so nobody mistakes "accepted" for "measured". */
function printUnscored(unscored: ingest.ImportResult['unscored']) {
	if (!unscored?.length) return;
	const total = unscored.reduce((sum, group) => sum + group.contacts, 0);
	console.error(`${total.toLocaleString('en-GB')} of the contacts stored ${total === 1 ? 'has' : 'have'} no standard that applies to ${total === 1 ? 'it, so it is' : 'them, so they are'} not measured:`);
	for (const group of unscored) console.error(`  ${group.organisation} ${group.service} ${group.type}: ${group.contacts.toLocaleString('en-GB')}`);
	console.error('Give them a standard (Admin › Standards, or the set-up file), or check their type and service.');
}

/** The import's progress as a terminal bar: share of the file read, rows so far. */
function progressBar(stream: NodeJS.WriteStream) {
	const bar = terminalBar(stream);
	const started = performance.now();
	const phases = { reading: 'Reading', saving: 'Saving ', scoring: 'Scoring', done: 'Done   ' } as const;
	const update = (p: ingest.ImportProgress) => {
		const rate = p.rows / Math.max(0.001, (performance.now() - started) / 1000);
		const share = p.totalBytes > 0 ? p.bytes / p.totalBytes : 0;
		bar.draw(phases[p.phase], share, `${p.rows.toLocaleString('en-GB')} rows  ${Math.round(rate).toLocaleString('en-GB')}/s`, p.phase === 'done');
	};
	return { update, done: bar.done };
}

