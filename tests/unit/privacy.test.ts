import { describe, expect, it } from 'vitest';
import { forViewer } from '../../src/lib/server/auth/privacy.ts';

const page = {
	rows: [{ ref: 'ES01', quarters: [{ commentary: [{ id: 1, body: 'On track', author: 'Morgan Manager', authorId: 'u1', at: new Date('2026-10-01T09:00:00Z') }] }] }],
	targets: [{ target: 90, setBy: 'Morgan Manager' }],
	risks: [{ ref: 'ES-R1', owner: 'Electoral Services Manager', reviewedBy: 'Morgan Manager' }]
};

describe('what a committee viewer sees of the people behind the figures', () => {
	it("leaves out who wrote commentary, set targets and reviewed risks, keeping every figure and the risk's owning post", () => {
		const seen = forViewer({ role: 'committee' }, page);
		expect(JSON.stringify(seen)).not.toContain('Morgan');
		expect(seen.rows[0]!.quarters[0]!.commentary[0]).toMatchObject({ body: 'On track', author: '', authorId: null });
		expect(seen.rows[0]!.quarters[0]!.commentary[0]!.at).toEqual(new Date('2026-10-01T09:00:00Z'));
		expect(seen.targets[0]).toEqual({ target: 90, setBy: null });
		expect(seen.risks[0]).toEqual({ ref: 'ES-R1', owner: 'Electoral Services Manager', reviewedBy: null });
	});

	it('shows managers everything as it is', () => {
		expect(forViewer({ role: 'manager' }, page)).toBe(page);
	});
});
