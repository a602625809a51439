/**
 * Opened connections kept in this process, so a request on the hot path needs no store round
 * trip and no AES-GCM unsealing (ConnectionRepository.getCached). Correct across instances only
 * because every write of a connection goes through the repository, which drops this copy and
 * publishes the connection's id on the broadcast; every instance drops its copy on the message.
 *
 * Pub/sub is best effort, so:
 * - a copy lives at most `ttlMs` whatever the messages say (the backstop: a lost message costs
 *   at most that long of a disconnected connection still being served by another instance);
 * - `onGap` (the subscriber reconnected; messages may be lost) drops everything;
 * - a read that was under way when a change was announced is handed to its callers but not kept
 *   (an epoch counter): it may predate the write.
 * A message only ever removes copies, so whoever can publish on the Redis can make instances
 * re-read the store, nothing more; it carries `<tenantId>:<connectionName>` (neither part may
 * contain `:`, see connectionKey), never a token.
 */
import type { Logger } from '../log.js';
import type { Broadcast } from '../store/broadcast.js';
import type { Connection } from './connection.js';

/** The broadcast channel of connection changes. */
export const CONNECTION_CHANNEL = 'connections';

/** What the store key of a connection starts with (see connectionKey). */
const KEY_HEAD = 'conn:';

/** Default bound on the copies kept: a hot tenant is never evicted by a scan of cold ones for long. */
const DEFAULT_MAX_ENTRIES = 10_000;

export interface ConnectionCacheOptions {
  /** Longest a copy is used, ms, whatever messages say. 0 disables the cache. */
  ttlMs: number;
  /** Where changes are announced to, and heard from, the other instances. */
  broadcast?: Broadcast;
  maxEntries?: number;
  log?: Logger;
  /** Monotonic clock, ms (tests move it). Default performance.now. */
  clock?: () => number;
}

/** Counters for tests and metrics. */
export interface ConnectionCacheStats {
  hits: number;
  /** Reads that went to the store for a getCached caller. */
  misses: number;
  /** Change messages heard (this instance's own included). */
  messages: number;
  /** Times everything was dropped after a broadcast gap. */
  gaps: number;
}

interface Entry {
  connection: Connection;
  until: number;
}

export class ConnectionCache {
  readonly stats: ConnectionCacheStats = { hits: 0, misses: 0, messages: 0, gaps: 0 };
  readonly enabled: boolean;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly broadcast: Broadcast | undefined;
  private readonly log: Logger | undefined;
  private readonly clock: () => number;
  private readonly entries = new Map<string, Entry>();
  /** Store reads under way for getCached callers, one per key. */
  private readonly loading = new Map<string, Promise<Connection | undefined>>();
  /** Bumped by every drop: a read begun before it is not kept. */
  private epoch = 0;
  /** Nothing is kept before the subscription is in force: a message sent earlier would be missed. */
  private listening: boolean;

  constructor(options: ConnectionCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.enabled = options.ttlMs > 0;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.broadcast = options.broadcast;
    this.log = options.log;
    this.clock = options.clock ?? (() => performance.now());
    this.listening = !this.broadcast;
    if (this.enabled && this.broadcast) {
      // Never unsubscribed: the repository lives as long as the app, whose close() closes the broadcast.
      this.broadcast.subscribe(CONNECTION_CHANNEL, (message) => {
        this.stats.messages++;
        this.drop(KEY_HEAD + message);
      });
      this.broadcast.onGap(() => {
        this.stats.gaps++;
        this.clear();
      });
      void this.broadcast.ready().then(() => {
        this.listening = true;
      });
    }
  }

  /** How many copies are kept now. */
  get size(): number {
    return this.entries.size;
  }

  /** The epoch to pass to `keep` for a store read starting now. */
  begin(): number {
    return this.epoch;
  }

  /** Keeps what a read begun at `epoch` found, unless a change was announced meanwhile. */
  keep(key: string, epoch: number, connection: Connection | undefined): void {
    // Not while the subscriber is away either: a change announced now would never reach us.
    if (!this.enabled || !this.listening || epoch !== this.epoch || this.broadcast?.hearing === false) return;
    // Absence is not kept: a connection made on another instance must work here at once, even
    // when its message is lost.
    if (connection === undefined) return void this.entries.delete(key);
    this.entries.delete(key); // re-inserted last: the Map's order is the eviction order
    this.entries.set(key, { connection, until: this.clock() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * The kept copy of `key`, else what `read` finds (one read per key at a time, shared by
   * concurrent callers). Each caller gets its own copy of the object.
   */
  async get(key: string, read: () => Promise<Connection | undefined>): Promise<Connection | undefined> {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      if (entry.until > this.clock()) {
        this.stats.hits++;
        return copy(entry.connection);
      }
      this.entries.delete(key);
    }
    this.stats.misses++;
    let pending = this.loading.get(key);
    if (pending === undefined) {
      pending = read().finally(() => {
        if (this.loading.get(key) === pending) this.loading.delete(key);
      });
      this.loading.set(key, pending);
    }
    const found = await pending;
    return found && copy(found);
  }

  /**
   * After this instance wrote the connection at `key` (or tried to: a failed write may still have
   * landed): drops the local copy and tells the other instances. A failed publish is logged, not
   * thrown: the write happened, and the other instances' copies expire within `ttlMs` anyway.
   */
  async changed(key: string): Promise<void> {
    this.drop(key);
    // Announced even when this instance keeps no copies: others may.
    if (!this.broadcast) return;
    try {
      await this.broadcast.publish(CONNECTION_CHANNEL, key.slice(KEY_HEAD.length));
    } catch (err) {
      this.log?.warn({ storeKey: key, err: err instanceof Error ? err.name : typeof err }, 'announcing a connection change failed; other instances keep their copy up to CONNECTION_CACHE_TTL');
    }
  }

  /** Drops everything (a gap in the messages). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.loading.clear();
  }

  private drop(key: string): void {
    this.epoch++;
    this.entries.delete(key);
    // Later callers must not join a read that may predate the change.
    this.loading.delete(key);
  }
}

function copy(c: Connection): Connection {
  return { ...c, scopes: [...c.scopes] };
}
