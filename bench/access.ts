// The access-rights benchmark (issue 4): on 250,000 grants and 20,000 orders, order create+submit
// throughput with 50 concurrent clients, fulfilment throughput, the per-person grants view and the
// grants search, each against a raw-SQL baseline sent through the same driver in the same run.
//   node --import tsx bench/access.ts [--engine pglite|postgres|both] [--grants 250000] [--orders 20000]
//     [--persons 20000] [--requests 1000] [--writes 2000] [--concurrency 50]
// Data: an organisation loaded by the HR import; 40 systems with 5 permissions each and an order form
// (one mandatory field) through the services; grants, orders and orderers bulk-inserted with
// INSERT … SELECT generate_series (the services would audit every row, which is not what is measured).
// Writes bench/results/access-<engine>.json and prints a table. Exit code 2 when a target is missed.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { buildApp } from '../src/server/app.ts';
import { rows } from '../src/server/db/client.ts';
import type { GrantFilter } from '../src/server/modules/access/access.schema.ts';
import {
  createPermission,
  grantPageRows,
  putOrderForm,
} from '../src/server/modules/access/access.service.ts';
import { createObject } from '../src/server/modules/systems/governance.service.ts';
import { createSystem } from '../src/server/modules/systems/systems.service.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import { systemActor } from '../src/server/platform/context.ts';
import { testConfig } from '../src/server/testing/db.ts';
import { systemInput } from '../src/server/testing/http.ts';
import { adminToken, listenApp } from './lib/app.ts';
import { defaultPostgresUrl, type Engine, openBenchDatabase, POOL_SIZE } from './lib/engine.ts';
import { request } from './lib/http.ts';
import { importBenchOrg } from './lib/org.ts';
import { type LatencySummary, round, runConcurrent, summarise } from './lib/stats.ts';

