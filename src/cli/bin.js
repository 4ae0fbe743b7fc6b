#!/usr/bin/env node
// The `yardstick` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// An import streams its file, so it needs little memory at once; but V8 lets the heap grow lazily
// up to its default limit (hundreds of MB) before collecting. A small old space keeps an import's
// memory flat whatever the file's size. Set NODE_OPTIONS=--max-old-space-size=… to choose another.
const IMPORT_HEAP_MB = 128;
const heapChosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith('--max-old-space-size'));
if (process.argv[2] === 'import' && !heapChosen) {
	const child = spawnSync(process.execPath, [`--max-old-space-size=${IMPORT_HEAP_MB}`, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
		stdio: 'inherit'
	});
	if (child.error) throw child.error;
	process.exit(child.status ?? 1);
}

register();
await import('./main.ts');
