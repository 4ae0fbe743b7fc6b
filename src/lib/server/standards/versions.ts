/**
 * The standards catalogue as an admin edits it: every organisation's standards with their
 * effective-dated versions. A change is a new version (what-if.ts publish), never an edit.
 *
 *   import * as standardVersions from '$lib/server/standards/versions.ts';
 */
import { sql } from 'drizzle-orm';
import { limitOf, limitUnit } from '../../engine/limits.ts';
import { describeRule, parseRule } from '../../engine/rules.ts';
import { rows, type Database } from '../db/client.ts';

export interface VersionSummary {
	version: number;
	effectiveFrom: string;
	effectiveTo: string | null;
	rule: string;
	limit: number | null;
	limitUnit: string;
	targetPercent: number;
	wording: string;
	calendar: string;
	appliesClosures: boolean;
	createdBy: string | null;
}

export interface StandardSummary {
	id: number;
	code: string;
	/** The council's own reference in reports ('CS01'), or null. */
	ref: string | null;
	title: string;
	statutory: boolean;
	organisation: { code: string; name: string };
	/** Newest first. */
	versions: VersionSummary[];
}

export async function list(db: Database, code?: string): Promise<StandardSummary[]> {
	const found = await rows<Record<string, unknown>>(
		db,
		sql`select s.id, s.code, s.ref, s.title, s.statutory, o.code as organisation_code, o.name as organisation_name,
				v.version, v.effective_from::text as effective_from, v.effective_to::text as effective_to, v.rule, v.compliance_percent::float8 as target,
				v.wording, v.calendar_code, v.applies_closures, v.created_by
			from standards s join organisations o on o.id = s.organisation_id join standard_versions v on v.standard_id = s.id
			${code ? sql`where s.code = ${code}` : sql``}
			order by s.code, o.code, v.effective_from desc`
	);
	const byId = new Map<number, StandardSummary>();
	for (const r of found) {
		const id = Number(r.id);
		let standard = byId.get(id);
		if (!standard) {
			standard = {
				id,
				code: String(r.code),
				ref: r.ref === null || r.ref === undefined ? null : String(r.ref),
				title: String(r.title),
				statutory: Boolean(r.statutory),
				organisation: { code: String(r.organisation_code), name: String(r.organisation_name) },
				versions: []
			};
			byId.set(id, standard);
		}
		const rule = parseRule(typeof r.rule === 'string' ? JSON.parse(r.rule) : r.rule);
		standard.versions.push({
			version: Number(r.version),
			effectiveFrom: String(r.effective_from),
			effectiveTo: r.effective_to === null ? null : String(r.effective_to),
			rule: describeRule(rule),
			limit: limitOf(rule),
			limitUnit: limitUnit(rule),
			targetPercent: Number(r.target),
			wording: String(r.wording),
			calendar: String(r.calendar_code),
			appliesClosures: Boolean(r.applies_closures),
			createdBy: r.created_by === null ? null : String(r.created_by)
		});
	}
	return [...byId.values()];
}
