import { execFile } from 'node:child_process';

export interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs the `yardstick` command as a user would (node src/cli/bin.js …), with extra environment. */
export function yardstick(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
	const environment = { ...process.env, ...env };
	for (const [key, value] of Object.entries(environment)) if (value === undefined) delete environment[key];
	return new Promise((resolve) => {
		execFile(process.execPath, ['src/cli/bin.js', ...args], { env: environment, timeout: 300_000 }, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({ code, stdout, stderr });
		});
	});
}
