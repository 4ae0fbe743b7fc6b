import { sql, type SQL } from 'drizzle-orm';
import { ANALYZE_AFTER_ROWS, CopyLines, copyClient, copyOut, epochMs, epochMsText, refreshStatistics, rows, withCopiedRows, writeConcurrency, yieldToRequests, type Database } from '../db/client.ts';
import { loadPlan, type ScoringPlan } from './plan.ts';
import { scoreContact, type AssessmentRecord, type ContactRecord, type ContactEventRecord } from './score.ts';

export interface Progress {
	/** Contacts scored so far, of total. */
	done: number;
	total: number;
}

export interface JobOptions {
	/** Contacts per batch (default 8,000). */
	batchSize?: number;
	/** Batches written at once (default: 3 on PostgreSQL, 1 on PGlite, which has one connection). */
	concurrency?: number;
	onProgress?: (progress: Progress) => void;
	/** Counts the contacts scored that no standard scores (an import reports them). */
	unscored?: UnscoredTally;
}

export interface JobSummary {
	/** Contacts read and scored. */
	contacts: number;
	/** Verdicts computed (a SAR has two: sar.published and sar.statutory). */
	assessments: number;
	/** Rows inserted or updated because something about them changed. */
	changed: number;
	/** Rows deleted because they no longer apply (another version is in force, the contact changed). */
	removed: number;
	seconds: number;
	/** Of those seconds, the time spent in the engine (scoring in memory, no database). */
	engineSeconds: number;
}

export interface RescoreOptions extends JobOptions {
	/** Re-score closed contacts too (an admin's decision); by default only open ones. */
	force?: boolean;
}

const DEFAULT_BATCH = 8000;

/** Scores every contact, in batches by id. Re-running it changes nothing unless the data did. */
export async function scoreAll(db: Database, options: JobOptions = {}): Promise<JobSummary> {
	const started = performance.now();
	const plan = await loadPlan(db);
	const [count] = await rows<{ total: number }>(db, sql`select count(*)::int as total from contacts`);
	const total = Number(count?.total ?? 0);
	const batchSize = options.batchSize ?? DEFAULT_BATCH;
	const summary = emptySummary();
	const writes = new Writer(options.concurrency ?? writeConcurrency(db));
	const progress = progressReporter(options);
	let after = 0;
	for (;;) {
		const contacts = await loadContacts(db, { after, limit: batchSize });
		if (contacts.length === 0) break;
		const first = contacts[0]!.id;
		const last = contacts.at(-1)!.id;
		after = last;
		await attachEvents(db, contacts, sql`contact_id between ${first} and ${last}`);
		const engineStarted = performance.now();
		const scored = scoreBatch(contacts, plan, options.unscored);
		summary.engineSeconds += (performance.now() - engineStarted) / 1000;
		summary.contacts += contacts.length;
		summary.assessments += scored.length;
		const done = summary.contacts;
		await yieldToRequests();
		await writes.add(async () => {
			const result = await write(db, scored, sql`a.contact_id between ${first} and ${last}`);
			summary.changed += result.changed;
			summary.removed += result.removed;
			progress(done, Math.max(total, done));
		});
	}
	await writes.drain();
	if (summary.changed + summary.removed > ANALYZE_AFTER_ROWS) await refreshStatistics(db, ['assessments']);
	summary.seconds = (performance.now() - started) / 1000;
	return summary;
}

/** Scores the given contacts (after an import, or when a contact changed). */
export async function scoreContacts(db: Database, contactIds: readonly number[], options: JobOptions = {}): Promise<JobSummary> {
	return scoreIds(db, await loadPlan(db), [...new Set(contactIds)].sort((a, b) => a - b), options);
}

/**
 * Re-scores the contacts a change affected: those whose stored verdict is stale (another version
 * is now in force at its clock start, or the version's calendar, closure days or settings changed,
 * or the standard no longer applies to it), open ones only unless forced; and scores contacts
 * missing a verdict for a standard that applies to them (new contacts, a new standard).
 * History is scored against the version in force at its clock start, never a later one.
 */
export async function rescore(db: Database, options: RescoreOptions = {}): Promise<JobSummary> {
	const started = performance.now();
	const plan = await loadPlan(db);
	const ids = await affectedContacts(db, plan, options.force === true);
	const summary = await scoreIds(db, plan, ids, options);
	return { ...summary, seconds: (performance.now() - started) / 1000 };
}

