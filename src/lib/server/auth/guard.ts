/**
 * What the server hook does with a request, given its route's rule and the viewer: the decision
 * is here (pure, tested on its own), the SvelteKit plumbing in hooks.server.ts.
 */
import { can, routeRules, type Permission, type Viewer } from './access.ts';

export type Decision =
	| { kind: 'allow' }
	/** Not signed in, asking for a page: off to the sign-in page, then back. */
	| { kind: 'sign-in'; location: string }
	/** Not signed in, asking for data (API, CSV, SSE, a form post to an endpoint). */
	| { kind: 'unauthenticated' }
	| { kind: 'forbidden' }
	/** Signed in with a one-time password an admin set: only the change-your-password page (and signing out) until it is changed. */
	| { kind: 'change-password'; location: string }
	/** A route with no rule: refused as if it did not exist (fail closed). */
	| { kind: 'no-rule' };

export function ruleFor(routeId: string | null, rules: Record<string, 'public' | 'signed-in' | Permission> = routeRules) {
	return routeId === null ? null : (rules[routeId] ?? null);
}

export function decide(input: { routeId: string | null; viewer: Viewer | null; isPage: boolean; url: URL }, rules = routeRules): Decision {
	// No route matched: SvelteKit answers its own 404.
	if (input.routeId === null) return { kind: 'allow' };
	const rule = ruleFor(input.routeId, rules);
	if (!rule) return { kind: 'no-rule' };
	if (rule === 'public') return { kind: 'allow' };
	if (!input.viewer) return input.isPage ? { kind: 'sign-in', location: signInLocation(input.url) } : { kind: 'unauthenticated' };
	if (input.viewer.mustChangePassword && input.routeId !== CHANGE_PASSWORD) return { kind: 'change-password', location: CHANGE_PASSWORD };
	if (rule === 'signed-in' || can(input.viewer, rule)) return { kind: 'allow' };
	return { kind: 'forbidden' };
}

/** The page a person whose password was reset must use before any other. */
export const CHANGE_PASSWORD = '/account/password';

export function signInLocation(url: URL): string {
	const back = url.pathname + url.search;
	return back === '/' ? '/sign-in' : `/sign-in?redirectTo=${encodeURIComponent(back)}`;
}

/** Where to go after signing in: only a path on this site ('/contacts?x=1'), never another site; percent-encoded. */
export function safeRedirect(target: string | null | undefined, fallback = '/'): string {
	// Browsers drop tabs and newlines from a URL ('/\t/evil.example' is '//evil.example'): refuse any control character.
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\') || /[\x00-\x1f\x7f]/.test(target)) return fallback;
	// Whatever the browser makes of it, it must stay on this site.
	const url = new URL(target, 'http://yardstick.invalid');
	if (url.origin !== 'http://yardstick.invalid') return fallback;
	if (target.startsWith('/sign-in') || target.startsWith('/sign-out')) return fallback;
	// As the URL parser writes it: anything beyond ASCII percent-encoded, so a Location header can carry it.
	return url.pathname + url.search + url.hash;
}

/** Where a viewer starts: the overview, or the case log for people who see no aggregates (officers). */
export function landingPage(viewer: Viewer): string {
	return can(viewer, 'aggregates') ? '/' : can(viewer, 'cases') ? '/contacts' : '/';
}
