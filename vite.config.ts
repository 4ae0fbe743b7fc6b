import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/**
 * govuk-frontend still carries two `@media screen\0` blocks aimed at Internet Explorer, which the
 * CSS minifier rejects as invalid. No supported browser reads them, so they are dropped.
 */
const dropInternetExplorerHacks = {
	postcssPlugin: 'yardstick-drop-ie-hacks',
	AtRule: {
		media(rule: { params: string; remove(): void }) {
			if (/\\0|\u0000|\uFFFD/.test(rule.params)) rule.remove();
		}
	}
};

export default defineConfig({
	plugins: [sveltekit()],
	css: { postcss: { plugins: [dropInternetExplorerHacks] } },
	// PGlite loads its WASM and data files from node_modules at run time.
	optimizeDeps: { exclude: ['@electric-sql/pglite'] },
	ssr: { external: ['@electric-sql/pglite'] },
	test: {
		environment: 'node',
		expect: { requireAssertions: true },
		testTimeout: 60_000,
		hookTimeout: 180_000,
		projects: [
			{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
			// Database tests run on PGlite, and also on PostgreSQL when DATABASE_URL is set.
			{ extends: true, test: { name: 'db', include: ['tests/db/**/*.test.ts'], globalSetup: ['tests/db/global-setup.ts'] } },
			// The production build, served and driven as a user would (Chromium when installed).
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					globalSetup: ['tests/e2e/global-setup.ts'],
					fileParallelism: false
				}
			}
		]
	}
});
