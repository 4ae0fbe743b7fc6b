import { createHash } from 'node:crypto';
import { calendarFor, nonWorkingStartIsNextWorkingDay, type OrganisationCalendar, type VersionRules } from '../../engine/clock.ts';

/**
 * Everything a stored verdict depends on besides the contact: the version, its rule and clock,
 * the calendar (bank holiday data version, closure days, proclaimed holidays) and the setting.
 * `<version id>:<hash>`; when it differs from the stored one the assessment is stale.
 */
export function fingerprint(versionId: number, rules: VersionRules, organisation: OrganisationCalendar): string {
	const calendar = calendarFor(rules, organisation);
	const hash = createHash('sha1')
		.update(JSON.stringify([rules.rule, rules.clockStart, rules.restartable, calendar.fingerprint, nonWorkingStartIsNextWorkingDay(rules, organisation)]))
		.digest('base64url')
		.slice(0, 12);
	return `${versionId}:${hash}`;
}
