// E1: every change is recorded in the transaction that makes it: who, when, on whose behalf, what
// before and after. Events are append-only (database triggers) and sealed into a hash chain by a
// background job in batches, so concurrent writers never contend on a chain head.
import { createHash } from 'node:crypto';
import { and, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';
import type { Actor } from '../../platform/context.ts';
import { auditChain, auditEvents } from './audit.tables.ts';

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Records one audit event. Call it with the transaction of the change. */
export async function recordAudit(tx: Db, at: Date, actor: Actor, input: AuditInput): Promise<void> {
  await recordAuditMany(tx, at, actor, [input]);
}

/**
 * The INSERT of audit events, for a caller that writes its change and its audit events in one
 * statement (as a data-modifying CTE). Same rows as recordAuditMany; keep lists small (one chunk).
 */
export function auditInsertSql(at: Date, actor: Actor, c: AuditInput[]): SQL {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  return sql`insert into audit_events (occurred_at, actor_account_id, actor_person_id, actor_label,
      on_behalf_of_person_id, action, entity_type, entity_id, before, after, ip, via)
    select ${at}::timestamptz, ${actor.accountId}::uuid, ${actor.personId}::uuid, ${actor.label},
      ${actor.onBehalfOfPersonId ?? null}::uuid, v.action, v.entity_type, v.entity_id, v.before, v.after,
      ${actor.ip ?? null}, ${actor.via}
    from unnest(${pgArray(
      c.map((e) => e.action),
      'text',
    )}, ${pgArray(
      c.map((e) => e.entityType),
      'text',
    )}, ${pgArray(
      c.map((e) => e.entityId ?? null),
      'text',
    )}, ${pgArray(
      c.map((e) => json(e.before)),
      'jsonb',
    )}, ${pgArray(
      c.map((e) => json(e.after)),
      'jsonb',
    )}) with ordinality as v(action, entity_type, entity_id, before, after, n)
    order by v.n`;
}

/** Records many events with one statement per 5,000 (bulk imports): whole columns as array parameters. */
export async function recordAuditMany(tx: Db, at: Date, actor: Actor, inputs: AuditInput[]): Promise<void> {
  const chunk = 5000;
  for (let i = 0; i < inputs.length; i += chunk)
    await tx.execute(auditInsertSql(at, actor, inputs.slice(i, i + chunk)));
}

type EventRow = typeof auditEvents.$inferSelect;

/** Canonical JSON: object keys sorted at every depth, so the hash does not depend on key order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function eventDigest(e: EventRow): string {
  return canonicalJson({
    id: e.id,
    occurredAt: new Date(e.occurredAt).toISOString(),
    actorAccountId: e.actorAccountId,
    actorPersonId: e.actorPersonId,
    actorLabel: e.actorLabel,
    onBehalfOfPersonId: e.onBehalfOfPersonId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before,
    after: e.after,
    ip: e.ip,
    via: e.via,
  });
}

export const GENESIS = '0'.repeat(64);
export function linkHash(prevHash: string, seq: number, e: EventRow): string {
  return createHash('sha256')
    .update(`${prevHash}\n${seq}\n${eventDigest(e)}`)
    .digest('hex');
}

const SEAL_LOCK = 726_002;

/**
 * Seals committed, unsealed events into the chain. Only one sealer runs at a time (advisory lock);
 * returns how many events were sealed. `full` looks at the whole table (used before verifying);
 * otherwise only at events near the chain head, which keeps the regular job cheap.
 */
export async function sealAuditChain(db: Db, now: Date, opts: { full?: boolean; batch?: number } = {}) {
  const batch = opts.batch ?? 5000;
  let total = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const [lock] = await rows<{ ok: boolean }>(
        tx,
        sql`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as ok`,
      );
      if (!lock.ok) return 0;
      const [head] = await tx.select().from(auditChain).orderBy(desc(auditChain.seq)).limit(1);
      const window = opts.full || !head ? sql`true` : sql`e.id > ${head.eventId - 100_000}`;
      const pending = await rows<{ id: number }>(
        tx,
        sql`select e.id from audit_events e where ${window}
            and not exists (select 1 from audit_chain c where c.event_id = e.id)
            order by e.id limit ${batch}`,
      );
      if (!pending.length) return 0;
      const events = await tx
        .select()
        .from(auditEvents)
        .where(
          sql`${auditEvents.id} in (${sql.join(
            pending.map((p) => sql`${p.id}`),
            sql`,`,
          )})`,
        )
        .orderBy(auditEvents.id);
      let prev = head?.hash ?? GENESIS;
      let seq = head?.seq ?? 0;
      const links = events.map((e) => {
        seq += 1;
        const hash = linkHash(prev, seq, e);
        const link = { seq, eventId: e.id, prevHash: prev, hash, sealedAt: now };
        prev = hash;
        return link;
      });
      for (let i = 0; i < links.length; i += 2000)
        await tx.insert(auditChain).values(links.slice(i, i + 2000));
      return links.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

export type VerifyResult =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: { seq: number; eventId: number | null; reason: string } };

/** Walks the chain from the start and reports the first broken link. */
export async function verifyAuditChain(db: Db): Promise<VerifyResult> {
  let prev = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  const page = 5000;
  for (;;) {
    const links = await rows<{
      seq: number;
      event_id: number;
      prev_hash: string;
      hash: string;
    }>(
      db,
      sql`select seq, event_id, prev_hash, hash from audit_chain where seq >= ${expectedSeq} order by seq limit ${page}`,
    );
    if (!links.length) break;
    const ids = links.map((l) => l.event_id);
    const events = await db
      .select()
      .from(auditEvents)
      .where(
        sql`${auditEvents.id} in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`,`,
        )})`,
      );
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const l of links) {
      const seq = Number(l.seq);
      const fail = (reason: string): VerifyResult => ({
        ok: false,
        checked,
        brokenAt: { seq, eventId: Number(l.event_id), reason },
      });
      if (seq !== expectedSeq) return fail(`link ${expectedSeq} is missing (a sealed event was removed)`);
      if (l.prev_hash !== prev) return fail('the link does not follow the one before it (reordered)');
      const e = byId.get(Number(l.event_id));
      if (!e) return fail('the sealed event is missing (removed)');
      if (linkHash(prev, seq, e) !== l.hash) return fail('the event differs from what was sealed (altered)');
      prev = l.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  const [orphan] = await rows<{ id: number }>(
    db,
    sql`select e.id from audit_events e where not exists (select 1 from audit_chain c where c.event_id = e.id)
        and e.id < (select coalesce(max(event_id), 0) from audit_chain) order by e.id limit 1`,
  );
  if (orphan) {
    return {
      ok: false,
      checked,
      brokenAt: {
        seq: expectedSeq,
        eventId: Number(orphan.id),
        reason: 'an event is not sealed into the chain',
      },
    };
  }
  return { ok: true, checked };
}

export type AuditFilter = {
  actorPersonId?: string;
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
};

export function auditWhere(f: AuditFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.actorPersonId) conds.push(eq(auditEvents.actorPersonId, f.actorPersonId));
  if (f.actor) conds.push(sql`lower(${auditEvents.actorLabel}) like ${`%${f.actor.toLowerCase()}%`}`);
  // One event code exactly, or every code of a kind when it ends in a dot ("person.").
  if (f.action)
    conds.push(
      f.action.endsWith('.')
        ? sql`${auditEvents.action} like ${`${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
        : eq(auditEvents.action, f.action),
    );
  if (f.entityType) conds.push(eq(auditEvents.entityType, f.entityType));
  if (f.entityId) conds.push(eq(auditEvents.entityId, f.entityId));
  if (f.from) conds.push(gte(auditEvents.occurredAt, f.from));
  if (f.to) conds.push(lte(auditEvents.occurredAt, f.to));
  return conds.length ? and(...conds) : undefined;
}

/** Audit events newest first, cursor-paged by id. */
export async function listAuditEvents(db: Db, f: AuditFilter & { limit: number; cursor?: number }) {
  const where = and(auditWhere(f), f.cursor ? lt(auditEvents.id, f.cursor) : undefined);
  const items = await db
    .select()
    .from(auditEvents)
    .where(where)
    .orderBy(desc(auditEvents.id))
    .limit(f.limit + 1);
  const more = items.length > f.limit;
  const page = items.slice(0, f.limit);
  return { items: page, nextCursor: more ? String(page[page.length - 1].id) : null };
}

/** Audit events made by a person or about them, for a register extract. */
export async function auditEventsAbout(db: Db, personId: string, accountId: string | null) {
  return db
    .select()
    .from(auditEvents)
    .where(
      sql`${auditEvents.actorPersonId} = ${personId} or ${auditEvents.onBehalfOfPersonId} = ${personId}
          or (${auditEvents.entityType} = 'person' and ${auditEvents.entityId} = ${personId})
          or (${auditEvents.entityType} = 'account' and ${auditEvents.entityId} = ${accountId ?? ''})`,
    )
    .orderBy(auditEvents.id)
    .limit(50_000);
}
