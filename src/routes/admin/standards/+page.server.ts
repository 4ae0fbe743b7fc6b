import * as standardVersions from '$lib/server/standard-versions.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({ standards: await standardVersions.list(locals.db) })) satisfies PageServerLoad;
