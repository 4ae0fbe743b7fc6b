import * as standardVersions from '$lib/server/standards/versions.ts';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => ({ standards: await standardVersions.list(locals.db) })) satisfies PageServerLoad;
