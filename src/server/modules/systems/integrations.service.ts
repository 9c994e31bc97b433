// G9: integrations and their information contracts. A contract version is proposed, and becomes active
// only when the source system's owner consents; activation supersedes the active version in the same
// transaction (a partial unique index allows one active version per integration). From the active
// contracts Steward derives which systems are sources of a personal-data category and which hold copies.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { personalDataCategoryKey } from '../../../shared/personal-data.ts';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { type GraphSnapshot, graphSnapshot, memoised } from './graph-cache.ts';
import { guarded } from './systems.errors.ts';
import type { ContractCreate } from './systems.schema.ts';
import { type informationContracts, integrations, systems } from './systems.tables.ts';

type ContractRow = {
  id: string;
  integration_id: string;
  version: number;
  status: 'proposed' | 'active' | 'superseded';
  data_items: string[];
  purpose: string;
  includes_personal_data: boolean;
  personal_data_categories: string[];
  legal_basis: (typeof informationContracts.$inferSelect)['legalBasis'];
  proposed_by: string | null;
  proposed_at: Date | string;
  consented_by: string | null;
  consented_at: Date | string | null;
  superseded_at: Date | string | null;
};
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

async function contractRows(db: Db, integrationId: string, version?: number) {
  const found = await rows<ContractRow>(
    db,
    sql`select c.id, c.integration_id, c.version, c.status, c.data_items, c.purpose, c.includes_personal_data,
          c.personal_data_categories, c.legal_basis,
          pp.given_name || ' ' || pp.family_name as proposed_by, c.proposed_at,
          cp.given_name || ' ' || cp.family_name as consented_by, c.consented_at, c.superseded_at
        from information_contracts c
        left join persons pp on pp.id = c.proposed_by_person_id
        left join persons cp on cp.id = c.consented_by_person_id
        where c.integration_id = ${integrationId} ${version === undefined ? sql`` : sql`and c.version = ${version}`}
        order by c.version`,
  );
  return found.map((c) => ({
    id: c.id,
    integrationId: c.integration_id,
    version: c.version,
    status: c.status,
    dataItems: c.data_items,
    purpose: c.purpose,
    includesPersonalData: c.includes_personal_data,
    personalDataCategories: c.personal_data_categories,
    legalBasis: c.legal_basis,
    proposedBy: c.proposed_by,
    proposedAt: iso(c.proposed_at)!,
    consentedBy: c.consented_by,
    consentedAt: iso(c.consented_at),
    supersededAt: iso(c.superseded_at),
  }));
}

export async function getContract(db: Db, integrationId: string, version: number) {
  const [c] = await contractRows(db, integrationId, version);
  if (!c) throw notFound('The contract version');
  return c;
}

export async function getIntegration(db: Db, id: string) {
  const [i] = await rows<{
    id: string;
    name: string;
    description: string;
    source_id: string;
    source_name: string;
    target_id: string;
    target_name: string;
    created_at: Date | string;
  }>(
    db,
    sql`select i.id, i.name, i.description, s.id as source_id, s.name as source_name, t.id as target_id,
          t.name as target_name, i.created_at
        from integrations i join systems s on s.id = i.source_system_id join systems t on t.id = i.target_system_id
        where i.id = ${id}`,
  );
  if (!i) throw notFound('The integration');
  const contracts = await contractRows(db, id);
  return {
    id: i.id,
    name: i.name,
    description: i.description,
    source: { id: i.source_id, name: i.source_name },
    target: { id: i.target_id, name: i.target_name },
    activeVersion: contracts.find((c) => c.status === 'active')?.version ?? null,
    contracts,
    createdAt: iso(i.created_at)!,
  };
}

export async function listIntegrations(db: Db, systemId?: string) {
  const ids = await rows<{ id: string }>(
    db,
    sql`select id from integrations
        ${systemId ? sql`where source_system_id = ${systemId} or target_system_id = ${systemId}` : sql``}
        order by name, id limit 1000`,
  );
  const out = [];
  for (const { id } of ids) out.push(await getIntegration(db, id));
  return out;
}

