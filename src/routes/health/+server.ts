import { json } from '@sveltejs/kit';
import { health } from '$lib/server/startup.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const result = await health();
	return json(result, {
		status: result.database === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
