import { electoralEndpoint } from '$lib/server/ingest/electoral-api.ts';

/** The canvass file or its records, imported as `yardstick import --kind canvass` imports it. */
export const POST = electoralEndpoint('canvass');