/** The source and target systems of an integration with their governance objects (for policy). */
export async function integrationEnds(db: Db, id: string) {
  const [i] = await rows<{ source_object: string; target_object: string }>(
    db,
    sql`select s.governance_object_id as source_object, t.governance_object_id as target_object
        from integrations i join systems s on s.id = i.source_system_id join systems t on t.id = i.target_system_id
        where i.id = ${id}`,
  );
  if (!i) throw notFound('The integration');
  return { sourceObjectId: i.source_object, targetObjectId: i.target_object };
}

async function insertContract(tx: Db, actor: Actor, now: Date, integrationId: string, c: ContractCreate) {
  const inserted = await rows<{ version: number }>(
    tx,
    sql`insert into information_contracts (id, integration_id, version, status, data_items, purpose,
          includes_personal_data, personal_data_categories, legal_basis, proposed_by_person_id, proposed_at)
        select ${randomUUID()}, ${integrationId}, coalesce(max(version), 0) + 1, 'proposed',
          ${pgArray(c.dataItems, 'text')},
          ${c.purpose}, ${c.includesPersonalData},
          ${pgArray(c.includesPersonalData ? c.personalDataCategories : [], 'text')},
          ${c.legalBasis ?? null}, ${actor.personId}::uuid, ${now}::timestamptz
        from information_contracts where integration_id = ${integrationId}
        returning version`,
  );
  const version = inserted[0].version;
  await recordAudit(tx, now, actor, {
    action: 'integration.contract.propose',
    entityType: 'integration',
    entityId: integrationId,
    after: { version, ...c },
  });
  return version;
}

export async function createIntegration(
  ctx: AppContext,
  args: {
    actor: Actor;
    input: {
      name: string;
      description: string;
      sourceSystemId: string;
      targetSystemId: string;
      contract?: ContractCreate;
    };
  },
) {
  const now = ctx.clock.now();
  const id = randomUUID();
  const i = args.input;
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(integrations)
        .values({
          id,
          name: i.name,
          description: i.description,
          sourceSystemId: i.sourceSystemId,
          targetSystemId: i.targetSystemId,
          createdAt: now,
        })
        .returning();
      await recordAudit(tx, now, args.actor, {
        action: 'integration.create',
        entityType: 'integration',
        entityId: id,
        after: row,
      });
      if (i.contract) await insertContract(tx, args.actor, now, id, i.contract);
    }),
  );
  return getIntegration(ctx.db, id);
}

/** A contract version's status as the UI words it in Swedish. */
const CONTRACT_STATUS_SV: Record<string, string> = {
  proposed: 'föreslagen',
  active: 'aktiv',
  superseded: 'ersatt',
};

export async function assertSystemsExist(db: Db, ids: Record<string, string>) {
  for (const [field, id] of Object.entries(ids)) {
    const [s] = await db.select({ id: systems.id }).from(systems).where(eq(systems.id, id));
    if (!s) throw validationError([{ field, message: say('No such system.', 'Systemet finns inte.') }]);
  }
}

/** A new contract version, proposed: the active one (if any) stays active until the source owner consents. */
export async function proposeContract(
  ctx: AppContext,
  args: { actor: Actor; integrationId: string; input: ContractCreate },
) {
  const now = ctx.clock.now();
  const version = await guarded(() =>
    ctx.db.transaction((tx) => insertContract(tx, args.actor, now, args.integrationId, args.input)),
  );
  return getContract(ctx.db, args.integrationId, version);
}

/**
 * G9: the source system's owner consents to a proposed version (the policy has checked who the caller
 * is). The target version is locked, the active one superseded and the target activated in one
 * transaction; a newer active version is never replaced by an older proposal.
 */
