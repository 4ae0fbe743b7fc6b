/**
 * Demo mode: a database the app filled with the made-up councils has one person per role, whose
 * credentials the sign-in page shows. A real installation (no demo) never shows any.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import * as audit from '../audit/record.ts';
import { appSettings, roles, type Role } from '../db/schema/auth.ts';
import * as people from './users.ts';

export interface DemoUser {
	role: Role;
	name: string;
	email: string;
	password: string;
	teamCodes: string[];
	/** What this person may see, for the sign-in page. */
	description: string;
}

export const demoUsers: DemoUser[] = [
	{ role: 'admin', name: 'Ada Admin', email: 'admin@demo.yardstick.example', password: 'demo-admin-password', teamCodes: [], description: 'everything, including users, standards and calendars' },
	{ role: 'manager', name: 'Morgan Manager', email: 'manager@demo.yardstick.example', password: 'demo-manager-password', teamCodes: [], description: 'every dashboard, case, report and risk' },
	{
		role: 'team-lead',
		name: 'Tamsin Lead',
		email: 'team-lead@demo.yardstick.example',
		password: 'demo-team-lead-password',
		teamCodes: ['county/cc-correspondence', 'county/cc-complaints'],
		description: 'every dashboard; the cases and alerts of Correspondence and Complaints (county)'
	},
	{
		role: 'officer',
		name: 'Owen Officer',
		email: 'officer@demo.yardstick.example',
		password: 'demo-officer-password',
		teamCodes: ['county/cc-correspondence'],
		description: 'the cases of Correspondence (county) and due-date look-ups'
	},
	{ role: 'committee', name: 'Cora Councillor', email: 'committee@demo.yardstick.example', password: 'demo-committee-password', teamCodes: [], description: 'aggregate dashboards and published reports, no personal data' }
];

if (demoUsers.map((u) => u.role).join() !== roles.join()) throw new Error('demoUsers must list one person per role, in role order');

/** Adds the demo people and marks the database as a demo (inside the seed's transaction). */
export async function seedDemoUsers(db: Database): Promise<void> {
	for (const user of demoUsers) {
		await people.create(db, { email: user.email, name: user.name, role: user.role, teamCodes: user.teamCodes, password: user.password }, audit.systemActor('seed'));
	}
	await db.insert(appSettings).values({ key: 'demo', value: 'true' }).onConflictDoUpdate({ target: appSettings.key, set: { value: 'true', updatedAt: new Date() } });
}

/** Whether this database holds the demo (and its demo users). */
export async function isDemo(db: Database): Promise<boolean> {
	const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, 'demo'));
	return row?.value === 'true';
}
