import { parseArgs } from 'node:util';
import { commands } from './commands.ts';

const usage = `Usage: yardstick <command> [options]

Commands:
  seed [--contacts N] [--seed TEXT] [--as-of DATE]
                     load the demo data into an empty database
  reset --yes        delete every table and row (the embedded database's directory, or the
                     schema on DATABASE_URL), so the next start loads the demo again
  bench [--contacts N]
                     time seeding N contacts (default 100000) on the embedded database and, when
                     DATABASE_URL is set, on PostgreSQL

Every command uses the embedded database in ./data, or PostgreSQL when DATABASE_URL is set, and
migrates it first.`;

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
	console.error(name && name !== '--help' && name !== 'help' ? `Unknown command '${name}'.\n\n${usage}` : usage);
	process.exit(name && name !== '--help' && name !== 'help' ? 2 : 0);
}
try {
	const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
	process.exitCode = await command.run(values as Record<string, string | boolean | undefined>, positionals);
} catch (error) {
	console.error(`yardstick ${name}: ${(error as Error).message}`);
	process.exitCode = 1;
}
