import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as apiKeys from '../../src/lib/server/auth/api-keys.ts';
import { caseScope, type Viewer } from '../../src/lib/server/auth/access.ts';
import * as people from '../../src/lib/server/auth/users.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import * as auditLog from '../../src/lib/server/audit/log.ts';
import * as audit from '../../src/lib/server/audit/record.ts';
import * as caseLog from '../../src/lib/server/cases/case-log.ts';
import * as contactPage from '../../src/lib/server/cases/contact.ts';
import { openDatabase, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import { createScratchDatabase } from '../../src/lib/server/db/scratch.ts';
import { apiKeys as apiKeysTable, teams, users } from '../../src/lib/server/db/schema/index.ts';
import * as organisations from '../../src/lib/server/directory/organisations.ts';
import * as scope from '../../src/lib/server/directory/scope.ts';
import { seed } from '../../src/lib/server/seed/index.ts';
import { engines } from '../support/databases.ts';
import { yardstick } from '../unit/cli/run.ts';

const now = new Date('2026-11-24T12:00:00Z');

describe.each(engines)('roles in the queries, API keys and administration on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	const viewers = {} as Record<string, Viewer>;

	beforeAll(async () => {
		database = await engine.open();
		db = database.db;
		await seed(db, { asOf: now, contacts: 3000, properties: 300 });
		await assessments.scoreAll(db);
		for (const user of await people.list(db)) viewers[user.role] = (await people.viewer(db, user.id))!;
	});
	afterAll(() => database?.dispose());

	const request = (key: string) => new Request('http://127.0.0.1/api/v1/contacts', { method: 'POST', headers: { authorization: `Bearer ${key}` } });

	it('shows a team lead and an officer only their teams’ cases, filtered in the query, and a committee viewer none', async () => {
		const filterScope = await scope.filterScope(db, { organisationId: null });
		const [correspondence] = await db.select({ id: teams.id }).from(teams).where(eq(teams.code, 'cc-correspondence'));
		const log = async (viewer: Viewer, params = 'period=2025/26') => {
			const found = await caseLog.caseLog(db, new URLSearchParams(params), filterScope, caseScope(viewer), now);
			if ('errors' in found) throw new Error(JSON.stringify(found.errors));
			return found.rows;
		};
		expect(new Set((await log(viewers.officer!)).map((row) => row.team))).toEqual(new Set(['Correspondence']));
		expect(new Set((await log(viewers['team-lead']!)).map((row) => row.team))).toEqual(new Set(['Correspondence', 'Complaints and Feedback']));
		// Asking for another team's cases finds none rather than leaking them.
		expect(await log(viewers.officer!, 'period=2025/26&team=csc-enquiries')).toEqual([]);
		expect(await log(viewers.committee!)).toEqual([]);
		const all = await log(viewers.manager!);
		expect(new Set(all.map((row) => row.team)).size).toBeGreaterThan(2);

		const elsewhere = all.find((row) => row.team !== 'Correspondence' && row.team !== 'Complaints and Feedback')!;
		const own = (await log(viewers.officer!))[0]!;
		expect(await contactPage.contact(db, elsewhere.contactId, caseScope(viewers.officer!), now)).toBeNull();
		expect(await contactPage.contact(db, elsewhere.contactId, caseScope(viewers.committee!), now)).toBeNull();
		expect(await contactPage.contact(db, own.contactId, caseScope(viewers.committee!), now)).toBeNull();
		expect((await contactPage.contact(db, own.contactId, caseScope(viewers.officer!), now))?.reference).toBe(own.reference);
		expect((await contactPage.contact(db, elsewhere.contactId, caseScope(viewers.admin!), now))?.reference).toBe(elsewhere.reference);
		expect(correspondence).toBeDefined();
	});

	it('accepts a key with the import scope, notes when it was used, and refuses it once revoked', async () => {
		const admin = audit.actorOf(viewers.admin!);
		const made = await apiKeys.create(db, { name: 'CRM', organisationId: viewers['team-lead']!.organisationId!, scopes: ['import'] }, admin);
		expect(made.key).toMatch(/^ys_[\w-]{43}$/);
		const [stored] = await db.select().from(apiKeysTable).where(eq(apiKeysTable.id, made.id));
		expect(stored!.hash).not.toContain(made.key);
		expect(stored!.lastUsedAt).toBeNull();
		expect(await apiKeys.authorise(db, request(made.key), 'import', undefined)).toMatchObject({ actor: 'api:CRM', keyId: made.id });
		const [used] = await db.select().from(apiKeysTable).where(eq(apiKeysTable.id, made.id));
		expect(used!.lastUsedAt).toBeInstanceOf(Date);

		expect(await apiKeys.authorise(db, request('ys_not-a-key'), 'import', undefined)).toBeNull();
		expect(await apiKeys.authorise(db, request(''), 'import', undefined)).toBeNull();
		expect(await apiKeys.revoke(db, made.id, admin)).toBe(true);
		expect(await apiKeys.authorise(db, request(made.key), 'import', undefined)).toBeNull();
		expect(await apiKeys.revoke(db, made.id, admin)).toBe(false);

		// The key set by environment still works alongside.
		expect(await apiKeys.authorise(db, request('env-secret'), 'import', 'env-secret')).toMatchObject({ actor: 'api:env-key' });
		const { rows } = await auditLog.page(db, { entity: 'api_key', actor: null, before: null });
		expect(rows.map((r) => r.action)).toEqual(['revoke', 'create']);
		expect(JSON.stringify(rows)).not.toContain(made.key);
		expect(rows[0]).toMatchObject({ actor: viewers.admin!.email, before: { revokedAt: null }, after: { revokedAt: expect.any(String) } });
	});

	it('adds organisations, services and teams with the change audited, and says so plainly about a duplicate code', async () => {
		const admin = audit.actorOf(viewers.admin!);
		const organisationId = await organisations.addOrganisation(db, { code: 'Town', name: 'Ashby Town Council' }, admin);
		const serviceId = await organisations.addService(db, { organisationId, code: 'customer', name: 'Customer Services' }, admin);
		const teamId = await organisations.addTeam(db, { serviceId, code: 'front-desk', name: 'Front Desk' }, admin);
		await expect(organisations.addTeam(db, { serviceId, code: 'front-desk', name: 'Again' }, admin)).rejects.toThrow(/already has a team with the code front-desk/);
		await organisations.setTeamActive(db, teamId, false, admin);
		const town = (await organisations.tree(db)).find((o) => o.code === 'town')!;
		expect(town.services[0]!.teams).toEqual([{ id: teamId, code: 'front-desk', name: 'Front Desk', active: false }]);
		const { rows } = await auditLog.page(db, { entity: null, actor: 'admin@', before: null });
		expect(rows.slice(0, 4).map((r) => `${r.action} ${r.entity}`)).toEqual(['deactivate team', 'create team', 'create service', 'create organisation']);
		// Who did it is shown by name, beside the address recorded.
		expect(rows[0]).toMatchObject({ actorName: viewers.admin!.name, actor: viewers.admin!.email });
	});

	it('names the people in the audit log instead of their ids: who changed something, and whom it changed', async () => {
		const admin = audit.actorOf(viewers.admin!);
		const { id } = (await people.create(db, { email: 'new.officer@example.gov.uk', name: 'Nia Officer', role: 'officer' }, admin)).user;
		const { rows, people: named } = await auditLog.page(db, { entity: 'user', actor: null, before: null });
		const created = rows.find((row) => row.entityId === id)!;
		expect(created.actorName).toBe(viewers.admin!.name);
		expect(named[id]).toBe('Nia Officer');
	});

	it('refuses a user with an email already taken, an unknown team or a short password', async () => {
		const admin = audit.actorOf(viewers.admin!);
		await expect(people.create(db, { email: 'MANAGER@demo.yardstick.example', role: 'manager' }, admin)).rejects.toThrow(/already a user/);
		await expect(people.create(db, { email: 'x@example.gov.uk', role: 'officer', teamCodes: ['nowhere'] }, admin)).rejects.toThrow(/no team 'nowhere'/);
		expect(() => people.newUser.parse({ email: 'x@example.gov.uk', role: 'officer', password: 'short' })).toThrow(/at least 12 characters/);
		expect(await db.select().from(users).where(eq(users.email, 'x@example.gov.uk'))).toEqual([]);
	});
});

