// G8: typed dependencies between systems, the impact of a system being down (transitively, with the
// path), and graphs of dependencies and data flows for one system's neighbourhood or the organisation.
import { randomUUID } from 'node:crypto';
import { eq, type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { notFound, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { graphSnapshot, memoised } from './graph-cache.ts';
import { byKey } from './integrations.service.ts';
import { guarded } from './systems.errors.ts';
import { type DEPENDENCY_KINDS, dependencies, systems } from './systems.tables.ts';

type Dependency = typeof dependencies.$inferSelect;
const present = (d: Dependency) => ({
  id: d.id,
  fromSystemId: d.fromSystemId,
  toSystemId: d.toSystemId,
  kind: d.kind,
  description: d.description,
  createdAt: d.createdAt.toISOString(),
});

export async function createDependency(
  ctx: AppContext,
  args: {
    actor: Actor;
    input: {
      fromSystemId: string;
      toSystemId: string;
      kind: (typeof DEPENDENCY_KINDS)[number];
      description: string;
    };
  },
) {
  const now = ctx.clock.now();
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const found = await rows<{ id: string }>(
        tx,
        sql`select id from systems where id in (${args.input.fromSystemId}, ${args.input.toSystemId})`,
      );
      for (const field of ['fromSystemId', 'toSystemId'] as const)
        if (!found.some((s) => s.id === args.input[field]))
          throw validationError([{ field, message: say('No such system.', 'Systemet finns inte.') }]);
      const [row] = await tx
        .insert(dependencies)
        .values({ id: randomUUID(), ...args.input, createdAt: now })
        .returning();
      await recordAudit(tx, now, args.actor, {
        action: 'dependency.create',
        entityType: 'dependency',
        entityId: row.id,
        after: row,
      });
      return present(row);
    }),
  );
}

export async function getDependency(db: Db, id: string) {
  const [d] = await db.select().from(dependencies).where(eq(dependencies.id, id));
  if (!d) throw notFound('The dependency');
  return present(d);
}

export async function deleteDependency(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.delete(dependencies).where(eq(dependencies.id, args.id)).returning();
    if (!before) throw notFound('The dependency');
    await recordAudit(tx, now, args.actor, {
      action: 'dependency.delete',
      entityType: 'dependency',
      entityId: args.id,
      before,
    });
  });
}

export async function listDependencies(db: Db, systemId?: string) {
  const list = await db
    .select()
    .from(dependencies)
    .where(
      systemId
        ? sql`${dependencies.fromSystemId} = ${systemId} or ${dependencies.toSystemId} = ${systemId}`
        : undefined,
    )
    .orderBy(dependencies.createdAt, dependencies.id)
    .limit(10_000);
  return list.map(present);
}

async function systemRef(db: Db, id: string) {
  const [s] = await db.select({ id: systems.id, name: systems.name }).from(systems).where(eq(systems.id, id));
  if (!s) throw notFound('The system');
  return s;
}

/**
 * Breadth-first walk from `start` along `next` (an adjacency map). Returns every reached node with its
 * shortest path from `start` (start included); each node is visited once, so cycles end and the walk is
 * linear in the size of the graph. Neighbours are taken in the map's order, so the answer is stable.
 */
export function shortestPaths(start: string, next: Map<string, string[]>): Map<string, string[]> {
  const paths = new Map<string, string[]>([[start, [start]]]);
  let frontier = [start];
  while (frontier.length) {
    const following: string[] = [];
    for (const node of frontier) {
      const base = paths.get(node)!;
      for (const n of next.get(node) ?? []) {
        if (paths.has(n)) continue;
        paths.set(n, [...base, n]);
        following.push(n);
      }
    }
    frontier = following;
  }
  return paths;
}

/**
 * "What is affected if X is down": every system that depends on X directly or transitively, each with
 * one shortest path from X. The dependency graph is held in memory while its data are unchanged
 * (graph-cache.ts) and walked breadth-first here: a recursive CTE that carries paths grows with the
 * number of paths, not the number of systems, on a dense graph. The answer is kept with the graph.
 */
