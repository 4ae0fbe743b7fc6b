import { userInfo } from 'node:os';

/** Who the audit log and import history record for a command run at a terminal: 'cli:<login>'. */
export function cliActor(): string {
	try {
		return `cli:${userInfo().username}`;
	} catch {
		return 'cli:unknown';
	}
}
