import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildNeeded } from '../../../src/cli/build-needed.js';

// `npm start` builds only when it must: a fresh clone or an update rebuilds, a plain restart does not.
describe('whether npm start builds first', () => {
	let root: string;
	const at = (file: string, minutesAgo: number) => {
		const full = path.join(root, file);
		mkdirSync(path.dirname(full), { recursive: true });
		writeFileSync(full, '');
		const when = new Date(Date.now() - minutesAgo * 60_000);
		utimesSync(full, when, when);
	};
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	it('builds when there is no build yet', () => {
		root = mkdtempSync(path.join(tmpdir(), 'yardstick-build-'));
		at('src/routes/+page.svelte', 10);
		expect(buildNeeded(root)).toBe('no build yet');
	});

	it('does not build again when the build is newer than every source', () => {
		root = mkdtempSync(path.join(tmpdir(), 'yardstick-build-'));
		at('src/lib/engine/clock.ts', 10);
		at('package.json', 20);
		at('build/index.js', 5);
		expect(buildNeeded(root)).toBe('');
	});

	it('builds again after a source file, a static file or the dependencies changed', () => {
		root = mkdtempSync(path.join(tmpdir(), 'yardstick-build-'));
		at('build/index.js', 5);
		at('src/lib/engine/clock.ts', 10);
		at('src/lib/deep/down/page.ts', 1);
		expect(buildNeeded(root)).toBe(`${path.join('src', 'lib', 'deep', 'down', 'page.ts')} changed since the last build`);
		at('src/lib/deep/down/page.ts', 10);
		at('static/favicon.svg', 1);
		expect(buildNeeded(root)).toMatch(/^static.favicon\.svg changed/);
		at('static/favicon.svg', 10);
		at('package-lock.json', 1);
		expect(buildNeeded(root)).toBe('package-lock.json changed since the last build');
	});
});
