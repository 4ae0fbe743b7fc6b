import { addCalendarDays, fromEpochDay, localEpochDay } from '../../engine/dates.ts';
import { quartersBetween } from '../../engine/periods.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { demoOrganisations } from './organisations.ts';
import { christmasClosures } from './seasons.ts';
import { seedStandards } from './standards.ts';
import { ELECTORAL_INDICATORS } from '../plan/indicator-definitions.ts';

export interface OrganisationIds {
	id: number;
	service(code: string): number;
	team(code: string): number;
}

export interface Reference {
	organisation(code: string): OrganisationIds;
}

/**
 * The councils and everything their contacts refer to: services, teams, calendars, closure days,
 * standards, indicators and the risk register.
 */
export async function seedReference(tx: Database, { from, asOf }: { from: string; asOf: Date }): Promise<Reference> {
	const byCode = new Map<string, OrganisationIds>();
	for (const organisation of demoOrganisations) {
		const [row] = await tx
			.insert(schema.organisations)
			.values({ code: organisation.code, name: organisation.name })
			.returning({ id: schema.organisations.id });
		const organisationId = row!.id;
		const services = new Map<string, number>();
		const teams = new Map<string, number>();
		for (const service of organisation.services) {
			const [serviceRow] = await tx
				.insert(schema.services)
				.values({ organisationId, code: service.code, name: service.name })
				.returning({ id: schema.services.id });
			services.set(service.code, serviceRow!.id);
			for (const team of service.teams) {
				const [teamRow] = await tx
					.insert(schema.teams)
					.values({ organisationId, serviceId: serviceRow!.id, code: team.code, name: team.name })
					.returning({ id: schema.teams.id });
				teams.set(team.code, teamRow!.id);
			}
		}
		for (const { queue, service, team } of organisation.queues) {
			await tx.insert(schema.queueMappings).values({ organisationId, queue, serviceId: services.get(service)!, teamId: teams.get(team) ?? null });
		}
		byCode.set(organisation.code, {
			id: organisationId,
			service: (code) => required(services.get(code), `service ${code} of ${organisation.code}`),
			team: (code) => required(teams.get(code), `team ${code} of ${organisation.code}`)
		});
		await tx.insert(schema.closureDays).values(
			christmasClosures(from, asOf).map((date) => ({ organisationId, date, reason: organisation.closures.reason }))
		);
	}

	await tx.insert(schema.calendars).values([
		{
			code: 'england-wales',
			name: 'England and Wales',
			description: 'Monday to Friday except England and Wales bank holidays (GOV.UK), with council closure days where a standard allows them.'
		},
		{
			code: 'foia-uk',
			name: 'FOIA working days',
			description: 'FOIA s.10(6): every day except Saturday, Sunday, Christmas Day, Good Friday and a bank holiday in any part of the UK.'
		}
	]);

	const reference: Reference = {
		organisation: (code) => required(byCode.get(code), `organisation ${code}`)
	};
	await seedStandards(tx, reference);
	await seedIndicators(tx, reference, from, asOf);
	await seedRisks(tx, reference, from, asOf);
	return reference;
}

function required<T>(value: T | undefined, what: string): T {
	if (value === undefined) throw new Error(`Demo data refers to an unknown ${what}`);
	return value;
}

/** ES01 and ES02 from the Elections Service Plan, with the plan's target for every year. */
async function seedIndicators(tx: Database, reference: Reference, from: string, asOf: Date) {
	const borough = reference.organisation('borough');
	const indicators = await tx
		.insert(schema.indicators)
		.values(ELECTORAL_INDICATORS.map((indicator) => ({ organisationId: borough.id, ...indicator })))
		.returning({ id: schema.indicators.id, code: schema.indicators.code });
	const lastYear = Number(fromEpochDay(localEpochDay(asOf.getTime())).slice(0, 4));
	const targets = indicators.flatMap((indicator) => {
		const rows = [];
		for (let year = Number(from.slice(0, 4)); year <= lastYear; year++) {
			rows.push({
				organisationId: borough.id,
				indicatorId: indicator.id,
				financialYear: year,
				target: indicator.code === 'ES01' ? 90 : 100,
				effectiveFrom: new Date(`${year}-03-01T00:00:00Z`),
				setBy: 'Elections Service Plan'
			});
		}
		return rows;
	});
	await tx.insert(schema.indicatorTargets).values(targets);
}

