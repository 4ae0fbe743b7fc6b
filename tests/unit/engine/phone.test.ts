import { describe, it, expect } from 'vitest';
import { serviceLevel, classifyCall, type CallFacts } from '../../../src/lib/engine/phone.ts';

const answered = (waitSeconds: number): CallFacts => ({ waitSeconds, abandoned: false });
const abandoned = (waitSeconds: number): CallFacts => ({ waitSeconds, abandoned: true });
const calls = [answered(5), answered(15), answered(20), answered(25), answered(60), abandoned(3), abandoned(10), abandoned(30)];

describe('phone service level', () => {
	it('leaves out calls abandoned within 20 seconds by default', () => {
		expect(serviceLevel(calls)).toEqual({
			thresholdSeconds: 20,
			offered: 8,
			answered: 5,
			answeredWithinThreshold: 3,
			abandoned: 3,
			abandonedExcluded: 2,
			unscored: 0,
			counted: 6,
			serviceLevel: 0.5,
			averageSpeedOfAnswer: 25,
			abandonmentRate: 3 / 8
		});
	});

	it('can count every abandoned call as a failure', () => {
		expect(serviceLevel(calls, { abandoned: 'include-as-failures' })).toMatchObject({ counted: 8, serviceLevel: 3 / 8, abandonedExcluded: 0 });
	});

	it('can use a shorter short-abandon threshold', () => {
		expect(serviceLevel(calls, { shortAbandonSeconds: 5 })).toMatchObject({ counted: 7, serviceLevel: 3 / 7 });
	});

	it('uses another answer threshold when asked', () => {
		expect(serviceLevel(calls, { thresholdSeconds: 30 })).toMatchObject({ answeredWithinThreshold: 4, abandonedExcluded: 3, serviceLevel: 4 / 5 });
	});

	it('leaves calls without a wait time out of everything', () => {
		const result = serviceLevel([...calls, { waitSeconds: null }, { waitSeconds: null, abandoned: true }]);
		expect(result).toMatchObject({ unscored: 2, offered: 8, serviceLevel: 0.5 });
	});

	it('reports nothing rather than 0% for no calls', () => {
		expect(serviceLevel([])).toMatchObject({ serviceLevel: null, averageSpeedOfAnswer: null, abandonmentRate: null });
	});

	it('classifies single calls the same way', () => {
		expect(calls.map((c) => classifyCall(c))).toEqual(['met', 'met', 'met', 'breached', 'breached', 'excluded', 'excluded', 'breached']);
	});
});
