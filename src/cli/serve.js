// `npm start`: the production server (adapter-node's build/), with an upload limit large enough
// for the /import page (adapter-node's default is 512 KB). Set BODY_SIZE_LIMIT to change it.
import { defaultOrigin } from './origin.js';

process.env.BODY_SIZE_LIMIT ??= '201M';
const origin = defaultOrigin(process.env);
if (origin) {
	process.env.ORIGIN = origin;
	// Lets the server send a browser that came by 127.0.0.1 to this address (hooks.server.ts).
	process.env.YARDSTICK_LOCAL_ORIGIN = '1';
	console.log(`Open ${origin} (set ORIGIN to serve Yardstick at another address).`);
}
// Loaded by URL so the type checker does not descend into the generated bundle.
await import(new URL('../../build/index.js', import.meta.url).href);