/** The contacts rescore() would score; exported for tests and `yardstick assess` to report. */
export async function affectedContacts(db: Database, plan: ScoringPlan, force: boolean): Promise<number[]> {
	const current = JSON.stringify(plan.versions.map((v) => ({ id: v.id, fingerprint: v.fingerprint })));
	const found = await rows<{ id: string | number }>(
		db,
		sql`with current_versions as (
				select * from jsonb_to_recordset(${current}::jsonb) as v(id int, fingerprint text)
			), first_versions as (
				select standard_id, min(effective_from) as effective_from from standard_versions group by standard_id
			)
			select a.contact_id as id
			from assessments a
			join contacts c on c.id = a.contact_id
			join services svc on svc.id = c.service_id
			join standards s on s.id = a.standard_id
			join standard_versions sv on sv.id = a.standard_version_id
			left join current_versions v on v.id = a.standard_version_id
			where (${force}::boolean or a.status = 'open')
				and (v.fingerprint is distinct from a.fingerprint
					or a.clock_start_on < sv.effective_from
					or a.clock_start_on >= sv.effective_to
					or not (c.contact_type = any(s.contact_types) and (cardinality(s.service_codes) = 0 or svc.code = any(s.service_codes))))
			union
			-- Clocks stopped by a pause with no end (an unpaid FOI fee notice) may have lapsed since
			-- they were scored (FOIA s.9(2), three months): the engine decides; an unchanged verdict is not rewritten.
			select a.contact_id
			from assessments a
			join contact_events e on e.contact_id = a.contact_id and e.kind = 'pause' and e.until is null
			where a.status = 'open' and a.due_at is null and e.at < now() - interval '3 months'
			union
			select c.id
			from contacts c
			join services svc on svc.id = c.service_id
			join standards s on s.organisation_id = c.organisation_id
				and c.contact_type = any(s.contact_types)
				and (cardinality(s.service_codes) = 0 or svc.code = any(s.service_codes))
			join first_versions f on f.standard_id = s.id
			where greatest(c.received_at, c.clock_start_at) >= f.effective_from::timestamp at time zone 'Europe/London'
				and not exists (select 1 from assessments a where a.contact_id = c.id and a.standard_id = s.id)
			order by 1`
	);
	return found.map((row) => Number(row.id));
}

async function scoreIds(db: Database, plan: ScoringPlan, ids: readonly number[], options: JobOptions): Promise<JobSummary> {
	const started = performance.now();
	const batchSize = options.batchSize ?? DEFAULT_BATCH;
	const summary = emptySummary();
	const writes = new Writer(options.concurrency ?? writeConcurrency(db));
	const progress = progressReporter(options);
	for (let i = 0; i < ids.length; i += batchSize) {
		const batch = ids.slice(i, i + batchSize);
		const first = batch[0]!;
		const last = batch.at(-1)!;
		// New contacts come in a run of ids: a range then; otherwise the ids as one array parameter.
		const contiguous = last - first + 1 === batch.length;
		const list = `{${batch.join(',')}}`;
		const inBatch = (column: SQL) => (contiguous ? sql`${column} between ${first} and ${last}` : sql`${column} = any(${list}::bigint[])`);
		const contacts = await loadContacts(db, contiguous ? { from: first, to: last } : { ids: batch });
		await attachEvents(db, contacts, inBatch(sql`contact_id`));
		const engineStarted = performance.now();
		const scored = scoreBatch(contacts, plan, options.unscored);
		summary.engineSeconds += (performance.now() - engineStarted) / 1000;
		summary.contacts += contacts.length;
		summary.assessments += scored.length;
		const done = Math.min(ids.length, i + batchSize);
		await yieldToRequests();
		await writes.add(async () => {
			const result = await write(db, scored, inBatch(sql`a.contact_id`));
			summary.changed += result.changed;
			summary.removed += result.removed;
			progress(done, ids.length);
		});
	}
	await writes.drain();
	summary.seconds = (performance.now() - started) / 1000;
	return summary;
}

/**
 * Scores contacts held in memory as they are stored, and writes their verdicts: a bulk load that
 * knows each contact's facts as it writes it (the demo seed) needs no contact read back. Each must
 * be stored under its id, with these events.
 */
export async function scoreStored(db: Database, contacts: readonly ContactRecord[], plan: ScoringPlan): Promise<JobSummary> {
	const summary = emptySummary();
	if (contacts.length === 0) return summary;
	const started = performance.now();
	const scored = scoreBatch(contacts, plan);
	summary.engineSeconds = (performance.now() - started) / 1000;
	const result = await write(db, scored, sql`a.contact_id = any(${`{${contacts.map((c) => c.id).join(',')}}`}::bigint[])`);
	return { ...summary, contacts: contacts.length, assessments: scored.length, ...result, seconds: (performance.now() - started) / 1000 };
}

