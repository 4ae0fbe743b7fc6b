import { progressLines, type Progress } from '../lib/server/assessments/index.ts';

/**
 * A progress bar redrawn in place on a terminal (at most ten times a second); draw() does
 * nothing when the stream is a file or a pipe. Call done() before printing anything else.
 */
export function terminalBar(stream: NodeJS.WriteStream) {
	let drawn = false;
	let last = 0;
	const draw = (label: string, share: number, detail: string, final = false) => {
		if (!stream.isTTY) return;
		const now = performance.now();
		if (!final && now - last < 100) return;
		last = now;
		const width = 30;
		const filled = Math.round(Math.min(1, Math.max(0, share)) * width);
		stream.write(`\r${label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(Math.round(share * 100)).padStart(3)}%  ${detail}  `);
		drawn = true;
	};
	return { draw, done: () => drawn && (stream.write('\n'), (drawn = false)) };
}

/** Progress of the assessment job: the bar on a terminal, a plain line about every 10% otherwise (CI logs). */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stdout) {
	if (!stream.isTTY) return { update: progressLines((line) => stream.write(`${line}\n`)), done: () => {} };
	const started = performance.now();
	const bar = terminalBar(stream);
	const update = ({ done, total }: Progress) => {
		const rate = done / Math.max(0.001, (performance.now() - started) / 1000);
		bar.draw(label, total > 0 ? done / total : 1, `${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} contacts  ${Math.round(rate).toLocaleString('en-GB')}/s`, done >= total);
	};
	return { update, done: bar.done };
}
