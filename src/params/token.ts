import type { ParamMatcher } from '@sveltejs/kit';

/** An upload's token on the /import page: 16 random bytes, base64url (anything else is a 404). */
export const match = ((param: string): param is string => /^[A-Za-z0-9_-]{22}$/.test(param)) satisfies ParamMatcher;
