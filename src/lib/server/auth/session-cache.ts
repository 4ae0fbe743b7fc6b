/**
 * Sessions already checked, kept in this process for a short while, so that most requests need no
 * database round trip (on the embedded database a long import holds the only connection, and a
 * page must not wait for it just to learn who is asking). Signing out, disabling someone or
 * changing their role or teams here forgets their entries at once; a change made by another
 * server sharing the database is seen within TTL_MS.
 */
import { createHash } from 'node:crypto';
import type { Viewer } from './access.ts';

export const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
	viewer: Viewer;
	/** When the session itself expires. */
	expiresAt: number;
	/** When this entry stops being trusted. */
	staleAt: number;
}

const entries = new Map<string, Entry>();

/** The session token in a Cookie header (plain or __Secure- prefixed cookie), or null. */
export function sessionToken(cookie: string | null): string | null {
	if (!cookie) return null;
	const match = /(?:^|;\s*)(?:__Secure-)?yardstick\.session_token=([^;]+)/.exec(cookie);
	return match?.[1] ? decodeURIComponent(match[1]) : null;
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export function get(token: string, now = Date.now()): Viewer | null {
	const key = keyOf(token);
	const entry = entries.get(key);
	if (!entry) return null;
	if (now >= entry.staleAt || now >= entry.expiresAt) {
		entries.delete(key);
		return null;
	}
	return entry.viewer;
}

export function put(token: string, viewer: Viewer, sessionExpiresAt: Date, now = Date.now()): void {
	if (entries.size >= MAX_ENTRIES) entries.clear();
	entries.set(keyOf(token), { viewer, expiresAt: sessionExpiresAt.getTime(), staleAt: now + TTL_MS });
}

export function forgetToken(token: string): void {
	entries.delete(keyOf(token));
}

export function forgetUser(userId: string): void {
	for (const [key, entry] of entries) if (entry.viewer.id === userId) entries.delete(key);
}

export function clear(): void {
	entries.clear();
}
