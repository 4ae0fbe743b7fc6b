/**
 * Editing the risk register with no SQL: a manager adds a risk (its inherent, residual and target
 * likelihood × impact) and closes one that no longer applies. A closed risk leaves the register
 * from its closing day on; its quarterly reviews and decisions stay, so earlier quarters still show
 * it. Both audited in the same transaction.
 *
 *   import * as riskEdits from '$lib/server/plan/risk-edits.ts';
 */
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { localDate } from '../../engine/dates.ts';
import * as audit from '../audit/record.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';

export class RiskEditError extends Error {
	constructor(
		message: string,
		readonly field: string = 'ref'
	) {
		super(message);
	}
}

const level = (what: string) =>
	z.coerce
		.number({ message: `Choose the ${what}` })
		.int({ message: `Choose the ${what} from 1 to 4` })
		.min(1, `Choose the ${what} from 1 to 4`)
		.max(4, `Choose the ${what} from 1 to 4`);
const text = (what: string, max: number) =>
	z
		.string({ error: `Enter the ${what}` })
		.trim()
		.min(1, `Enter the ${what}`)
		.max(max, `The ${what} must be ${max} characters or fewer`);

/** A new risk, as the form or a caller gives it. */
export const newRisk = z.object({
	ref: text('reference', 32).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'The reference must be letters, numbers, dots, dashes or slashes, like R12'),
	title: text('risk', 200),
	owner: text('owner', 120),
	controls: z.string().trim().max(2000, 'The controls must be 2,000 characters or fewer').default(''),
	description: z.string().trim().max(2000, 'The description must be 2,000 characters or fewer').default(''),
	/** A service code of the organisation; blank for the whole service plan. */
	service: z.string().trim().max(64).optional(),
	inherentLikelihood: level('inherent likelihood'),
	inherentImpact: level('inherent impact'),
	residualLikelihood: level('residual likelihood'),
	residualImpact: level('residual impact'),
	targetLikelihood: level('target likelihood'),
	targetImpact: level('target impact')
});
export type NewRisk = z.input<typeof newRisk>;

async function organisationOf(db: Database, code: string) {
	const [found] = await db.select({ id: schema.organisations.id, name: schema.organisations.name }).from(schema.organisations).where(eq(schema.organisations.code, code));
	if (!found) throw new RiskEditError(`There is no organisation '${code}'`, 'organisation');
	return found;
}


/** Adds a risk to an organisation's register (its reference is new to the organisation, closed risks included). Audited as 'create'. */
export async function add(db: Database, organisation: string, input: NewRisk, actor: audit.Actor): Promise<{ id: number; ref: string }> {
	const risk = newRisk.parse(input);
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const org = await organisationOf(t, organisation);
		const [clash] = await t
			.select({ closedOn: schema.risks.closedOn })
			.from(schema.risks)
			.where(and(eq(schema.risks.organisationId, org.id), eq(schema.risks.ref, risk.ref)));
		if (clash) throw new RiskEditError(clash.closedOn ? `${risk.ref} is the reference of a closed risk: choose another` : `There is already a risk ${risk.ref}`, 'ref');
		let serviceId: number | null = null;
		if (risk.service) {
			const [service] = await t
				.select({ id: schema.services.id })
				.from(schema.services)
				.where(and(eq(schema.services.organisationId, org.id), eq(schema.services.code, risk.service)));
			if (!service) throw new RiskEditError(`${org.name} has no service '${risk.service}'`, 'service');
			serviceId = service.id;
		}
		const values = {
			organisationId: org.id,
			serviceId,
			ref: risk.ref,
			title: risk.title,
			description: risk.description,
			owner: risk.owner,
			controls: risk.controls,
			inherentLikelihood: risk.inherentLikelihood,
			inherentImpact: risk.inherentImpact,
			residualLikelihood: risk.residualLikelihood,
			residualImpact: risk.residualImpact,
			targetLikelihood: risk.targetLikelihood,
			targetImpact: risk.targetImpact
		};
		const [created] = await t.insert(schema.risks).values(values).returning({ id: schema.risks.id });
		await audit.record(t, { ...audit.audited(actor), action: 'create', entity: 'risk', entityId: created!.id, organisationId: org.id, after: { ...values, service: risk.service ?? null } });
		return { id: created!.id, ref: risk.ref };
	});
}

/** Closes an open risk from a day (default today): it leaves the register; its history stays. Audited as 'close'. */
export async function close(db: Database, input: { organisation: string; ref: string; reason?: string | null; asOf?: Date }, actor: audit.Actor): Promise<{ closedOn: string }> {
	const closedOn = localDate(input.asOf ?? new Date());
	const reason = input.reason?.trim() || null;
	return db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const org = await organisationOf(t, input.organisation);
		const [risk] = await t
			.select()
			.from(schema.risks)
			.where(and(eq(schema.risks.organisationId, org.id), eq(schema.risks.ref, input.ref)))
			.for('update');
		if (!risk) throw new RiskEditError(`There is no risk '${input.ref}'`, 'close-ref');
		if (risk.closedOn) throw new RiskEditError(`${risk.ref} was closed on ${risk.closedOn} already`, 'close-ref');
		await t.update(schema.risks).set({ closedOn }).where(eq(schema.risks.id, risk.id));
		await audit.record(t, {
			...audit.audited(actor),
			action: 'close',
			entity: 'risk',
			entityId: risk.id,
			organisationId: org.id,
			before: { ref: risk.ref, title: risk.title, closedOn: null },
			after: { ref: risk.ref, title: risk.title, closedOn, reason }
		});
		return { closedOn };
	});
}

/** The organisation's services, for the form's choice. */
export async function services(db: Database, organisation: string): Promise<{ code: string; name: string }[]> {
	const org = await organisationOf(db, organisation);
	return db.select({ code: schema.services.code, name: schema.services.name }).from(schema.services).where(eq(schema.services.organisationId, org.id)).orderBy(asc(schema.services.name));
}

/** Risks closed, newest first, for the page's list of closed risks. */
export async function closed(db: Database, organisation: string): Promise<{ ref: string; title: string; closedOn: string }[]> {
	const org = await organisationOf(db, organisation);
	const found = await db
		.select({ ref: schema.risks.ref, title: schema.risks.title, closedOn: schema.risks.closedOn })
		.from(schema.risks)
		.where(and(eq(schema.risks.organisationId, org.id)))
		.orderBy(asc(schema.risks.ref));
	return found.filter((r): r is { ref: string; title: string; closedOn: string } => r.closedOn !== null).sort((a, b) => b.closedOn.localeCompare(a.closedOn));
}

