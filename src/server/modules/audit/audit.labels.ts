// What a person recognises an audit event's object by: an event stores only a type and an id, so the
// log page would say "Order e9277dcb" where an auditor looks for "Order 48". Looked up when read, for a
// page of events in one statement made of each module's own label statements; the name is today's (a
// renamed system shows its new name), and an object that no longer exists has none. Nothing here
// changes what is recorded.
import { type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Per entity type, a statement of (id, label) for the ids given as a uuid[] parameter. Each module gives
 * the statements for its own tables (its `auditLabelSql`); the composition root (src/server/audit-labels.ts)
 * puts them together, so this module reads no other module's tables itself.
 */
export type AuditLabelSql = Readonly<Record<string, (ids: SQL) => SQL>>;

const key = (type: string, id: string) => `${type}:${id.toLowerCase()}`;

/**
 * The readable names of the events' objects, by `type:id`. One statement for the whole page; an
 * object of a type without names here (an import's file name is its id) or one removed has none.
 */
export async function auditEntityLabels(
  db: Db,
  events: readonly { entityType: string; entityId: string | null }[],
  LABELS: AuditLabelSql,
): Promise<(entityType: string, entityId: string | null) => string | null> {
  const byType = new Map<string, Set<string>>();
  for (const e of events) {
    if (!e.entityId || !UUID.test(e.entityId) || !Object.hasOwn(LABELS, e.entityType)) continue;
    const ids = byType.get(e.entityType) ?? new Set<string>();
    ids.add(e.entityId.toLowerCase());
    byType.set(e.entityType, ids);
  }
  const labels = new Map<string, string>();
  if (byType.size) {
    const parts = [...byType].map(
      ([type, ids]) =>
        sql`select ${type}::text as type, q.id::text as id, q.label::text as label
            from (${LABELS[type](pgArray([...ids], 'uuid'))}) q`,
    );
    const found = await rows<{ type: string; id: string; label: string | null }>(
      db,
      sql.join(parts, sql` union all `),
    );
    for (const r of found) if (r.label) labels.set(key(r.type, r.id), r.label);
  }
  return (entityType, entityId) => (entityId ? (labels.get(key(entityType, entityId)) ?? null) : null);
}
