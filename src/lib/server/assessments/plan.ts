import { asc, eq } from 'drizzle-orm';
import type { AssessableStandard } from '../../engine/assess.ts';
import type { CalendarCode } from '../../engine/calendar.ts';
import type { ClockStartRule } from '../../engine/catalogue.ts';
import { NO_ORGANISATION, calendarFor, ignoredClosuresFor, nonWorkingStartIsNextWorkingDay, versionEvents, type OrganisationCalendar, type VersionRules } from '../../engine/clock.ts';
import { toEpochDay } from '../../engine/dates.ts';
import { parseRule } from '../../engine/rules.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { fingerprint } from './fingerprint.ts';

/** A standard version ready to score with: its rules on its calendar, and its fingerprint. */
export interface PlannedVersion {
	id: number;
	standardId: number;
	organisationId: number;
	/** In force for clocks starting on local dates fromDay <= d < toDay (epoch days; toDay null: still in force). */
	fromDay: number;
	toDay: number | null;
	rules: VersionRules;
	standard: AssessableStandard;
	nonWorkingStartIsNextWorkingDay: boolean;
	fingerprint: string;
}

export interface PlannedStandard {
	id: number;
	organisationId: number;
	code: string;
	/** Service codes it applies to; null: every service of the organisation. */
	services: ReadonlySet<string> | null;
	contactTypes: ReadonlySet<string>;
	/** Newest first. */
	versions: PlannedVersion[];
}

/** Everything the job needs besides the contacts, loaded once per run (a few hundred rows). */
export interface ScoringPlan {
	versions: PlannedVersion[];
	standards: PlannedStandard[];
	/** The standards that apply to a contact of this organisation, service and type. */
	standardsFor(organisationId: number, serviceId: number, contactType: string): readonly PlannedStandard[];
}

/** Settings, closure days and proclaimed holidays of every organisation, by id. */
export async function loadOrganisationCalendars(db: Database): Promise<Map<number, OrganisationCalendar>> {
	const [organisations, closures, holidays] = await Promise.all([
		db.select({ id: schema.organisations.id, settings: schema.organisations.settings }).from(schema.organisations),
		db.select({ organisationId: schema.closureDays.organisationId, date: schema.closureDays.date }).from(schema.closureDays),
		db
			.select({ code: schema.calendars.code, date: schema.calendarHolidays.date })
			.from(schema.calendarHolidays)
			.innerJoin(schema.calendars, eq(schema.calendars.id, schema.calendarHolidays.calendarId))
	]);
	const proclaimed = new Map<string, string[]>();
	for (const { code, date } of holidays) proclaimed.set(code, [...(proclaimed.get(code) ?? []), date]);
	return new Map(
		organisations.map((organisation) => [
			organisation.id,
			{
				closures: closures.filter((c) => c.organisationId === organisation.id).map((c) => c.date),
				holidays: proclaimed,
				foiNonWorkingReceiptNextDay: organisation.settings?.foiNonWorkingReceiptNextDay === true
			}
		])
	);
}

/** The rules of a stored version, checked (a bad rule stops the job with the version named). */
export function versionRules(code: string, version: typeof schema.standardVersions.$inferSelect): VersionRules {
	let rule;
	try {
		rule = parseRule(version.rule);
	} catch (error) {
		throw new Error(`Standard ${code} version ${version.version}: ${(error as Error).message}`, { cause: error });
	}
	const clockStart = version.clockStart.replace('_', '-') as ClockStartRule;
	return {
		code,
		rule,
		calendarCode: version.calendarCode as CalendarCode,
		appliesClosures: version.appliesClosures,
		clockStart,
		restartable: version.restartable,
		atRiskShare: version.atRiskShare,
		events: versionEvents(code, { rule, clockStart, restartable: version.restartable })
	};
}

export async function loadPlan(db: Database): Promise<ScoringPlan> {
	const [calendars, services, standardRows, versionRows] = await Promise.all([
		loadOrganisationCalendars(db),
		db.select({ id: schema.services.id, code: schema.services.code }).from(schema.services),
		db.select().from(schema.standards),
		db.select().from(schema.standardVersions).orderBy(asc(schema.standardVersions.effectiveFrom))
	]);
	const serviceCodes = new Map(services.map((s) => [s.id, s.code]));
	const standards: PlannedStandard[] = standardRows.map((s) => ({
		id: s.id,
		organisationId: s.organisationId,
		code: s.code,
		services: s.serviceCodes.length ? new Set(s.serviceCodes) : null,
		contactTypes: new Set(s.contactTypes),
		versions: []
	}));
	const byId = new Map(standards.map((s) => [s.id, s]));
	const versions: PlannedVersion[] = [];
	for (const row of versionRows) {
		const standard = byId.get(row.standardId);
		if (!standard) continue;
		const organisation = calendars.get(row.organisationId) ?? NO_ORGANISATION;
		const rules = versionRules(standard.code, row);
		const version: PlannedVersion = {
			id: row.id,
			standardId: standard.id,
			organisationId: row.organisationId,
			fromDay: toEpochDay(row.effectiveFrom),
			toDay: row.effectiveTo === null ? null : toEpochDay(row.effectiveTo),
			rules,
			standard: {
				code: standard.code,
				rule: rules.rule,
				calendar: calendarFor(rules, organisation),
				atRiskShare: rules.atRiskShare,
				clockStart: rules.clockStart,
				restartable: rules.restartable,
				events: rules.events,
				ignoredClosures: ignoredClosuresFor(rules, organisation)
			},
			nonWorkingStartIsNextWorkingDay: nonWorkingStartIsNextWorkingDay(rules, organisation),
			fingerprint: fingerprint(row.id, rules, organisation)
		};
		standard.versions.unshift(version); // newest first
		versions.push(version);
	}

	const cache = new Map<string, PlannedStandard[]>();
	return {
		versions,
		standards,
		standardsFor(organisationId, serviceId, contactType) {
			const key = `${organisationId}:${serviceId}:${contactType}`;
			let found = cache.get(key);
			if (!found) {
				const service = serviceCodes.get(serviceId) ?? '';
				found = standards.filter(
					(s) => s.organisationId === organisationId && s.contactTypes.has(contactType) && (s.services === null || s.services.has(service))
				);
				cache.set(key, found);
			}
			return found;
		}
	};
}
