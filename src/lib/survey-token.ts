/** A survey link's token: `<id>.<expiry, epoch seconds in base 36>.<signature>`, URL-safe and free of personal data (src/lib/server/feedback/survey.ts). */
export const SURVEY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{22}$/;
