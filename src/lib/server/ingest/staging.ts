/**
 * The set-based half of an import, inside the import's one transaction: validated rows go into a
 * temporary staging table in batches, then duplicates are settled and every contact is upserted
 * in one statement by (organisation, source, external_ref). Rows whose values did not change are
 * left alone (not even rewritten), so a re-import changes nothing and a newer export touches,
 * and re-scores, only what changed.
 */
import { sql } from 'drizzle-orm';
import { CopyLines, copyClient, copyRows, openCopy, rows, type CopyClient, type CopyStream, type Database } from '../db/client.ts';
import { fromEpochDay, MS_PER_DAY } from '../../engine/dates.ts';
import { statusOf, type ContactRow } from './rows.ts';

export interface UpsertCounts {
	/** Staged rows that survived de-duplication: accepted + updated + unchanged. */
	staged: number;
	accepted: number;
	updated: number;
	unchanged: number;
	/** Older versions of a contact superseded by a later one in the same file (Amazon Connect). */
	superseded: number;
}

/** A staged row that cannot stay: a repeat of an earlier row, or a record still pending. */
export interface Unstaged {
	row: number;
	reason: string;
	raw: Record<string, string>;
}

/** Dropped at commit or rollback; one per session, so concurrent imports never see each other's. */
export async function createStaging(tx: Database): Promise<void> {
	await tx.execute(sql`create temp table ingest_staging (
		row_number integer not null, organisation_id integer not null, service_id integer not null, team_id integer,
		contact_type text not null, external_ref text not null, received_at timestamptz not null,
		clock_start_at timestamptz, first_response_at timestamptz, resolved_at timestamptz,
		wait_seconds integer, abandoned boolean, extended boolean not null, status text not null,
		paused_from timestamptz, paused_to timestamptz, version double precision, pending text, leg_ref text, previous_ref text, pause_reason text
	) on commit drop`);
	await tx.execute(sql`create temp table ingest_changed (id bigint primary key, inserted boolean not null) on commit drop`);
}

/**
 * Writes validated rows into the staging table: through one COPY on PostgreSQL, kept open from
 * the first batch to `flush`, and with one COPY per batch on PGlite. Either way
 * the database takes a batch while the next one is read and validated. `flush` waits until it has
 * taken them all, and must run before any other statement on the transaction.
 */
export interface Stager {
	add(batch: readonly ContactRow[]): Promise<void>;
	flush(): Promise<void>;
	/** Whether any row staged so far carries a version (Amazon Connect): only then are there versions or legs to settle. */
	readonly versioned: boolean;
}

export function stager(tx: Database): Stager {
	const copy = copyClient(tx);
	const write = copy ? copyStager(copy) : batchStager(tx);
	let versioned = false;
	return {
		add(batch) {
			versioned ||= batch.some((r) => r.version !== null);
			return write.add(batch);
		},
		flush: write.flush,
		get versioned() {
			return versioned;
		}
	};
}

type BatchWriter = Pick<Stager, 'add' | 'flush'>;

/**
 * PostgreSQL: batches written into one open COPY, waiting only while the connection is behind. A
 * COPY a batch, each waited for before the next, left the reader waiting 2.3 s a million rows.
 */
function copyStager(copy: CopyClient): BatchWriter {
	let open: CopyStream | null = null;
	return {
		async add(batch) {
			if (batch.length === 0) return;
			const text = stagedText(batch);
			open ??= await openCopy(copy, `copy ingest_staging (${STAGED_COLUMNS}) from stdin`);
			await open.write(text);
		},
		async flush() {
			const stream = open;
			open = null;
			await stream?.end();
		}
	};
}

/** PGlite (no COPY from the client): a batch at a time through `copyRows`, one in flight while the next is read. */
function batchStager(tx: Database): BatchWriter {
	let inFlight: Promise<void> | null = null;
	const flush = async () => {
		const pending = inFlight;
		inFlight = null;
		await pending;
	};
	return {
		async add(batch) {
			await flush();
			if (batch.length === 0) return;
			inFlight = copyRows(tx, `ingest_staging (${STAGED_COLUMNS})`, stagedText(batch));
			// Its failure is reported by the next add or flush; until then it must not count as unhandled.
			inFlight.catch(() => {});
		},
		flush
	};
}

