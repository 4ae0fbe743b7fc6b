import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { close, database, ready, DatabaseUnavailableError } from '$lib/server/db/index.ts';

/** Migrate and (on an empty database) seed before the first request; a failure is not fatal. */
export const init: ServerInit = async () => {
	try {
		const handle = await ready();
		console.log(`Database ready (${handle.kind}: ${handle.location})`);
	} catch (cause) {
		console.error(`Starting without a database: ${(cause as Error).message}`);
	}
};

// adapter-node emits this once it has stopped taking requests (SIGTERM, SIGINT): let go of the
// database so the process can end, with the embedded database flushed and its directory unlocked.
process.once('sveltekit:shutdown' as 'exit', () => {
	close().catch((cause) => console.error(`Closing the database: ${(cause as Error).message}`));
});

export const handle: Handle = async ({ event, resolve }) => {
	// /health reports on the database itself, so it must answer even when the database cannot.
	if (event.url.pathname === '/health') return resolve(event);
	try {
		event.locals.db = await database();
	} catch (cause) {
		if (cause instanceof DatabaseUnavailableError) error(503, cause.message);
		throw cause;
	}
	return resolve(event);
};

/** Never show stack traces or SQL to a user; log them for the operator. */
export const handleError: HandleServerError = ({ error: cause, status, message }) => {
	if (status >= 500) console.error(cause);
	return { message: status >= 500 ? 'Something went wrong on our side.' : message };
};
