// The platform benchmark: the HR import of a large organisation (first import and an unchanged
// re-import) and person search over HTTP, each against a baseline measured in the same process.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { type SQL, sql } from 'drizzle-orm';
import type { buildApp } from '../src/server/app.ts';
import { type Database, type Db, rows } from '../src/server/db/client.ts';
import { parseOrgFile } from '../src/server/modules/org/import/import.parse.ts';
import { type ImportCounts, importOrg } from '../src/server/modules/org/import/import.service.ts';
import { createPerson, listPersons } from '../src/server/modules/org/org.service.ts';
import { normaliseQuery } from '../src/server/modules/org/person-keys.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import { systemActor } from '../src/server/platform/context.ts';
import { largeOrgRows, toCsv } from '../src/server/seed/generate.ts';
import { testConfig } from '../src/server/testing/db.ts';
import { adminToken, listenApp } from './lib/app.ts';
import { type Engine, openBenchDatabase, POOL_SIZE } from './lib/engine.ts';
import { httpGet } from './lib/http.ts';
import { percentile, round, runConcurrent, summarise } from './lib/stats.ts';
import { groupStatements, type Statement, type StatementGroup, StatementTrace } from './lib/trace.ts';

/** The search mix: family-name fragments, a given name, an employee-id prefix and two words. */
export const SEARCH_TERMS = ['lind', 'berg', 'sson', 'Åsa', 'E0123', 'anna lind'];
export const SEARCH_LIMIT = 50;
/** The measured requests are split into this many rounds, baseline then API in each. */
const ROUNDS = 4;

export type PlatformOptions = {
  engine: Engine;
  persons: number;
  units: number;
  requests: number;
  warmup: number;
  concurrency: number;
  analyze: boolean;
  search: boolean;
  postgresUrl: string;
  log: (line: string) => void;
};

type ImportTiming = {
  seconds: number;
  counts: ImportCounts;
  auditEventsWritten: number;
  /** Time spent waiting on SQL statements (driver round trips); the rest is JavaScript. */
  sqlSeconds: number;
  jsSeconds: number;
  statements: StatementGroup[];
};

const seconds = (ms: number) => round(ms / 1000, 3);

async function count(db: Db, table: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return r.n;
}

