/**
 * `yardstick erlang --calls <per interval> --interval-minutes <m> --aht <seconds>
 * [--target-seconds 20] [--service-level 0.8] [--agents N] [--shrinkage 0.3] [--max-occupancy 0.85]
 * [--patience <seconds>] [--json]`: how many people the phones need (engine/erlang.ts).
 */
import { z } from 'zod';
import { agentsNeeded, agentsOnPhones, queueMeasures, type QueueMeasures } from '../lib/engine/erlang.ts';
import { UsageError } from './due.ts';

const number = (name: string, check: z.ZodNumber) =>
	z
		.string({ error: `give ${name}` })
		.trim()
		.min(1, `give ${name}`)
		.transform((text, context) => {
			const value = Number(text.replaceAll('_', ''));
			if (text === '' || !Number.isFinite(value)) {
				context.addIssue({ code: 'custom', message: `'${text}' is not a number` });
				return z.NEVER;
			}
			return value;
		})
		.pipe(check);

const erlangInput = z.object({
	calls: number('the calls offered per interval (--calls 100)', z.number().min(0, 'must be 0 or more').max(100_000_000, 'is too many')),
	'interval-minutes': number('the interval length in minutes (--interval-minutes 30)', z.number().gt(0, 'must be more than 0').max(1440, 'must be at most 1440 (a day)')),
	aht: number('the average handle time in seconds (--aht 180)', z.number().gt(0, 'must be more than 0 seconds').max(86_400, 'must be at most a day')),
	'target-seconds': number('the answer time in seconds', z.number().min(0, 'must be 0 or more').max(86_400, 'must be at most a day')).default(20),
	'service-level': number('the service level', z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1 (e.g. 0.8 for 80%)')).default(0.8),
	agents: number('a number of agents', z.number().int('must be a whole number').min(1, 'must be 1 or more').max(10_000_000, 'is too many')).optional(),
	shrinkage: number('the shrinkage', z.number().min(0, 'must be 0 or more').lt(1, 'must be less than 1 (e.g. 0.3 for 30%)')).default(0),
	'max-occupancy': number('the maximum occupancy', z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1 (e.g. 0.85 for 85%)')).default(1),
	patience: number('the mean patience in seconds', z.number().gt(0, 'must be more than 0 seconds')).optional(),
	json: z.boolean().default(false)
});
export type ErlangInput = z.infer<typeof erlangInput>;

export function parseErlangInput(values: Record<string, unknown>, positionals: string[]): ErlangInput {
	if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
	const parsed = erlangInput.safeParse(values);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const option = `--${String(issue.path[0])}`;
		throw new UsageError(issue.message.startsWith('give ') ? issue.message : `${option} ${issue.message}`);
	}
	return parsed.data;
}

export interface ErlangAnswer {
	/** Staff to schedule: the agents needed after shrinkage, or the --agents given. */
	agents: number;
	/** Of those, on the phones. */
	onPhones: number;
	model: 'Erlang C' | 'Erlang A';
	measures: QueueMeasures;
	input: ErlangInput;
}

export function computeErlang(input: ErlangInput): ErlangAnswer {
	const workload = { calls: input.calls, intervalSeconds: input['interval-minutes'] * 60, ahtSeconds: input.aht, patienceSeconds: input.patience ?? null };
	const model = input.patience === undefined ? 'Erlang C' : 'Erlang A';
	try {
		if (input.agents !== undefined) {
			const onPhones = agentsOnPhones(input.agents, input.shrinkage);
			if (onPhones < 1) throw new UsageError(`--agents ${input.agents} leaves nobody on the phones after ${input.shrinkage * 100}% shrinkage`);
			return { agents: input.agents, onPhones, model, measures: queueMeasures(workload, onPhones, input['target-seconds']), input };
		}
		const staffing = agentsNeeded(workload, {
			targetSeconds: input['target-seconds'],
			serviceLevel: input['service-level'],
			maxOccupancy: input['max-occupancy'],
			shrinkage: input.shrinkage
		});
		return { agents: staffing.scheduled, onPhones: staffing.agents, model, measures: staffing.measures, input };
	} catch (error) {
		if (error instanceof RangeError) throw new UsageError(error.message);
		throw error;
	}
}

const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** `{ "agents", "serviceLevel", "probabilityWait", "asa", "occupancy" }` (ASA in seconds; null when the queue never clears). */
export function erlangJson(answer: ErlangAnswer): string {
	const m = answer.measures;
	return JSON.stringify({ agents: answer.agents, serviceLevel: m.serviceLevel, probabilityWait: m.probabilityWait, asa: finite(m.asa), occupancy: m.occupancy });
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function erlangText(answer: ErlangAnswer): string {
	const { input, measures: m } = answer;
	const target = `${percent(input['service-level'])} of calls answered within ${input['target-seconds']} seconds`;
	const lines = [
		`${input.calls} calls in ${input['interval-minutes']} minutes, ${input.aht} seconds' handle time: ${m.traffic.toFixed(2)} erlangs (${answer.model}${input.patience === undefined ? '' : `, callers give up after ${input.patience} seconds on average`}).`,
		input.agents === undefined
			? `Agents needed for ${target}: ${answer.onPhones} on the phones` +
				(input.shrinkage > 0 ? `, ${answer.agents} to schedule with ${percent(input.shrinkage)} shrinkage.` : '.')
			: `With ${answer.agents} agents` + (input.shrinkage > 0 ? ` (${answer.onPhones} on the phones after ${percent(input.shrinkage)} shrinkage):` : ':'),
		`  service level:           ${percent(m.serviceLevel)} within ${input['target-seconds']} seconds`,
		`  probability of waiting:  ${percent(m.probabilityWait)}`,
		`  average speed of answer: ${Number.isFinite(m.asa) ? `${m.asa.toFixed(1)} seconds (over every call)` : 'the queue never clears'}`,
		`  occupancy:               ${percent(m.occupancy)}`
	];
	if (input.patience !== undefined) lines.push(`  callers giving up:       ${percent(m.abandonment)}`);
	return lines.join('\n');
}
