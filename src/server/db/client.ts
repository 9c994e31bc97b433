// Opens the database: PGlite (embedded, in STEWARD_DATA_DIR) when DATABASE_URL is unset, otherwise a
// node-postgres pool. Both give the same Drizzle API and run the same migrations.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  close(): Promise<void>;
  /** The PGlite instance (embedded only): used for backup and tests. */
  pglite?: PGlite;
  pool?: pg.Pool;
  /** The connection string (PostgreSQL only): for connections outside the pool, like a listener. */
  url?: string;
};

// Raw int8 arrives as a string from pg and as a number from PGlite; dates without time must stay
// 'YYYY-MM-DD' strings on both. Normalise here so services never see the difference.
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);

export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  let dir: string | undefined;
  if (dataDir) {
    dir = path.join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
  }
  const client = await PGlite.create(dir ?? 'memory://', {
    extensions: { pg_trgm },
    parsers: { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v },
    loadDataDir,
  });
  const db = drizzlePglite(yieldingClient(client), { schema }) as unknown as Db;
  return { kind: 'pglite', db, pglite: client, close: () => client.close() };
}

/** Resolves on the event loop's next turn, after the timers and the network I/O that are due. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite runs each statement on this thread and answers through promises only, so a chain of
 * statements (one request's, or many requests' queued behind each other) never gives the event loop
 * a turn: no timer fires and no socket is read until the chain ends. After more than the HTTP
 * server's keep-alive timeout of that, its keep-alive timers all fire at once and close connections
 * whose next request is already waiting unread, and those clients see ECONNRESET (the access
 * benchmark's search on PGlite did). Drizzle gets a client whose every statement, in or out of a
 * transaction, ends with one turn of the event loop.
 */
function yieldingClient(client: PGlite): PGlite {
  const query: PGlite['query'] = async (...args) => {
    try {
      return await client.query(...args);
    } finally {
      await nextTurn();
    }
  };
  const transaction: PGlite['transaction'] = (fn) =>
    client.transaction((tx) => {
      const txQuery: typeof tx.query = async (...args) => {
        try {
          return await tx.query(...args);
        } finally {
          await nextTurn();
        }
      };
      // Object.create keeps tx's getter (closed) and methods; only query changes.
      return fn(Object.assign(Object.create(tx), { query: txQuery }));
    });
  // Drizzle calls only query and transaction; everything else is PGlite's own.
  return Object.assign(Object.create(client), { query, transaction });
}

export async function openPostgres(url: string, max = 20): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {
    /* an idle client died; the pool replaces it */
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { kind: 'postgres', db, pool, url, close: () => pool.end() };
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; poolSize?: number }) {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize) : openPglite(opts.dataDir);
}

/** Runs raw SQL and returns its rows, the same shape on both drivers. */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

// What Drizzle's node-postgres driver leaves as text (timestamps, dates, intervals and their arrays),
// so that rowsPrepared answers exactly like rows.
const RAW_TYPES = new Set([1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182]);
const rawTypes = {
  getTypeParser: (id: number, format?: string) =>
    RAW_TYPES.has(id) ? (v: string) => v : (pg.types.getTypeParser as any)(id, format),
};

/** The node-postgres pool or connection a Drizzle handle sends through: the pool, or a transaction's
 * connection. None on PGlite. */
function pgConnectionOf(db: Db): pg.Pool | pg.Client | undefined {
  const client = (db as any).session?.client;
  return client instanceof pg.Pool || client instanceof pg.Client ? client : undefined;
}

/**
 * rows() for a hot statement: on PostgreSQL it is sent as a named prepared statement (named by a hash
 * of its text), so each connection plans it once instead of every time it is sent, in a transaction
 * or not. Same rows as rows(); on PGlite it is rows().
 */
export async function rowsPrepared<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const connection = pgConnectionOf(db);
  if (!connection) return rows<T>(db, query);
  const q = (db as any).dialect.sqlToQuery(query) as { sql: string; params: unknown[] };
  const name = `p${createHash('sha1').update(q.sql).digest('base64url').slice(0, 24)}`;
  const res = await connection.query({ name, text: q.sql, values: q.params, types: rawTypes } as any);
  return res.rows as T[];
}
