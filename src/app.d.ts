import type { Database } from '$lib/server/db/client.ts';
import type { Viewer } from '$lib/server/auth/access.ts';

declare global {
	namespace App {
		interface Locals {
			db: Database;
			/** The signed-in person (set by hooks.server.ts on every request), or null. */
			user: Viewer | null;
		}
		interface Error {
			message: string;
			/** Field-level problems with the request (e.g. a bad filter), for a GOV.UK error summary. */
			errors?: { field?: string; message: string }[];
		}
	}
}

export {};
