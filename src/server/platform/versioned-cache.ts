// An in-process cache for answers derived from a few tables, valid across every app process that
// shares the database. Each table listed has a counter in `data_versions`, bumped by a statement-level
// trigger inside the writing transaction (migration 0007). A lookup reads the counters first (one
// indexed statement) and reuses the cached answer only when they are what they were when it was
// computed; otherwise it computes again. Reading the counters before computing means a change that
// commits in between can only make the cached answer newer than its version, never older, so a
// committed change is always seen by the next request. Concurrent misses share one computation.
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.ts';

interface Entry<V> {
  version: string;
  value: Promise<V>;
}

export function versionedCache<V>(tables: readonly string[], maxKeys = 16) {
  const byDb = new WeakMap<Db, Map<string, Entry<V>>>();

  async function versionOf(db: Db): Promise<string> {
    const [r] = await rows<{ v: string | null }>(
      db,
      sql`select string_agg(name || '=' || version, ',' order by name) as v
          from data_versions where name in (${sql.join(
            tables.map((t) => sql`${t}`),
            sql`, `,
          )})`,
    );
    return r?.v ?? '';
  }

  return {
    async get(db: Db, key: string, compute: () => Promise<V>): Promise<V> {
      const version = await versionOf(db);
      let entries = byDb.get(db);
      if (!entries) {
        entries = new Map();
        byDb.set(db, entries);
      }
      const hit = entries.get(key);
      if (hit && hit.version === version) return hit.value;
      const value = compute();
      const entry = { version, value };
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
      // A failed computation is not kept.
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
  };
}
