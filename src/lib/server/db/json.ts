/**
 * JSON with object keys sorted: PostgreSQL's jsonb stores keys in its own order, so a value read
 * back compares (or hashes) equal to the value written only in this form.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v
	);
}