export async function consentToContract(
  ctx: AppContext,
  args: { actor: Actor; integrationId: string; version: number },
) {
  const now = ctx.clock.now();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [target] = await rows<{ status: string }>(
        tx,
        sql`select status from information_contracts where integration_id = ${args.integrationId}
            and version = ${args.version} for update`,
      );
      if (!target) throw notFound('The contract version');
      if (target.status !== 'proposed')
        throw conflict(
          say(
            `Version ${args.version} is ${target.status}; only a proposed version can be consented to.`,
            `Version ${args.version} är ${CONTRACT_STATUS_SV[target.status] ?? target.status}; bara en föreslagen version kan godkännas.`,
          ),
        );
      const superseded = await rows<{ version: number }>(
        tx,
        sql`update information_contracts set status = 'superseded', superseded_at = ${now}::timestamptz
            where integration_id = ${args.integrationId} and status = 'active' and version < ${args.version}
            returning version`,
      );
      const activated = await rows<{ version: number }>(
        tx,
        sql`update information_contracts
            set status = 'active', consented_by_person_id = ${args.actor.personId}::uuid, consented_at = ${now}::timestamptz
            where integration_id = ${args.integrationId} and version = ${args.version} and status = 'proposed'
              and not exists (select 1 from information_contracts c where c.integration_id = ${args.integrationId}
                                and c.status = 'active')
            returning version`,
      );
      if (!activated.length)
        throw conflict(
          say(
            'A newer version of this contract is already active; propose a new version instead.',
            'En nyare version av kontraktet är redan aktiv; föreslå en ny version i stället.',
          ),
        );
      await recordAudit(tx, now, args.actor, {
        action: 'integration.contract.consent',
        entityType: 'integration',
        entityId: args.integrationId,
        before: { activeVersion: superseded[0]?.version ?? null },
        after: { activeVersion: args.version },
      });
    }),
  );
  return getContract(ctx.db, args.integrationId, args.version);
}

/**
 * G9 lineage: which systems hold data about a category and where it came from. The flows are the active
 * contracts carrying the category. Origins ("source") are holders that do not receive it through a flow;
 * every other holder is a copy, with its shortest path from an origin (walked breadth-first here). When
 * copies feed each other in a cycle that no origin reaches, the one that records the category itself
 * (else the first by name) is taken as that cycle's source, so every holder gets a path.
 */
export async function lineage(db: Db, categoryIn: string) {
  // Asked in either language: "studenter" finds "students".
  const category = personalDataCategoryKey(categoryIn);
  const graph = await graphSnapshot(db);
  return memoised(graph, `lineage:${category}`, () => lineageIn(graph, category));
}

/**
 * G9: the personal-data categories in use, each with the number of systems that record it and of
 * integrations whose active contract carries it, by name. What the lineage report can be asked about.
 */
export async function personalDataCategoriesInUse(db: Db) {
  const graph = await graphSnapshot(db);
  return memoised(graph, 'categories-in-use', () => {
    const counts = new Map<string, { systems: number; integrations: number }>();
    const of = (c: string) => {
      const n = counts.get(c) ?? { systems: 0, integrations: 0 };
      counts.set(c, n);
      return n;
    };
    for (const s of graph.systems.values()) for (const c of s.categories) of(c).systems++;
    for (const f of graph.flows) for (const c of f.categories) of(c).integrations++;
    return [...counts]
      .map(([category, n]) => ({ category, ...n }))
      .sort((a, b) => a.category.localeCompare(b.category, 'sv'));
  });
}

