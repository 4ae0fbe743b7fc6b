// The page a browser gets while Yardstick is starting: during `npm start`'s build (src/cli/serve.js)
// and while the server opens, migrates and (on first start) loads the demo (hooks.server.ts).
// Plain JavaScript with no imports, so serve.js can use it before anything is built.
import { createHash } from 'node:crypto';

// Asks /health every 3 seconds and opens the page asked for once Yardstick is ready. Without
// JavaScript the page says to reload; a timed refresh would move a reader on without asking.
const script = `(function check() {
	setTimeout(function () {
		fetch('/health', { cache: 'no-store' }).then(function (answer) {
			if (answer.ok) return location.reload();
			return answer.json().then(function (body) {
				if (body && body.progress) document.getElementById('progress').textContent = body.progress;
				check();
			});
		}).catch(check);
	}, 3000);
})();`;

/** The holding page's Content-Security-Policy: its own styles, its one script (by hash) and /health. */
export const holdingPagePolicy = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'; connect-src 'self'; frame-ancestors 'none'`;

/** @param {string} text */
function escape(text) {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @param {string} progress what is happening now, e.g. "Loading the demo: 120,000 of 219,260 contacts"
 * @returns {string} a complete HTML page
 */
export function holdingPage(progress) {
	return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yardstick is starting</title>
<style>
body { margin: 0; font-family: Arial, sans-serif; color: #0b0c0c; background: #fff; line-height: 1.3; }
header { background: #1d70b8; color: #fff; padding: 10px 15px; font-weight: 700; font-size: 1.5rem; }
main { max-width: 640px; margin: 0 auto; padding: 30px 15px; }
h1 { font-size: 2rem; margin: 0 0 20px; }
p { font-size: 1.1875rem; margin: 0 0 20px; }
.progress { border-left: 10px solid #b1b4b6; padding: 10px 15px; }
</style>
</head>
<body>
<header>Yardstick</header>
<main>
<h1>Yardstick is starting</h1>
<p>This takes about a minute the first time, while the demo data loads, and a few seconds after that.</p>
<p class="progress" id="progress" role="status">${escape(progress)}</p>
<p>This page opens Yardstick by itself when it is ready. You can also reload the page.</p>
</main>
<script>${script}</script>
</body>
</html>
`;
}
