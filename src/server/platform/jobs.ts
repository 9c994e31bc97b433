// In-process scheduler. Each job runs under a PostgreSQL advisory lock, so with several replicas only
// one runs it at a time; nothing a replica needs is kept in this process's memory.
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { rows } from '../db/client.ts';
import { runCoverageReminders } from '../modules/absences/absences.service.ts';
import { pruneSignInRecords } from '../modules/accounts/accounts.service.ts';
import { sealAuditChain } from '../modules/audit/audit.service.ts';
import { runLicenceAlerts } from '../modules/licences/alerts.service.ts';
import { annualCycleJob } from '../modules/plans/annual.service.ts';
import type { AppContext } from './context.ts';
import { pruneIdempotencyKeys } from './idempotency.ts';
import { deliverOutbox } from './outbox/outbox.service.ts';

type Job = { name: string; lock: number; everyMs: number; run: (ctx: AppContext) => Promise<unknown> };

export const JOBS: Job[] = [
  {
    name: 'audit-seal',
    lock: 726_101,
    everyMs: 2_000,
    run: (ctx) => sealAuditChain(ctx.db, ctx.clock.now()),
  },
  {
    name: 'outbox-deliver',
    lock: 726_102,
    everyMs: 5_000,
    run: (ctx) => deliverOutbox(ctx.db, ctx.config, ctx.clock.now()),
  },
  // Sign-in attempts and ended sessions older than 90 days, idempotency keys older than a day.
  {
    name: 'housekeeping',
    lock: 726_103,
    everyMs: 3_600_000,
    run: async (ctx) => {
      await pruneSignInRecords(ctx.db, ctx.clock.now());
      await pruneIdempotencyKeys(ctx);
    },
  },
  // G5: on the configured date (default 1 November) draft next year's management plans, once.
  { name: 'plans-annual-cycle', lock: 726_160, everyMs: 3_600_000, run: (ctx) => annualCycleJob(ctx) },
  // Pools above 90 % and software agreements due within 90 days, e-mailed once per crossing or date.
  { name: 'licence-alerts', lock: 726_170, everyMs: 3_600_000, run: (ctx) => runLicenceAlerts(ctx) },
  // V2: an absence that leaves a coverage gap within 14 days: its person is e-mailed once to name a cover.
  { name: 'coverage-reminders', lock: 726_180, everyMs: 3_600_000, run: (ctx) => runCoverageReminders(ctx) },
];

export async function runJobOnce(ctx: AppContext, job: Job) {
  // PGlite is one session, so a session-level lock is enough; on PostgreSQL take it on one client.
  if (ctx.database.kind === 'pglite') return job.run(ctx);
  const client = await ctx.database.pool!.connect();
  try {
    const { rows: r } = await client.query('select pg_try_advisory_lock($1) as ok', [job.lock]);
    if (!r[0].ok) return;
    try {
      return await job.run(ctx);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [job.lock]);
    }
  } finally {
    client.release();
  }
}

export function startJobs(ctx: AppContext, log: FastifyBaseLogger) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of JOBS) {
    const tick = () => {
      if (stopped) return;
      const p = runJobOnce(ctx, job)
        .catch((err) => log.error({ err, job: job.name }, 'job failed'))
        .finally(() => {
          running.delete(p);
          if (!stopped) timers.push(setTimeout(tick, job.everyMs).unref());
        });
      running.add(p);
    };
    timers.push(setTimeout(tick, job.everyMs).unref());
  }
  return async () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
    await Promise.allSettled([...running]);
  };
}

export async function databaseHealthy(ctx: AppContext) {
  const [r] = await rows<{ ok: number }>(ctx.db, sql`select 1 as ok`);
  return r.ok === 1;
}