/** Lineage of one category in a graph snapshot (see `lineage`). */
function lineageIn(graph: GraphSnapshot, category: string) {
  const flows = graph.flows.filter((f) => f.categories.includes(category));
  const recorded = [...graph.systems.values()].filter((s) => s.categories.includes(category));
  const holderIds = new Set([...recorded.map((r) => r.id), ...flows.flatMap((f) => [f.src, f.dst])]);
  const info = graph.systems;
  // One sort by name, in the catalogue's order (the sort key, then the id); later orderings use the rank.
  const rank = new Map(
    [...holderIds]
      .map((id) => ({ id, key: info.get(id)?.k ?? '' }))
      .sort((a, b) => byKey(a.key, b.key) || byKey(a.id, b.id))
      .map((h, i) => [h.id, i]),
  );
  const byName = (a: string, b: string) => rank.get(a)! - rank.get(b)!;
  const out = new Map<string, { integrationId: string; dst: string }[]>();
  const receives = new Set<string>();
  for (const f of flows) {
    receives.add(f.dst);
    const list = out.get(f.src);
    if (list) list.push({ integrationId: f.integrationId, dst: f.dst });
    else out.set(f.src, [{ integrationId: f.integrationId, dst: f.dst }]);
  }
  const reached = new Map<string, { path: string[]; via: string[] }>();
  const sources = new Set<string>();
  const walkFrom = (origins: string[]) => {
    for (const o of origins) {
      sources.add(o);
      reached.set(o, { path: [o], via: [] });
    }
    let frontier = origins;
    while (frontier.length) {
      const following: string[] = [];
      for (const node of frontier) {
        const at = reached.get(node)!;
        for (const e of out.get(node) ?? []) {
          if (reached.has(e.dst)) continue;
          reached.set(e.dst, { path: [...at.path, e.dst], via: [...at.via, e.integrationId] });
          following.push(e.dst);
        }
      }
      frontier = following;
    }
  };
  walkFrom([...holderIds].filter((id) => !receives.has(id)).sort(byName));
  // Cycles no origin reaches: the holder that records the category (else the first by name) starts a walk.
  if (reached.size < holderIds.size) {
    const recordedIds = new Set(recorded.map((r) => r.id));
    const candidates = [...holderIds].sort(
      (a, b) => Number(recordedIds.has(b)) - Number(recordedIds.has(a)) || byName(a, b),
    );
    for (const id of candidates) if (!reached.has(id)) walkFrom([id]);
  }
  const holders = [...holderIds].sort(
    (a, b) => Number(sources.has(b)) - Number(sources.has(a)) || byName(a, b),
  );
  const name = (id: string) => info.get(id)?.name ?? '';
  return {
    category,
    holders: holders.map((id) => {
      const r = reached.get(id)!;
      return {
        system: { id, name: name(id) },
        holds: sources.has(id) ? ('source' as const) : ('copy' as const),
        path: r.path.map((p) => ({ id: p, name: name(p) })),
        viaIntegrations: r.via,
      };
    }),
  };
}

/**
 * Code-unit order: the byte order of UTF-8 (PostgreSQL's `collate "C"`, which the catalogue sorts by)
 * for every character outside the astral planes, which sort keys do not use.
 */
export const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** G9, per system: for each personal-data category, whether it is a source or holds a copy, and from where. */
export async function personalDataOf(db: Db, systemId: string) {
  const [s] = await db
    .select({ id: systems.id, name: systems.name, categories: systems.personalDataCategories })
    .from(systems)
    .where(eq(systems.id, systemId));
  if (!s) throw notFound('The system');
  const received = await rows<{ category: string; from_id: string; from_name: string }>(
    db,
    sql`select distinct cat as category, src.id as from_id, src.name as from_name
        from information_contracts c join integrations i on i.id = c.integration_id
        join systems src on src.id = i.source_system_id
        cross join lateral unnest(c.personal_data_categories) as cat
        where c.status = 'active' and c.includes_personal_data and i.target_system_id = ${systemId}
        order by 1, 3`,
  );
  const categories = [...new Set([...s.categories, ...received.map((r) => r.category)])].sort();
  return {
    system: { id: s.id, name: s.name },
    categories: categories.map((category) => {
      const from = received.filter((r) => r.category === category);
      return {
        category,
        holds: (from.length ? 'copy' : 'source') as 'copy' | 'source',
        receivedFrom: from.map((r) => ({ id: r.from_id, name: r.from_name })),
      };
    }),
  };
}
