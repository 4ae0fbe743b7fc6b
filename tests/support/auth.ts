import type { Page } from 'playwright-core';
import type { Role } from '../../src/lib/server/db/schema/auth.ts';

/**
 * Signs `page` in as the demo user of `role` (demo mode seeds one user per role) and waits for the
 * redirect away from the sign-in page. Browser tests call this before opening any page.
 */
export async function signIn(page: Page, baseUrl: string, role: Role): Promise<void> {
	// Until the sign-in issue lands there is no sign-in page and every page is open.
	const response = await page.goto(`${baseUrl}/sign-in`);
	if (response?.status() === 404) return;
	throw new Error(`signIn(${role}) is not written yet`);
}