/** Adds one run's counts and times to another's (a job done in parts). */
export function addSummary(into: JobSummary, more: JobSummary): void {
	into.contacts += more.contacts;
	into.assessments += more.assessments;
	into.changed += more.changed;
	into.removed += more.removed;
	into.seconds += more.seconds;
	into.engineSeconds += more.engineSeconds;
}

/** onProgress, never going backwards: batches written at once can finish out of order. */
function progressReporter(options: JobOptions): (done: number, total: number) => void {
	let furthest = 0;
	return (done, total) => {
		furthest = Math.max(furthest, done);
		options.onProgress?.({ done: furthest, total });
	};
}

export function emptySummary(): JobSummary {
	return { contacts: 0, assessments: 0, changed: 0, removed: 0, seconds: 0, engineSeconds: 0 };
}

function scoreBatch(contacts: readonly ContactRecord[], plan: ScoringPlan, unscored?: UnscoredTally): AssessmentRecord[] {
	const out: AssessmentRecord[] = [];
	for (const contact of contacts) {
		const before = out.length;
		for (const row of scoreContact(contact, plan)) out.push(row);
		if (out.length === before) unscored?.add(contact);
	}
	return out;
}

export interface Unscored {
	organisation: string;
	service: string;
	type: string;
	contacts: number;
}

/**
 * Stored contacts no standard scores (none applies to their organisation, service and type, or
 * none was in force when their clock started), grouped.
 */
export async function unscored(db: Database): Promise<Unscored[]> {
	const found = await rows<{ organisation: string; service: string; type: string; contacts: number }>(
		db,
		sql`select o.code as organisation, s.code as service, c.contact_type as type, count(*)::int as contacts
			from contacts c
			join organisations o on o.id = c.organisation_id
			join services s on s.id = c.service_id
			where not exists (select 1 from assessments a where a.contact_id = c.id)
			group by o.code, s.code, c.contact_type
			order by o.code, s.code, c.contact_type`
	);
	return found.map((r) => ({ ...r, contacts: Number(r.contacts) }));
}

/**
 * The same count for the contacts a job scores, kept as it scores them: a contact the engine gives
 * no verdict has none stored once its batch is written. An import of a million contacts asked the
 * database instead, which took it 1.2–2.3 s.
 */
export class UnscoredTally {
	/** By service (each is one organisation's) and contact type. */
	readonly #counts = new Map<string, { serviceId: number; type: string; contacts: number }>();

	add(contact: ContactRecord): void {
		const key = `${contact.serviceId}/${contact.contactType}`;
		const found = this.#counts.get(key);
		if (found) found.contacts += 1;
		else this.#counts.set(key, { serviceId: contact.serviceId, type: contact.contactType, contacts: 1 });
	}

