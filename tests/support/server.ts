import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';

export interface RunningServer {
	url: string;
	process: ChildProcess;
	output(): string;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** What the seeded copy (tests/e2e/global-setup.ts) was made with: a server started with these seeds the same. */
const SEED_ENV = { YARDSTICK_SEED_CONTACTS: '3000', YARDSTICK_SEED_PROPERTIES: '300' };

export interface StartOptions {
	/** The embedded database's directory, kept after the stop; default a new one, removed after. */
	dataDir?: string;
	/** What to run: default the production build; 'src/cli/serve.js' for exactly what `npm start` runs. */
	entry?: string;
	waitForDatabase?: boolean;
	/** Seed the demo on this first start instead of starting from the seeded copy the set-up made. */
	fresh?: boolean;
}

/**
 * Starts the production build on 127.0.0.1 with its own embedded database directory unless
 * DATABASE_URL is given, and waits until it listens and has opened its database (unless
 * `waitForDatabase: false`). ORIGIN is the server's address unless `env` says otherwise ('' for
 * none). A new directory starts as a copy of the demo the e2e set-up seeded once (unless `fresh`,
 * another entry or other seed settings are asked for): seeding it anew takes each server seconds.
 */
export async function startServer(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningServer> {
	const port = await freePort();
	const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'yardstick-e2e-'));
	const sameSeed = Object.keys(env).every((name) => !name.startsWith('YARDSTICK_SEED') && name !== 'DATABASE_URL');
	const seeded = !options.dataDir && !options.fresh && !options.entry && sameSeed ? inject('seededDataDir') : undefined;
	if (seeded) cpSync(seeded, dataDir, { recursive: true });
	let output = '';
	const childEnv: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		HOME: process.env.HOME ?? '',
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: `http://127.0.0.1:${port}`,
		YARDSTICK_DATA_DIR: dataDir,
		...SEED_ENV,
		...env
	};
	if (childEnv.ORIGIN === '') delete childEnv.ORIGIN;
	const child = spawn(process.execPath, [options.entry ?? 'build'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start within 150 s:\n${output}`)), 150_000);
		const check = () => {
			if (output.includes('Listening on')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout!.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${output}`));
		});
	});
	// It listens at once and opens the database in the background: wait until /health is past "starting".
	const url = `http://127.0.0.1:${port}`;
	for (const deadline = options.waitForDatabase === false ? 0 : Date.now() + 150_000; deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
		// A reused connection the server closed meanwhile (its keep-alive ran out while busy) is just asked again.
		const body = (await fetch(`${url}/health`)
			.then((answer) => answer.json())
			.catch(() => ({ database: 'starting' }))) as { database: string };
		if (body.database !== 'starting') break;
		if (Date.now() > deadline) throw new Error(`server was still starting after 150 s:\n${output}`);
	}
	return {
		url,
		process: child,
		output: () => output,
		stop: async () => {
			if (child.exitCode === null) {
				// A graceful stop must end the process; one that hangs is a bug worth failing on.
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
				const signal = await exited;
				clearTimeout(timer);
				if (child.signalCode === 'SIGKILL') throw new Error(`server ignored SIGTERM for 15 s (${signal}):\n${output}`);
			}
			if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
