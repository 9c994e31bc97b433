// Times every SQL statement sent through the driver, without touching the server code: the query
// methods of the PGlite instance (and of its transaction objects) or of the pg pool (and of the
// clients it hands out for transactions) are wrapped while tracing, and restored afterwards.
import { performance } from 'node:perf_hooks';
import type { Database } from '../../src/server/db/client.ts';

export type Statement = { text: string; params: unknown[]; startMs: number; ms: number };

type QueryFn = (...args: any[]) => Promise<any>;

function statementText(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'text' in arg) return String((arg as { text: unknown }).text);
  return String(arg);
}

export class StatementTrace {
  readonly statements: Statement[] = [];
  private readonly t0 = performance.now();
  private readonly restore: (() => void)[] = [];
  private active = true;

  constructor(database: Database) {
    if (database.pglite) {
      const client = database.pglite as any;
      this.wrap(client, 'query');
      const transaction = client.transaction;
      client.transaction = (cb: (tx: any) => Promise<unknown>) =>
        transaction.call(client, (tx: any) => {
          this.wrap(tx, 'query', false);
          return cb(tx);
        });
      this.restore.push(() => delete client.transaction);
    } else if (database.pool) {
      const pool = database.pool as any;
      this.wrap(pool, 'query');
      const connect = pool.connect;
      pool.connect = async (...args: unknown[]) => {
        const c = await connect.apply(pool, args);
        if (c && !c.__benchTraced) {
          c.__benchTraced = true;
          this.wrap(c, 'query');
          this.restore.push(() => delete c.__benchTraced);
        }
        return c;
      };
      this.restore.push(() => delete pool.connect);
    }
  }

  private wrap(target: any, method: string, restorable = true) {
    const original: QueryFn = target[method];
    const trace = this;
    target[method] = async function (this: unknown, ...args: any[]) {
      if (!trace.active) return original.apply(this, args);
      const start = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const params = Array.isArray(args[1]) ? args[1] : (args[0]?.values ?? []);
        trace.statements.push({
          text: statementText(args[0]),
          params,
          startMs: start - trace.t0,
          ms: performance.now() - start,
        });
      }
    };
    // Methods live on the prototype; deleting the own property brings the original back.
    if (restorable) this.restore.push(() => delete target[method]);
  }

  stop(): Statement[] {
    this.active = false;
    for (const r of this.restore.reverse()) r();
    return this.statements;
  }
}

/** A short label for a statement: its verb and table, or the index it builds or drops. */
export function statementLabel(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  const ddl = /^(create|drop) index (?:if exists )?"?(\w+)/i.exec(s);
  if (ddl) return `${ddl[1].toLowerCase()} index ${ddl[2]}`;
  const write = /^(insert into|update|delete from) "?(\w+)/i.exec(s);
  if (write) return `${write[1].toLowerCase()} ${write[2]}`;
  const read = /^select .*? from "?(\w+)/i.exec(s);
  if (read) return `select from ${read[1]}`;
  return s.slice(0, 40).toLowerCase();
}

export type StatementGroup = { statement: string; count: number; ms: number };

/** Statements grouped by label, in the order they first ran. */
export function groupStatements(list: Statement[]): StatementGroup[] {
  const groups = new Map<string, StatementGroup>();
  for (const st of list) {
    const label = statementLabel(st.text);
    const g = groups.get(label) ?? { statement: label, count: 0, ms: 0 };
    g.count += 1;
    g.ms += st.ms;
    groups.set(label, g);
  }
  return [...groups.values()].map((g) => ({ ...g, ms: Math.round(g.ms) }));
}