	/** The counts under their organisations' and services' codes, in the order unscored() gives. */
	async named(db: Database): Promise<Unscored[]> {
		if (this.#counts.size === 0) return [];
		const services = await rows<{ id: number; organisation: string; service: string }>(
			db,
			sql`select s.id, o.code as organisation, s.code as service from services s join organisations o on o.id = s.organisation_id`
		);
		const byId = new Map(services.map((s) => [Number(s.id), s]));
		return [...this.#counts.values()]
			.map(({ serviceId, type, contacts }) => ({ organisation: byId.get(serviceId)!.organisation, service: byId.get(serviceId)!.service, type, contacts }))
			.sort((a, b) => compare(a.organisation, b.organisation) || compare(a.service, b.service) || compare(a.type, b.type));
	}
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Contacts scored under a standard whose clock started on or after `from` (a local date). */
export async function scoredFrom(db: Database, standardId: number, from: string): Promise<number[]> {
	const found = await rows<{ id: string | number }>(
		db,
		sql`select distinct contact_id as id from assessments where standard_id = ${standardId} and clock_start_on >= ${from}::date order by 1`
	);
	return found.map((r) => Number(r.id));
}

/** One contact as the job reads it (with its clock events and linked duties), or null: the contact page explains it from this. */
export async function loadContactRecord(db: Database, id: number): Promise<ContactRecord | null> {
	const [contact] = await loadContacts(db, { from: id, to: id });
	if (!contact) return null;
	await attachEvents(db, [contact], sql`contact_id = ${id}`);
	return contact;
}

/** Which contacts to load: an id range, a list of ids, or the next `limit` after an id; always in id order. */
type Selection = { from: number; to: number } | { ids: readonly number[] } | { after: number; limit: number };

/** The selection as SQL with its numbers written in (copyOut takes no parameters); anything but whole numbers is refused. */
function selectionSql(selection: Selection): string {
	const n = (value: number) => {
		if (!Number.isSafeInteger(value)) throw new TypeError(`not a contact id: ${value}`);
		return String(value);
	};
	if ('ids' in selection) return `c.id = any('{${selection.ids.map(n).join(',')}}'::bigint[]) order by c.id`;
	if ('after' in selection) return `c.id > ${n(selection.after)} order by c.id limit ${n(selection.limit)}`;
	return `c.id between ${n(selection.from)} and ${n(selection.to)} order by c.id`;
}

/**
 * Contacts as the engine reads them, through COPY (copyOut): no row objects from the driver, and
 * instants as epoch ms (float8), so no date parsing. Every column is a number, a boolean or a
 * contact type (a catalogue code: never a tab, a backslash or a line break).
 */
async function loadContacts(db: Database, selection: Selection): Promise<ContactRecord[]> {
	const text = await copyOut(
		db,
		`select c.id, c.organisation_id, c.service_id, c.team_id, c.contact_type,
			${epochMsText('c.received_at')}, ${epochMsText('c.clock_start_at')}, ${epochMsText('c.first_response_at')}, c.wait_seconds, c.abandoned, c.extended
		from contacts c where ${selectionSql(selection)}`
	);
	const contacts: ContactRecord[] = [];
	const number = (field: string) => (field === '\\N' ? null : Number(field));
	const flag = (field: string) => (field === '\\N' ? null : field === 't');
	for (let start = 0; start < text.length; ) {
		const end = text.indexOf('\n', start);
		const f = text.slice(start, end).split('\t');
		start = end + 1;
		contacts.push({
			id: Number(f[0]),
			organisationId: Number(f[1]),
			serviceId: Number(f[2]),
			teamId: number(f[3]!),
			contactType: f[4]!,
			receivedAt: Number(f[5]),
			clockStartAt: number(f[6]!),
			firstResponseAt: number(f[7]!),
			waitSeconds: number(f[8]!),
			abandoned: flag(f[9]!),
			extended: f[10] === 't',
			events: []
		});
	}
	return contacts;
}

/** Clock events, and the duties a meeting's agenda is judged by, for a batch of contacts. */
async function attachEvents(db: Database, contacts: ContactRecord[], where: SQL): Promise<void> {
	if (contacts.length === 0) return;
	const byId = new Map(contacts.map((c) => [c.id, c]));
	const events = await rows<Record<string, unknown>>(
		db,
		sql`select contact_id, kind, ${epochMs('at')} as at, ${epochMs('until')} as until, detail
			from contact_events where ${where} and kind <> 'note' order by contact_id, at`
	);
	for (const e of events) {
		const event: ContactEventRecord = {
			kind: e.kind as string,
			at: Number(e.at),
			until: e.until === null ? null : Number(e.until),
			detail: (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail) as Record<string, unknown> | null
		};
		byId.get(Number(e.contact_id))?.events.push(event);
	}
	if (!contacts.some((c) => c.contactType === 'meeting')) return;
	const duties = await rows<{ contact_id: string | number; code: string; done_on: string | Date | null }>(
		db,
		sql`select contact_id, code, done_on::text as done_on from duties where ${where} and done_on is not null`
	);
	for (const duty of duties) {
		const contact = byId.get(Number(duty.contact_id));
		if (contact) (contact.duties ??= new Map()).set(duty.code, String(duty.done_on));
	}
}

/**
 * Upserts a batch's verdicts and deletes the batch's rows that no longer apply, in one statement
 * (so in one transaction). Rows are rewritten only when a value differs, so a re-run writes nothing.
 * Batches written at once can deadlock on the daily counts their triggers keep (an insert pass
 * and an update pass each lock days in their own order); PostgreSQL then aborts one, which is
 * simply written again.
 */
async function write(db: Database, scored: readonly AssessmentRecord[], scope: SQL): Promise<{ changed: number; removed: number }> {
	return retryOnDeadlock(() => writeOnce(db, scored, scope), DEADLOCK_ATTEMPTS, [DEADLOCK_DETECTED, UNIQUE_VIOLATION]);
}

const DEADLOCK_DETECTED = '40P01';
const UNIQUE_VIOLATION = '23505';
const DEADLOCK_ATTEMPTS = 5;

/**
 * Runs `work` (one statement, safe to repeat) again when PostgreSQL chose it as a deadlock's victim,
 * or failed it with another of the given states: a race another transaction won, which a second run
 * finds settled.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = DEADLOCK_ATTEMPTS, states: readonly string[] = [DEADLOCK_DETECTED]): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			const state = sqlState(error);
			if (attempt >= attempts || state === undefined || !states.includes(state)) throw error;
		}
	}
}

/** The SQLSTATE of a database error, however drizzle wrapped it. */
function sqlState(error: unknown): string | undefined {
	for (let e = error as { code?: unknown; cause?: unknown } | undefined; e && typeof e === 'object'; e = e.cause as typeof e) {
		if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
	}
	return undefined;
}

/** The assessments' columns as the job writes them, with their types, in COPY order. */
const WRITTEN_TYPES = {
	organisation_id: 'integer', contact_id: 'bigint', standard_id: 'integer', standard_version_id: 'integer', service_id: 'integer', team_id: 'integer',
	clock_start_on: 'date', due_at: 'timestamptz', responded_at: 'timestamptz', status: 'text', elapsed: 'numeric', margin: 'numeric', unit: 'text', fingerprint: 'text'
} as const satisfies Partial<Record<keyof AssessmentRecord, string>>;
const WRITTEN = Object.keys(WRITTEN_TYPES) as (keyof typeof WRITTEN_TYPES)[];
/** What a stored verdict is compared on: every written column but the keys. */
const COMPARED = WRITTEN.filter((c) => c !== 'contact_id' && c !== 'standard_version_id');

/**
 * The batch's verdicts go into a temporary table by COPY (on PGlite through `copyRows`' blob: a
 * JSON parameter there cost more), then one statement writes those whose values differ from the
 * stored ones (new rows too) and deletes the scope's rows that no longer apply; when none of the
 * batch's contacts has a verdict stored, a plain insert of them all (`insertAll`). On PostgreSQL
 * verdicts that did not change are filtered out by comparing in SQL before the insert, so they
 * are neither rewritten nor locked.
 */
async function writeOnce(db: Database, scored: readonly AssessmentRecord[], scope: SQL): Promise<{ changed: number; removed: number }> {
	return withCopiedRows(db, 'assessment_input', WRITTEN_TYPES, [copyText(scored)], async (tx) =>
		(await anyStored(tx, scope)) ? writeStatement(tx, sql`select * from assessment_input`, scope, copyClient(tx) !== null) : insertAll(tx)
	);
}

/** Whether any contact of the batch has a verdict stored: one look at the (contact, version) index. */
async function anyStored(tx: Database, scope: SQL): Promise<boolean> {
	const [found] = await rows<{ stored: boolean }>(tx, sql`select exists (select 1 from assessments a where ${scope}) as stored`);
	return found?.stored === true;
}

/**
 * A batch none of whose contacts has a verdict yet (newly imported contacts) is inserted as it is:
 * with nothing stored, comparing, updating and deleting would each look up every verdict for
 * nothing. A million contacts' first scoring took 11.7–11.9 s so, not 12.9–13.2 s. Another job
 * inserting the same verdicts meanwhile makes this fail on the unique key; the batch is then written
 * again (`write`) and finds them stored.
 */
async function insertAll(tx: Database): Promise<{ changed: number; removed: number }> {
	const [result] = await rows<{ changed: number }>(
		tx,
		sql.raw(`with inserted as (insert into assessments (${WRITTEN.join(', ')}) select ${WRITTEN.join(', ')} from assessment_input returning 1)
			select count(*)::int as changed from inserted`)
	);
	return { changed: Number(result?.changed ?? 0), removed: 0 };
}

/**
 * `compareFirst`: leave out unchanged verdicts before the insert (PostgreSQL). On PGlite that
 * join made scoring slower (100,000 contacts: first 4.0 s, not 3.7 s; again 2.0 s, not 1.8 s), so
 * there the insert's own WHERE leaves them alone.
 */
async function writeStatement(db: Database, verdicts: SQL, scope: SQL, compareFirst: boolean): Promise<{ changed: number; removed: number }> {
	const stored = sql.raw(`(${COMPARED.map((c) => `a.${c}`).join(', ')})`);
	const input = sql.raw(`(${COMPARED.map((c) => `i.${c}`).join(', ')})`);
	const differing = compareFirst
		? sql`select i.* from input i
				-- The scope too: the batch's own verdicts, found by the (contact, version) index. Without it the planner,
				-- not knowing the batch's size, hashed the whole table for every batch, and a first import's scoring
				-- slowed as the table grew (a million contacts: 17.5 s, where it now takes 13.9 s).
				left join assessments a on a.contact_id = i.contact_id and a.standard_version_id = i.standard_version_id and ${scope}
				where a.id is null or ${stored} is distinct from ${input}`
		: sql`select * from input`;
	// An update of the stored verdicts that differ and a plain insert of the absent ones, not one INSERT … ON
	// CONFLICT, whose speculative insertion made every new row cost more (docs/performance.md). A job scoring
	// the same contacts at the same moment can insert a verdict first: this statement then fails on the
	// unique key and is run again (retried below), finding the verdict stored.
	const [result] = await rows<{ changed: number; removed: number }>(
		db,
		sql`with input as (${verdicts}), differing as (${differing}), updated as (
				update assessments a set ${sql.raw(COMPARED.map((c) => `${c} = i.${c}`).join(', '))}, assessed_at = now()
				from differing i
				where a.contact_id = i.contact_id and a.standard_version_id = i.standard_version_id and ${scope}
					and ${stored} is distinct from ${input}
				returning 1
			), inserted as (
				insert into assessments (${sql.raw(WRITTEN.join(', '))})
				select ${sql.raw(WRITTEN.map((c) => `i.${c}`).join(', '))} from differing i
				where not exists (select 1 from assessments a where a.contact_id = i.contact_id and a.standard_version_id = i.standard_version_id)
				returning 1
			), removed as (
				delete from assessments a
				where ${scope}
					and not exists (select 1 from input i where i.contact_id = a.contact_id and i.standard_version_id = a.standard_version_id)
				returning 1
			)
			select ((select count(*) from updated) + (select count(*) from inserted))::int as changed, (select count(*) from removed)::int as removed`
	);
	return { changed: Number(result?.changed ?? 0), removed: Number(result?.removed ?? 0) };
}

/** The verdicts as COPY text (tab-separated, \N for null); no value the job writes holds a tab, newline or backslash. */
function copyText(scored: readonly AssessmentRecord[]): Uint8Array {
	const text = new CopyLines();
	for (const r of scored) {
		text.add(`${r.organisation_id}\t${r.contact_id}\t${r.standard_id}\t${r.standard_version_id}\t${r.service_id}\t${r.team_id ?? '\\N'}\t${r.clock_start_on}\t${r.due_at ?? '\\N'}\t${r.responded_at ?? '\\N'}\t${r.status}\t${r.elapsed ?? '\\N'}\t${r.margin ?? '\\N'}\t${r.unit}\t${r.fingerprint}\n`);
	}
	return text.bytes();
}

/** Runs up to `limit` writes at once while the next batch is read and scored; the first failure stops the job. */
class Writer {
	#running = new Set<Promise<void>>();
	#failure: unknown = null;
	constructor(private limit: number) {}

	async add(work: () => Promise<void>) {
		this.#throwIfFailed();
		const task = work().catch((error: unknown) => {
			this.#failure ??= error;
		});
		const tracked = task.finally(() => this.#running.delete(tracked));
		this.#running.add(tracked);
		while (this.#running.size >= this.limit) await Promise.race(this.#running);
		this.#throwIfFailed();
	}

	async drain() {
		await Promise.all(this.#running);
		this.#throwIfFailed();
	}

	#throwIfFailed() {
		if (this.#failure !== null) throw this.#failure;
	}
}

/** A progress callback that prints a line about every 10% ("  assessments: 43,000 of 215,000 contacts scored…"). */
export function progressLines(log: (line: string) => void): (progress: Progress) => void {
	let next = 0;
	return ({ done, total }) => {
		if (done < next && done < total) return;
		next = done + Math.max(1, Math.ceil(total / 10));
		log(`  assessments: ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} contacts scored${done < total ? '…' : ''}`);
	};
}

/** 'Scored 215,310 contacts (215,812 assessments: 215,812 changed, 0 removed) in 14.2 s.' */
export function describeSummary(summary: JobSummary): string {
	const n = (value: number) => value.toLocaleString('en-GB');
	return `Scored ${n(summary.contacts)} contacts (${n(summary.assessments)} assessments: ${n(summary.changed)} changed, ${n(summary.removed)} removed) in ${summary.seconds.toFixed(1)} s.`;
}
