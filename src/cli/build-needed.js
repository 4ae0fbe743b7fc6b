// Whether `npm start` must build first (src/cli/serve.js): plain JavaScript, run before any build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Why build/ must be (re)built, or '' when build/index.js is newer than everything it is built from.
 * @param {string} root the project's folder
 */
export function buildNeeded(root) {
	const built = path.join(root, 'build', 'index.js');
	if (!existsSync(built)) return 'no build yet';
	const builtAt = statSync(built).mtimeMs;
	const sources = ['src', 'static', 'package.json', 'package-lock.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json'];
	const newer = sources.map((source) => newestFile(path.join(root, source))).find((file) => file && file.mtimeMs > builtAt);
	return newer ? `${path.relative(root, newer.path)} changed since the last build` : '';
}

/** @param {string} target @returns {{ path: string, mtimeMs: number } | undefined} */
function newestFile(target) {
	if (!existsSync(target)) return undefined;
	const stat = statSync(target);
	if (!stat.isDirectory()) return { path: target, mtimeMs: stat.mtimeMs };
	/** @type {{ path: string, mtimeMs: number } | undefined} */
	let newest;
	for (const entry of readdirSync(target)) {
		const file = newestFile(path.join(target, entry));
		if (file && (!newest || file.mtimeMs > newest.mtimeMs)) newest = file;
	}
	return newest;
}
