import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactType } from '../../src/lib/engine/catalogue.ts';
import * as audit from '../../src/lib/server/audit/record.ts';
import type { Database, DatabaseHandle } from '../../src/lib/server/db/client.ts';
import * as schema from '../../src/lib/server/db/schema/index.ts';
import * as directory from '../../src/lib/server/directory/organisations.ts';
import * as adoptionForms from '../../src/lib/server/standards/adoption-forms.ts';
import * as adoption from '../../src/lib/server/standards/adoption.ts';
import { engines } from '../support/databases.ts';

/**
 * A council that is not in the demo sets up its standards as an admin does on /admin/standards:
 * adopting a catalogue standard, defining its own for a contact type of its own, retiring one from
 * a date, each through the functions the pages call, re-scored after commit; and each refused at
 * the field it is about.
 */
const by = audit.systemActor('test-admin');

function formOf(fields: Record<string, string | string[]>): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(key, one);
	return form;
}

describe.each(engines)('standards set up from the admin pages on $name', (engine) => {
	let database: DatabaseHandle & { dispose(): Promise<void> };
	let db: Database;
	let organisationId: number;

	beforeEach(async () => {
		database = await engine.open();
		db = database.db;
		await directory.addOrganisation(db, { code: 'newtown', name: 'Newtown Borough Council' }, by);
		const [organisation] = await db.select().from(schema.organisations).where(eq(schema.organisations.code, 'newtown'));
		organisationId = organisation!.id;
		await directory.addService(db, { organisationId, code: 'customer', name: 'Customer services' }, by);
		await directory.addService(db, { organisationId, code: 'planning', name: 'Planning' }, by);
		await directory.addContactType(db, { organisationId, code: 'visit', name: 'Visit to the offices' }, by);
		const services = await db.select().from(schema.services).where(eq(schema.services.organisationId, organisationId));
		const service = (code: string) => services.find((s) => s.code === code)!.id;
		const contact = (ref: string, type: string, serviceCode: string, received: string, answered: string | null) => ({
			organisationId,
			serviceId: service(serviceCode),
			contactType: type as ContactType,
			source: 'test',
			externalRef: ref,
			receivedAt: new Date(received),
			firstResponseAt: answered ? new Date(answered) : null,
			status: answered ? ('responded' as const) : ('open' as const)
		});
		await db.insert(schema.contacts).values([
			// Tuesday 14 January 2025, answered the next day; Tuesday 10 June 2025, answered a fortnight later.
			contact('EM-1', 'email', 'customer', '2025-01-14T10:00:00Z', '2025-01-15T10:00:00Z'),
			contact('EM-2', 'email', 'customer', '2025-06-10T10:00:00Z', '2025-06-24T10:00:00Z'),
			contact('EM-3', 'email', 'planning', '2025-06-10T10:00:00Z', '2025-06-11T10:00:00Z'),
			contact('VI-1', 'visit', 'customer', '2025-03-04T10:00:00Z', '2025-03-05T10:00:00Z'),
			contact('VI-2', 'visit', 'planning', '2025-03-04T10:00:00Z', null)
		]);
	});
	afterEach(() => database.dispose());

	const standardOf = async (code: string) => {
		const [found] = await db.select().from(schema.standards).where(and(eq(schema.standards.organisationId, organisationId), eq(schema.standards.code, code)));
		return found;
	};
	const scored = async (code: string) => {
		const standard = await standardOf(code);
		if (!standard) return [];
		const found = await db
			.select({ ref: schema.contacts.externalRef, status: schema.assessments.status })
			.from(schema.assessments)
			.innerJoin(schema.contacts, eq(schema.contacts.id, schema.assessments.contactId))
			.where(eq(schema.assessments.standardId, standard.id));
		return found.sort((a, b) => a.ref.localeCompare(b.ref));
	};

	it('adopts a catalogue standard for one service, from a date, with its own target and tolerance, and scores its contacts', async () => {
		const outcome = await db.transaction((tx) =>
			adoption.adopt(tx as unknown as Database, by, { organisation: 'newtown', code: 'email.reply', services: ['customer'], from: '2025-01-01', target: 95, tolerance: 3 })
		);
		expect(outcome.changes).toEqual([expect.stringMatching(/^newtown: add standard email\.reply \(.*target 95%, from 2025-01-01; customer; email\)$/)]);
		const summary = await adoption.rescore(db, outcome);
		expect(summary.contacts).toBe(2);
		// The planning e-mail is out of scope; the June one took a fortnight.
		expect(await scored('email.reply')).toEqual([
			{ ref: 'EM-1', status: 'met' },
			{ ref: 'EM-2', status: 'breached' }
		]);
		const [version] = await db.select().from(schema.standardVersions).where(eq(schema.standardVersions.standardId, (await standardOf('email.reply'))!.id));
		expect({ from: version!.effectiveFrom, target: Number(version!.compliancePercent), tolerance: Number(version!.amberMarginPercent) }).toEqual({ from: '2025-01-01', target: 95, tolerance: 3 });
		const logged = await db.select().from(schema.auditLog).where(and(eq(schema.auditLog.entity, 'standard'), eq(schema.auditLog.action, 'create')));
		expect(logged.map((row) => row.actor)).toEqual(['test-admin']);
	});

	it("adopts through the admin form (the catalogue's contact types, every service, 1 April 2020), and refuses a target over 100% at its field", async () => {
		const refused = await adoptionForms.adopt(db, by, 'newtown', formOf({ code: 'email.reply', target: '150', 'from-day': '1', 'from-month': '4', 'from-year': '2020' }));
		expect(refused).toEqual({ errors: [{ field: 'target', message: 'The target must be between 0% and 100%' }], values: expect.objectContaining({ code: 'email.reply', target: '150' }) });
		expect(await standardOf('email.reply')).toBeUndefined();

		const badDate = await adoptionForms.adopt(db, by, 'newtown', formOf({ code: 'email.reply', 'from-day': '31', 'from-month': '2', 'from-year': '2025' }));
		expect('errors' in badDate && badDate.errors).toEqual([{ field: 'from', message: 'Enter a real date, for example 1 4 2020' }]);

		const done = await adoptionForms.adopt(db, by, 'newtown', formOf({ code: 'email.reply', 'from-day': '1', 'from-month': '4', 'from-year': '2020' }));
		if ('errors' in done) throw new Error(JSON.stringify(done.errors));
		expect(done.code).toBe('email.reply');
		await adoption.rescore(db, done.outcome);
		expect((await scored('email.reply')).map((a) => a.ref)).toEqual(['EM-1', 'EM-2', 'EM-3']);
		expect(await standardOf('email.reply')).toMatchObject({ serviceCodes: [], contactTypes: ['email'] });

		// Adopting it again from another date would rewrite history.
		const again = await adoptionForms.adopt(db, by, 'newtown', formOf({ code: 'email.reply', 'from-day': '1', 'from-month': '4', 'from-year': '2024' }));
		expect('errors' in again && again.errors).toEqual([{ field: 'from', message: expect.stringContaining('that date cannot move') }]);
	});

	it('offers dp.complaint-ack (s.164A DPA 2018) from 19 June 2026 and refuses it from an earlier day at its field', async () => {
		const offered = (await adoptionForms.choices(db, 'newtown'))!.catalogue.find((s) => s.code === 'dp.complaint-ack');
		expect(offered).toMatchObject({ statutory: true, promise: '30 calendar days', contactTypes: ['dp-complaint'], from: 'Friday 19 June 2026' });
		const early = await adoptionForms.adopt(db, by, 'newtown', formOf({ code: 'dp.complaint-ack', 'from-day': '1', 'from-month': '4', 'from-year': '2026' }));
		expect('errors' in early && early.errors).toEqual([{ field: 'from', message: expect.stringContaining('dp.complaint-ack cannot apply before 2026-06-19') }]);
		expect(await standardOf('dp.complaint-ack')).toBeUndefined();
		// Without a date (a set-up file), it applies from the day the duty began.
		const outcome = await db.transaction((tx) => adoption.adopt(tx as unknown as Database, by, { organisation: 'newtown', code: 'dp.complaint-ack' }));
		expect(outcome.changes).toEqual([expect.stringContaining('from 2026-06-19')]);
	});

	it("defines the council's own standard for its own contact type, with a rule kind and its number", async () => {
		const form = {
			code: 'visit.reply',
			name: 'Visits followed up',
			contactTypes: ['visit'],
			kind: 'working-days',
			'amount-working-days': '5',
			'extension-working-days': '',
			statutory: 'no',
			'from-day': '1',
			'from-month': '1',
			'from-year': '2025'
		};
		const missing = await adoptionForms.define(db, by, 'newtown', formOf({ ...form, 'amount-working-days': '' }));
		expect('errors' in missing && missing.errors).toEqual([{ field: 'amount-working-days', message: 'Enter the number of working days as a whole number, for example 5' }]);
		const catalogue = await adoptionForms.define(db, by, 'newtown', formOf({ ...form, code: 'email.reply' }));
		expect('errors' in catalogue && catalogue.errors).toEqual([{ field: 'code', message: "'email.reply' is a catalogue standard: adopt it instead" }]);
		const noType = await adoptionForms.define(db, by, 'newtown', formOf({ ...form, contactTypes: [] }));
		expect('errors' in noType && noType.errors).toEqual([{ field: 'contactTypes', message: 'Choose at least one contact type' }]);
		await expect(db.transaction((tx) => adoption.define(tx as unknown as Database, by, { organisation: 'newtown', code: 'visit.reply', name: 'Visits', contactTypes: ['walk-in'], rule: { kind: 'same-or-next-working-day' } }))).rejects.toMatchObject({
			field: 'contactTypes'
		});

		const done = await adoptionForms.define(db, by, 'newtown', formOf(form));
		if ('errors' in done) throw new Error(JSON.stringify(done.errors));
		expect(done.outcome.changes).toEqual(['newtown: add standard visit.reply (5 working days, target 90%, from 2025-01-01; every service; visit)']);
		await adoption.rescore(db, done.outcome);
		expect(await scored('visit.reply')).toEqual([
			{ ref: 'VI-1', status: 'met' },
			{ ref: 'VI-2', status: expect.stringMatching(/breached|overdue|open/) }
		]);
		expect(await standardOf('visit.reply')).toMatchObject({ title: 'Visits followed up', source: 'Council standard', statutory: false });
	});

	it.each([
		['seconds', { 'amount-seconds': '900' }, 'within 900 seconds'],
		['calendar-days', { 'amount-calendar-days': '28' }, '28 calendar days'],
		['same-or-next-working-day', {}, 'the same day, or by the end of the next working day'],
		['hours-or-next-working-day', { 'amount-hours-or-next-working-day': '24' }, 'within 24 hours, or by the end of the next working day'],
		['clear-working-days-before', { 'amount-clear-working-days-before': '5' }, 'at least 5 clear working days before'],
		['calendar-months', { 'amount-calendar-months': '1', 'extension-calendar-months': '' }, '1 calendar month']
	])('defines a standard of the rule kind %s from the form', async (kind, numbers, described) => {
		const done = await adoptionForms.define(
			db,
			by,
			'newtown',
			formOf({ code: `own.${kind}`, name: `Own ${kind}`, contactTypes: ['visit'], kind, ...numbers, statutory: 'no', 'from-day': '1', 'from-month': '1', 'from-year': '2025' })
		);
		if ('errors' in done) throw new Error(JSON.stringify(done.errors));
		expect(done.outcome.changes).toEqual([`newtown: add standard own.${kind} (${described}, target 90%, from 2025-01-01; every service; visit)`]);
	});

	it('retires a standard from a date: later contacts are no longer scored against it, earlier ones keep their verdicts', async () => {
		const adopted = await adoptionForms.adopt(db, by, 'newtown', formOf({ code: 'email.reply', services: 'customer', 'from-day': '1', 'from-month': '1', 'from-year': '2025' }));
		if ('errors' in adopted) throw new Error(JSON.stringify(adopted.errors));
		await adoption.rescore(db, adopted.outcome);
		expect((await scored('email.reply')).map((a) => a.ref)).toEqual(['EM-1', 'EM-2']);

		const unconfirmed = await adoptionForms.retire(db, by, 'newtown', 'email.reply', formOf({ 'from-day': '1', 'from-month': '6', 'from-year': '2025' }));
		expect('errors' in unconfirmed && unconfirmed.errors).toEqual([{ field: 'confirm', message: 'Tick the box to confirm the standard stops applying from this date' }]);
		const tooEarly = await adoptionForms.retire(db, by, 'newtown', 'email.reply', formOf({ 'from-day': '1', 'from-month': '12', 'from-year': '2024', confirm: 'yes' }));
		expect('errors' in tooEarly && tooEarly.errors).toEqual([{ field: 'from', message: expect.stringContaining('history is never changed') }]);
		const unknown = await adoptionForms.retire(db, by, 'newtown', 'phone.answer', formOf({ 'from-day': '1', 'from-month': '6', 'from-year': '2025', confirm: 'yes' }));
		expect('errors' in unknown && unknown.errors).toEqual([{ field: 'from', message: "newtown has no standard 'phone.answer' to retire" }]);

		const retired = await adoptionForms.retire(db, by, 'newtown', 'email.reply', formOf({ 'from-day': '1', 'from-month': '6', 'from-year': '2025', confirm: 'yes' }));
		if ('errors' in retired) throw new Error(JSON.stringify(retired.errors));
		expect(retired.outcome.changes).toEqual(['newtown: retire email.reply from 2025-06-01']);
		await adoption.rescore(db, retired.outcome);
		expect(await scored('email.reply')).toEqual([{ ref: 'EM-1', status: 'met' }]);
		const logged = await db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'retire'));
		expect(logged).toHaveLength(1);
		// Retiring again from the same day changes nothing, so nothing is re-scored.
		const again = await adoptionForms.retire(db, by, 'newtown', 'email.reply', formOf({ 'from-day': '1', 'from-month': '6', 'from-year': '2025', confirm: 'yes' }));
		expect('outcome' in again && adoptionForms.rescoreInBackground(db, 'again', again.outcome, { href: '/', text: 'back' })).toBeNull();
	});
});
