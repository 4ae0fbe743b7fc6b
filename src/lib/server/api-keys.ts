/**
 * API keys. Until sign-in brings keys kept in the api_keys table, one key may be set in the
 * environment: with YARDSTICK_API_KEY set, the API needs `Authorization: Bearer <that key>`;
 * without it, the API is open (a trial on one machine).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The caller's name for the import batch ('api', 'api:env-key'), or null when the key is wrong or missing. */
export function authorise(request: Request, configuredKey: string | undefined): string | null {
	if (!configuredKey) return 'api';
	const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
	// Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
	const digest = (key: string) => createHash('sha256').update(key).digest();
	return timingSafeEqual(digest(presented), digest(configuredKey)) && presented !== '' ? 'api:env-key' : null;
}
