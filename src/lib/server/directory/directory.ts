import { asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { parseRule, type DeadlineRule } from '../../engine/rules.ts';
import * as schema from '../db/schema/index.ts';

export interface DirectoryStandard {
	code: string;
	title: string;
	wording: string;
	statutory: boolean;
	services: string[];
	contactTypes: string[];
	measure: string;
	limitValue: number;
	unit: string;
	/** The engine's deadline rule: the limit's number and unit as the rule says them (a SAR's is one month). */
	rule: DeadlineRule;
	calendarCode: string;
	compliancePercent: number;
	effectiveFrom: string;
	version: number;
}

export interface DirectoryOrganisation {
	id: number;
	code: string;
	name: string;
	services: { code: string; name: string; teams: { code: string; name: string }[] }[];
	standards: DirectoryStandard[];
}

/** Every organisation with its services, teams and the standards in force. */
export async function list(db: Database): Promise<DirectoryOrganisation[]> {
	const [organisations, services, teams, standards] = await Promise.all([
		db.select().from(schema.organisations).orderBy(asc(schema.organisations.code)),
		db.select().from(schema.services).orderBy(asc(schema.services.name)),
		db.select().from(schema.teams).orderBy(asc(schema.teams.name)),
		db
			.select({ standard: schema.standards, version: schema.standardVersions })
			.from(schema.standards)
			.innerJoin(schema.standardVersions, eq(schema.standardVersions.standardId, schema.standards.id))
			.where(isNull(schema.standardVersions.effectiveTo))
			.orderBy(asc(schema.standards.code))
	]);
	return organisations.map((organisation) => ({
		id: organisation.id,
		code: organisation.code,
		name: organisation.name,
		services: services
			.filter((service) => service.organisationId === organisation.id)
			.map((service) => ({
				code: service.code,
				name: service.name,
				teams: teams
					.filter((team) => team.serviceId === service.id)
					.map((team) => ({ code: team.code, name: team.name }))
			})),
		standards: standards
			.filter(({ standard }) => standard.organisationId === organisation.id)
			.map(({ standard, version }) => ({
				code: standard.code,
				title: standard.title,
				wording: version.wording,
				statutory: standard.statutory,
				services: standard.serviceCodes,
				contactTypes: standard.contactTypes,
				measure: version.measure,
				limitValue: version.limitValue,
				unit: version.unit,
				rule: parseRule(version.rule),
				calendarCode: version.calendarCode,
				compliancePercent: version.compliancePercent,
				effectiveFrom: version.effectiveFrom,
				version: version.version
			}))
	}));
}
