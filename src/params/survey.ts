import type { ParamMatcher } from '@sveltejs/kit';
import { SURVEY_TOKEN_PATTERN } from '$lib/survey-token.ts';

/** A survey link's token (anything else is a 404). */
export const match = ((param: string): param is string => SURVEY_TOKEN_PATTERN.test(param)) satisfies ParamMatcher;
