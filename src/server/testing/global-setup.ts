// Makes one migrated PGlite data directory (per migrations version); each test file starts from it.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { openPglite } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { onPostgres, TEMPLATE_FILE } from './db.ts';

export default async function setup() {
  if (onPostgres) {
    process.stdout.write(
      'Tests run against PostgreSQL (TEST_DATABASE_URL), one new database per test file.\n',
    );
    return;
  }
  process.stdout.write(
    'Tests run against PGlite. PostgreSQL-only tests (concurrency) are skipped: set TEST_DATABASE_URL to run them.\n',
  );
  if (existsSync(TEMPLATE_FILE)) return;
  const database = await openPglite(undefined);
  await runMigrations(database);
  const dump = await database.pglite!.dumpDataDir('gzip');
  const tmp = `${TEMPLATE_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, TEMPLATE_FILE);
  await database.close();
}
