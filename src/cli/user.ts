import { openDatabase } from '../lib/server/db/client.ts';
import * as audit from '../lib/server/audit/record.ts';
import { roles } from '../lib/server/db/schema/auth.ts';
import { eq } from 'drizzle-orm';
import * as passwords from '../lib/server/auth/passwords.ts';
import * as people from '../lib/server/auth/users.ts';
import { cliActor } from './actor.ts';
import { users } from '../lib/server/db/schema/auth.ts';
import { UsageError } from './due.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

const usage =
	'yardstick user add --email <address> --role <admin|manager|team-lead|officer|committee> [--name <name>] [--team <code>]… [--password <password>]\n       yardstick user reset --email <address>';

/**
 * `yardstick user add`: creates a person who signs in with email and password (the first admin
 * of a new installation). Without --password a strong one is generated and printed once.
 * Audited with the operating-system user who ran it.
 */
export const userCommand = {
	options: {
		email: { type: 'string' as const },
		role: { type: 'string' as const },
		name: { type: 'string' as const },
		team: { type: 'string' as const, multiple: true },
		password: { type: 'string' as const }
	},
	run: async (values: Values, positionals: string[]): Promise<number> => {
		const [action, ...extra] = positionals;
		if (action === 'reset' && !extra.length) return reset(values);
		if (action !== 'add' || extra.length) throw new UsageError(`Usage: ${usage}`);
		if (typeof values.email !== 'string') throw new UsageError(`user add needs --email. Usage: ${usage}`);
		if (typeof values.role !== 'string' || !(roles as readonly string[]).includes(values.role)) {
			throw new UsageError(`--role must be one of ${roles.join(', ')}${typeof values.role === 'string' ? `, not '${values.role}'` : ''}`);
		}
		const input = {
			email: values.email,
			role: values.role as (typeof roles)[number],
			name: typeof values.name === 'string' ? values.name : undefined,
			teamCodes: Array.isArray(values.team) ? values.team : [],
			password: typeof values.password === 'string' ? values.password : undefined
		};
		const parsed = people.newUser.safeParse(input);
		if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));

		const handle = await openDatabase();
		try {
			await handle.migrate();
			const created = await people.create(handle.db, input, audit.systemActor(cliActor()));
			const teams = created.user.teamIds.length ? ` in ${input.teamCodes.join(', ')}` : '';
			console.log(`Added ${created.user.email} (${created.user.name}) as ${created.user.role}${teams}.`);
			if (created.generatedPassword) {
				console.log(`Password: ${created.generatedPassword}`);
				console.log('It is shown only now: pass it on safely. They sign in at /sign-in.');
			}
			return 0;
		} catch (error) {
			if (error instanceof people.UserError) {
				console.error(`yardstick user add: ${error.message}`);
				return 1;
			}
			throw error;
		} finally {
			await handle.close();
		}
	}
};

/**
 * `yardstick user reset --email <address>`: a one-time password, printed once, to be changed at
 * the next sign-in (an admin locked out of the web pages). Audited with the operating-system user.
 */
async function reset(values: Values): Promise<number> {
	if (typeof values.email !== 'string') throw new UsageError(`user reset needs --email. Usage: ${usage}`);
	const email = values.email.trim().toLowerCase();
	const handle = await openDatabase();
	try {
		await handle.migrate();
		const [user] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, email));
		if (!user) {
			console.error(`yardstick user reset: there is no user with the email address ${email}`);
			return 1;
		}
		const { password } = await passwords.reset(handle.db, user.id, audit.systemActor(cliActor()));
		console.log(`Reset the password of ${email}. One-time password: ${password}`);
		console.log('It is shown only now: pass it on safely. They must choose a new one when they next sign in.');
		return 0;
	} catch (error) {
		if (error instanceof people.UserError) {
			console.error(`yardstick user reset: ${error.message}`);
			return 1;
		}
		throw error;
	} finally {
		await handle.close();
	}
}

