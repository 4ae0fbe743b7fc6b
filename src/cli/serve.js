// `npm start`: the production server (adapter-node's build/), with an upload limit large enough
// for the /import page (adapter-node's default is 512 KB). Set BODY_SIZE_LIMIT to change it.
process.env.BODY_SIZE_LIMIT ??= '201M';
// Loaded by URL so the type checker does not descend into the generated bundle.
await import(new URL('../../build/index.js', import.meta.url).href);
