import type { Database } from '$lib/server/db/client.ts';

declare global {
	namespace App {
		interface Locals {
			db: Database;
		}
		interface Error {
			message: string;
			/** Field-level problems with the request (e.g. a bad filter), for a GOV.UK error summary. */
			errors?: { field?: string; message: string }[];
		}
	}
}

export {};
