// The systems benchmark (issue 3): catalogue search, impact and lineage over HTTP under 20 concurrent
// clients, each against its raw-SQL baseline sent through the same driver in the same process.
//   node --import tsx bench/systems.ts [--engine pglite|postgres|both] [--requests 600] [--warmup 60]
//     [--concurrency 20] [--explain] [--only search,impact,lineage]
// Data: bench/lib/systems-data.ts (800 systems, 3,000 integrations, 2,000 dependencies, 6,000 roles).
// Writes bench/results/systems-<engine>.json and prints a table. Exit code 2 when a target is missed.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type SQL, sql } from 'drizzle-orm';
import type { buildApp } from '../src/server/app.ts';
import { pgArray } from '../src/server/db/arrays.ts';
import { rows } from '../src/server/db/client.ts';
import { authenticateToken, tokenCacheOf } from '../src/server/modules/accounts/accounts.service.ts';
import { normaliseQuery } from '../src/server/modules/org/person-keys.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import { testConfig } from '../src/server/testing/db.ts';
import { adminToken, listenApp } from './lib/app.ts';
import { defaultPostgresUrl, type Engine, openBenchDatabase, POOL_SIZE } from './lib/engine.ts';
import { httpGet } from './lib/http.ts';
import { type LatencySummary, round, runConcurrent, summarise } from './lib/stats.ts';
import { CATEGORIES, generate, SIZES } from './lib/systems-data.ts';

const TARGET_RATIO = 2;
const TARGET_P95_MS_POSTGRES = 50;
const SEARCH_TERMS = ['student', 'plat', 'regi', 'sys 12', 'nordic', 'data hub'];
const SEARCH_LIMIT = 50;
const ROUNDS = 2;

// ---- baselines: the services' own SQL, sent raw through the same driver ------------------------------

