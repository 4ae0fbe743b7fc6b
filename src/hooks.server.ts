import { error, json, redirect, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { close, database, ready, starting, DatabaseUnavailableError } from '$lib/server/startup.ts';
import { holdingPage, holdingPagePolicy } from '$lib/holding-page.js';
import * as alerts from '$lib/server/alerts/index.ts';
import { can } from '$lib/server/auth/access.ts';
import { applySetCookies } from '$lib/server/auth/cookies.ts';
import { decide, landingPage } from '$lib/server/auth/guard.ts';
import { resolveViewer } from '$lib/server/auth/session.ts';

/**
 * Opens, migrates and (on an empty database) seeds the database while the server already listens:
 * until it is ready, pages answer with a holding page and /health with "starting". A failure is not
 * fatal: the next request tries again.
 */
export const init: ServerInit = async () => {
	ready().then(
		(handle) => console.log(`Database ready (${handle.kind}: ${handle.location})`),
		(cause: Error) => console.error(`Starting without a database: ${cause.message}`)
	);
	alerts.start(database); // breach alerts: evaluated now, every minute and after each import
};

// adapter-node emits this once it has stopped taking requests (SIGTERM, SIGINT): let go of the
// database so the process can end, with the embedded database flushed and its directory unlocked.
process.once('sveltekit:shutdown' as 'exit', () => {
	alerts.stop();
	close().catch((cause) => console.error(`Closing the database: ${(cause as Error).message}`));
});

/** Route ids that are pages (an anonymous visitor is sent to sign in; anything else answers 401). */
const pageRoutes = new Set(
	Object.keys(import.meta.glob('/src/routes/**/+page.svelte')).map((file) => file.replace(/^\/src\/routes/, '').replace(/\/\+page\.svelte$/, '') || '/')
);

export const handle: Handle = async ({ event, resolve }) => {
	sendToLocalOrigin(event);
	const response = await authorised(event, resolve);
	return withSecurityHeaders(event, response);
};

/**
 * `npm start` without ORIGIN serves http://localhost:PORT (src/cli/origin.js). A browser that came
 * by another loopback name (127.0.0.1, [::1]) is sent there, where its forms are not cross-site;
 * a chosen ORIGIN is never second-guessed.
 */
function sendToLocalOrigin(event: RequestEvent): void {
	// Only a browser's page loads: a script or health check asking 127.0.0.1 gets its answer there.
	if (process.env.YARDSTICK_LOCAL_ORIGIN !== '1' || event.request.method !== 'GET' || !event.request.headers.get('accept')?.includes('text/html')) return;
	const host = event.request.headers.get('host');
	if (!host || host === event.url.host) return;
	const name = host.replace(/:\d+$/, '');
	if (name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name)) redirect(308, event.url.href);
}

async function authorised(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Response> {
	event.locals.user = null;
	// /health reports on the database itself, so it must answer even when the database cannot.
	if (event.route.id === '/health') return resolve(event);
	const progress = starting();
	if (progress !== undefined) return startingAnswer(event, progress);
	try {
		event.locals.db = await database();
	} catch (cause) {
		if (cause instanceof DatabaseUnavailableError) error(503, cause.message);
		throw cause;
	}
	const session = await resolveViewer(event.locals.db, event.request.headers);
	event.locals.user = session.viewer;
	applySetCookies(event.cookies, session.headers);

	const viewer = session.viewer;
	// Officers see no aggregates: their start page is the case log.
	if (event.route.id === '/' && viewer && !viewer.mustChangePassword && !can(viewer, 'aggregates') && event.request.method === 'GET') redirect(303, landingPage(viewer));

	const isPage = event.route.id !== null && pageRoutes.has(event.route.id);
	const decision = decide({ routeId: event.route.id, viewer, isPage, url: event.url });
	if (decision.kind === 'allow') return resolve(event);
	if (decision.kind === 'sign-in') redirect(303, decision.location);
	if (decision.kind === 'change-password') {
		if (isPage) redirect(303, decision.location);
		return json({ message: 'Change your password first' }, { status: 403 });
	}
	if (decision.kind === 'unauthenticated') return json({ message: 'Sign in first, or send an API key' }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
	if (decision.kind === 'no-rule') console.error(`Refused a request to route ${event.route.id}: it has no rule in src/lib/server/auth/access.ts`);
	return refusal(event, decision.kind === 'no-rule' ? 404 : 403, isPage);
}

/** While the first start loads: a page that follows the progress for a browser, a 503 for anything else. */
function startingAnswer(event: RequestEvent, progress: string): Response {
	const headers = { 'retry-after': '5', 'cache-control': 'no-store' };
	if (event.request.method === 'GET' && event.request.headers.get('accept')?.includes('text/html')) {
		return new Response(holdingPage(progress), { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': holdingPagePolicy } });
	}
	return json({ message: `Yardstick is starting: ${progress}` }, { status: 503, headers });
}

/**
 * A refused page is the /refused page (with the layout, navigation and the viewer's name) under
 * the refusal's status; data, API and export requests get the status and a JSON message.
 */
async function refusal(event: RequestEvent, status: 403 | 404, isPage: boolean): Promise<Response> {
	const message = status === 403 ? 'You do not have permission to see this page' : 'Page not found';
	if (!isPage || event.isDataRequest || event.request.method !== 'GET') {
		if (event.isDataRequest) error(status, message);
		return json({ message }, { status });
	}
	const page = await event.fetch(`/refused?status=${status}`, { headers: { accept: 'text/html' } });
	return new Response(page.body, { status, headers: page.headers });
}

/** Headers every answer carries (the Content-Security-Policy of pages comes from svelte.config.js). */
function withSecurityHeaders(event: RequestEvent, response: Response): Response {
	const headers: Record<string, string> = {
		'x-content-type-options': 'nosniff',
		'x-frame-options': 'DENY',
		'referrer-policy': 'strict-origin-when-cross-origin'
	};
	if (event.url.protocol === 'https:' || event.request.headers.get('x-forwarded-proto') === 'https') {
		headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
	}
	if (!response.headers.has('content-security-policy')) {
		// Not a rendered page (data, CSV, the fallback error page): nothing in it may load anything but its own styles.
		const html = response.headers.get('content-type')?.startsWith('text/html');
		headers['content-security-policy'] = html ? "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" : "default-src 'none'; frame-ancestors 'none'";
	}
	// Pages and data for a signed-in person may hold personal data: never kept by a shared cache.
	if (event.locals.user && !response.headers.has('cache-control')) headers['cache-control'] = 'private, no-store';
	try {
		for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
		return response;
	} catch {
		// A response with immutable headers (e.g. straight from fetch): copy it.
		const copy = new Response(response.body, response);
		for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
		return copy;
	}
}

/** Never show stack traces or SQL to a user; log them for the operator. */
export const handleError: HandleServerError = ({ error: cause, status, message }) => {
	if (status >= 500) console.error(cause);
	return { message: status >= 500 ? 'Something went wrong on our side.' : message };
};
