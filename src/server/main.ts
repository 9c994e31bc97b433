// Starts Steward: open the database, migrate, optionally seed demo data, serve HTTP, run jobs.
// SIGTERM/SIGINT: stop taking requests, finish those in flight, stop jobs, close the database.
import { buildApp } from './app.ts';
import { type Config, loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { databaseIsEmpty, runMigrations } from './db/migrate.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { AppContext } from './platform/context.ts';
import { startJobs } from './platform/jobs.ts';
import { seedDemo } from './seed/demo.ts';

export async function openContext(config: Config, clock: Clock = systemClock): Promise<AppContext> {
  const database: Database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
  });
  await runMigrations(database);
  return { database, db: database.db, clock, config };
}

function openConnections(server: import('node:http').Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n)));
}

export async function startServer(
  opts: { config?: Config; demo?: boolean; clock?: Clock; jobs?: boolean; drainMs?: number } = {},
) {
  const config = opts.config ?? loadConfig();
  const ctx = await openContext(config, opts.clock);
  if (opts.demo && (await databaseIsEmpty(ctx.database))) {
    process.stdout.write('Empty database: adding the demo university (see README for sign-in accounts)…\n');
    await seedDemo(ctx);
  }
  const app = await buildApp(ctx, {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
  });
  const stopJobs = opts.jobs === false ? async () => {} : startJobs(ctx, app.log);
  await app.listen({ port: config.port, host: config.host });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      app.startDraining();
      // Keep listening for the drain period, then until every open connection has had its answer
      // (each answer now closes its connection), at most 10 s: a request already accepted but not yet
      // read when the server closed would otherwise see its connection reset.
      const drainMs = opts.drainMs ?? 1000;
      await new Promise((r) => setTimeout(r, drainMs));
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await openConnections(app.server)) > 0)
        await new Promise((r) => setTimeout(r, 50));
      await app.close();
      await stopJobs();
      await ctx.database.close();
    })();
    return closing;
  };
  return { app, ctx, close, url: `http://localhost:${config.port}` };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\/src\//, '/src/'));
if (isMain) {
  const server = await startServer({ demo: process.argv.includes('--demo') });
  const stop = async (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
