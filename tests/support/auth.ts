import type { Page } from 'playwright-core';
import { demoUsers } from '../../src/lib/server/auth/demo.ts';
import type { Role } from '../../src/lib/server/db/schema/auth.ts';

/** The demo user's email and password for a role (demo mode seeds one user per role). */
export function demoCredentials(role: Role): { email: string; password: string } {
	const user = demoUsers.find((u) => u.role === role);
	if (!user) throw new Error(`There is no demo user for role '${role}'`);
	return { email: user.email, password: user.password };
}

/**
 * Signs `page` in as the demo user of `role` (demo mode seeds one user per role) and waits for the
 * redirect away from the sign-in page. Browser tests call this before opening any page.
 */
export async function signIn(page: Page, baseUrl: string, role: Role): Promise<void> {
	const { email, password } = demoCredentials(role);
	await page.goto(`${baseUrl}/sign-in`);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/sign-in')), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
}

/**
 * Signs in without a browser (for fetch-based tests) and returns the Cookie header to send.
 * The Origin header is SvelteKit's cross-site form check.
 */
export async function signInCookie(baseUrl: string, role: Role): Promise<string> {
	const { email, password } = demoCredentials(role);
	const response = await fetch(`${baseUrl}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, accept: 'text/html' },
		body: new URLSearchParams({ email, password })
	});
	if (response.status !== 303) throw new Error(`signing in as ${role} answered ${response.status}`);
	return response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');
}
