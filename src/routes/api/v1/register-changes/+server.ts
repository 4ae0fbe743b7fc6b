import { electoralEndpoint } from '$lib/server/ingest/electoral-api.ts';

/** The register-changes file or its records, imported as `yardstick import --kind register-changes` imports it. */
export const POST = electoralEndpoint('register-changes');
