#!/usr/bin/env node
// The `yardstick` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// An import streams its file, so it needs little memory at once; but V8 lets the heap grow lazily
// up to its default limit (hundreds of MB) before collecting. A small old space keeps an import's
// memory flat whatever the file's size. Set NODE_OPTIONS=--max-old-space-size=… to choose another.
const IMPORT_HEAP_MB = 128;
// An electoral file is checked whole (a property in two routes, a change in two notices), so its
// rows are held at once: a county's canvass of 300,000 properties needs more.
const ELECTORAL_HEAP_MB = 384;
// A contact log's import on the embedded database (no DATABASE_URL), which shares the process, keeps
// the young generation small too: 4 MB a semi-space, not V8's 16, took about 50 MB off a 100,000-row
// import's peak at the same speed. On PostgreSQL it cost a million-row import 2.5 s, for memory it
// had to spare (docs/performance.md, "Statement keys").
const EMBEDDED_SEMI_SPACE_MB = 4;
const embedded = !process.env.DATABASE_URL;
const electoral = /(^|\s)--kind(=|\s+)(canvass|register-changes)(\s|$)/.test(process.argv.slice(2).join(' '));
const heapChosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith('--max-old-space-size'));
if (process.argv[2] === 'import' && !heapChosen) {
	// The import runs in a child process. Signals are passed on to it, and it is joined by an IPC
	// channel, so it also learns when this process is killed outright: either way it stops before
	// committing anything and records its batch as stopped (src/cli/import.ts).
	const child = spawn(process.execPath, [`--max-old-space-size=${electoral ? ELECTORAL_HEAP_MB : IMPORT_HEAP_MB}`, ...(embedded && !electoral ? [`--max-semi-space-size=${EMBEDDED_SEMI_SPACE_MB}`] : []), ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
		stdio: ['inherit', 'inherit', 'inherit', 'ipc']
	});
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(signal, () => child.kill(signal));
	const [code, signal] = /** @type {[number | null, NodeJS.Signals | null]} */ (await once(child, 'exit'));
	process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
}

register();
await import('./main.ts');