function searchSql(term: string) {
  const conds: SQL[] = normaliseQuery(term)
    .split(' ')
    .filter(Boolean)
    .slice(0, 5)
    .map((w) => sql`s.search_text like ${`%${w.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  return sql`select s.id, s.name, s.short_name, s.description, s.lifecycle, s.org_model, s.vendor, s.hosting,
          s.criticality, s.stores_personal_data, o.id as object_id, o.name as object_name, s.sort_key as k
        from systems s join governance_objects o on o.id = s.governance_object_id
        where ${sql.join(conds, sql` and `)} order by s.sort_key collate "C", s.id limit ${SEARCH_LIMIT + 1}`;
}

/** An independent answer (the recursive CTE the service used before): checks the API's row count. */
function impactCheckSql(systemId: string) {
  return sql`with recursive edges as (select distinct from_system_id, to_system_id from system_dependencies),
        walk(system_id, path) as (
          select e.from_system_id, array[${systemId}::uuid, e.from_system_id]
          from edges e where e.to_system_id = ${systemId}::uuid
          union all
          select distinct on (e.from_system_id) e.from_system_id, w.path || e.from_system_id
          from walk w join edges e on e.to_system_id = w.system_id
          where not e.from_system_id = any(w.path)),
        best as (
          select distinct on (system_id) system_id, path from walk
          order by system_id, array_length(path, 1))
        select s.id, s.name, s.short_name, array_length(b.path, 1) - 1 as depth, b.path::text[] as path
        from best b join systems s on s.id = b.system_id
        order by depth, s.sort_key collate "C", s.id`;
}

/** An independent answer (the recursive CTE the service used before): checks the API's holder count. */
function lineageCheckSql(category: string) {
  return sql`with recursive flows as (
          select i.id as integration_id, i.source_system_id as src, i.target_system_id as dst
          from information_contracts c join integrations i on i.id = c.integration_id
          where c.status = 'active' and c.includes_personal_data and ${category} = any(c.personal_data_categories)),
        holders as (
          select id from systems where ${category} = any(personal_data_categories)
          union select src from flows union select dst from flows),
        origins as (select h.id from holders h where not exists (select 1 from flows f where f.dst = h.id)),
        walk(system_id, path, via) as (
          select id, array[id], array[]::uuid[] from origins
          union all
          select distinct on (f.dst) f.dst, w.path || f.dst, w.via || f.integration_id
          from walk w join flows f on f.src = w.system_id
          where not f.dst = any(w.path)),
        best as (select distinct on (system_id) system_id, path, via from walk
                 order by system_id, array_length(path, 1))
        select s.id, s.name,
          case when exists (select 1 from flows f where f.dst = h.id) then 'copy' else 'source' end as holds,
          b.path::text[] as path, b.via::text[] as via
        from holders h join systems s on s.id = h.id left join best b on b.system_id = h.id
        order by holds desc, s.sort_key collate "C", s.id`;
}

/** The impact service's statements: the system, the dependency edges, the names on the paths. */
function impactBaseline(systemId: string, pathIds: string[]): SQL[] {
  return [
    sql`select id, name from systems where id = ${systemId}`,
    sql`select distinct from_system_id as f, to_system_id as t from system_dependencies order by 2, 1`,
    sql`select id, name, short_name, sort_key as k from systems where id = any(${pgArray(pathIds, 'uuid')})`,
  ];
}

/** The lineage service's statements: the flows carrying the category, the recording systems, the names. */
function lineageBaseline(category: string, holderIds: string[]): SQL[] {
  return [
    sql`select i.id as integration_id, i.source_system_id as src, i.target_system_id as dst
        from information_contracts c join integrations i on i.id = c.integration_id
        where c.status = 'active' and c.includes_personal_data and ${category} = any(c.personal_data_categories)
        order by i.source_system_id, i.target_system_id, i.id`,
    sql`select id from systems where ${category} = any(personal_data_categories)`,
    sql`select id, name, sort_key as k from systems where id = any(${pgArray(holderIds, 'uuid')})`,
  ];
}

// ---- HTTP ---------------------------------------------------------------------------------------------

type QueryResult = {
  what: string;
  api: LatencySummary;
  baseline: LatencySummary;
  ratio: number;
  targets: { ratio: number; p95Ms: number | null };
  met: boolean;
  explain?: string;
  /** Impact and lineage: one API request right after the graph's data versions changed (graph read again), ms. */
  afterGraphChangeMs?: number[];
  /** Search: the plan of each term's statement run alone. */
  perTermPlans?: { term: string; plan: string }[];
};

async function runSystems(o: {
  engine: Engine;
  requests: number;
  warmup: number;
  concurrency: number;
  explain: boolean;
  only?: string[];
  postgresUrl: string;
  log: (s: string) => void;
}) {
  const log = (s: string) => o.log(`[${o.engine}] ${s}`);
  const bench = await openBenchDatabase(o.engine, o.postgresUrl);
  const { database } = bench;
  const ctx: AppContext = {
    database,
    db: database.db,
    clock: systemClock,
    config: testConfig({ dbPoolSize: POOL_SIZE }),
  };
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const freshAgent = () => {
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  };
  try {
    log(`${bench.serverVersion.split(' on ')[0]} at ${bench.location}`);
    const { systemIds } = await generate(ctx, log);
    await ctx.db.execute(sql`analyze`);

    const [person] = await rows<{ id: string }>(
      ctx.db,
      sql`select id from persons order by employee_id limit 1`,
    );
    const token = await adminToken(ctx, person.id);
    // What an API request pays before its own work when the token cache cannot answer: the API-token
    // lookup (one statement, through the accounts service), alone under the same concurrency. Measured
    // before the app (and so its token cache) exists. Not a target; it explains the ratios.
    await runConcurrent(o.warmup, o.concurrency, async () => {
      await authenticateToken(ctx, token);
    });
    const authLookup = summarise(
      await runConcurrent(o.requests, o.concurrency, async () => {
        await authenticateToken(ctx, token);
      }),
      o.concurrency,
    );
    log(`API-token lookup from the database alone: p50 ${authLookup.p50Ms} ms, p95 ${authLookup.p95Ms} ms`);
    let port: number;
    ({ app, port } = await listenApp(ctx));

    // Impact targets: the five systems with the most dependants (platforms) and five others.
    const impactTargets = [...systemIds.slice(0, 5), ...systemIds.slice(300, 305)];
    // The ids each answer names, noted in the check below, so the baselines fetch the same names.
    const named = new Map<string, string[]>();
    const queries: {
      key: 'search' | 'impact' | 'lineage';
      what: string;
      api: (i: number) => string;
      /** An independent SQL answer whose row count the API's must match. */
      check: (i: number) => SQL;
      /** The statements the service sends for request i, sent raw. */
      baseline: (i: number) => SQL[];
      count: (body: unknown) => number;
      ids: (body: unknown) => string[];
    }[] = [
      {
        key: 'search',
        what: `GET /api/v1/systems?q=<term>&limit=${SEARCH_LIMIT} (terms ${SEARCH_TERMS.join(', ')})`,
        api: (i) =>
          `/api/v1/systems?q=${encodeURIComponent(SEARCH_TERMS[i % SEARCH_TERMS.length])}&limit=${SEARCH_LIMIT}`,
        check: (i) => searchSql(SEARCH_TERMS[i % SEARCH_TERMS.length]),
        baseline: (i) => [searchSql(SEARCH_TERMS[i % SEARCH_TERMS.length])],
        count: (b) => (b as { items: unknown[] }).items.length,
        ids: () => [],
      },
      {
        key: 'impact',
        what: 'GET /api/v1/systems/<id>/impact (5 platform systems, 5 others)',
        api: (i) => `/api/v1/systems/${impactTargets[i % impactTargets.length]}/impact`,
        check: (i) => impactCheckSql(impactTargets[i % impactTargets.length]),
        baseline: (i) =>
          impactBaseline(
            impactTargets[i % impactTargets.length],
            named.get(`impact${i % impactTargets.length}`)!,
          ),
        count: (b) => (b as { affected: unknown[] }).affected.length,
        ids: (b) => [
          ...new Set(
            (b as { affected: { path: { id: string }[] }[] }).affected.flatMap((a) =>
              a.path.map((p) => p.id),
            ),
          ),
        ],
      },
      {
        key: 'lineage',
        what: `GET /api/v1/reports/lineage?category=<category> (${CATEGORIES.join(', ')})`,
        api: (i) =>
          `/api/v1/reports/lineage?category=${encodeURIComponent(CATEGORIES[i % CATEGORIES.length])}`,
        check: (i) => lineageCheckSql(CATEGORIES[i % CATEGORIES.length]),
        baseline: (i) =>
          lineageBaseline(CATEGORIES[i % CATEGORIES.length], named.get(`lineage${i % CATEGORIES.length}`)!),
        count: (b) => (b as { holders: unknown[] }).holders.length,
        ids: (b) => (b as { holders: { system: { id: string } }[] }).holders.map((h) => h.system.id),
      },
    ];

    const results: Record<string, QueryResult> = {};
    for (const q of queries) {
      if (o.only && !o.only.includes(q.key)) continue;
      // Same answers (as many rows) from the API and the baseline, for every parameter.
      const sizes: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await httpGet(agent, port, q.api(i), token);
        if (res.status !== 200) throw new Error(`GET ${q.api(i)}: ${res.status} ${res.body.slice(0, 300)}`);
        const body = JSON.parse(res.body);
        const n = q.count(body);
        named.set(
          `${q.key}${i % (q.key === 'impact' ? impactTargets.length : CATEGORIES.length)}`,
          q.ids(body),
        );
        const b = (await rows(ctx.db, q.check(i))).length;
        const expected = q.key === 'search' ? Math.min(b, SEARCH_LIMIT) : b;
        if (n !== expected)
          throw new Error(`${q.key} #${i}: the API gives ${n} rows, the baseline ${expected}`);
        sizes.push(n);
      }
      log(`${q.key}: result sizes ${sizes.join(', ')}`);

      let errors = 0;
      const api = async (i: number) => {
        const res = await httpGet(agent, port, q.api(i), token);
        if (res.status !== 200 && ++errors === 1) log(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      };
      const baseline = async (i: number) => {
        for (const statement of q.baseline(i)) await rows(ctx.db, statement);
      };
      await runConcurrent(o.warmup, o.concurrency, baseline);
      await runConcurrent(o.warmup, o.concurrency, api);
      freshAgent();
      const raw = {
        api: { latencies: [] as number[], wallMs: 0 },
        baseline: { latencies: [] as number[], wallMs: 0 },
      };
      for (let r = 0; r < ROUNDS; r++) {
        const from = Math.floor((r * o.requests) / ROUNDS);
        const to = Math.floor(((r + 1) * o.requests) / ROUNDS);
        const b = await runConcurrent(to - from, o.concurrency, (i) => baseline(from + i));
        raw.baseline.latencies.push(...b.latencies);
        raw.baseline.wallMs += b.wallMs;
        const a = await runConcurrent(to - from, o.concurrency, (i) => api(from + i));
        raw.api.latencies.push(...a.latencies);
        raw.api.wallMs += a.wallMs;
        freshAgent();
      }
      if (errors) throw new Error(`${q.key}: ${errors} HTTP errors`);
      const apiS = summarise(raw.api, o.concurrency);
      const baseS = summarise(raw.baseline, o.concurrency);
      const ratio = round(apiS.p95Ms / baseS.p95Ms);
      const p95Target = o.engine === 'postgres' ? TARGET_P95_MS_POSTGRES : null;
      const result: QueryResult = {
        what: q.what,
        api: apiS,
        baseline: baseS,
        ratio,
        targets: { ratio: TARGET_RATIO, p95Ms: p95Target },
        met: ratio <= TARGET_RATIO && (p95Target === null || apiS.p95Ms <= p95Target),
      };
      if (o.explain && q.key !== 'search') {
        // The heaviest parameter: the first platform system, or 'students'.
        const plan = await rows<{ 'QUERY PLAN': string }>(
          ctx.db,
          sql`explain (analyze, buffers) ${q.baseline(0)[1]}`,
        );
        result.explain = plan.map((p) => p['QUERY PLAN']).join('\n');
        log(`${q.key} plan:\n${result.explain}`);
      }
      if (q.key === 'search') {
        result.perTermPlans = [];
        for (const term of SEARCH_TERMS) {
          const plan = await rows<{ 'QUERY PLAN': string }>(
            ctx.db,
            sql`explain (analyze) ${searchSql(term)}`,
          );
          result.perTermPlans.push({ term, plan: plan.map((p) => p['QUERY PLAN']).join('\n') });
          if (o.explain) log(`search plan for '${term}':\n${result.perTermPlans.at(-1)!.plan}`);
        }
      } else {
        // The cost of a change: a data version of the graph changes (as any write to its tables does), and
        // the next request reads the graph again and computes its answer.
        result.afterGraphChangeMs = [];
        for (let i = 0; i < 5; i++) {
          await ctx.db.execute(
            sql`update data_versions set version = version + 1 where name = 'system_dependencies'`,
          );
          const t0 = performance.now();
          const res = await httpGet(agent, port, q.api(i), token);
          result.afterGraphChangeMs.push(round(performance.now() - t0));
          if (res.status !== 200) throw new Error(`${q.key} after a graph change: ${res.status}`);
        }
        log(`${q.key}: right after a graph change ${result.afterGraphChangeMs.join(', ')} ms`);
      }
      results[q.key] = result;
      log(
        `${q.key}: API p95 ${apiS.p95Ms} ms, baseline p95 ${baseS.p95Ms} ms, ratio ${ratio}${result.met ? '' : '  ← target missed'}`,
      );
    }
    return {
      database: { engine: o.engine, serverVersion: bench.serverVersion, driver: bench.driver },
      sizes: SIZES,
      concurrency: o.concurrency,
      requestsPerSide: o.requests,
      warmupPerSide: o.warmup,
      rounds: ROUNDS,
      authLookup,
      tokenCache: { ...tokenCacheOf(database)?.stats, listening: tokenCacheOf(database)?.listening ?? false },
      method:
        "HTTP/1.1 keep-alive to the real app (app.listen on 127.0.0.1), Bearer API token (answered from the app's token cache after its first use; authLookup is the database read a cache miss pays, measured before the app started), client in the same process. Search baseline: the one statement the service sends, raw through the same driver. Impact and lineage baselines: the statements that compute the answer from the database (the system, all dependency edges or the category's active flows, the names), raw, as the service did before it kept the graph in memory; the API reads the graph's data versions per request and answers from the in-memory graph, reading the graph again only after a change (afterGraphChangeMs). Answers' row counts are checked against an independent recursive CTE. Rounds alternate baseline and API.",
      results,
    };
  } finally {
    agent.destroy();
    await app?.close().catch(() => {});
    await bench.dispose();
  }
}

// ---- main ---------------------------------------------------------------------------------------------

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    requests: { type: 'string', default: '600' },
    warmup: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '20' },
    explain: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
  strict: true,
});
if (!['pglite', 'postgres', 'both'].includes(values.engine))
  throw new Error('--engine is pglite, postgres or both');
