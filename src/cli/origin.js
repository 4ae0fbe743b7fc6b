/**
 * The address `npm start` serves when ORIGIN is not set. adapter-node takes a request's protocol to
 * be https unless ORIGIN (or PROTOCOL_HEADER) says otherwise, so on a plain-http server every form
 * post, signing in first of all, would fail SvelteKit's cross-site check. A server started by hand
 * is opened at http://localhost:PORT (or at HOST when it names one address); behind a proxy, set
 * ORIGIN to the public address.
 *
 * @param {Record<string, string | undefined>} env
 * @returns {string | null} the origin to use, or null when the environment already decides
 */
export function defaultOrigin(env) {
	if (env.ORIGIN || env.PROTOCOL_HEADER) return null;
	const host = env.HOST && !['0.0.0.0', '::', '[::]'].includes(env.HOST) ? env.HOST : 'localhost';
	const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
	return `http://${name}:${env.PORT || '3000'}`;
}
