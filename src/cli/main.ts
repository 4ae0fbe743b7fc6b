import { parseArgs } from 'node:util';
import { commands, UsageError } from './commands.ts';

const usage = `Usage: yardstick <command> [options]

Commands:
  seed [--contacts N] [--seed TEXT] [--as-of DATE]
                     load the demo data into an empty database
  reset --yes        delete every table and row (the embedded database's directory, or the
                     schema on DATABASE_URL), so the next start loads the demo again
  due <standard-code> <received> [--start <date>] [--pause <from>/<to>]... [--extend]
      [--organisation <code>] [--json]
                     when a contact received then (ISO date or date-time, dd/mm/yyyy [hh:mm], or
                     an Excel serial; Europe/London unless it has an offset) is due under a
                     standard, and why. --start: a later clock start or restart (information
                     complete, FOI clarification, SAR ID verified, the meeting date); --pause: days
                     that do not count, both included (FOI fee notice to payment; SAR
                     clarification asked to answered), repeatable; --extend: the standard's
                     extension (SAR: three months from the start); each only where the standard
                     allows it; --organisation: apply that organisation's closure days and
                     settings (read from the database; none without it); --json: one object
                     {"standard", "dueDate", "dueAt", "explanation"}. 'yardstick help due' lists
                     every standard code with its promise
  import <file> [--kind contacts|asterisk|connect|canvass|register-changes|feedback]
      [--source NAME] [--mapping NAME] [--organisation CODE] [--max-wait-seconds N] [--json]
                     import a contact log (the generic CSV, an Asterisk queue_log or its database
                     table, an Amazon Connect export; gzip files too), or electoral data for ES01
                     and ES02 (--kind canvass: by property or by route; --kind register-changes:
                     by change or by notice), or survey answers (--kind feedback): every row
                     stored, skipped (not a call to measure: chat, outbound, never queued;
                     counted by reason) or rejected with a reason;
                     prints read, accepted, updated, unchanged, skipped, rejected; exit status 1
                     if any row was rejected.
                     --mapping: read a council's own export through a saved import mapping;
                     --organisation: the file is that organisation's (its queues, its rows only);
                     --max-wait-seconds: the longest wait_seconds accepted (default 86400, a day)
  setup <file> [--dry-run] | setup --example
                     apply a council set-up file (YAML or JSON: organisations, services, teams,
                     standards, closures, queues, import mappings, people); running it twice
                     changes nothing; --dry-run prints the plan; --example prints a commented one
  user add --email <address> --role <admin|manager|team-lead|officer|committee> [--name <name>]
      [--team <code>]... [--password <password>]
                     add a person who signs in with email and password (the first admin:
                     --role admin); without --password a strong one is printed once
  user reset --email <address>
                     a new one-time password, printed once, to be changed at the next sign-in
  erlang --calls <per interval> --interval-minutes <m> --aht <seconds> --target-seconds <s>
      --service-level <0–1> [--agents N] [--shrinkage 0.3] [--max-occupancy 0.85]
      [--patience <seconds>] [--json]
                     agents needed to answer that share of calls within the target (Erlang C, or
                     Erlang A with callers' patience); with --agents, the service level N give;
                     --json: {"agents", "serviceLevel", "probabilityWait", "asa", "occupancy"}
  assess [--all]     score contacts into the assessments table: new contacts and open ones a
                     standard version or calendar change affected; --all re-scores every
                     contact, closed ones included
  bench [--contacts N] [--engine pglite|postgres] [--due-contacts M] [--properties P]
      [--only canvass-import|import|first-start]
                     time due-date computation on M synthetic contacts (default 1000000)
                     against a naive day-by-day date-holidays loop; then, on N demo contacts
                     (default 100000) on the embedded database and, when DATABASE_URL is set, on
                     PostgreSQL (--engine: only that one): seeding, the assessment job, the
                     dashboard over HTTP under 20 clients (PostgreSQL; builds the app if needed), the
                     report PDF, what-if, the alert evaluator, an N-row import beside a raw COPY
                     (PGlite: at most 100,000), and a P-property canvass file import (default
                     300000; --only canvass-import runs just that step; --only import just the
                     contact log import, its scoring and the raw COPY; --only first-start the
                     first \`npm start\` on a new embedded database, seeding the whole demo)
  report --quarter <2025/26-Q2> [--committee] [--organisation <code>] [--pdf <file>]
      [--xlsx <file>] [--csv <file>]
                     the board (or committee: Q2 half year, Q4 full year) report as files

Every command uses the embedded database in ./data, or PostgreSQL when DATABASE_URL is set, and
migrates it first (due only with --organisation). Exit status 2 on bad input.`;

const [name, ...rest] = process.argv.slice(2);
if ((name === 'help' || name === '--help') && rest[0] === 'due') {
	console.log((await import('./due.ts')).dueHelp());
	process.exit(0);
}
const load = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
if (!load) {
	console.error(name && name !== '--help' && name !== 'help' ? `Unknown command '${name}'.\n\n${usage}` : usage);
	process.exit(name && name !== '--help' && name !== 'help' ? 2 : 0);
}
const command = await load();
try {
	const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
	process.exitCode = await command.run(values as Record<string, string | boolean | undefined>, positionals);
} catch (error) {
	// Bad input (an unknown option, a date that is not one) exits 2, anything else 1.
	const usageError = error instanceof UsageError || String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
	console.error(`yardstick ${name}: ${(usageError ? null : await databaseProblem(error)) ?? (error as Error).message}`);
	if (usageError) console.error(`Run 'yardstick help' for usage.`);
	process.exitCode = usageError ? 2 : 1;
}

/** A database that cannot be reached, said plainly (not the SQL drizzle was running), or null. */
async function databaseProblem(error: unknown): Promise<string | null> {
	const { connectionProblem, redact } = await import('../lib/server/db/client.ts');
	const url = process.env.DATABASE_URL;
	return connectionProblem(error, url ? redact(url) : 'the embedded database');
}
