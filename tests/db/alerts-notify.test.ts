import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as alerts from '../../src/lib/server/alerts/index.ts';
import type { NotifyConfig } from '../../src/lib/server/alerts/notify-config.ts';
import * as assessments from '../../src/lib/server/assessments/index.ts';
import { rows, type Database, type DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import { seedReference, type Reference } from '../../src/lib/server/seed/reference.ts';
import { engines } from '../support/databases.ts';
import { instant } from '../../src/lib/server/alerts/sql.ts';

interface Mail {
	from: string;
	to: string[];
	subject: string;
	raw: string;
}

/** A local SMTP server on 127.0.0.1 that keeps what it is sent (or refuses it while `refusing`). */
function mailbox() {
	const received: Mail[] = [];
	const state = { refusing: false };
	const server = new SMTPServer({
		disabledCommands: ['STARTTLS', 'AUTH'],
		authOptional: true,
		logger: false,
		onRcptTo(_address, _session, callback) {
			callback(state.refusing ? Object.assign(new Error('Mailbox unavailable, try later'), { responseCode: 451 }) : undefined);
		},
		onData(stream, session, callback) {
			let raw = '';
			stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
			stream.on('end', () => {
				const unfolded = raw.replace(/\r\n[ \t]+/g, ' ');
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address).sort(),
					subject: /^Subject: (.*)$/m.exec(unfolded)?.[1]?.trim() ?? '',
					raw
				});
				callback();
			});
		}
	});
	return { server, received, state };
}

const at = (iso: string) => new Date(iso);

