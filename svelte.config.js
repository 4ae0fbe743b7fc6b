import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit refuses a form post from another site (its origin check); no other site is trusted.
		csrf: { trustedOrigins: [] },
		// Assets by absolute path (/_app/…): a refused request is answered with the /refused page
		// rendered for another path (hooks.server.ts), where relative paths would point nowhere.
		paths: { relative: false },
		// Content-Security-Policy on every page: scripts only from this site or with this response's
		// nonce (SvelteKit adds it to its own start-up script). Style attributes are allowed (app.html's
		// shell uses one, and bars may set widths with them; they cannot run script); <style> elements are not.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
