// A fresh, migrated, empty database for one benchmark run, and its removal afterwards:
// PGlite in a temporary data directory on disk, or a new database on a PostgreSQL server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openPglite, openPostgres, rows } from '../../src/server/db/client.ts';
import { runMigrations } from '../../src/server/db/migrate.ts';

export type Engine = 'pglite' | 'postgres';

export type BenchDatabase = {
  database: Database;
  /** Where it lives: the data directory or the database URL without credentials. */
  location: string;
  serverVersion: string;
  driver: string;
  dispose: () => Promise<void>;
};

/** The same pool size a server gets by default (STEWARD_DB_POOL_SIZE). */
export const POOL_SIZE = 20;

export const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/test';

function packageVersion(name: string): string {
  try {
    const file = path.join(process.cwd(), 'node_modules', name, 'package.json');
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function versionOf(database: Database): Promise<string> {
  const [r] = await rows<{ version: string }>(database.db, sql`select version() as version`);
  return r.version;
}

/**
 * PostgreSQL only: `keep` leaves the new database after the run; `reuse` opens an existing one (kept by
 * an earlier run; pending migrations are applied) and leaves it too.
 */
export type BenchDatabaseOptions = { keep?: boolean; reuse?: string };

export async function openBenchDatabase(
  engine: Engine,
  postgresUrl: string,
  options: BenchDatabaseOptions = {},
): Promise<BenchDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-'));
    try {
      const database = await openPglite(dir);
      await runMigrations(database);
      return {
        database,
        location: path.join(dir, 'pglite'),
        serverVersion: await versionOf(database),
        driver: `@electric-sql/pglite ${packageVersion('@electric-sql/pglite')}`,
        dispose: async () => {
          await database.close().catch(() => {});
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  if (options.reuse !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.reuse))
    throw new Error(`not a database name: ${options.reuse}`);
  const name = options.reuse ?? `steward_bench_${randomBytes(6).toString('hex')}`;
  const leave = options.keep || options.reuse !== undefined;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  if (options.reuse === undefined) await admin(`create database ${name}`);
  const drop = () => (leave ? Promise.resolve() : admin(`drop database if exists ${name} with (force)`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  let database: Database | undefined;
  try {
    database = await openPostgres(url.toString(), POOL_SIZE);
    await runMigrations(database);
    const shown = new URL(url);
    shown.password = '';
    return {
      database,
      location: shown.toString(),
      serverVersion: await versionOf(database),
      driver: `pg ${packageVersion('pg')} (pool of ${POOL_SIZE})`,
      dispose: async () => {
        await database?.close().catch(() => {});
        await drop();
      },
    };
  } catch (e) {
    await database?.close().catch(() => {});
    await drop();
    throw e;
  }
}
