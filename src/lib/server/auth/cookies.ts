import type { Cookies } from '@sveltejs/kit';
import { parseSetCookieHeader, toCookieOptions } from 'better-auth/cookies';

/** Passes better-auth's Set-Cookie headers (a new, refreshed or cleared session) on through SvelteKit's cookies. */
export function applySetCookies(cookies: Cookies, headers: Headers | null | undefined): void {
	const setCookie = headers?.get('set-cookie');
	if (!setCookie) return;
	for (const [name, attributes] of parseSetCookieHeader(setCookie)) {
		cookies.set(name, attributes.value, { ...toCookieOptions(attributes), path: attributes.path || '/' });
	}
}
