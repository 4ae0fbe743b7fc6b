import { readFileSync } from 'node:fs';
import { openDatabase } from '../lib/server/db/client.ts';
import * as audit from '../lib/server/audit/record.ts';
import { applySetup } from '../lib/server/setup/apply.ts';
import { EXAMPLE_SETUP } from '../lib/server/setup/example.ts';
import { parseSetup, SetupError } from '../lib/server/setup/file.ts';
import { cliActor } from './actor.ts';
import { UsageError } from './due.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * `yardstick setup <file> [--dry-run]` applies a council set-up file (YAML or JSON) and says what
 * it changed; `yardstick setup --example` prints a commented one. A file with any problem is
 * refused whole: each problem with its key path and line on stderr, exit status 1, nothing applied.
 */
export const setupCommand = {
	options: { 'dry-run': { type: 'boolean' as const }, example: { type: 'boolean' as const } },
	run: async (values: Values, positionals: string[]): Promise<number> => {
		if (values.example) {
			process.stdout.write(EXAMPLE_SETUP);
			return 0;
		}
		const [file, ...extra] = positionals;
		if (!file) throw new UsageError('setup needs a file: yardstick setup <file> [--dry-run], or yardstick setup --example');
		if (extra.length > 0) throw new UsageError(`setup takes one file, not ${positionals.length}`);
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (error) {
			throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
		}
		const dryRun = values['dry-run'] === true;
		const handle = await openDatabase();
		try {
			await handle.migrate();
			const parsed = parseSetup(text);
			const result = await applySetup(handle.db, parsed, { dryRun, actor: audit.systemActor(cliActor()) });
			if (result.changes.length === 0) console.log(`${file}: nothing to change; the database already matches it.`);
			else {
				const changes = `${result.changes.length} ${result.changes.length === 1 ? 'change' : 'changes'}`;
				console.log(dryRun ? `${file} would make ${changes} (dry run: nothing was applied):` : `${file}: ${changes} applied:`);
				for (const change of result.changes) console.log(`  ${change}`);
			}
			if (result.passwords.length > 0) {
				console.log('\nOne-time passwords (shown once; each person chooses their own at first sign-in):');
				for (const { email, password } of result.passwords) console.log(`  ${email}  ${password}`);
			}
			return 0;
		} catch (error) {
			if (!(error instanceof SetupError)) throw error;
			console.error(`yardstick setup: ${file} was not applied; nothing changed:`);
			for (const problem of error.problems) console.error(`  ${problem}`);
			return 1;
		} finally {
			await handle.close();
		}
	}
};

