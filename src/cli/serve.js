// `npm start`: the production server (adapter-node's build/), with an upload limit large enough
// for the /import page (adapter-node's default is 512 KB). Set BODY_SIZE_LIMIT to change it.
// Builds first only when build/ is missing or older than the source, answering on the port with a
// holding page meanwhile; the server then answers at once and loads the database in the background.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { holdingPage, holdingPagePolicy } from '../lib/holding-page.js';
import { buildNeeded } from './build-needed.js';
import { defaultOrigin } from './origin.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

process.env.BODY_SIZE_LIMIT ??= '201M';
const origin = defaultOrigin(process.env);
if (origin) {
	process.env.ORIGIN = origin;
	// Lets the server send a browser that came by 127.0.0.1 to this address (hooks.server.ts).
	process.env.YARDSTICK_LOCAL_ORIGIN = '1';
	console.log(`Open ${origin} (set ORIGIN to serve Yardstick at another address).`);
}

const reason = buildNeeded(root);
if (reason) {
	console.log(`Building Yardstick (${reason}); this takes about half a minute…`);
	const holding = await listenWithHoldingPage('Building Yardstick (the first start after an install or an update)');
	try {
		await build();
	} finally {
		await new Promise((resolve) => {
			holding.close(resolve);
			holding.closeAllConnections();
		});
	}
}
// Loaded by URL so the type checker does not descend into the generated bundle.
await import(new URL('../../build/index.js', import.meta.url).href);

function build() {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
		child.once('error', reject);
		child.once('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`The build failed (exit status ${code}): see the messages above.`))));
	});
}

/**
 * Answers every request on the server's address with the holding page (503) until closed. A port
 * already in use is left to the real server to report.
 * @param {string} progress
 * @returns {Promise<import('node:http').Server>}
 */
function listenWithHoldingPage(progress) {
	const server = createServer((request, response) => {
		const headers = { 'retry-after': '5', 'cache-control': 'no-store' };
		if (request.url?.startsWith('/health')) {
			response.writeHead(503, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ database: 'starting', progress }));
		} else {
			response.writeHead(503, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': holdingPagePolicy }).end(holdingPage(progress));
		}
	});
	return new Promise((resolve) => {
		server.once('error', () => resolve(server));
		server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0', () => resolve(server));
	});
}