describe('yardstick user add', () => {
	const targets: { name: string; setUp(): Promise<{ env: Record<string, string | undefined>; tearDown(): Promise<void> }> }[] = [
		{
			name: 'PGlite',
			setUp: async () => {
				const dir = mkdtempSync(path.join(tmpdir(), 'yardstick-user-'));
				return { env: { DATABASE_URL: undefined, YARDSTICK_DATA_DIR: dir }, tearDown: async () => rmSync(dir, { recursive: true, force: true }) };
			}
		}
	];
	if (process.env.DATABASE_URL) {
		const url = process.env.DATABASE_URL;
		targets.push({
			name: 'PostgreSQL',
			setUp: async () => {
				const scratch = await createScratchDatabase(url, 'yardstick_user');
				return { env: { DATABASE_URL: scratch.url }, tearDown: () => scratch.drop() };
			}
		});
	}

	it.each(targets)('adds the first admin to an empty database on $name, printing a generated password once, audited', async (target) => {
		const { env, tearDown } = await target.setUp();
		try {
			const added = await yardstick(['user', 'add', '--email', 'First.Admin@Council.gov.uk', '--role', 'admin', '--name', 'First Admin'], env);
			expect(added.stderr).toBe('');
			expect(added.code).toBe(0);
			expect(added.stdout).toMatch(/^Added first\.admin@council\.gov\.uk \(First Admin\) as admin\.\nPassword: [a-z2-9]{5}(-[a-z2-9]{5}){3}\n/);
			const again = await yardstick(['user', 'add', '--email', 'first.admin@council.gov.uk', '--role', 'admin'], env);
			expect(again.code).toBe(1);
			expect(again.stderr).toMatch(/already a user/);
			const bad = await yardstick(['user', 'add', '--email', 'someone@council.gov.uk', '--role', 'boss'], env);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toMatch(/--role must be one of admin, manager, team-lead, officer, committee/);
			const chosen = await yardstick(['user', 'add', '--email', 'lead@council.gov.uk', '--role', 'team-lead', '--password', 'a-chosen-password'], env);
			expect(chosen.stdout).not.toMatch(/Password/);

			const handle = await openDatabase({ url: env.DATABASE_URL ?? '', dataDir: env.YARDSTICK_DATA_DIR });
			try {
				const entries = (await auditLog.page(handle.db, { entity: 'user', actor: null, before: null })).rows;
				expect(entries.map((e) => [e.actor.startsWith('cli:'), e.action])).toEqual([
					[true, 'create'],
					[true, 'create']
				]);
				expect(JSON.stringify(entries)).not.toMatch(/password/i);
			} finally {
				await handle.close();
			}
		} finally {
			await tearDown();
		}
	}, 120_000);
});
