/**
 * The live /alerts streams (Server-Sent Events), multiplexed: however many are open, each
 * interval runs one query per scope (viewers who see the same alerts share it) and one to check
 * that their owners are still enabled, then tells each stream whether its alerts changed.
 *
 * - A person may hold STREAMS_PER_PERSON streams at once (tabs, windows); one more is refused
 *   (the page still works, without live updates), so one person cannot load the server.
 * - A stream whose person has been disabled (or removed) since it opened is ended at the next
 *   check, and sends nothing more.
 */
import { inArray, and, eq } from 'drizzle-orm';
import type { Viewer } from '../auth/access.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { scopeKey, signature } from './queue.ts';

export const STREAMS_PER_PERSON = 5;
export const CHECK_EVERY_MS = 2000;
const KEEP_ALIVE_MS = 20_000;

/** Where a stream's text goes, and how it is ended. */
export interface Listener {
	send(text: string): void;
	close(): void;
}

export interface Sources {
	/** Changes whenever an alert the viewer may see is raised, cleared or acknowledged. */
	signature(db: Database, viewer: Viewer): Promise<string>;
	/** Which of these people may still sign in. */
	enabled(db: Database, userIds: string[]): Promise<Set<string>>;
}

interface Stream {
	viewer: Viewer;
	listener: Listener;
	/** The signature this stream last saw (null until the first check). */
	seen: string | null;
	/** When it was last sent anything (performance.now()). */
	lastSent: number;
}

interface Scope {
	viewer: Viewer;
	streams: Set<Stream>;
	last: string | null;
}

const databaseSources: Sources = {
	signature,
	async enabled(db, userIds) {
		const found = await db
			.select({ id: schema.users.id })
			.from(schema.users)
			.where(and(inArray(schema.users.id, userIds), eq(schema.users.disabled, false)));
		return new Set(found.map((user) => user.id));
	}
};

export class AlertStreams {
	private readonly scopes = new Map<string, Scope>();
	private readonly perPerson = new Map<string, number>();
	private db: Database | null = null;
	private timer: NodeJS.Timeout | undefined;
	private checking = false;
	private readonly baselines = new Set<Promise<void>>();

	constructor(
		private readonly sources: Sources = databaseSources,
		private readonly everyMs = CHECK_EVERY_MS,
		private readonly limit = STREAMS_PER_PERSON
	) {}

	/** Open streams, for tests and the README's figures. */
	get size(): number {
		let n = 0;
		for (const scope of this.scopes.values()) n += scope.streams.size;
		return n;
	}

	/** Adds a stream; null when the person already has `limit` open. The returned function removes it. */
	open(db: Database, viewer: Viewer, listener: Listener): (() => void) | null {
		const held = this.perPerson.get(viewer.id) ?? 0;
		if (held >= this.limit) return null;
		this.perPerson.set(viewer.id, held + 1);
		this.db = db;
		const key = scopeKey(viewer);
		let scope = this.scopes.get(key);
		if (!scope) {
			this.scopes.set(key, (scope = { viewer, streams: new Set(), last: null }));
			const baseline = this.baseline(db, scope).finally(() => this.baselines.delete(baseline));
			this.baselines.add(baseline);
		}
		const stream: Stream = { viewer, listener, seen: scope.last, lastSent: performance.now() };
		scope.streams.add(stream);
		this.timer ??= setInterval(() => void this.check(), this.everyMs);
		let removed = false;
		return () => {
			if (removed) return;
			removed = true;
			this.remove(key, stream);
		};
	}

	/** A new scope's alerts as they are now, so a change before the next round is not missed. */
	private async baseline(db: Database, scope: Scope): Promise<void> {
		try {
			const now = await this.sources.signature(db, scope.viewer);
			scope.last ??= now;
			for (const stream of scope.streams) stream.seen ??= now;
		} catch {
			// The next round sets it.
		}
	}

	private remove(key: string, stream: Stream): void {
		const scope = this.scopes.get(key);
		if (!scope?.streams.delete(stream)) return;
		const held = (this.perPerson.get(stream.viewer.id) ?? 1) - 1;
		if (held > 0) this.perPerson.set(stream.viewer.id, held);
		else this.perPerson.delete(stream.viewer.id);
		if (scope.streams.size === 0) this.scopes.delete(key);
		if (this.scopes.size === 0) {
			clearInterval(this.timer);
			this.timer = undefined;
		}
	}

	/** One round: who is still enabled, then one signature per scope, told to every stream. */
	async check(): Promise<void> {
		const db = this.db;
		if (this.checking || !db || this.scopes.size === 0) return;
		this.checking = true;
		try {
			await Promise.all(this.baselines);
			const people = [...new Set([...this.scopes.values()].flatMap((scope) => [...scope.streams].map((s) => s.viewer.id)))];
			const enabled = await this.sources.enabled(db, people);
			for (const [key, scope] of [...this.scopes]) {
				for (const stream of [...scope.streams]) {
					if (enabled.has(stream.viewer.id)) continue;
					this.remove(key, stream);
					stream.listener.close();
				}
			}
			await Promise.all(
				[...this.scopes.values()].map(async (scope) => {
					const now = await this.sources.signature(db, scope.viewer);
					scope.last = now;
					const at = performance.now();
					for (const stream of scope.streams) {
						if (stream.seen !== null && now !== stream.seen) {
							stream.listener.send(`event: alerts\ndata: ${JSON.stringify({ signature: now })}\n\n`);
							stream.lastSent = at;
						} else if (at - stream.lastSent >= KEEP_ALIVE_MS) {
							// A comment line now and then keeps proxies from closing a quiet connection.
							stream.listener.send(': still here\n\n');
							stream.lastSent = at;
						}
						stream.seen = now;
					}
				})
			);
		} catch {
			// The database is away for a moment: try again at the next round.
		} finally {
			this.checking = false;
		}
	}
}

/** The server's streams. */
export const streams = new AlertStreams();