describe.each(engines)('alert notifications on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let reference: Reference;
	let smtp: ReturnType<typeof mailbox>;
	let config: NotifyConfig;
	let webhook: Server;
	const posts: { body: Record<string, unknown> }[] = [];
	const webhookState = { failNext: 0 };

	beforeAll(async () => {
		smtp = mailbox();
		await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
		webhook = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk));
			request.on('end', () => {
				if (webhookState.failNext > 0) {
					webhookState.failNext--;
					response.writeHead(502).end();
					return;
				}
				posts.push({ body: JSON.parse(body) as Record<string, unknown> });
				response.writeHead(202).end();
			});
		});
		await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
		await new Promise<void>((resolve) => webhook.close(() => resolve()));
	});

	beforeEach(async () => {
		smtp.received.length = 0;
		smtp.state.refusing = false;
		posts.length = 0;
		const port = (smtp.server.server.address() as AddressInfo).port;
		config = { smtp: { host: '127.0.0.1', port, secure: false }, from: 'Yardstick <alerts@council.example>', publicUrl: 'https://yardstick.council.example', teamsWebhookUrl: null };
		database = await engine.open();
		db = database.db;
		reference = await seedReference(db, { from: '2024-04-01', asOf: new Date('2026-03-01T12:00:00Z') });
		const county = reference.organisation('county');
		const people: [string, schema.Role, string[]][] = [
			['lead-one', 'team-lead', ['cc-information', 'cc-correspondence']],
			['lead-two', 'team-lead', ['cc-correspondence']],
			['officer', 'officer', ['cc-information']]
		];
		for (const [id, role, teams] of people) {
			await db.insert(schema.users).values({ id, name: id, email: `${id}@council.example`, role, organisationId: county.id });
			for (const team of teams) await db.insert(schema.userTeams).values({ userId: id, teamId: county.team(team) });
		}
		// Tuesday 27 January 2026: FOI-1 breached on Fri 23 Jan; EM-1 (Correspondence) and LE-1 (Information
		// Governance) reached their warning level at midnight.
		const contacts: [string, string, string, string][] = [
			['FOI-1', 'foi', 'cc-information', '2025-12-19T16:10:00Z'],
			['EM-1', 'email', 'cc-correspondence', '2026-01-22T10:00:00Z'],
			['LE-1', 'letter', 'cc-information', '2026-01-15T10:00:00Z']
		];
		const inserted = await db
			.insert(schema.contacts)
			.values(contacts.map(([ref, type, team, received]) => ({ organisationId: county.id, serviceId: county.service('customer'), teamId: county.team(team), contactType: type as 'foi', source: 'test', externalRef: ref, receivedAt: at(received) })))
			.returning({ id: schema.contacts.id });
		await assessments.scoreContacts(db, inserted.map((c) => c.id));
	});
	afterEach(() => database.dispose());

	it('emails a statutory breach at once to the leads of its team only, and the digest of warnings at 08:00 grouped by team', async () => {
		const early = at('2026-01-27T07:30:00Z');
		await alerts.evaluate(db, { now: early });
		expect(await alerts.notify.enqueue(db, early, config)).toBe(1); // the FOI breach; no digest before 08:00
		expect(await alerts.notify.deliver(db, config, early)).toEqual({ sent: 1, failed: 0 });
		expect(smtp.received.map((m) => [m.to, m.subject])).toEqual([
			[['lead-one@council.example'], 'Statutory deadline missed: FOI-1 (Freedom of Information requests), Information Governance']
		]);
		expect(smtp.received[0]!.from).toBe('alerts@council.example');
		expect(smtp.received[0]!.raw).toContain('https://yardstick.council.example/alerts?team=');

		const eight = at('2026-01-27T08:00:00Z');
		await alerts.evaluate(db, { now: eight });
		expect(await alerts.notify.enqueue(db, eight, config)).toBe(2);
		expect(await alerts.notify.enqueue(db, at('2026-01-27T08:01:00Z'), config)).toBe(0); // once a day
		await alerts.notify.deliver(db, config, eight);
		const digests = smtp.received.slice(1).sort((a, b) => a.to[0]!.localeCompare(b.to[0]!));
		expect(digests.map((m) => [m.to, m.subject])).toEqual([
			[['lead-one@council.example'], 'At risk today: 2 contacts in 2 teams (Tuesday 27 January 2026)'],
			[['lead-two@council.example'], 'At risk today: 1 contact in 1 team (Tuesday 27 January 2026)']
		]);
		const text = digests[0]!.raw.replace(/=\r\n/g, '');
		const correspondence = text.indexOf('Correspondence (1)');
		const information = text.indexOf('Information Governance (1)');
		expect(correspondence).toBeGreaterThan(-1);
		expect(information).toBeGreaterThan(correspondence);
		expect(text.slice(correspondence, information)).toContain('EM-1');
		expect(text.slice(information)).toContain('LE-1');
		expect(text).not.toContain('FOI-1'); // breached: it had its own message
	});

	it('sends no digest on a weekend or bank holiday, and nothing at all without SMTP or a webhook', async () => {
		const saturday = at('2026-01-31T09:00:00Z');
		await alerts.evaluate(db, { now: saturday });
		const off: NotifyConfig = { ...config, smtp: null, teamsWebhookUrl: null };
		expect(await alerts.notify.enqueue(db, saturday, off)).toBe(0);
		expect(await alerts.notify.deliver(db, off, saturday)).toEqual({ sent: 0, failed: 0 });
		expect(await rows(db, sql`select * from alert_outbox`)).toEqual([]);
		expect(alerts.notify.describe(off).messages[0]).toBe('Email alerts are off: SMTP is not configured (set YARDSTICK_SMTP_URL or SMTP_HOST).');
		// With SMTP: the breach goes, but no Saturday digest.
		expect(await alerts.notify.enqueue(db, saturday, config)).toBe(1);
	});

	it('retries a failed send with back-off, never losing it, and posts to a Teams webhook', async () => {
		const now = at('2026-01-27T07:30:00Z');
		config = { ...config, teamsWebhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhook` };
		await alerts.evaluate(db, { now });
		smtp.state.refusing = true;
		webhookState.failNext = 1;
		expect(await alerts.notify.enqueue(db, now, config)).toBe(2);
		expect(await alerts.notify.deliver(db, config, now)).toEqual({ sent: 0, failed: 2 });
		const [pending] = await rows<{ attempts: number; wait_s: number; last_error: string }>(
			db,
			sql`select attempts, extract(epoch from next_attempt_at - ${instant(now)})::int as wait_s, last_error from alert_outbox where channel = 'email'`
		);
		expect(pending).toMatchObject({ attempts: 1, wait_s: 60 });
		expect(pending!.last_error).toMatch(/451|try later/i);

		smtp.state.refusing = false;
		expect(await alerts.notify.deliver(db, config, at('2026-01-27T07:30:30Z'))).toEqual({ sent: 0, failed: 0 }); // not yet
		expect(await alerts.notify.deliver(db, config, at('2026-01-27T07:31:00Z'))).toEqual({ sent: 2, failed: 0 });
		expect(smtp.received).toHaveLength(1);
		const card = posts[0]!.body as { type: string; attachments: { content: { body: { text: string }[]; actions: { url: string }[] } }[] };
		expect(card.type).toBe('message');
		expect(card.attachments[0]!.content.body[0]!.text).toBe('Statutory deadline missed: FOI-1 (Freedom of Information requests), Information Governance');
		expect(card.attachments[0]!.content.actions[0]!.url).toMatch(/^https:\/\/yardstick\.council\.example\/alerts\?team=\d+$/);
	});
});
