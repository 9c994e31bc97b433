// The licence-pool benchmark (issue 5): on 250,000 grants,
//  (a) seat-consuming fulfilments per second with 50 concurrent HTTP clients, pools sized so that some
//      fulfilments are refused (L2), with zero oversubscription checked afterwards, against a raw-SQL
//      baseline (the same order transition, pool lock, use count and grant insert sent through the
//      driver) on pools of the same shape;
//  (b) the pool utilisation pages (GET /licence-pools, GET /licence-pools/<id>) p95, with 20 concurrent
//      clients and with one at a time, against the statements the service sends, raw.
//   node --import tsx bench/licences.ts [--engine pglite|postgres|both] [--grants 250000]
//     [--persons 20000] [--orders 3000] [--requests 1000] [--concurrency 50]
// Data: an organisation through the HR import; 40 systems with modules Case and Document and five
// permissions each through the services; grants and orders bulk-inserted with INSERT … SELECT
// generate_series; pools through the service. Writes bench/results/licences-<engine>.json.
// Exit code 2 when a target is missed.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type SQL, sql } from 'drizzle-orm';
import type { buildApp } from '../src/server/app.ts';
import { pgArray } from '../src/server/db/arrays.ts';
import { type Db, rows } from '../src/server/db/client.ts';
import { createPermission, moduleConsumerCountsSql } from '../src/server/modules/access/access.service.ts';
import { createPool, trendDates } from '../src/server/modules/licences/pools.service.ts';
import { createObject } from '../src/server/modules/systems/governance.service.ts';
import { addModule, createSystem } from '../src/server/modules/systems/systems.service.ts';
import { localDate, systemClock } from '../src/server/platform/clock.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import { systemActor } from '../src/server/platform/context.ts';
import { testConfig } from '../src/server/testing/db.ts';
import { systemInput } from '../src/server/testing/http.ts';
import { adminToken, listenApp } from './lib/app.ts';
import { defaultPostgresUrl, type Engine, openBenchDatabase, POOL_SIZE } from './lib/engine.ts';
import { request } from './lib/http.ts';
import { importBenchOrg } from './lib/org.ts';
import { type LatencySummary, round, runConcurrent, summarise } from './lib/stats.ts';
import { StatementTrace, statementLabel } from './lib/trace.ts';

