import { STANDARDS } from '../../engine/catalogue.ts';
import { limitOf } from '../../engine/limits.ts';
import { unitOf } from '../../engine/rules.ts';
import { demoOrganisations } from './organisations.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import type { Reference } from './reference.ts';

/** The published standards in force since the 2020 service plans, first version of each. */
export const FIRST_EFFECTIVE_DATE = '2020-04-01';

/** Every standard of the catalogue for every organisation it applies to, as version 1. */
export async function seedStandards(tx: Database, reference: Reference) {
	for (const organisation of demoOrganisations) {
		const organisationId = reference.organisation(organisation.code).id;
		for (const definition of STANDARDS) {
			const scope = definition.appliesTo.find((s) => s.organisation === organisation.code);
			if (!scope) continue;
			const [standard] = await tx
				.insert(schema.standards)
				.values({
					organisationId,
					code: definition.code,
					title: definition.title,
					serviceCodes: scope.services ? [...scope.services] : [],
					contactTypes: [...definition.contactTypes],
					statutory: definition.statutory,
					source: definition.source
				})
				.returning({ id: schema.standards.id });
			await tx.insert(schema.standardVersions).values({
				organisationId,
				standardId: standard!.id,
				version: 1,
				effectiveFrom: definition.effectiveFrom ?? FIRST_EFFECTIVE_DATE, // a statutory duty from its commencement (dp.complaint-ack: 19 June 2026)
				wording: definition.wording,
				measure: definition.rule.kind,
				unit: unitOf(definition.rule),
				// The column is required: a same-or-next-working-day standard, with no limit to change, stores 1 (one working day).
				limitValue: limitOf(definition.rule) ?? 1,
				rule: definition.rule,
				clockStart: definition.clockStart,
				restartable: definition.restartable,
				calendarCode: definition.calendar,
				appliesClosures: definition.closuresApply,
				compliancePercent: definition.targetPercent,
				atRiskShare: definition.atRiskShare,
				createdBy: 'seed'
			});
		}
	}
}