/** The plan's risk register (docs/rules.md "Risk bands"), with quarterly reviews and some movement. */
async function seedRisks(tx: Database, reference: Reference, from: string, asOf: Date) {
	const borough = reference.organisation('borough');
	const serviceId = borough.service('electoral');
	const register = [
		{ ref: 'ES-R1', title: 'Insufficient staff', owner: 'Electoral Services Manager', controls: 'Cross-trained Customer Service Centre staff; temporary canvass and election staff recruited early', inherent: [3, 3], residual: [2, 2], target: [1, 2] },
		{ ref: 'ES-R2', title: 'Total failure of ICT systems', owner: 'Head of ICT', controls: 'Hosted electoral management system with supplier support; business continuity plan tested annually', inherent: [3, 4], residual: [2, 3], target: [1, 3] },
		{ ref: 'ES-R3', title: 'Loss of accommodation', owner: 'Electoral Services Manager', controls: 'Alternative count and office venues identified; remote working', inherent: [2, 3], residual: [1, 3], target: [1, 3] },
		{ ref: 'ES-R4', title: 'Fraudulent activity', owner: 'Electoral Registration Officer', controls: 'Identity verification against DWP data; postal vote identifier checks; police liaison', inherent: [3, 2], residual: [2, 1], target: [1, 1] },
		{ ref: 'ES-R5', title: 'Failure to provide statutory elections or referenda', owner: 'Returning Officer', controls: 'Election project plan; Electoral Commission performance standards; experienced staff', inherent: [2, 4], residual: [1, 3], target: [1, 3] },
		{ ref: 'ES-R6', title: 'Single point of failure: Electoral Services Manager', owner: 'Returning Officer', controls: 'Electoral Services Officers developed for progression; specialist consultant as fallback', inherent: [3, 3], residual: [2, 3], target: [1, 3] },
		{ ref: 'ES-R7', title: 'Single point of failure: Electoral Services Officer', owner: 'Electoral Services Manager', controls: 'Wider team trained in basic registration and polling tasks', inherent: [3, 2], residual: [2, 2], target: [1, 2] },
		{ ref: 'ES-R8', title: 'Damage to reputation from poor customer service', owner: 'Electoral Services Manager', controls: 'Published service standards; customer survey on every reply; complaints reviewed monthly ("you said, we did")', inherent: [3, 2], residual: [2, 2], target: [1, 2] }
	] as const;
	// Residual scores in the quarters where they moved: staffing worsened before the 2025 and
	// 2026 elections; the ICT risk rose while the electoral management system was migrated.
	const movements: Record<string, Record<string, readonly [number, number]>> = {
		'ES-R1': { '2024/25-Q4': [3, 2], '2025/26-Q1': [3, 2], '2025/26-Q4': [3, 3], '2026/27-Q1': [3, 2] },
		'ES-R2': { '2025/26-Q3': [3, 3] }
	};
	const today = fromEpochDay(localEpochDay(asOf.getTime()));
	// Each quarter is reviewed at the Management Board ten days after it ends.
	const reviewed = quartersBetween(from, today)
		.map((q) => ({ q, reviewedOn: addCalendarDays(q.end, 10) }))
		.filter(({ reviewedOn }) => reviewedOn <= today);
	for (const risk of register) {
		const history = reviewed.map(({ q, reviewedOn }) => {
			const [likelihood, impact] = movements[risk.ref]?.[q.label] ?? risk.residual;
			return { financialYear: q.startYear, quarter: q.quarter, likelihood, impact, reviewedOn, reviewedBy: risk.owner };
		});
		const latest = history.at(-1);
		const [row] = await tx
			.insert(schema.risks)
			.values({
				organisationId: borough.id,
				serviceId,
				ref: risk.ref,
				title: risk.title,
				owner: risk.owner,
				controls: risk.controls,
				inherentLikelihood: risk.inherent[0],
				inherentImpact: risk.inherent[1],
				residualLikelihood: latest?.likelihood ?? risk.residual[0],
				residualImpact: latest?.impact ?? risk.residual[1],
				targetLikelihood: risk.target[0],
				targetImpact: risk.target[1],
				lastReviewedOn: latest?.reviewedOn ?? null
			})
			.returning({ id: schema.risks.id });
		if (history.length) {
			await tx.insert(schema.riskReviews).values(history.map((review) => ({ organisationId: borough.id, riskId: row!.id, ...review })));
		}
	}
}