const TARGET_FULFILMENTS_PER_SECOND_POSTGRES = 1000;
const TARGET_PAGE_P95_MS = 50;
const SYSTEMS = 40;
/** Systems whose Case pool the API fulfils into, and as many others for the raw baseline. */
const FULFIL_SYSTEMS = 10;
/** Share of the fulfilment orders that find their pool full (L2). */
const REFUSED_SHARE = 0.1;
const PERMISSIONS: {
  name: string;
  modules: string[];
  accountType: 'personal' | 'administrator' | 'system';
}[] = [
  { name: 'Reader', modules: ['Case'], accountType: 'personal' },
  { name: 'Editor', modules: ['Case', 'Document'], accountType: 'personal' },
  { name: 'Archivist', modules: ['Document'], accountType: 'personal' },
  { name: 'Administrator', modules: [], accountType: 'administrator' },
  { name: 'Integration', modules: [], accountType: 'system' },
];

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    grants: { type: 'string', default: '250000' },
    persons: { type: 'string', default: '20000' },
    orders: { type: 'string', default: '3000' },
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
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
  persons: num('persons'),
  orders: num('orders'),
  requests: num('requests'),
  concurrency: num('concurrency'),
};
const engines: Engine[] = values.engine === 'both' ? ['pglite', 'postgres'] : [values.engine as Engine];
const postgresUrl = process.env.BENCH_DATABASE_URL || defaultPostgresUrl;
const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
const log = (s: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${s}`);

type Sys = { id: string; permissions: Record<string, string> };

async function generate(ctx: AppContext) {
  const actor = systemActor('bench setup', 'cli');
  const t0 = performance.now();
  await importBenchOrg(ctx, params.persons, Math.max(50, Math.floor(params.persons / 40)));
  const [unit] = await rows<{ id: string }>(ctx.db, sql`select id from org_units order by code limit 1`);
  const object = await createObject(ctx, { actor, input: { name: 'Bench object', owningUnitId: unit.id } });
  const systems: Sys[] = [];
  for (let s = 0; s < SYSTEMS; s++) {
    const sys = await createSystem(ctx, {
      actor,
      input: systemInput({ name: `Bench sys ${s}`, shortName: `BS${s}`, governanceObjectId: object.id }),
    });
    for (const m of ['Case', 'Document']) await addModule(ctx, { actor, systemId: sys.id, name: m });
    const permissions: Record<string, string> = {};
    for (const p of PERMISSIONS) {
      const created = await createPermission(ctx, {
        actor,
        systemId: sys.id,
        input: {
          name: p.name,
          description: '',
          accountType: p.accountType,
          modules: p.modules,
          limitedToUnits: true,
          approvalSteps: [],
          active: true,
        },
      });
      permissions[p.name] = created.id;
    }
    systems.push({ id: sys.id, permissions });
  }
  // Grants: spread over persons and permissions, every seventh ended (as in bench/access.ts). The
  // consumption triggers are off for this one bulk statement and the use tables filled afterwards in one
  // grouped statement, as migration 0009 does for existing grants (the triggers' per-statement work on
  // 250,000 rows at once is not what is measured); they are on for everything measured.
  // (PostgreSQL only: on PGlite 0.5.16 this bulk insert after the ALTER failed with "XLogBeginInsert was
  // already called", so there the triggers do the work.)
  const bulk = ctx.database.kind === 'postgres';
  if (bulk) await ctx.db.execute(sql`alter table access_grants disable trigger access_grants_module_use_ins`);
  await ctx.db.execute(sql`
    with p as (select id, row_number() over (order by id) - 1 as n, count(*) over () as c from persons),
      pe as (select id, system_id, account_type, row_number() over (order by id) - 1 as n, count(*) over () as c
             from access_permissions),
      pu as (select distinct on (person_id) person_id, unit_id from person_units order by person_id, is_primary desc)
    insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type, expert_user,
      valid_from, valid_until, ended_at, ended_on, created_at)
    select gen_random_uuid(), p.id, pe.id, pe.system_id, array[pu.unit_id], pe.account_type, false,
      date '2025-01-01' + (g % 600)::int, case when g % 10 = 0 then date '2026-12-01' + (g % 90)::int end,
      case when g % 7 = 0 then now() end, case when g % 7 = 0 then current_date end, now()
    from generate_series(0::bigint, ${params.grants - 1}) g
      join p on p.n = (g * 7919) % p.c
      join pe on pe.n = (g * 104729 + g / 97) % pe.c
      join pu on pu.person_id = p.id`);
  if (bulk) {
    await ctx.db.execute(sql`alter table access_grants enable trigger access_grants_module_use_ins`);
    await ctx.db.execute(sql`insert into access_module_holders (system_id, module, person_id, grants)
      select g.system_id, m.module, g.person_id, count(*)::int
      from access_grants g join access_permissions p on p.id = g.permission_id
        cross join lateral (select distinct unnest(p.modules) as module) m
      where g.ended_at is null group by g.system_id, m.module, g.person_id`);
    await ctx.db.execute(sql`insert into access_module_use (system_id, module, used)
      select system_id, module, count(*)::int from access_module_holders where grants > 0 group by system_id, module`);
  }
  await ctx.db.execute(sql`analyze`);
  // Pools: every module of every system, a little above its use (the fulfilment pools are resized below).
  const used = new Map(
    (await rows<{ system_id: string; module: string; used: number }>(ctx.db, moduleConsumerCountsSql())).map(
      (r) => [`${r.system_id}/${r.module}`, r.used],
    ),
  );
  const pools = new Map<string, string>();
  for (const s of systems)
    for (const m of ['Case', 'Document']) {
      const u = used.get(`${s.id}/${m}`) ?? 0;
      const pool = await createPool(ctx, {
        actor,
        input: { systemId: s.id, module: m, size: u + 5_000, unitPrice: 1200 },
      });
      pools.set(`${s.id}/${m}`, pool!.id);
    }
  log(
    `data: ${params.persons} persons, ${params.grants} grants, ${pools.size} pools in ${round((performance.now() - t0) / 1000, 1)} s`,
  );
  return { systems, pools, used };
}

/**
 * Ready grant orders for `count` persons on the given systems' Reader (Case) and Editor (Case+Document)
 * permissions, each for a person with no active grant on that system, so every fulfilment takes a seat.
 */
async function makeOrders(
  ctx: AppContext,
  systems: Sys[],
  count: number,
  label: string,
  /** The permission of the n-th order on a system; by default Reader and Editor (2:1). */
  permissionOf: (s: Sys, n: 'free.n') => SQL = (s) =>
    sql`case when free.n % 3 = 2 then ${s.permissions.Editor}::uuid else ${s.permissions.Reader}::uuid end`,
) {
  const perSystem = Math.ceil(count / systems.length);
  const orders: { id: string; systemId: string }[] = [];
  for (const s of systems) {
    const found = await rows<{ id: string }>(
      ctx.db,
      sql`with free as (
            select p.id as person_id, row_number() over (order by p.id) - 1 as n from persons p
            where not exists (select 1 from access_grants g where g.person_id = p.id and g.system_id = ${s.id}
              and g.ended_at is null)
            order by p.id limit ${perSystem}),
          pu as (select distinct on (person_id) person_id, unit_id from person_units order by person_id, is_primary desc)
          insert into access_orders (id, kind, state, person_id, permission_id, system_id, unit_ids, form_snapshot,
            field_values, orderer_label, reason, created_at, submitted_at)
          select gen_random_uuid(), 'grant', 'ready', free.person_id,
            ${permissionOf(s, 'free.n')},
            ${s.id}, array[pu.unit_id], '[]'::jsonb, '{}'::jsonb, ${label}, 'bench', now(), now()
          from free join pu on pu.person_id = free.person_id
          returning id`,
    );
    for (const o of found) orders.push({ id: o.id, systemId: s.id });
  }
  // Interleave the systems, as requests from many units would arrive.
  const bySystem = systems.map((s) => orders.filter((o) => o.systemId === s.id));
  const mixed: { id: string; systemId: string }[] = [];
  for (let i = 0; i < perSystem; i++) for (const list of bySystem) if (list[i]) mixed.push(list[i]);
  return mixed;
}

/** Sizes the Case pools of `systems` so that (1 − REFUSED_SHARE) of `perSystem` orders fit. */
async function sizePools(ctx: AppContext, systems: Sys[], perSystem: number) {
  const free = Math.floor(perSystem * (1 - REFUSED_SHARE));
  for (const s of systems)
    await ctx.db.execute(sql`update licence_pools set size = (
        select count(distinct g.person_id)::int from access_grants g join access_permissions p on p.id = g.permission_id
        where g.system_id = ${s.id} and g.ended_at is null and 'Case' = any(p.modules)) + ${free}
      where system_id = ${s.id} and module_name = 'Case'`);
  return free;
}

/** Consumption and size of every pool, counted independently of the service. */
async function poolState(db: Db) {
  return rows<{ id: string; system_id: string; module_name: string; size: number; used: number }>(
    db,
    sql`select lp.id, lp.system_id, lp.module_name, lp.size,
          (select count(distinct g.person_id)::int from access_grants g join access_permissions p on p.id = g.permission_id
           where g.system_id = lp.system_id and g.ended_at is null and lp.module_name = any(p.modules)) as used
        from licence_pools lp`,
  );
}

/**
 * The raw baseline of one fulfilment: the statements fulfilOrder and reserveModuleLicences send for the
 * licence part (order transition, permission, pool lock, use count, grant insert with the order link), without
 * events, audit, notification, HTTP, authentication or validation.
 */
async function rawFulfil(db: Db, orderId: string): Promise<'ok' | 'full'> {
  try {
    await db.transaction(async (tx) => {
      const [o] = await rows<{ id: string; person_id: string; permission_id: string; system_id: string }>(
        tx,
        sql`update access_orders set state = 'fulfilled', closed_at = now(), version = version + 1
            where id = ${orderId} and state in ('ready','in_progress') returning id, person_id, permission_id, system_id`,
      );
      if (!o) throw new Error('order not ready');
      const [perm] = await rows<{ modules: string[]; account_type: string }>(
        tx,
        sql`select modules, account_type from access_permissions where id = ${o.permission_id}`,
      );
      const pools = await rows<{ module_name: string; size: number }>(
        tx,
        sql`select p.module_name, p.size from licence_pools p join systems s on s.id = p.system_id
            where p.system_id = ${o.system_id} and p.module_name = any(${pgArray(perm.modules, 'text')})
            order by p.module_name for update of p`,
      );
      const use = await rows<{ module: string; held: boolean; used: number }>(
        tx,
        sql`select m.module, bool_or(g.person_id = ${o.person_id}::uuid) is true as held,
              count(distinct g.person_id)::int as used
            from unnest(${pgArray(
              pools.map((p) => p.module_name),
              'text',
            )}) as m(module)
            left join (access_grants g join access_permissions p on p.id = g.permission_id)
              on g.system_id = ${o.system_id} and g.ended_at is null and m.module = any(p.modules)
            group by m.module`,
      );
      for (const p of pools) {
        const u = use.find((x) => x.module === p.module_name)!;
        if (!u.held && u.used + 1 > p.size) throw new Error('full');
      }
      await tx.execute(sql`with g as (insert into access_grants (id, person_id, permission_id, system_id, unit_ids,
            account_type, order_id, valid_from, created_at) values (${randomUUID()}, ${o.person_id}, ${o.permission_id},
            ${o.system_id}, '{}'::uuid[], ${perm.account_type}, ${o.id}, current_date, now()) returning id)
          update access_orders set grant_id = (select id from g) where id = ${o.id}`);
    });
    return 'ok';
  } catch (e) {
    if ((e as Error).message === 'full') return 'full';
    throw e;
  }
}

type Fulfilment = {
  what: string;
  orders: number;
  fulfilled: number;
  refusedL2: number;
  seatConsumingPerSecond: number;
  requests: LatencySummary;
};

async function runEngine(engine: Engine) {
  const bench = await openBenchDatabase(engine, postgresUrl);
  const ctx: AppContext = {
    database: bench.database,
    db: bench.database.db,
    clock: systemClock,
    config: testConfig({ dbPoolSize: POOL_SIZE }),
  };
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  // A fresh keep-alive agent before each API phase: sockets idle through a long baseline phase may have
  // been closed by the server (keep-alive timeout) and would reset on reuse.
  let agent = new http.Agent({ keepAlive: true, maxSockets: params.concurrency });
  const freshAgent = () => {
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: params.concurrency });
  };
  const load: Record<string, number[]> = { start: os.loadavg() };
  try {
    log(`[${engine}] ${bench.serverVersion.split(' on ')[0]}`);
    const { systems, pools } = await generate(ctx);
    const [me] = await rows<{ id: string }>(ctx.db, sql`select id from persons order by employee_id limit 1`);
    const token = await adminToken(ctx, me.id);
    let port: number;
    ({ app, port } = await listenApp(ctx));
    const c = params.concurrency;

    // ---- (a) fulfilments ----
    const apiSystems = systems.slice(0, FULFIL_SYSTEMS);
    const rawSystems = systems.slice(FULFIL_SYSTEMS, 2 * FULFIL_SYSTEMS);
    const warmSystems = systems.slice(2 * FULFIL_SYSTEMS, 2 * FULFIL_SYSTEMS + 2);
    const perSystem = Math.ceil(params.orders / FULFIL_SYSTEMS);
    const apiOrders = await makeOrders(ctx, apiSystems, params.orders, 'bench-api');
    const rawOrders = await makeOrders(ctx, rawSystems, params.orders, 'bench-raw');
    const warmOrders = await makeOrders(ctx, warmSystems, 200, 'bench-warm');
    // The same fulfilment of a permission that includes no module: no pool lock, no L2 check. What the
    // API reaches without the licence part is the ceiling seat-consuming fulfilments cannot pass here.
    const plainSystems = systems.slice(2 * FULFIL_SYSTEMS + 2, 3 * FULFIL_SYSTEMS + 2);
    const plainOrders = await makeOrders(
      ctx,
      plainSystems,
      params.orders,
      'bench-plain',
      (sys) => sql`${sys.permissions.Administrator}::uuid`,
    );
    const freeSeats = await sizePools(ctx, [...apiSystems, ...rawSystems], perSystem);
    await ctx.db.execute(sql`analyze`);
    const before = new Map((await poolState(ctx.db)).map((p) => [p.id, p]));
    log(`[${engine}] fulfil: ${apiOrders.length} orders per side, ${freeSeats} free Case seats per system`);

    const warm = warmOrders.slice(0, 100);
    await runConcurrent(warm.length, c, async (i) => {
      await rawFulfil(ctx.db, warm[i].id);
    });
    const warmApi = warmOrders.slice(100, -1);
    const traceOrder = warmOrders[warmOrders.length - 1];
    await runConcurrent(warmApi.length, c, async (i) => {
      await request(agent, port, 'POST', `/api/v1/orders/${warmApi[i].id}/fulfil`, token, {});
    });

    // The statements one API fulfilment sends (after the warm-up), for the report.
    const trace = new StatementTrace(ctx.database);
    const traced = await request(agent, port, 'POST', `/api/v1/orders/${traceOrder.id}/fulfil`, token, {});
    const apiStatements = trace.stop().map((st) => `${statementLabel(st.text)} (${round(st.ms)} ms)`);
    if (traced.status !== 200)
      throw new Error(`traced fulfil: ${traced.status} ${traced.body.slice(0, 200)}`);

    const outcome = () => ({ ok: 0, full: 0, other: [] as string[], okBySystem: new Map<string, number>() });
    const raw = outcome();
    load.beforeFulfil = os.loadavg();
    const rawRun = await runConcurrent(rawOrders.length, c, async (i) => {
      const r = await rawFulfil(ctx.db, rawOrders[i].id);
      raw[r]++;
    });
    const api = outcome();
    freshAgent();
    const apiRun = await runConcurrent(apiOrders.length, c, async (i) => {
      const o = apiOrders[i];
      const r = await request(agent, port, 'POST', `/api/v1/orders/${o.id}/fulfil`, token, {});
      if (r.status === 200) {
        api.ok++;
        api.okBySystem.set(o.systemId, (api.okBySystem.get(o.systemId) ?? 0) + 1);
      } else if (r.status === 409 && JSON.parse(r.body).rule === 'L2') api.full++;
      else api.other.push(`${r.status} ${r.body.slice(0, 200)}`);
    });
    load.afterFulfil = os.loadavg();
    freshAgent();
    const plain = { ok: 0, other: [] as string[] };
    const plainRun = await runConcurrent(plainOrders.length, c, async (i) => {
      const r = await request(agent, port, 'POST', `/api/v1/orders/${plainOrders[i].id}/fulfil`, token, {});
      if (r.status === 200) plain.ok++;
      else plain.other.push(`${r.status} ${r.body.slice(0, 200)}`);
    });
    load.afterPlainFulfil = os.loadavg();
    if (plain.other.length)
      throw new Error(`unexpected fulfil answers: ${plain.other.slice(0, 3).join(' | ')}`);
    if (api.other.length) throw new Error(`unexpected fulfil answers: ${api.other.slice(0, 3).join(' | ')}`);

    // Zero oversubscription: every pool's consumption within its size; the API's Case pools grew by
    // exactly the fulfilments that succeeded; each refused order is still ready and has no grant.
    const after = await poolState(ctx.db);
    const over = after.filter((p) => p.used > p.size);
    const caseMismatch = apiSystems
      .map((s) => {
        const id = pools.get(`${s.id}/Case`)!;
        const a = after.find((p) => p.id === id)!;
        const b = before.get(id)!;
        return {
          system: s.id,
          grew: a.used - b.used,
          fulfilled: api.okBySystem.get(s.id) ?? 0,
          size: a.size,
          used: a.used,
        };
      })
      .filter((x) => x.grew !== x.fulfilled);
    const [state] = await rows<{ ready: number; fulfilled: number; grants: number }>(
      ctx.db,
      sql`select count(*) filter (where o.state = 'ready')::int as ready,
            count(*) filter (where o.state = 'fulfilled')::int as fulfilled,
            (select count(*)::int from access_grants g where g.order_id = any(${pgArray(
              apiOrders.map((o) => o.id),
              'uuid',
            )})) as grants
          from access_orders o where o.id = any(${pgArray(
            apiOrders.map((o) => o.id),
            'uuid',
          )})`,
    );
    const verified = {
      poolsChecked: after.length,
      poolsOverSize: over.length,
      casePoolsWhoseGrowthDiffersFromFulfilments: caseMismatch.length,
      apiOrdersFulfilled: state.fulfilled,
      apiOrdersStillReady: state.ready,
      apiGrantsCreated: state.grants,
      ok:
        over.length === 0 &&
        caseMismatch.length === 0 &&
        state.fulfilled === api.ok &&
        state.grants === api.ok &&
        state.ready === api.full &&
        api.ok === freeSeats * FULFIL_SYSTEMS,
    };
    if (!verified.ok)
      console.error('verification failed', {
        verified,
        over,
        caseMismatch,
        api: { ok: api.ok, full: api.full },
      });

    const fulfilResult = (
      label: string,
      o: typeof api,
      run: { latencies: number[]; wallMs: number },
    ): Fulfilment => ({
      what: label,
      orders: run.latencies.length,
      fulfilled: o.ok,
      refusedL2: o.full,
      seatConsumingPerSecond: round(o.ok / (run.wallMs / 1000), 1),
      requests: summarise(run, c),
    });
    const fa = fulfilResult(
      'POST /api/v1/orders/<id>/fulfil over HTTP (token, A5 checks, order transition, L2 pool lock and count, grant, events, audit, notification)',
      api,
      apiRun,
    );
    const fb = fulfilResult(
      'raw SQL through the same driver: order transition, permission, pool lock, use count, grant insert, order link',
      raw,
      rawRun,
    );
    const fulfilTarget = engine === 'postgres' ? TARGET_FULFILMENTS_PER_SECOND_POSTGRES : null;
    log(
      `[${engine}] fulfil without a licence (no pool): API ${round(plain.ok / (plainRun.wallMs / 1000), 1)}/s (${plain.ok} ok, p95 ${summarise(plainRun, c).p95Ms} ms)`,
    );
    log(
      `[${engine}] fulfil: API ${fa.seatConsumingPerSecond} seats/s (${fa.fulfilled} ok, ${fa.refusedL2} L2, p95 ${fa.requests.p95Ms} ms); raw ${fb.seatConsumingPerSecond} seats/s (${fb.fulfilled} ok, ${fb.refusedL2} full); verified ${verified.ok}`,
    );

    // ---- (b) the pool pages ----
    const poolIds = [...pools.values()];
    const sample = poolIds[0];
    const [row] = await rows<{ system_id: string; module_name: string }>(
      ctx.db,
      sql`select system_id, module_name from licence_pools where id = ${sample}`,
    );
    const poolSelect = sql`select p.id, p.system_id, s.name as system_name, p.module_name, p.size, p.unit_price::text,
        p.currency, p.version, s.contract_owner_person_id from licence_pools p join systems s on s.id = p.system_id`;
    const holders = (system: string, module: string) => sql`
      with h as (select person_id from access_module_holders where system_id = ${system} and module = ${module} and grants > 0)`;
    const pages: { key: string; what: string; api: (i: number) => string; sql: (i: number) => SQL[] }[] = [
      {
        key: 'poolList',
        what: `GET /api/v1/licence-pools (${poolIds.length} pools, the licences dashboard)`,
        api: () => '/api/v1/licence-pools',
        sql: () => [
          sql`${poolSelect} order by s.name, p.module_name`,
          moduleConsumerCountsSql(systems.map((s) => s.id)),
        ],
      },
      {
        key: 'poolPage',
        what: 'GET /api/v1/licence-pools/<id> (one pool: changes, first 200 consumers, consumers by unit)',
        api: (i) => `/api/v1/licence-pools/${poolIds[i % poolIds.length]}`,
        sql: (i) => {
          const id = poolIds[i % poolIds.length];
          const [system, module] = [...pools.entries()].find(([, v]) => v === id)![0].split('/');
          return [
            sql`${poolSelect} where p.id = ${id}`,
            sql`select * from licence_pool_changes where pool_id = ${id} order by prepared_at desc, id`,
            sql`${holders(system, module)}, top as (select pe.id, pe.given_name, pe.family_name, pe.status
                from h join persons pe on pe.id = h.person_id order by pe.family_name, pe.given_name, pe.id limit 200)
              select top.*, pu.unit_id, pu.unit_name from top left join lateral (select pu.unit_id, u.name as unit_name
                from person_units pu join org_units u on u.id = pu.unit_id where pu.person_id = top.id
                order by pu.is_primary desc, pu.unit_id limit 1) pu on true order by top.family_name, top.given_name, top.id`,
            sql`${holders(system, module)}, pu as (select distinct on (pu.person_id) pu.person_id, pu.unit_id
                from person_units pu join h on h.person_id = pu.person_id order by pu.person_id, pu.is_primary desc, pu.unit_id)
              select pu.unit_id, u.name as unit_name, count(*)::int as used from h left join pu on pu.person_id = h.person_id
                left join org_units u on u.id = pu.unit_id group by pu.unit_id, u.name`,
          ];
        },
      },
      {
        key: 'poolTrend',
        what: "GET /api/v1/licence-pools/<id>/trend (used and size at 12 month ends, the pool page's second call)",
        api: (i) => `/api/v1/licence-pools/${poolIds[i % poolIds.length]}/trend`,
        sql: (i) => {
          const id = poolIds[i % poolIds.length];
          const [system, module] = [...pools.entries()].find(([, v]) => v === id)![0].split('/');
          const dates = trendDates(localDate(new Date()), 12);
          return [
            sql`${poolSelect} where p.id = ${id}`,
            sql`select created_at from licence_pools where id = ${id}`,
            sql`select confirmed_at, old_size, new_size, unit_price from licence_pool_changes
                where pool_id = ${id} and status = 'confirmed' order by confirmed_at, id`,
            sql`with g as materialized (select g.person_id, g.valid_from, g.ended_on from access_grants g
                  join access_permissions p on p.id = g.permission_id
                  where g.system_id = ${system} and ${module} = any(p.modules))
                select a.at, (select count(distinct g.person_id) from g
                  where g.valid_from <= a.at and (g.ended_on is null or g.ended_on > a.at))::int as used
                from unnest(${pgArray(dates, 'date')}) as a(at) order by a.at`,
          ];
        },
      },
    ];
    void row;
    const pageResults: Record<string, unknown> = {};
    let pagesMet = true;
    for (const q of pages) {
      const check = await request(agent, port, 'GET', q.api(0), token);
      if (check.status !== 200) throw new Error(`${q.api(0)}: ${check.status} ${check.body.slice(0, 200)}`);
      const apiCall = async (i: number) => {
        const r = await request(agent, port, 'GET', q.api(i), token);
        if (r.status !== 200) throw new Error(`${r.status} ${r.body.slice(0, 200)}`);
      };
      const base = async (i: number) => {
        for (const s of q.sql(i)) await rows(ctx.db, s);
      };
      const out: Record<string, unknown> = { what: q.what, responseBytes: check.bytes };
      // Each statement alone: its execution time from EXPLAIN ANALYZE (the plan's last line).
      const plans: string[] = [];
      for (const st of q.sql(1)) {
        const plan = await rows<Record<string, string>>(ctx.db, sql`explain (analyze) ${st}`);
        const lines = plan.map((r) => Object.values(r)[0]);
        plans.push(`${lines[0].trim().slice(0, 140)} … ${lines[lines.length - 1].trim()}`);
      }
      out.statements = plans;
      for (const conc of [1, 20]) {
        const n = conc === 1 ? Math.min(200, params.requests) : params.requests;
        await runConcurrent(50, conc, base);
        freshAgent();
        await runConcurrent(50, conc, apiCall);
        const b = summarise(await runConcurrent(n, conc, base), conc);
        freshAgent();
        const a = summarise(await runConcurrent(n, conc, apiCall), conc);
        const met = a.p95Ms < TARGET_PAGE_P95_MS;
        if (!met) pagesMet = false;
        out[`concurrency${conc}`] = { api: a, baseline: b, ratioP95: round(a.p95Ms / b.p95Ms), met };
        log(
          `[${engine}] ${q.key} @${conc}: API p95 ${a.p95Ms} ms (p50 ${a.p50Ms}), baseline p95 ${b.p95Ms} ms (p50 ${b.p50Ms}), ratio ${round(a.p95Ms / b.p95Ms)}`,
        );
      }
      pageResults[q.key] = out;
    }
    load.end = os.loadavg();
    const fulfilMet = verified.ok && (fulfilTarget === null || fa.seatConsumingPerSecond >= fulfilTarget);
    return {
      database: { engine, serverVersion: bench.serverVersion, driver: bench.driver },
      params,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        node: process.version,
        loadAverage: load,
      },
      at: new Date().toISOString(),
      method:
        'HTTP/1.1 keep-alive to the real app on 127.0.0.1 with a Bearer API token, clients in the same process. Fulfilment: orders for persons without a grant on the system, pools sized so that 10 % find their pool full; the raw baseline sends the licence part of the same transaction through the same driver on pools of the same shape. Pages: the statements the service sends, raw, one after another.',
      fulfil: {
        api: fa,
        baseline: fb,
        ratio: round(fb.seatConsumingPerSecond / fa.seatConsumingPerSecond),
        verified,
        apiStatements,
        withoutLicence: {
          what: 'the same POST /api/v1/orders/<id>/fulfil for a permission that includes no module (no pool lock, no L2 check): the ceiling of the API on this machine',
          orders: plainRun.latencies.length,
          fulfilled: plain.ok,
          perSecond: round(plain.ok / (plainRun.wallMs / 1000), 1),
          requests: summarise(plainRun, c),
        },
        targets: { seatConsumingPerSecond: fulfilTarget, concurrency: c },
        met: fulfilMet,
      },
      pages: { ...pageResults, targets: { p95Ms: TARGET_PAGE_P95_MS }, met: pagesMet },
    };
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
  writeFileSync(path.join(resultsDir, `licences-${engine}.json`), `${JSON.stringify(r, null, 2)}\n`);
  console.log(
    `${engine}\tfulfil\tAPI ${r.fulfil.api.seatConsumingPerSecond} seats/s\traw ${r.fulfil.baseline.seatConsumingPerSecond} seats/s\tverified ${r.fulfil.verified.ok}\t${r.fulfil.met ? 'met' : 'MISSED'}`,
  );
  console.log(
    `${engine}\tpages\t${r.pages.met ? 'met' : 'MISSED'}\tload ${r.machine.loadAverage.end.map((x) => x.toFixed(2)).join(' ')}`,
  );
  if (!r.fulfil.met || !r.pages.met) missed = true;
}
process.exit(missed ? 2 : 0);