const TARGET_RATIO = 2;
const TARGET_P95_MS_POSTGRES = 50;
const TARGET_SUBMISSIONS_PER_SECOND_POSTGRES = 500;
const SYSTEMS = 40;
const PERMISSIONS_PER_SYSTEM = 5;
const SEARCH_TERMS = ['ann', 'lind', 'sys 1', 'reader', 'karl', 'berg'];
/** Requests per side before each read measurement. */
const WARMUP = 500;

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    grants: { type: 'string', default: '250000' },
    orders: { type: 'string', default: '20000' },
    persons: { type: 'string', default: '20000' },
    requests: { type: 'string', default: '1000' },
    writes: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '50' },
    // PostgreSQL only: keep the generated database (its name is printed) / measure on a kept one.
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    // Only some phases: reads (view and search) and/or writes (create+submit, fulfil).
    phases: { type: 'string', default: 'reads,writes' },
  },
  strict: true,
});
const num = (k: keyof typeof values) => {
  const n = Number(values[k]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${k} must be a positive whole number`);
  return n;
};
const params = {
  grants: num('grants'),
  orders: num('orders'),
  persons: num('persons'),
  requests: num('requests'),
  writes: num('writes'),
  concurrency: num('concurrency'),
};
const phases = new Set(values.phases.split(','));
for (const p of phases)
  if (p !== 'reads' && p !== 'writes') throw new Error(`--phases: reads and/or writes, not ${p}`);
const engines: Engine[] = values.engine === 'both' ? ['pglite', 'postgres'] : [values.engine as Engine];
const postgresUrl = process.env.BENCH_DATABASE_URL || defaultPostgresUrl;
const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
const log = (s: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${s}`);

async function generate(ctx: AppContext) {
  const actor = systemActor('bench setup', 'cli');
  const t0 = performance.now();
  await importBenchOrg(ctx, params.persons, Math.max(50, Math.floor(params.persons / 40)));
  const step = (what: string) => log(`  ${what}: ${round((performance.now() - t0) / 1000, 1)} s`);
  step('org import');
  const [unit] = await rows<{ id: string }>(ctx.db, sql`select id from org_units order by code limit 1`);
  const object = await createObject(ctx, { actor, input: { name: 'Bench object', owningUnitId: unit.id } });
  const systemIds: string[] = [];
  const permissionIds: string[] = [];
  for (let s = 0; s < SYSTEMS; s++) {
    const sys = await createSystem(ctx, {
      actor,
      input: systemInput({ name: `Bench sys ${s}`, shortName: `BS${s}`, governanceObjectId: object.id }),
    });
    systemIds.push(sys.id);
    await putOrderForm(ctx, {
      actor,
      systemId: sys.id,
      ifVersion: 0,
      fields: [{ key: 'title', type: 'text', labelSv: 'Titel', labelEn: 'Title', mandatory: true }],
    });
    for (const name of ['Reader', 'Editor', 'Approver', 'Administrator', 'Integration'].slice(
      0,
      PERMISSIONS_PER_SYSTEM,
    )) {
      const p = await createPermission(ctx, {
        actor,
        systemId: sys.id,
        input: {
          name,
          description: '',
          accountType:
            name === 'Administrator' ? 'administrator' : name === 'Integration' ? 'system' : 'personal',
          modules: [],
          limitedToUnits: true,
          approvalSteps: [],
          active: true,
        },
      });
      permissionIds.push(p.id);
    }
  }
  step('systems, forms and permissions');
  // Grants: spread over persons and permissions, some ended, some with an end date. Grant g goes to
  // person number (g * 7919) mod persons and permission number (g * 104729 + g / 97) mod permissions;
  // the numbers are computed first, so each join is a hash join on equal numbers (a join condition
  // that also read the count from the joined row compared every grant with every person).
  await ctx.db.execute(sql`
    with p as (select id, row_number() over (order by id) - 1 as n from persons),
      pe as (select id, system_id, account_type, row_number() over (order by id) - 1 as n from access_permissions),
      pu as (select distinct on (person_id) person_id, unit_id from person_units order by person_id, is_primary desc),
      x as (select g, (g * 7919) % (select count(*) from persons) as pn,
              (g * 104729 + g / 97) % (select count(*) from access_permissions) as pen
            from generate_series(0::bigint, ${params.grants - 1}) g)
    insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type, expert_user,
      valid_from, valid_until, ended_at, ended_on, created_at)
    select gen_random_uuid(), p.id, pe.id, pe.system_id, array[pu.unit_id], pe.account_type, false,
      date '2025-01-01' + (g % 600)::int, case when g % 10 = 0 then date '2026-12-01' + (g % 90)::int end,
      case when g % 7 = 0 then now() end, case when g % 7 = 0 then current_date end, now()
    from x join p on p.n = x.pn join pe on pe.n = x.pen join pu on pu.person_id = p.id`);
  step('grants');
  await ctx.db.execute(sql`
    with p as (select id, row_number() over (order by id) - 1 as n from persons),
      pe as (select id, system_id, row_number() over (order by id) - 1 as n from access_permissions),
      pu as (select distinct on (person_id) person_id, unit_id from person_units order by person_id, is_primary desc),
      x as (select g, (g * 31) % (select count(*) from persons) as pn, g % (select count(*) from access_permissions) as pen
            from generate_series(0::bigint, ${params.orders - 1}) g)
    insert into access_orders (id, kind, state, person_id, permission_id, system_id, unit_ids, form_snapshot,
      field_values, orderer_label, reason, created_at, submitted_at, closed_at)
    select gen_random_uuid(), 'grant', (array['fulfilled','fulfilled','fulfilled','rejected','ready','draft'])[1 + g % 6],
      p.id, pe.id, pe.system_id, array[pu.unit_id], '[]'::jsonb, '{"title":"x"}'::jsonb, 'bench', 'bench', now(), now(), now()
    from x join p on p.n = x.pn join pe on pe.n = x.pen join pu on pu.person_id = p.id`);
  step('orders');
  // As autovacuum and the checkpointer would after a bulk load, before anything is measured (so they
  // do not run during the measurements, and the visibility map lets index-only scans skip the heap,
  // as in a live database).
  await ctx.db.execute(sql`vacuum analyze`);
  await ctx.db.execute(sql`checkpoint`);
  log(
    `data: ${params.persons} persons, ${params.grants} grants, ${params.orders} orders in ${round((performance.now() - t0) / 1000, 1)} s`,
  );
  return { systemIds, permissionIds, unitId: unit.id };
}

type Result = {
  what: string;
  /** Reads only: one client at a time (the latency of a request with no queue in front of it). */
  concurrency1?: { api: LatencySummary; baseline: LatencySummary };
  /** 1-, 5- and 15-minute load average when the measurement ended (the machine is shared). */
  loadAverage?: number[];
  api: LatencySummary;
  baseline: LatencySummary;
  ratio: number;
  met: boolean;
  targets: unknown;
};

async function runEngine(engine: Engine) {
  if ((values.keep || values.reuse) && engine !== 'postgres')
    throw new Error('--keep and --reuse are for PostgreSQL');
  const bench = await openBenchDatabase(engine, postgresUrl, { keep: values.keep, reuse: values.reuse });
  const ctx: AppContext = {
    database: bench.database,
    db: bench.database.db,
    clock: systemClock,
    config: testConfig({ dbPoolSize: POOL_SIZE }),
  };
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: params.concurrency });
  try {
    log(`[${engine}] ${bench.serverVersion.split(' on ')[0]}`);
    if (values.keep) log(`[${engine}] keeping the database: --reuse ${bench.location.split('/').pop()}`);
    const permissionIds = values.reuse
      ? (await rows<{ id: string }>(ctx.db, sql`select id from access_permissions order by id`)).map(
          (r) => r.id,
        )
      : (await generate(ctx)).permissionIds;
    // The orderer: an administrator account (ordering for anyone but themselves).
    const [me] = await rows<{ id: string }>(ctx.db, sql`select id from persons order by employee_id limit 1`);
    const token = await adminToken(ctx, me.id);
    const people = await rows<{ id: string; unit_id: string }>(
      ctx.db,
      sql`select distinct on (p.id) p.id, pu.unit_id from persons p join person_units pu on pu.person_id = p.id
          where p.id <> ${me.id} order by p.id limit 2000`,
    );
    const heavy = await rows<{ person_id: string }>(
      ctx.db,
      sql`select person_id from access_grants group by person_id order by count(*) desc limit 20`,
    );
    let port: number;
    ({ app, port } = await listenApp(ctx));
    const results: Record<string, Result> = {};
    const c = params.concurrency;

    // ---- reads: per-person view and search ----
    // Read baselines: the very statements the service sends for the page (grantPageRows sends them; for
    // a search: the permission/system lookup, the hits and the rows by id).
    const reads: {
      key: string;
      what: string;
      api: (i: number) => string;
      filter: (i: number) => GrantFilter;
    }[] = [
      {
        key: 'personGrants',
        what: 'GET /api/v1/grants?personId=<one of the 20 persons with most grants>',
        api: (i) => `/api/v1/grants?personId=${heavy[i % heavy.length].person_id}&limit=50`,
        filter: (i) => ({ personId: heavy[i % heavy.length].person_id, status: 'active' }),
      },
      {
        key: 'grantSearch',
        what: `GET /api/v1/grants?q=<term> (${SEARCH_TERMS.join(', ')})`,
        api: (i) => `/api/v1/grants?q=${encodeURIComponent(SEARCH_TERMS[i % SEARCH_TERMS.length])}&limit=50`,
        filter: (i) => ({ q: SEARCH_TERMS[i % SEARCH_TERMS.length], status: 'active' }),
      },
    ];
    for (const q of phases.has('reads') ? reads : []) {
      const check = await request(agent, port, 'GET', q.api(0), token);
      if (check.status !== 200) throw new Error(`${q.api(0)}: ${check.status} ${check.body.slice(0, 200)}`);
      const api = async (i: number) => {
        const r = await request(agent, port, 'GET', q.api(i), token);
        if (r.status !== 200) throw new Error(`${r.status} ${r.body.slice(0, 200)}`);
      };
      // The service's own statements, sent as it sends them (grantPageRows: a page prepared; a search's
      // lookup prepared, its hits planned for its words, its rows by id prepared), without HTTP.
      const base = async (i: number) => {
        await grantPageRows(ctx, q.filter(i), 51);
      };
      // Warm-up: after the bulk load, the pages a search reads are not yet in shared buffers.
      await runConcurrent(WARMUP, 20, base);
      await runConcurrent(WARMUP, 20, api);
      const one = {
        baseline: summarise(await runConcurrent(200, 1, base), 1),
        api: summarise(await runConcurrent(200, 1, api), 1),
      };
      const b = summarise(await runConcurrent(params.requests, 20, base), 20);
      const a = summarise(await runConcurrent(params.requests, 20, api), 20);
      const ratio = round(a.p95Ms / b.p95Ms);
      const p95 = engine === 'postgres' ? TARGET_P95_MS_POSTGRES : null;
      results[q.key] = {
        what: q.what,
        concurrency1: one,
        api: a,
        baseline: b,
        ratio,
        targets: { ratio: TARGET_RATIO, p95Ms: p95, concurrency: 20 },
        met: ratio <= TARGET_RATIO && (p95 === null || a.p95Ms <= p95),
      };
      results[q.key].loadAverage = os.loadavg().map((l) => round(l));
      log(
        `[${engine}] ${q.key}: API p95 ${a.p95Ms} ms, baseline p95 ${b.p95Ms} ms, ratio ${ratio} (one client: API p95 ${one.api.p95Ms} ms, baseline ${one.baseline.p95Ms} ms)`,
      );
    }

    if (!phases.has('writes')) return finish();
    // ---- writes: order create+submit, then fulfilment ----
    const orderBody = (i: number) => {
      const p = people[i % people.length];
      return {
        personId: p.id,
        permissionId: permissionIds[i % permissionIds.length],
        unitIds: [p.unit_id],
        fields: { title: 'Bench' },
        submit: true,
      };
    };
    const created: string[] = [];
    const createApi = async (i: number) => {
      const r = await request(agent, port, 'POST', '/api/v1/orders', token, orderBody(i));
      if (r.status !== 201) throw new Error(`create: ${r.status} ${r.body.slice(0, 200)}`);
      created.push(JSON.parse(r.body).id);
    };
    // Baseline: the same rows written raw in one transaction (order, its event, the audit event).
    const createBase = async (i: number) => {
      const b = orderBody(i);
      const id = randomUUID();
      await ctx.db.transaction(async (tx) => {
        await tx.execute(sql`insert into access_orders (id, kind, state, person_id, permission_id, system_id, unit_ids,
            form_snapshot, field_values, orderer_person_id, orderer_label, created_at, submitted_at)
          select ${id}, 'grant', 'ready', ${b.personId}, pe.id, pe.system_id, array[${b.unitIds[0]}::uuid], '[]'::jsonb,
            '{}'::jsonb, ${me.id}, 'bench', now(), now() from access_permissions pe where pe.id = ${b.permissionId}`);
        await tx.execute(sql`insert into access_order_events (id, order_id, at, event, to_state, actor_label)
          values (gen_random_uuid(), ${id}, now(), 'submitted', 'ready', 'bench')`);
        await tx.execute(sql`insert into audit_events (occurred_at, actor_label, action, entity_type, entity_id, via)
          values (now(), 'bench', 'order.create', 'order', ${id}, 'cli')`);
      });
    };
    await runConcurrent(100, c, createBase);
    await runConcurrent(100, c, createApi);
    const cb = summarise(await runConcurrent(params.writes, c, createBase), c);
    const ca = summarise(await runConcurrent(params.writes, c, createApi), c);
    const submitTarget = engine === 'postgres' ? TARGET_SUBMISSIONS_PER_SECOND_POSTGRES : null;
    results.orderCreateSubmit = {
      what: 'POST /api/v1/orders {submit: true} (validation, A2, orderer facts, form check, insert, event, audit, outbox)',
      api: ca,
      baseline: cb,
      ratio: round(cb.throughputPerSecond / ca.throughputPerSecond),
      targets: { submissionsPerSecond: submitTarget, concurrency: c },
      met: submitTarget === null || ca.throughputPerSecond >= submitTarget,
    };
    results.orderCreateSubmit.loadAverage = os.loadavg().map((l) => round(l));
    log(
      `[${engine}] order create+submit: ${ca.throughputPerSecond}/s (p95 ${ca.p95Ms} ms), raw baseline ${cb.throughputPerSecond}/s`,
    );

    const toFulfil = created.slice(100, 100 + params.writes);
    const fulfilApi = async (i: number) => {
      const r = await request(agent, port, 'POST', `/api/v1/orders/${toFulfil[i]}/fulfil`, token, {});
      if (r.status !== 200) throw new Error(`fulfil: ${r.status} ${r.body.slice(0, 200)}`);
    };
    const baseIds = (
      await rows<{ id: string }>(
        ctx.db,
        sql`select id from access_orders where orderer_label = 'bench' and state = 'ready' and orderer_person_id = ${me.id} and id not in (select unnest(${`{${created.join(',')}}`}::uuid[])) limit ${params.writes}`,
      )
    ).map((r) => r.id);
    const fulfilBase = async (i: number) => {
      await ctx.db.transaction(async (tx) => {
        const [o] = await rows<{ id: string; person_id: string; permission_id: string; system_id: string }>(
          tx,
          sql`update access_orders set state = 'fulfilled', closed_at = now() where id = ${baseIds[i % baseIds.length]}
              and state in ('ready','in_progress') returning id, person_id, permission_id, system_id`,
        );
        if (!o) return;
        await tx.execute(sql`insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type,
            order_id, valid_from, created_at) values (gen_random_uuid(), ${o.person_id}, ${o.permission_id}, ${o.system_id},
            '{}'::uuid[], 'personal', ${o.id}, current_date, now())`);
        await tx.execute(sql`insert into audit_events (occurred_at, actor_label, action, entity_type, entity_id, via)
          values (now(), 'bench', 'order.fulfil', 'order', ${o.id}, 'cli')`);
      });
    };
    const n = Math.min(toFulfil.length, baseIds.length);
    const fb = summarise(await runConcurrent(n, c, fulfilBase), c);
    const fa = summarise(await runConcurrent(n, c, fulfilApi), c);
    results.fulfil = {
      what: 'POST /api/v1/orders/<id>/fulfil (facts, one conditional UPDATE, grant insert, events, audit, outbox)',
      api: fa,
      baseline: fb,
      ratio: round(fb.throughputPerSecond / fa.throughputPerSecond),
      targets: { concurrency: c },
      met: true,
    };
    results.fulfil.loadAverage = os.loadavg().map((l) => round(l));
    log(
      `[${engine}] fulfil: ${fa.throughputPerSecond}/s (p95 ${fa.p95Ms} ms), raw baseline ${fb.throughputPerSecond}/s`,
    );
    return finish();
    function finish() {
      return {
        database: { engine, serverVersion: bench.serverVersion, driver: bench.driver },
        params,
        method:
          'HTTP/1.1 keep-alive to the real app on 127.0.0.1 with a Bearer API token, client in the same process. Read baselines: the statements the service sends for the page (for a search: the permission/system lookup and the page), raw through the same driver (20 clients; also one client at a time, for information: the targets are judged at 20). Write baselines: the same rows written raw in one transaction (ratio = baseline throughput / API throughput).',
        results,
      };
    }
  } finally {
    agent.destroy();
    await app?.close().catch(() => {});
    await bench.dispose();
  }
}

mkdirSync(resultsDir, { recursive: true });
let missed = false;
for (const engine of engines) {
  const r = await runEngine(engine);
  // A run of some phases only (or on a reused database) prints its numbers but keeps the results file.
  if (phases.size === 2 && !values.reuse)
    writeFileSync(path.join(resultsDir, `access-${engine}.json`), `${JSON.stringify(r, null, 2)}\n`);
  for (const [k, v] of Object.entries(r.results)) {
    console.log(
      `${engine}\t${k}\tAPI p95 ${v.api.p95Ms} ms\t${v.api.throughputPerSecond}/s\tbaseline p95 ${v.baseline.p95Ms} ms\t${v.baseline.throughputPerSecond}/s\tratio ${v.ratio}\t${v.met ? 'met' : 'MISSED'}`,
    );
    if (!v.met) missed = true;
  }
}
process.exit(missed ? 2 : 0);
