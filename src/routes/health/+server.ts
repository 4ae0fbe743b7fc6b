import { json } from '@sveltejs/kit';
import { health, starting } from '$lib/server/startup.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const progress = starting();
	if (progress !== undefined) {
		return json({ database: 'starting', progress }, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '5' } });
	}
	const result = await health();
	return json(result, {
		status: result.database === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
