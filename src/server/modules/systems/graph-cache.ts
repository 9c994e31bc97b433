// G8/G9: the system graph held in memory, valid across any number of app processes on one database.
// The graph (systems with their names and recorded personal-data categories, the dependency edges and
// the data flows of active contracts) is kept in a versioned cache (platform/versioned-cache.ts): each
// request reads the data versions of the four tables (one statement), which statement-level triggers
// bump in the writing transaction (migrations 0007 and 0008), and the graph is read again only when
// they changed. Answers computed from the graph (impact of a system, lineage of a category) are kept
// with it, so they too live exactly as long as the data they came from.
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import { versionedCache } from '../../platform/versioned-cache.ts';

export type GraphSystem = { id: string; name: string; shortName: string; k: string; categories: string[] };
export type GraphFlow = { integrationId: string; src: string; dst: string; categories: string[] };

export type GraphSnapshot = {
  systems: Map<string, GraphSystem>;
  /** Who depends on X: to_system_id → from_system_ids, distinct, ordered by (to, from). */
  dependants: Map<string, string[]>;
  /** Active contracts that include personal data, ordered by (source, target, integration id). */
  flows: GraphFlow[];
  /** Answers computed from this snapshot, by kind and parameter (bounded). */
  memo: Map<string, unknown>;
};

/** Answers kept per snapshot: every system's impact at 800 systems, and many categories. */
const MEMO_LIMIT = 2000;

const graphs = versionedCache<GraphSnapshot>(
  ['systems', 'system_dependencies', 'integrations', 'information_contracts'],
  1,
);

/**
 * The graph as of the current data versions. The versions are read before the graph, so a snapshot
 * never holds data older than its versions; a write committed in between only makes the next request
 * read the graph again. Concurrent requests share one read.
 */
export function graphSnapshot(db: Db): Promise<GraphSnapshot> {
  return graphs.get(db, 'graph', () => readGraph(db));
}

async function readGraph(db: Db): Promise<GraphSnapshot> {
  // One snapshot for the three reads (a repeatable-read transaction), so an edge never names a system
  // the same graph lacks because a write committed between two of them.
  // The reads go one after another: a transaction is one connection, which runs one statement at a time.
  const [systemRows, edges, flowRows] = await db.transaction(
    async (db) => {
      const systemRows = await rows<{
        id: string;
        name: string;
        short_name: string;
        k: string;
        cats: string[];
      }>(db, sql`select id, name, short_name, sort_key as k, personal_data_categories as cats from systems`);
      const edges = await rows<{ f: string; t: string }>(
        db,
        sql`select distinct from_system_id as f, to_system_id as t from system_dependencies order by 2, 1`,
      );
      const flowRows = await rows<{ integration_id: string; src: string; dst: string; cats: string[] }>(
        db,
        sql`select i.id as integration_id, i.source_system_id as src, i.target_system_id as dst,
          c.personal_data_categories as cats
        from information_contracts c join integrations i on i.id = c.integration_id
        where c.status = 'active' and c.includes_personal_data
        order by i.source_system_id, i.target_system_id, i.id`,
      );
      return [systemRows, edges, flowRows] as const;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const systems = new Map<string, GraphSystem>();
  for (const s of systemRows)
    systems.set(s.id, { id: s.id, name: s.name, shortName: s.short_name, k: s.k, categories: s.cats });
  const dependants = new Map<string, string[]>();
  for (const e of edges) {
    const list = dependants.get(e.t);
    if (list) list.push(e.f);
    else dependants.set(e.t, [e.f]);
  }
  const flows = flowRows.map((f) => ({
    integrationId: f.integration_id,
    src: f.src,
    dst: f.dst,
    categories: f.cats,
  }));
  return { systems, dependants, flows, memo: new Map() };
}

/**
 * An answer computed from the snapshot, kept with it (computed once per version and key). It is shared
 * by every request until the data change, so it is frozen: callers must not change it, and the
 * response serializer writes its JSON once (platform/serialize.ts).
 */
export function memoised<T extends object>(snapshot: GraphSnapshot, key: string, compute: () => T): T {
  if (snapshot.memo.has(key)) return snapshot.memo.get(key) as T;
  const value = Object.freeze(compute());
  if (snapshot.memo.size >= MEMO_LIMIT) snapshot.memo.delete(snapshot.memo.keys().next().value!);
  snapshot.memo.set(key, value);
  return value;
}
