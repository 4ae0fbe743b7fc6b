import { localDate } from '$lib/engine/dates.ts';
import { periodChoices } from '$lib/engine/reporting-period.ts';
import * as scope from '$lib/server/directory/scope.ts';
import * as alerts from '$lib/server/alerts/index.ts';
import { can, type Permission } from '$lib/server/auth/access.ts';
import { cached } from '$lib/server/dashboard/cache.ts';
import { checklist } from '$lib/server/setup/checklist.ts';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const today = localDate(new Date());
	// Nothing about the councils for someone not signed in (the sign-in page).
	const viewer = locals.user;
	if (!viewer) return { viewer, sections: [] as Permission[], filterScope: { organisations: [] }, periods: periodChoices(today, today) };
	// A one-time password to change first: no sections to offer (they would only lead back here).
	if (viewer.mustChangePassword) return { viewer, sections: [] as Permission[], filterScope: { organisations: [] }, periods: periodChoices(today, today), openAlerts: 0 };
	const db = locals.db;
	// The same for every page until something is written (see dashboard/cache.ts).
	const [filterScope, earliest, openAlerts, setUp] = await cached(db, `layout:${viewer.id}`, () =>
		Promise.all([
			scope.filterScope(db, viewer),
			scope.earliestContactDate(db),
			can(viewer, 'alerts') ? alerts.countOpen(db, viewer) : 0,
			// Admins are told until the installation is ready (the first-run checklist on /admin).
			can(viewer, 'administer') ? checklist(db).then((c) => c.ready) : true
		])
	);
	return { viewer, sections: navigable.filter((permission) => can(viewer, permission)), filterScope, periods: periodChoices(today, earliest ?? today), openAlerts, setUp };
}) satisfies LayoutServerLoad;

/** The permissions the navigation's sections need; the layout shows a section only when its permission is here. */
const navigable: Permission[] = ['aggregates', 'alerts', 'cases', 'dueDates', 'reports', 'import', 'administer'];
