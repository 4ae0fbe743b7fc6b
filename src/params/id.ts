import type { ParamMatcher } from '@sveltejs/kit';

/** A database id: a positive whole number that fits a JavaScript number (anything else is a 404). */
export const match = ((param: string): param is string => /^[1-9]\d{0,15}$/.test(param) && Number(param) <= Number.MAX_SAFE_INTEGER) satisfies ParamMatcher;
