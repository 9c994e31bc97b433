// Test databases: PGlite by default, or a fresh PostgreSQL database per test file when
// TEST_DATABASE_URL is set (CI runs the suite both ways). PGlite starts from a migrated template
// made once per run (vitest globalSetup), which is much faster than initdb + migrations per file.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { type Database, openPglite, openPostgres } from '../db/client.ts';
import { migrationsFolder, runMigrations } from '../db/migrate.ts';
import { ManualClock } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';

/** Named after a hash of the migrations, so a changed migration makes a new template. */
export const TEMPLATE_FILE = path.join(os.tmpdir(), `steward-pglite-template-${migrationsHash()}.tar.gz`);

function migrationsHash() {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsFolder).sort()) {
    if (f.endsWith('.sql')) h.update(f).update(readFileSync(path.join(migrationsFolder, f)));
  }
  return h.digest('hex').slice(0, 16);
}
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const onPostgres = Boolean(testDatabaseUrl);

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: path.join(os.tmpdir(), 'steward-test'),
    databaseUrl: undefined,
    secret: 'test-secret-test-secret-test-secret-0123',
    publicUrl: undefined,
    trustProxy: false,
    logLevel: 'silent',
    sessionIdleMinutes: 60,
    sessionAbsoluteHours: 12,
    dbPoolSize: 60,
    smtp: undefined,
    oidc: undefined,
    ...overrides,
  };
}

async function createPostgresDatabase(): Promise<{
  database: Database;
  drop: () => Promise<void>;
  url: string;
}> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  const name = `steward_t_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 60);
  await runMigrations(database);
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: testDatabaseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export type TestContext = AppContext & {
  clock: ManualClock;
  close: () => Promise<void>;
  databaseUrl?: string;
};

/** A fresh, migrated, empty database and a context with a manual clock. */
export async function createTestContext(configOverrides: Partial<Config> = {}): Promise<TestContext> {
  const clock = new ManualClock('2026-11-22T09:00:00.000Z');
  if (onPostgres) {
    const { database, drop, url } = await createPostgresDatabase();
    return {
      database,
      db: database.db,
      clock,
      config: testConfig(configOverrides),
      close: drop,
      databaseUrl: url,
    };
  }
  let database: Database;
  if (existsSync(TEMPLATE_FILE)) {
    database = await openPglite(undefined, new Blob([readFileSync(TEMPLATE_FILE)]));
    await runMigrations(database); // a no-op unless migrations changed since the template was made
  } else {
    database = await openPglite(undefined);
    await runMigrations(database);
  }
  return {
    database,
    db: database.db,
    clock,
    config: testConfig(configOverrides),
    close: () => database.close(),
  };
}