async function timedImport(ctx: AppContext, data: Buffer, label: string): Promise<ImportTiming> {
  const auditBefore = await count(ctx.db, 'audit_events');
  const trace = new StatementTrace(ctx.database);
  const t0 = performance.now();
  let res: Awaited<ReturnType<typeof importOrg>>;
  try {
    res = await importOrg(ctx, { actor: systemActor(`bench: ${label}`, 'cli'), data, filename: 'bench.csv' });
  } finally {
    trace.stop();
  }
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${label} failed: ${JSON.stringify(res.errors.slice(0, 3))}`);
  const sqlMs = trace.statements.reduce((s, st) => s + st.ms, 0);
  return {
    seconds: seconds(ms),
    counts: res.counts,
    auditEventsWritten: (await count(ctx.db, 'audit_events')) - auditBefore,
    sqlSeconds: seconds(sqlMs),
    jsSeconds: seconds(ms - sqlMs),
    statements: groupStatements(trace.statements),
  };
}

/** The slowest statement groups, for the log line. */
function breakdown(t: ImportTiming) {
  const top = [...t.statements]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 4)
    .map((g) => `${g.statement} ${(g.ms / 1000).toFixed(2)}`)
    .join(', ');
  return `(SQL ${t.sqlSeconds} s: ${top}; JavaScript ${t.jsSeconds} s)`;
}

// ---- the baseline: listPersons' own SQL, sent as raw SQL through the same driver ----------------

const escapeLike = (word: string) => word.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * The statement listPersons builds for `?q=<term>&limit=50` with the route's defaults (status active,
 * sort by name, Swedish sort key). Written out here on purpose; checkBaselineSql proves it is the
 * same text with the same parameters.
 */
function searchSql(term: string, limit: number): SQL {
  const sortCol = sql`p.sort_sv`;
  const conds: SQL[] = [sql`p.status = ${'active'}`];
  const matches = normaliseQuery(term)
    .split(' ')
    .filter(Boolean)
    .slice(0, 5)
    .map((word) => sql`search_text like ${`%${escapeLike(word)}%`}`);
  const source = sql`(select * from persons where ${sql.join(matches, sql` and `)} offset 0) p`;
  const where = sql`where ${sql.join(conds, sql` and `)}`;
  const dir = sql`asc`;
  return sql`select p.id, p.employee_id, p.given_name, p.family_name, p.email, p.status, ${sortCol} as k
        from ${source} ${where}
        order by ${sortCol} collate "C" ${dir}, p.id ${dir}
        limit ${limit + 1}`;
}

/** The units lookup listPersons makes for the persons on the page (its second statement). */
function unitsSql(personIds: string[]): SQL {
  return sql`select "person_units"."person_id", "org_units"."id", "org_units"."code", "org_units"."name", "person_units"."is_primary" from "person_units" inner join "org_units" on "org_units"."id" = "person_units"."unit_id" where "person_units"."person_id" in (${sql.join(
    personIds.map((id) => sql`${id}`),
    sql`, `,
  )}) order by "person_units"."is_primary" desc, "org_units"."name"`;
}

async function baselineSearch(db: Db, term: string, limit: number) {
  const found = await rows<{ id: string }>(db, searchSql(term, limit));
  const page = found.slice(0, limit);
  if (page.length) await rows(db, unitsSql(page.map((p) => p.id)));
  return page.map((p) => p.id);
}

const listArgs = (q: string) =>
  ({ q, status: 'active', sort: 'name', lang: 'sv', limit: SEARCH_LIMIT }) as const;

const plain = (list: Statement[]) =>
  list.map((s) => ({ text: s.text.replace(/\s+/g, ' ').trim(), params: s.params }));

/** Runs listPersons and the baseline once per term, with the driver traced, and compares the SQL. */
async function checkBaselineSql(database: Database) {
  let example: ReturnType<typeof plain> = [];
  for (const term of SEARCH_TERMS) {
    const a = new StatementTrace(database);
    try {
      await listPersons(database.db, listArgs(term));
    } finally {
      a.stop();
    }
    const b = new StatementTrace(database);
    try {
      await baselineSearch(database.db, term, SEARCH_LIMIT);
    } finally {
      b.stop();
    }
    const [sa, sb] = [plain(a.statements), plain(b.statements)];
    if (JSON.stringify(sa) !== JSON.stringify(sb))
      throw new Error(
        `The baseline SQL differs from listPersons for "${term}":\n${JSON.stringify({ listPersons: sa, baseline: sb }, null, 2)}`,
      );
    if (term === 'anna lind') example = sb;
  }
  return example.map((s) => ({
    text: s.text,
    params: s.params.length > 4 ? [...s.params.slice(0, 3), `… ${s.params.length} parameters`] : s.params,
  }));
}

// ---- HTTP --------------------------------------------------------------------------------------

const searchPath = (term: string) => `/api/v1/persons?q=${encodeURIComponent(term)}&limit=${SEARCH_LIMIT}`;

// ---- the run -----------------------------------------------------------------------------------

export async function runPlatform(o: PlatformOptions) {
  const log = o.log;
  const bench = await openBenchDatabase(o.engine, o.postgresUrl);
  const { database } = bench;
  const ctx: AppContext = {
    database,
    db: database.db,
    clock: systemClock,
    config: testConfig({ dbPoolSize: POOL_SIZE }),
  };
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  // A fresh keep-alive agent per phase: the server closes connections idle for 5 s (keepAliveTimeout),
  // and reusing one just as it closes would be an ECONNRESET that has nothing to do with the server.
  let agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const freshAgent = () => {
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  };
  try {
    log(`[${o.engine}] ${bench.serverVersion.split(' on ')[0]} at ${bench.location}`);

    // ---- import ----
    let t = performance.now();
    const data = toCsv(largeOrgRows({ persons: o.persons, units: o.units }));
    const generateMs = performance.now() - t;
    log(`[${o.engine}] CSV: ${o.persons} persons, ${o.units} units, ${(data.length / 1e6).toFixed(1)} MB`);

    const first = await timedImport(ctx, data, 'first import');
    log(`[${o.engine}] first import: ${first.seconds} s ${breakdown(first)}`);
    const rss = process.memoryUsage().rss;
    const reimport = await timedImport(ctx, data, 'unchanged re-import');
    log(`[${o.engine}] unchanged re-import: ${reimport.seconds} s ${breakdown(reimport)}`);

    // The import's first step alone (pure JavaScript), timed after the imports so it does not warm
    // them up: how much of the import is reading the file.
    t = performance.now();
    const parsed = await parseOrgFile(data, 'bench.csv');
    const parseMs = performance.now() - t;
    if (parsed.errors.length) throw new Error('the generated file has errors');

    const stored = {
      persons: await count(ctx.db, 'persons'),
      orgUnits: await count(ctx.db, 'org_units'),
      personUnits: await count(ctx.db, 'person_units'),
      auditEvents: await count(ctx.db, 'audit_events'),
    };
    const databaseInfo = { engine: o.engine, serverVersion: bench.serverVersion, driver: bench.driver };
    const importResult = () => ({
      generateCsvSeconds: seconds(generateMs),
      csvBytes: data.length,
      parseOnlySeconds: seconds(parseMs),
      first,
      reimport,
      stored,
      rssAfterFirstImportMb: Math.round(rss / 1e6),
    });

    if (!o.search) return { database: databaseInfo, import: importResult(), search: null };

    // ---- search ----
    if (o.analyze) await ctx.db.execute(sql`analyze`);
    const actor = systemActor('bench setup', 'cli');
    const adminPerson = await createPerson(ctx, {
      actor,
      input: { employeeId: 'BENCH-ADMIN', givenName: 'Bench', familyName: 'Admin', email: null },
    });
    const token = await adminToken(ctx, adminPerson.id);

    let port: number;
    ({ app, port } = await listenApp(ctx));

    const baselineStatements = await checkBaselineSql(database);

    // Same answers: the API returns the persons the baseline finds, in the same order.
    const itemsPerTerm: Record<string, number> = {};
    for (const term of SEARCH_TERMS) {
      const res = await httpGet(agent, port, searchPath(term), token);
      if (res.status !== 200) throw new Error(`GET ${searchPath(term)}: ${res.status} ${res.body}`);
      const apiIds = (JSON.parse(res.body).items as { id: string }[]).map((p) => p.id);
      const baseIds = await baselineSearch(ctx.db, term, SEARCH_LIMIT);
      if (JSON.stringify(apiIds) !== JSON.stringify(baseIds))
        throw new Error(`The API and the baseline disagree on "${term}"`);
      itemsPerTerm[term] = apiIds.length;
    }

    const termOf = (i: number) => SEARCH_TERMS[i % SEARCH_TERMS.length];
    let httpErrors = 0;
    const api = async (i: number) => {
      const res = await httpGet(agent, port, searchPath(termOf(i)), token);
      if (res.status !== 200) {
        httpErrors += 1;
        if (httpErrors === 1) log(`[${o.engine}] HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      }
    };
    const baseline = async (i: number) => {
      await baselineSearch(ctx.db, termOf(i), SEARCH_LIMIT);
    };

    log(`[${o.engine}] warming up (${o.warmup} requests each)`);
    await runConcurrent(o.warmup, o.concurrency, baseline);
    freshAgent();
    await runConcurrent(o.warmup, o.concurrency, api);

    log(`[${o.engine}] search: ${o.requests} requests, ${o.concurrency} concurrent`);
    // In alternating rounds, so that other load on the machine (or a drift in the database's state)
    // weighs on both sides alike.
    const baselineRaw = { latencies: [] as number[], wallMs: 0 };
    const apiRaw = { latencies: [] as number[], wallMs: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const from = Math.floor((r * o.requests) / ROUNDS);
      const to = Math.floor(((r + 1) * o.requests) / ROUNDS);
      const b = await runConcurrent(to - from, o.concurrency, (i) => baseline(from + i));
      baselineRaw.latencies.push(...b.latencies);
      baselineRaw.wallMs += b.wallMs;
      freshAgent();
      const a = await runConcurrent(to - from, o.concurrency, (i) => api(from + i));
      apiRaw.latencies.push(...a.latencies);
      apiRaw.wallMs += a.wallMs;
    }
    const baselineRun = summarise(baselineRaw, o.concurrency);
    const apiRun = summarise(apiRaw, o.concurrency);
    const byTerm = (latencies: number[], k: number) => {
      const sorted = latencies.filter((_, i) => i % SEARCH_TERMS.length === k).sort((a, b) => a - b);
      return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) };
    };
    // Each term once more, alone (no concurrency): its plan and the server's own execution time.
    const perTerm = [];
    for (const [k, term] of SEARCH_TERMS.entries()) {
      const plan = await rows<Record<string, string>>(
        ctx.db,
        sql`explain (analyze, costs off) ${searchSql(term, SEARCH_LIMIT)}`,
      );
      const lines = plan.map((r) => Object.values(r)[0]);
      perTerm.push({
        term,
        items: itemsPerTerm[term],
        api: byTerm(apiRaw.latencies, k),
        baseline: byTerm(baselineRaw.latencies, k),
        plan: lines.filter((l) => /Scan|Sort|Limit|Execution Time|Rows Removed/.test(l)).map((l) => l.trim()),
      });
    }
    if (httpErrors) throw new Error(`${httpErrors} search requests failed`);

    return {
      database: databaseInfo,
      import: importResult(),
      search: {
        terms: SEARCH_TERMS,
        limit: SEARCH_LIMIT,
        analyzedBeforeSearch: o.analyze,
        rounds: ROUNDS,
        api: {
          what: `GET ${searchPath('<term>')} over HTTP/1.1 keep-alive to the real app (app.listen on 127.0.0.1), Bearer API token; latency = request sent to response body read, client in the same process.`,
          ...apiRun,
        },
        baseline: {
          what: 'The same two statements listPersons sends (the person search and the units lookup for the page), as raw SQL through ctx.db.execute on the same driver and pool, same process, same concurrency. No HTTP, no authentication, no serialisation. Checked to be the same SQL text and parameters as listPersons produces.',
          statements: baselineStatements,
          ...baselineRun,
        },
        ratioP95: round(apiRun.p95Ms / baselineRun.p95Ms, 2),
        ratioP50: round(apiRun.p50Ms / baselineRun.p50Ms, 2),
        perTerm,
      },
    };
  } finally {
    agent.destroy();
    await app?.close().catch(() => {});
    await bench.dispose();
  }
}

export type PlatformResult = Awaited<ReturnType<typeof runPlatform>>;
