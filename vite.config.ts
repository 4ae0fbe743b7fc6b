import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// PGlite loads its WASM and data files from node_modules at run time.
	optimizeDeps: { exclude: ['@electric-sql/pglite'] },
	ssr: { external: ['@electric-sql/pglite'] },
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// PostgreSQL tests share one database; files run one at a time against it.
		fileParallelism: false
	}
});
