import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCookie } from '../support/auth.ts';
import { startServer, type RunningServer } from '../support/server.ts';

describe('a server whose PostgreSQL is down', () => {
	let server: RunningServer;
	beforeAll(async () => {
		// Port 9 on loopback: nothing listens there, so every connection is refused at once.
		server = await startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:9/yardstick' });
	});
	afterAll(() => server?.stop());

	it('answers /health with 503 and a clear message, and keeps running', async () => {
		for (let attempt = 0; attempt < 3; attempt++) {
			const response = await fetch(`${server.url}/health`);
			expect(response.status).toBe(503);
			const body = await response.json();
			// Anyone may ask: no host, user or database name in the answer; the reason is in the server's log.
			expect(body).toEqual({ database: 'unavailable', engine: 'postgresql', message: 'The database does not answer: the server log says why' });
			expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|postgres:|yardstick"|password|select|insert/i);
		}
		expect(server.output()).toMatch(/Health check: the database does not answer: .*connection refused/i);
		expect(server.process.exitCode).toBeNull();
	});

	it('serves pages as 503 "unavailable" rather than crashing', async () => {
		const response = await fetch(server.url, { headers: { accept: 'text/html' } });
		expect(response.status).toBe(503);
		expect(await response.text()).toMatch(/Yardstick is unavailable/);
		expect(server.process.exitCode).toBeNull();
	});
});

describe('a server on the embedded database', () => {
	let server: RunningServer;
	beforeAll(async () => {
		server = await startServer({}, { fresh: true });
	});
	afterAll(() => server?.stop());

	it('creates, migrates and seeds the database on first start, then answers /health with 200', async () => {
		expect(server.output()).toMatch(/Empty database: loading the demo data/);
		const response = await fetch(`${server.url}/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ database: 'ok', engine: 'embedded' });
	});

	it('shows the organisations, services and standards from the database on the home page', async () => {
		const html = await (await fetch(`${server.url}/?period=2025/26`, { headers: { cookie: await signInCookie(server.url, 'manager') } })).text();
		expect(html).toContain('Brackenford Borough Council');
		expect(html).toContain('Lindenshire County Council');
		expect(html).toContain('Electoral Services');
		for (const code of ['phone.answer', 'foi.response', 'es.registration', 'ds.minutes']) expect(html).toContain(code);
	});
});