export async function impactOf(db: Db, systemId: string) {
  const graph = await graphSnapshot(db);
  const s = graph.systems.get(systemId);
  if (!s) throw notFound('The system');
  return memoised(graph, `impact:${systemId}`, () => {
    const paths = shortestPaths(systemId, graph.dependants);
    paths.delete(systemId);
    const info = graph.systems;
    const affected = [...paths.entries()].map(([id, path]) => ({
      id,
      name: info.get(id)?.name ?? '',
      shortName: info.get(id)?.shortName ?? '',
      depth: path.length - 1,
      path: path.map((p) => ({ id: p, name: info.get(p)?.name ?? '' })),
      k: info.get(id)?.k ?? '',
    }));
    // Nearest first, then by name in the catalogue's order (byte order of the sort key, as `collate "C"`).
    affected.sort((a, b) => a.depth - b.depth || byKey(a.k, b.k) || byKey(a.id, b.id));
    return {
      system: { id: s.id, name: s.name },
      affected: affected.map(({ k: _k, ...rest }) => rest),
    };
  });
}

type Node = {
  id: string;
  name: string;
  shortName: string;
  lifecycle: string;
  criticality: string;
  governanceObjectId: string;
  outside: boolean;
};
type Edge = {
  id: string;
  type: 'dependency' | 'integration';
  from: string;
  to: string;
  kind: string;
};

/**
 * Nodes and dependency and integration edges of a set of systems given as a SQL subquery of ids: the
 * edges among them or, with `border`, every edge that touches one of them, with the systems at their
 * other end as nodes marked `outside` (a unit's map shows what its systems exchange with the rest).
 */
async function graphOf(db: Db, ids: SQL, border = false) {
  const joins = border ? sql`or` : sql`and`;
  const edges = await rows<Edge>(
    db,
    sql`with n as (${ids})
        select d.id, 'dependency' as type, d.from_system_id as "from", d.to_system_id as "to", d.kind
        from system_dependencies d
        where d.from_system_id in (select * from n) ${joins} d.to_system_id in (select * from n)
        union all
        select i.id, 'integration', i.source_system_id, i.target_system_id,
          coalesce((select c.status from information_contracts c where c.integration_id = i.id
                    order by (c.status = 'active') desc, c.version desc limit 1), 'no_contract')
        from integrations i
        where i.source_system_id in (select * from n) ${joins} i.target_system_id in (select * from n)
        order by 2, 1`,
  );
  const ends = border ? [...new Set(edges.flatMap((e) => [e.from, e.to]))] : [];
  const nodes = await rows<Node>(
    db,
    sql`with n as (${ids})
        select s.id, s.name, s.short_name as "shortName", s.lifecycle, s.criticality,
          s.governance_object_id as "governanceObjectId", s.id not in (select * from n) as outside
        from systems s where s.id in (select * from n)${
          ends.length ? sql` or s.id = any(${pgArray(ends, 'uuid')})` : sql``
        } order by s.sort_key collate "C", s.id`,
  );
  return { nodes, edges };
}

/** One system's neighbourhood up to `depth` steps along dependencies and integrations, either direction. */
export async function neighbourhoodGraph(db: Db, systemId: string, depth: number) {
  await systemRef(db, systemId);
  return graphOf(
    db,
    sql`with recursive links(a, b) as (
          select from_system_id, to_system_id from system_dependencies
          union select to_system_id, from_system_id from system_dependencies
          union select source_system_id, target_system_id from integrations
          union select target_system_id, source_system_id from integrations),
        reach(id, depth) as (
          select ${systemId}::uuid, 0
          union
          select l.b, r.depth + 1 from reach r join links l on l.a = r.id where r.depth < ${depth})
        select distinct id from reach`,
  );
}

/** The whole organisation's map, optionally one governance object's or one unit's (with sub-units). */
export async function organisationGraph(db: Db, f: { governanceObjectId?: string; unitId?: string }) {
  const conds: SQL[] = [sql`true`];
  if (f.governanceObjectId) conds.push(sql`s.governance_object_id = ${f.governanceObjectId}`);
  if (f.unitId)
    conds.push(sql`s.governance_object_id in (select o.id from governance_objects o where o.owning_unit_id in (
      with recursive down(id) as (select ${f.unitId}::uuid union all
        select u.id from org_units u join down on u.parent_id = down.id)
      select id from down))`);
  return graphOf(db, sql`select s.id from systems s where ${sql.join(conds, sql` and `)}`, conds.length > 1);
}