const engines: Engine[] = values.engine === 'both' ? ['pglite', 'postgres'] : [values.engine as Engine];
const resultsDir = fileURLToPath(new URL('./results', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
let missed = false;
const table: string[] = [];
for (const engine of engines) {
  const loadBefore = os.loadavg()[0];
  const r = await runSystems({
    engine,
    requests: Number(values.requests),
    warmup: Number(values.warmup),
    concurrency: Number(values.concurrency),
    explain: values.explain,
    only: values.only?.split(','),
    postgresUrl: process.env.BENCH_DATABASE_URL || defaultPostgresUrl,
    log: (s) => console.log(s),
  });
  const file = path.join(resultsDir, `systems-${engine}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        ...r,
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          node: process.version,
          loadAverage1m: { before: round(loadBefore), after: round(os.loadavg()[0]) },
        },
        at: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  for (const [key, q] of Object.entries(r.results)) {
    if (!q.met) missed = true;
    table.push(
      [
        engine,
        key,
        q.api.p50Ms,
        q.api.p95Ms,
        q.baseline.p95Ms,
        q.ratio,
        q.targets.p95Ms ?? '-',
        q.met ? 'yes' : 'NO',
      ]
        .map(String)
        .join('\t'),
    );
  }
}
console.log(`\nengine\tquery\tAPI p50\tAPI p95\tbase p95\tratio\tp95 max\tmet`);
console.log(table.join('\n'));
process.exit(missed ? 2 : 0);
