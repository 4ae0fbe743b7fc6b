/**
 * Who may do what. Every route id in the app has exactly one rule here; the server hook refuses a
 * request whose route has no rule (fail closed), and the authorization matrix test requests every
 * route as every role. Links are hidden as a courtesy, never as the control.
 */
import type { Role } from '../db/schema/auth.ts';

export type { Role };

/** What a signed-in person is, as the server hooks put it on `locals.user`. */
export interface Viewer {
	id: string;
	name: string;
	email: string;
	role: Role;
	/** Null: every organisation (admins and managers of a shared service). */
	organisationId: number | null;
	/** Teams the person belongs to or leads; case-level queries for team leads and officers are limited to these. */
	teamIds: number[];
	/** An admin reset their password: every page but /account/password is closed to them until they set their own. */
	mustChangePassword?: boolean;
}

export const permissions = {
	/** Aggregate dashboards: overview, standards, phone, indicators, duties, risks (no personal data). */
	aggregates: ['admin', 'manager', 'team-lead', 'committee'],
	/** Reports: board and committee reports (a committee viewer sees committee reports only). */
	reports: ['admin', 'manager', 'team-lead', 'committee'],
	/** Publish (freeze) a report. */
	publishReports: ['admin', 'manager'],
	/** Case-level pages: contacts and their assessments (team leads and officers: their teams only). */
	cases: ['admin', 'manager', 'team-lead', 'officer'],
	/** The breach-alert queue and its actions (team leads: their teams only). */
	alerts: ['admin', 'manager', 'team-lead'],
	/** Uploading a case log. */
	import: ['admin', 'manager', 'team-lead'],
	/** When is this due, and why. */
	dueDates: ['admin', 'manager', 'team-lead', 'officer'],
	/** Commentary, risk reviews and decisions on suggested likelihoods, indicator targets. */
	manage: ['admin', 'manager'],
	/** What-if on a standard (nothing saved). */
	whatIf: ['admin', 'manager'],
	/** Users, API keys, organisations, services, teams, standards, calendars, the audit log. */
	administer: ['admin']
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(viewer: Pick<Viewer, 'role'> | null | undefined, permission: Permission): boolean {
	return !!viewer && (permissions[permission] as readonly Role[]).includes(viewer.role);
}

/**
 * Whose cases a viewer may see (and, importing, create or change): an organisation-bound viewer
 * (`organisationId` set: their teams are all in one organisation) only that organisation's; admins
 * and managers every team of it (or of every organisation when not bound), team leads and officers
 * only their teams. A contact with no team is seen only by those who see all teams.
 */
export interface CaseScope {
	/** Null: every organisation. */
	organisationId: number | null;
	/** 'all': every team of the organisation(s), and contacts with no team; otherwise these ids (possibly none). */
	teams: 'all' | readonly number[];
}

/** The one source of every case query's scope (case log, one contact, breaches, alerts, imports). */
export function caseScope(viewer: Pick<Viewer, 'role' | 'teamIds' | 'organisationId'>): CaseScope {
	const teams = viewer.role === 'admin' || viewer.role === 'manager' ? 'all' : can(viewer, 'cases') || can(viewer, 'alerts') ? [...viewer.teamIds] : [];
	return { organisationId: viewer.organisationId, teams };
}

/**
 * The rule for each SvelteKit route id (`event.route.id`): 'public' (no sign-in), 'signed-in'
 * (any role), or a permission. Pages and their form actions share a rule; an action that needs
 * more checks `can()` itself. Add a line here with every new route.
 */
export const routeRules: Record<string, 'public' | 'signed-in' | Permission> = {
	'/health': 'public',
	'/sign-in': 'public',
	'/sign-in/oidc': 'public',
	// Signing out needs no rule beyond SvelteKit's origin check on form posts.
	'/sign-out': 'public',
	// The page a refused request is shown (hooks.server.ts fetches it under the refusal's status).
	'/refused': 'public',
	// The customer survey a council's reply links to: no sign-in; the signed, single-use token in the link is the key (rate-limited; src/lib/server/feedback/survey.ts).
	'/survey/[token=survey]': 'public',
	// better-auth's own endpoints, for the identity provider's callback only (see its +server.ts).
	'/api/auth/[...path]': 'public',
	'/admin': 'administer',
	'/admin/users': 'administer',
	'/admin/users/[id]': 'administer',
	'/admin/api-keys': 'administer',
	'/admin/organisations': 'administer',
	'/admin/audit': 'administer',
	// Any signed-in person sets their own password here; after an admin's reset it is the only page they may open.
	'/account/password': 'signed-in',
	// Removing an import batch and the contacts it created (confirmation page and its action): managers and admins.
	'/import/batches/[id=id]/remove': 'manage',
	'/admin/queues': 'administer',
	'/': 'aggregates',
	'/standards': 'aggregates',
	'/standards/[code]': 'aggregates',
	'/phone': 'aggregates',
	'/phone/staffing': 'aggregates',
	// Indicators, duties and risks; their form actions (commentary, targets, reviews, decisions) also check 'manage'.
	'/indicators': 'aggregates',
	'/duties': 'aggregates',
	'/risks': 'aggregates',
	// Customer feedback: aggregates for everyone who sees dashboards; free text for managers, admins and team leads (their teams'), checked in the load; its actions also check 'manage'.
	'/feedback': 'aggregates',
	// What-if on a standard; its publish action also checks 'administer'.
	'/standards/[code]/what-if': 'whatIf',
	'/admin/standards': 'administer',
	'/admin/standards/[code]': 'administer',
	// Adopting a catalogue standard and defining a council's own (?organisation=…).
	'/admin/standards/adopt': 'administer',
	'/admin/standards/new': 'administer',
	'/admin/calendars': 'administer',
	'/admin/rescore/[token=token]': 'administer',
	'/admin/rescore/[token=token]/progress': 'administer',
	'/contacts': 'cases',
	'/contacts/[id=id]': 'cases',
	// The breach-alert queue, its live stream and its actions (acknowledge, assign, note).
	'/alerts': 'alerts',
	'/alerts/stream': 'alerts',
	'/import': 'import',
	'/import/[token=token]': 'import',
	'/import/[token=token]/progress': 'import',
	'/import/batches/[id=id]/rejections.csv': 'import',
	// Import mappings: making one from an upload, listing, changing and removing them.
	'/import/[token=token]/mapping': 'manage',
	'/import/mappings': 'manage',
	'/import/mappings/[name]': 'manage',
	'/due': 'dueDates',
	// Reports: publishing also checks 'publishReports'; committee viewers get published committee reports only (checked in the load).
	'/reports': 'reports',
	'/reports/report.css': 'reports',
	'/reports/[organisation]/[kind]/[quarter]': 'reports',
	'/reports/[organisation]/[kind]/[quarter]/[file]': 'reports',
	// The import API authenticates with an API key (Authorization: Bearer), not a session.
	'/api/v1/contacts': 'public',
	'/api/v1/canvass': 'public',
	'/api/v1/register-changes': 'public'
};