const STAGED_COLUMNS = `row_number, organisation_id, service_id, team_id, contact_type, external_ref, received_at, clock_start_at,
	first_response_at, resolved_at, wait_seconds, abandoned, extended, status, paused_from, paused_to, version, pending, leg_ref, previous_ref, pause_reason`;

/** The rows as COPY text (tab-separated, \N for null), in STAGED_COLUMNS' order: written field by field (a million rows, no array or Date a row). */
function stagedText(batch: readonly ContactRow[]): Uint8Array {
	const instant = instantWriter();
	const text = (value: string | null | undefined) => (value === null || value === undefined ? '\\N' : copyText(value));
	const other = (value: number | boolean | null) => (value === null ? '\\N' : String(value));
	const out = new CopyLines();
	for (const r of batch) {
		out.add(
			`${r.row}\t${r.organisationId}\t${r.serviceId}\t${other(r.teamId)}\t${copyText(r.contactType)}\t${copyText(r.externalRef)}\t${instant(r.receivedAt)}\t${instant(r.clockStartAt)}\t` +
				`${instant(r.firstResponseAt)}\t${instant(r.resolvedAt)}\t${other(r.waitSeconds)}\t${other(r.abandoned)}\t${r.extended}\t${statusOf(r)}\t${instant(r.pausedFrom)}\t${instant(r.pausedTo)}\t` +
				`${other(r.version)}\t${text(r.pending)}\t${text(r.legRef)}\t${text(r.previousRef)}\t${text(r.pauseReason)}\n`
		);
	}
	return out.bytes();
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

/**
 * Epoch ms as a UTC timestamp PostgreSQL reads ('2025-03-03 09:15:00.000+00'), or \N. The day's
 * date is kept from one call to the next: a log's rows mostly fall on a few days at a time.
 */
function instantWriter(): (ms: number | null) => string {
	let day = Number.NaN;
	let date = '';
	return (ms) => {
		if (ms === null) return '\\N';
		const epochDay = Math.floor(ms / MS_PER_DAY);
		if (epochDay !== day) {
			day = epochDay;
			date = fromEpochDay(epochDay);
		}
		const inDay = ms - epochDay * MS_PER_DAY;
		const seconds = Math.floor(inDay / 1000);
		const millis = inDay - seconds * 1000;
		return `${date} ${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}.${String(millis).padStart(3, '0')}+00`;
	};
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** A value in COPY's text format: backslash, tab and line ends escaped. */
const copyText = (value: string) => (SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : value);

/**
 * Settles contacts that appear more than once in the file. With a version (Amazon Connect), the
 * latest record wins and the others are dropped as superseded; without one, the first row stays
 * and each repeat is returned as a duplicate to be rejected.
 */
export async function settleRepeats(tx: Database, source: string, versioned: boolean): Promise<{ superseded: number; rejected: Unstaged[] }> {
	const superseded = versioned ? await settleVersions(tx, source) : 0;
	const found = await rows<{ row: number; reason: string; raw: Record<string, string> }>(
		tx,
		sql`with repeated as (
				select organisation_id, external_ref, min(row_number) as first_row
				from ingest_staging where version is null
				group by organisation_id, external_ref having count(*) > 1
			), gone as (
				delete from ingest_staging s using repeated r
				where s.version is null and s.organisation_id = r.organisation_id and s.external_ref = r.external_ref and s.row_number <> r.first_row
				returning s.*, 'duplicate of row ' || r.first_row as reason
			), pending as (
				delete from ingest_staging s where s.pending is not null returning s.*, s.pending as reason
			), unstaged as (
				select * from gone union all select * from pending
			)
			select g.row_number as row, g.reason, jsonb_build_object(
				'reference', g.external_ref, 'organisation', o.code, 'service', sv.code, 'type', g.contact_type,
				'received', g.received_at, 'team', coalesce(t.code, '')) as raw
			from unstaged g join organisations o on o.id = g.organisation_id join services sv on sv.id = g.service_id
			left join teams t on t.id = g.team_id
			order by g.row_number`
	);
	return {
		superseded,
		rejected: found.map((d) => ({ row: Number(d.row), reason: d.reason, raw: typeof d.raw === 'string' ? JSON.parse(d.raw) : d.raw }))
	};
}

/** Versioned records (Amazon Connect): each contact's latest version stays; the count of the others, gone. */
async function settleVersions(tx: Database, source: string): Promise<number> {
	// A record still pending whose contact is stored from a later record (an earlier file) is only old news: it changes nothing.
	await tx.execute(sql`update ingest_staging s set pending = null from contacts c
		where s.pending is not null and s.version is not null and c.organisation_id = s.organisation_id and c.source = ${source}
			and c.external_ref = s.external_ref and c.source_version >= s.version`);
	const [superseded] = await rows<{ count: number }>(
		tx,
		sql`with ranked as (
				select row_number, row_number() over (partition by organisation_id, external_ref, coalesce(leg_ref, '') order by version desc, row_number desc) as rank
				from ingest_staging where version is not null
			), gone as (
				delete from ingest_staging s using ranked where ranked.rank > 1 and s.row_number = ranked.row_number returning 1
			)
			select count(*)::int as count from gone`
	);
	return Number(superseded?.count ?? 0);
}

/** Imports of one source take turns from here to the end of their transaction. */
export async function sourceLock(tx: Database, source: string): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext('yardstick.ingest'), hashtext(${source}))`);
}

/** Why the record of a call that chose a queued callback is not stored as a phone call (its wait is kept on the callback). */
export const CHOSE_CALLBACK = 'chose a queued callback while waiting: measured as the callback (phone.callback), its wait until the choice kept with it, not as an abandoned call';

/**
 * Records of one call that Amazon Connect writes as several contacts, made one contact (the same
 * story the Asterisk reader tells, docs/rules.md "Phone service level"), whether its records come
 * in one file or several (the stored contact of `source` stands for the records of earlier files):
 * - a queued callback (staged under the call's InitialContactId with `leg_ref`): the callback is
 *   the contact, `wait_seconds` the time the caller waited in queue until they chose it; the
 *   inbound records that chose it are not abandons (dropped and counted as skipped, with their
 *   wait kept on the callback), nor is one delivered again after the callback was stored. A
 *   callback chosen after the call was answered (an agent transferred the caller on) is a contact
 *   of its own, under its own ContactId;
 * - a transfer to another queue (TRANSFER, QUEUE_TRANSFER, staged under the InitialContactId with
 *   `leg_ref`): the legs become one call, received when it was first queued, answered at its first
 *   answer, waiting by the organisation's `phoneWaitFrom` (the first queue: every leg until the
 *   answer; the answering queue: that leg's wait, and that queue's service and team). A leg whose
 *   call was stored from an earlier file joins the stored call; one no newer than it (by
 *   LastUpdateTimestamp) is part of it already.
 * Returns how many records were merged into another and how many skipped.
 */
export async function settleLegs(tx: Database, source: string, versioned: boolean): Promise<{ merged: number; choseCallback: number }> {
	// Only Amazon Connect records carry a version: any other import (an Asterisk queue_log's calls are whole already) has nothing to settle here.
	if (!versioned) return { merged: 0, choseCallback: 0 };
	// The stored call of a staged leg whose call's first record is not in this file.
	const storedCall = (s: string) =>
		sql.raw(`not exists (select 1 from ingest_staging f where f.organisation_id = ${s}.organisation_id and f.external_ref = ${s}.external_ref
			and f.leg_ref is null and f.contact_type = 'phone')`);
	const [already] = await rows<{ count: number }>(
		tx,
		sql`with gone as (
				delete from ingest_staging s using contacts c
				where s.leg_ref is not null and s.contact_type = 'phone' and s.version is not null
					and c.organisation_id = s.organisation_id and c.source = ${source} and c.external_ref = s.external_ref
					and c.contact_type = 'phone' and c.source_version >= s.version and ${storedCall('s')}
				returning 1
			)
			select count(*)::int as count from gone`
	);

	// A callback chosen after its call was answered is a contact of its own.
	await tx.execute(sql`update ingest_staging cb set external_ref = cb.leg_ref, leg_ref = null from ingest_staging s
		where cb.contact_type = 'callback' and cb.leg_ref is not null and s.contact_type = 'phone' and s.organisation_id = cb.organisation_id
			and s.external_ref = cb.external_ref and s.first_response_at is not null`);
	await tx.execute(sql`update ingest_staging cb set external_ref = cb.leg_ref, leg_ref = null from contacts c
		where cb.contact_type = 'callback' and cb.leg_ref is not null and c.organisation_id = cb.organisation_id and c.source = ${source}
			and c.external_ref = cb.external_ref and c.contact_type = 'phone' and c.first_response_at is not null`);
	await tx.execute(sql`with chosen as (
			select cb.row_number, sum(s.wait_seconds) as waited, coalesce(bool_or(s.row_number is not null and s.leg_ref is null), false) as whole_call, min(c.wait_seconds) as stored_wait
			from ingest_staging cb
			left join ingest_staging s on s.contact_type = 'phone' and s.version is not null and s.organisation_id = cb.organisation_id
				and s.external_ref = cb.external_ref and s.first_response_at is null
			left join contacts c on c.organisation_id = cb.organisation_id and c.source = ${source} and c.external_ref = cb.external_ref
				and c.contact_type in ('phone', 'callback')
			where cb.contact_type = 'callback' and cb.leg_ref is not null
			group by cb.row_number
		)
		update ingest_staging s set wait_seconds = case when k.whole_call or k.stored_wait is null then k.waited else k.stored_wait + coalesce(k.waited, 0) end
		from chosen k where s.row_number = k.row_number`);
	// The inbound records that chose a callback in this file, or one stored already.
	const [chose] = await rows<{ count: number }>(
		tx,
		sql`with here as (
				delete from ingest_staging s using ingest_staging cb
				where s.contact_type = 'phone' and s.version is not null and s.first_response_at is null
					and cb.contact_type = 'callback' and cb.leg_ref is not null and cb.organisation_id = s.organisation_id and cb.external_ref = s.external_ref
				returning s.row_number
			), stored as (
				delete from ingest_staging s using contacts c
				where s.contact_type = 'phone' and s.version is not null and s.first_response_at is null
					and c.organisation_id = s.organisation_id and c.source = ${source} and c.external_ref = s.external_ref and c.contact_type = 'callback'
				returning s.row_number
			)
			select count(distinct row_number)::int as count from (select row_number from here union all select row_number from stored) gone`
	);
	await tx.execute(sql`update ingest_staging set leg_ref = null where contact_type = 'callback' and leg_ref is not null`);

	// Every leg of each call with more than one: the staged ones, and the stored call when its first record came earlier.
	// `kept` marks the staged row that becomes the call (its first staged leg); the other staged legs go.
	await tx.execute(sql`create temp table ingest_legs on commit drop as
		select * from (
			select l.*, count(*) over w as legs, row_number() over (w order by l.received_at, l.row_number nulls first) as leg,
				l.row_number is not null and row_number() over (w order by l.row_number is null, l.received_at, l.row_number) = 1 as kept
			from (
				select s.row_number, s.organisation_id, s.external_ref, s.service_id, s.team_id, s.received_at, s.first_response_at, s.resolved_at,
					s.wait_seconds, s.version
				from ingest_staging s where s.version is not null and s.contact_type = 'phone'
				union all
				select null, c.organisation_id, c.external_ref, c.service_id, c.team_id, c.received_at, c.first_response_at, c.resolved_at,
					c.wait_seconds, c.source_version
				from contacts c
				join (select distinct s.organisation_id, s.external_ref from ingest_staging s
					where s.leg_ref is not null and s.contact_type = 'phone' and s.version is not null and ${storedCall('s')}) g
					on c.organisation_id = g.organisation_id and c.external_ref = g.external_ref
				where c.source = ${source} and c.contact_type = 'phone'
			) l
			window w as (partition by l.organisation_id, l.external_ref)
		) l where legs > 1`);
	await tx.execute(sql`with answered as (
			select distinct on (organisation_id, external_ref) organisation_id, external_ref, leg
			from ingest_legs where first_response_at is not null order by organisation_id, external_ref, first_response_at, leg
		), calls as (
			select l.organisation_id, l.external_ref, a.leg as answered_leg, coalesce(a.leg, max(l.leg)) as measured_leg,
				min(l.received_at) as received_at, bool_and(l.resolved_at is not null) as ended, max(l.resolved_at) as resolved_at,
				max(l.version) as version, sum(l.wait_seconds) filter (where a.leg is null or l.leg <= a.leg) as waited
			from ingest_legs l left join answered a on a.organisation_id = l.organisation_id and a.external_ref = l.external_ref
			group by l.organisation_id, l.external_ref, a.leg
		), merged as (
			select kept.row_number, whole.received_at, whole.version, whole.answered_leg is null as abandoned,
				m.first_response_at, case when whole.ended then whole.resolved_at end as resolved_at,
				coalesce(o.settings->>'phoneWaitFrom', 'first-queue') = 'answering-queue' as by_answer,
				whole.waited, m.wait_seconds as measured_wait, m.service_id as measured_service, m.team_id as measured_team,
				f.service_id as first_service, f.team_id as first_team
			from calls whole
			join ingest_legs kept on kept.organisation_id = whole.organisation_id and kept.external_ref = whole.external_ref and kept.kept
			join ingest_legs f on f.organisation_id = whole.organisation_id and f.external_ref = whole.external_ref and f.leg = 1
			join ingest_legs m on m.organisation_id = whole.organisation_id and m.external_ref = whole.external_ref and m.leg = whole.measured_leg
			join organisations o on o.id = whole.organisation_id
		)
		update ingest_staging s set
			received_at = g.received_at, version = g.version, abandoned = g.abandoned,
			first_response_at = case when g.abandoned then null else g.first_response_at end, resolved_at = g.resolved_at,
			wait_seconds = case when g.by_answer then g.measured_wait else g.waited end,
			service_id = case when g.by_answer then g.measured_service else g.first_service end,
			team_id = case when g.by_answer then g.measured_team else g.first_team end,
			status = case when g.resolved_at is not null then 'closed' when not g.abandoned then 'responded' else 'open' end,
			leg_ref = null
		from merged g where s.row_number = g.row_number`);
	const [merged] = await rows<{ count: number }>(
		tx,
		sql`with gone as (delete from ingest_staging s using ingest_legs l where not l.kept and s.row_number = l.row_number returning 1)
			select count(*)::int as count from gone`
	);
	return { merged: Number(merged?.count ?? 0) + Number(already?.count ?? 0), choseCallback: Number(chose?.count ?? 0) };
}

const compared = [
	'service_id', 'team_id', 'contact_type', 'received_at', 'clock_start_at', 'first_response_at', 'resolved_at',
	'wait_seconds', 'abandoned', 'extended', 'status'
];

/**
 * The upsert, then the pauses: a contact whose only change is its pause counts as updated too.
 * Imports of one source take turns here (an advisory lock) so two at once never deadlock on the
 * same contacts; reading and staging still run side by side.
 */
export async function upsert(tx: Database, source: string, batchId: number): Promise<UpsertCounts> {
	await sourceLock(tx, source);
	const columns = sql.raw(compared.join(', '));
	const assignments = sql.raw(compared.map((c) => `${c} = s.${c}`).join(', '));
	const stored = sql.raw(compared.map((c) => `c.${c}`).join(', '));
	const incoming = sql.raw(compared.map((c) => `s.${c}`).join(', '));
	// Two statements, not one INSERT … ON CONFLICT: every row of an insert with a conflict clause first
	// probes the unique index and is then written speculatively, which cost a first import of a
	// million rows a fifth more than a plain insert (docs/performance.md). The source's lock above
	// keeps any other import of these references out until commit, so the rows found absent below
	// are still absent when inserted. Rows stored with the same values, or from a later record, are
	// neither updated nor locked.
	await tx.execute(sql`with updated as (
			update contacts c set ${assignments}, source_version = s.version, import_batch_id = ${batchId}, updated_at = now()
			from ingest_staging s
			where c.organisation_id = s.organisation_id and c.source = ${source} and c.external_ref = s.external_ref
				and (${stored}) is distinct from (${incoming})
				-- A record re-delivered in a later file but older than the one stored changes nothing.
				and (c.source_version is null or s.version is null or s.version >= c.source_version)
			returning c.id
		)
		insert into ingest_changed (id, inserted) select id, false from updated`);
	await tx.execute(sql`with inserted as (
			insert into contacts (organisation_id, source, external_ref, import_batch_id, created_by_batch_id, source_version, ${columns})
			select organisation_id, ${source}, external_ref, ${batchId}, ${batchId}, version, ${columns}
			from ingest_staging s
			where not exists (
				select 1 from contacts c where c.organisation_id = s.organisation_id and c.source = ${source} and c.external_ref = s.external_ref
			)
			order by organisation_id, external_ref
			returning id
		)
		insert into ingest_changed (id, inserted) select id, true from inserted`);

	// Pauses that differ from those stored (added, moved or gone) mark their contact changed.
	await tx.execute(sql`with staged as (
			select c.id, s.paused_from, s.paused_to, s.pause_reason from ingest_staging s
			join contacts c on c.organisation_id = s.organisation_id and c.source = ${source} and c.external_ref = s.external_ref
			where s.paused_from is not null
		), stored as (
			select e.contact_id as id, e.at, e.until, e.detail->>'kind' as pause_reason from contact_events e
			join contacts c on c.id = e.contact_id and c.source = ${source}
			join ingest_staging s on s.organisation_id = c.organisation_id and s.external_ref = c.external_ref
			where e.kind = 'pause'
		), differing as (
			select coalesce(staged.id, stored.id) as id from staged
			full join stored on staged.id = stored.id and staged.paused_from = stored.at and staged.paused_to is not distinct from stored.until
				and staged.pause_reason is not distinct from stored.pause_reason
			where staged.id is null or stored.id is null
		), marked as (
			insert into ingest_changed (id, inserted) select distinct id, false from differing on conflict (id) do nothing returning id
		)
		update contacts set import_batch_id = ${batchId}, updated_at = now() from marked where contacts.id = marked.id`);
	await tx.execute(sql`delete from contact_events e using ingest_changed c where e.contact_id = c.id and e.kind = 'pause' and not c.inserted`);
	await tx.execute(sql`insert into contact_events (organisation_id, contact_id, kind, at, until, detail)
		select s.organisation_id, c.id, 'pause', s.paused_from, s.paused_to,
			'{"reason": "Imported pause"}'::jsonb || case when s.pause_reason is null then '{}'::jsonb else jsonb_build_object('kind', s.pause_reason) end
		from ingest_staging s
		join contacts c on c.organisation_id = s.organisation_id and c.source = ${source} and c.external_ref = s.external_ref
		join ingest_changed ch on ch.id = c.id
		where s.paused_from is not null`);

	const [counts] = await rows<{ staged: number; accepted: number; updated: number }>(
		tx,
		sql`select (select count(*)::int from ingest_staging) as staged,
			(select count(*)::int from ingest_changed where inserted) as accepted,
			(select count(*)::int from ingest_changed where not inserted) as updated`
	);
	const staged = Number(counts?.staged ?? 0);
	const accepted = Number(counts?.accepted ?? 0);
	const updated = Number(counts?.updated ?? 0);
	return { staged, accepted, updated, unchanged: staged - accepted - updated, superseded: 0 };
}

/** The contacts this import inserted or changed: the ones to (re-)score. */
export async function changedContactIds(tx: Database): Promise<number[]> {
	const [found] = await rows<{ ids: string | null }>(tx, sql`select string_agg(id::text, ',' order by id) as ids from ingest_changed`);
	return found?.ids ? found.ids.split(',').map(Number) : [];
}
