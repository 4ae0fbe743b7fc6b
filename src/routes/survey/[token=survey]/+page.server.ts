import { error, fail, redirect } from '@sveltejs/kit';
import { SATISFACTION_LABELS, SATISFACTION_SCORES } from '$lib/engine/satisfaction.ts';
import { surveyLimit } from '$lib/server/feedback/rate-limit.ts';
import * as survey from '$lib/server/feedback/survey.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * The public survey: no sign-in, one question per page, no script needed. Rate-limited per client
 * address; form posts from another site are refused by SvelteKit's origin check (svelte.config.js).
 */
const QUESTIONS = ['satisfaction', 'resolved', 'comment'] as const;
type Question = (typeof QUESTIONS)[number];

function limited(getClientAddress: () => string) {
	if (!surveyLimit.take(getClientAddress())) error(429, 'Too many requests from your connection. Wait a minute, then try again.');
}

export const load = (async ({ locals, params, url, getClientAddress, setHeaders }) => {
	limited(getClientAddress);
	// The link is the key to the survey: never kept by a cache, never indexed.
	setHeaders({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex' });
	const found = await survey.state(locals.db, params.token);
	if (found.kind !== 'open') return { state: found.kind, sent: url.searchParams.has('sent') };
	const asked = url.searchParams.get('question');
	const first: Question = found.satisfaction === null ? 'satisfaction' : found.resolved === null ? 'resolved' : 'comment';
	// A later question only once the first is answered; going back to change an answer is fine.
	const question: Question = asked && (QUESTIONS as readonly string[]).includes(asked) && (asked === 'satisfaction' || found.satisfaction !== null) ? (asked as Question) : first;
	return {
		state: 'open' as const,
		sent: false,
		organisation: found.organisation,
		service: found.service,
		question,
		number: QUESTIONS.indexOf(question) + 1,
		of: QUESTIONS.length,
		satisfaction: found.satisfaction === null ? null : String(found.satisfaction),
		resolved: found.resolved === null ? null : found.resolved ? 'yes' : 'no',
		choices: SATISFACTION_SCORES.map((score) => ({ value: String(score), text: SATISFACTION_LABELS[score] })),
		commentLimit: survey.COMMENT_LIMIT
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, params, request, getClientAddress }) => {
		limited(getClientAddress);
		const form = await request.formData();
		const question = String(form.get('question') ?? '');
		const here = `/survey/${params.token}`;
		let given: survey.Answer;
		if (question === 'satisfaction') {
			const value = Number(form.get('satisfaction'));
			if (!form.get('satisfaction') || !SATISFACTION_SCORES.includes(value as 1)) {
				return fail(400, { question, errors: [{ field: 'satisfaction-5', message: 'Select how satisfied you are with the service' }] });
			}
			given = { question, value };
		} else if (question === 'resolved') {
			const value = form.get('resolved');
			if (value !== 'yes' && value !== 'no') return fail(400, { question, errors: [{ field: 'resolved-yes', message: 'Select yes if we dealt with your enquiry' }] });
			given = { question, value: value === 'yes' };
		} else if (question === 'comment') {
			const value = String(form.get('comment') ?? '');
			if (value.length > survey.COMMENT_LIMIT) {
				return fail(400, { question, comment: value, errors: [{ field: 'comment', message: `Your comments must be ${survey.COMMENT_LIMIT.toLocaleString('en-GB')} characters or fewer` }] });
			}
			given = { question, value };
		} else {
			error(400, 'The form was not one of this survey’s questions');
		}
		// Spent or expired already: the page says which, and nothing is recorded.
		if ((await survey.state(locals.db, params.token)).kind !== 'open') redirect(303, here);
		try {
			const after = await survey.answer(locals.db, params.token, given);
			if (after.kind === 'answered' && given.question === 'comment') redirect(303, `${here}?sent`);
			if (after.kind !== 'open') redirect(303, here);
		} catch (cause) {
			if (cause instanceof survey.SurveyLinkError) return fail(400, { question, errors: [{ message: cause.message }] });
			throw cause;
		}
		const next = QUESTIONS[QUESTIONS.indexOf(given.question) + 1];
		redirect(303, `${here}?question=${next}`);
	}
} satisfies Actions;
