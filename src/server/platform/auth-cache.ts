// A process-local cache for what request authentication reads, kept correct across every process that
// shares the database by PostgreSQL LISTEN/NOTIFY. Migration 0012's statement-level triggers on the
// tables authentication reads run pg_notify('steward_auth', '') in the writing transaction; PostgreSQL
// delivers it to every listening session when that transaction commits, and never if it rolls back.
// Each process keeps one dedicated connection listening; each notification clears the cache.
//
// The cache answers only while that connection is listening: when it is lost the cache is cleared and
// bypassed (every lookup reads the database) until LISTEN succeeds again, and it is cleared once more
// then, since changes committed in between were not announced to it. A miss notes the generation
// before it reads the database and stores its answer only if no invalidation happened meanwhile and
// the listener is still up, so an answer read before a change committed is never kept after that
// change's notification has arrived. Entries also expire after maxAgeMs, and at most maxEntries are
// kept (the oldest go first), as a backstop.
//
// On PGlite (one process, one connection) PGlite's own listen() is used: it calls back while the
// committing statement is being answered, before the writer sees its commit return.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Database } from '../db/client.ts';

export const AUTH_CHANNEL = 'steward_auth';
/** application_name of the listening connection (it shows in pg_stat_activity). */
export const AUTH_LISTENER_NAME = 'steward-auth-listener';

export type AuthCacheOptions = {
  maxEntries?: number;
  maxAgeMs?: number;
  /** First delay before reconnecting a lost listener; doubles on each failure up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  warn?: (message: string, err?: unknown) => void;
};

export class AuthCache<V> {
  readonly stats = { hits: 0, misses: 0, invalidations: 0, reconnects: 0 };
  #entries = new Map<string, { value: V; at: number }>();
  #generation = 0;
  #listening = false;
  #stopped = false;
  #client: pg.Client | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  readonly #reconnectMs: number;
  readonly #maxReconnectMs: number;
  readonly #warn: (message: string, err?: unknown) => void;

  constructor(
    readonly database: Database,
    opts: AuthCacheOptions = {},
  ) {
    this.#maxEntries = opts.maxEntries ?? 10_000;
    this.#maxAgeMs = opts.maxAgeMs ?? 60_000;
    this.#reconnectMs = opts.reconnectMs ?? 1_000;
    this.#maxReconnectMs = opts.maxReconnectMs ?? 10_000;
    this.#warn = opts.warn ?? (() => {});
  }

  /** True while the listener is connected and listening: only then does the cache answer. */
  get listening() {
    return this.#listening;
  }

  /** Note it before reading the database on a miss, and give it to set(). */
  get generation() {
    return this.#generation;
  }

  get size() {
    return this.#entries.size;
  }

  /** The cached value, or undefined on a miss (always, while the listener is down). */
  get(key: string): V | undefined {
    if (!this.#listening) {
      this.stats.misses++;
      return undefined;
    }
    const e = this.#entries.get(key);
    if (!e || performance.now() - e.at > this.#maxAgeMs) {
      if (e) this.#entries.delete(key);
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return e.value;
  }

  /** Keeps a value read from the database, unless anything was invalidated since `generation`. */
  set(key: string, value: V, generation: number) {
    if (!this.#listening || generation !== this.#generation) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, at: performance.now() });
  }

  /** Drops everything, and keeps reads already under way from storing what they read. */
  invalidate() {
    this.#generation++;
    this.stats.invalidations++;
    this.#entries.clear();
  }

  /** Starts listening; resolves after the first attempt (on failure it retries in the background). */
  async start() {
    if (this.database.kind === 'pglite') {
      this.#unlisten = await this.database.pglite!.listen(AUTH_CHANNEL, () => this.invalidate());
      if (this.#stopped) await this.#unlisten().catch(() => {});
      else this.#listening = true;
      return;
    }
    await this.#connect();
  }

  async stop() {
    this.#stopped = true;
    this.#listening = false;
    clearTimeout(this.#timer);
    this.invalidate();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
    await this.#unlisten?.().catch(() => {});
  }

  async #connect() {
    if (this.#stopped) return;
    const client = new pg.Client({
      connectionString: this.database.url,
      application_name: AUTH_LISTENER_NAME,
      // A silently dead connection would deliver nothing: TCP keep-alive finds it (maxAgeMs bounds
      // what the cache can hold meanwhile).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    this.#client = client;
    const lost = (err?: unknown) => this.#lost(client, err);
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel === AUTH_CHANNEL && this.#client === client) this.invalidate();
    });
    try {
      await client.connect();
      await client.query(`listen ${AUTH_CHANNEL}`);
    } catch (err) {
      lost(err);
      return;
    }
    if (this.#client !== client) return; // lost or stopped meanwhile
    this.#failures = 0;
    // Changes committed before LISTEN took effect were not announced to this connection.
    this.invalidate();
    this.#listening = true;
  }

  #lost(client: pg.Client, err?: unknown) {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#listening = false;
    this.invalidate();
    client.end().catch(() => {});
    if (this.#stopped) return;
    const delay = Math.min(this.#reconnectMs * 2 ** this.#failures, this.#maxReconnectMs);
    this.#failures++;
    this.stats.reconnects++;
    this.#warn(
      `auth cache listener lost; tokens are read from the database until it is back (retry in ${delay} ms)`,
      err,
    );
    this.#timer = setTimeout(() => void this.#connect(), delay);
    this.#timer.unref();
  }
}
