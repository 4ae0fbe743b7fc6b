import { progressLines, type Progress } from '../lib/server/assessments/index.ts';

/**
 * Progress of a long job: a bar redrawn in place on a terminal, or a plain line about every 10%
 * when the output is a file or a pipe (CI logs). Call done() before printing anything else.
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stdout) {
	if (!stream.isTTY) return { update: progressLines((line) => stream.write(`${line}\n`)), done: () => {} };
	const started = performance.now();
	let drawn = false;
	let last = 0;
	const update = ({ done, total }: Progress) => {
		const now = performance.now();
		if (done < total && now - last < 100) return; // at most ten redraws a second
		last = now;
		const share = total > 0 ? Math.min(1, done / total) : 1;
		const width = 30;
		const filled = Math.round(share * width);
		const rate = done / Math.max(0.001, (now - started) / 1000);
		const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
		stream.write(`\r${label} ${bar} ${String(Math.round(share * 100)).padStart(3)}%  ${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} contacts  ${Math.round(rate).toLocaleString('en-GB')}/s  `);
		drawn = true;
	};
	return { update, done: () => drawn && stream.write('\n') };
}
