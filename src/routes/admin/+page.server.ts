import { checklist } from '$lib/server/setup/checklist.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({ checklist: await checklist(locals.db) })) satisfies PageServerLoad;
