// Module licence pools (L1–L8). Each module of a system has a pool with a size (L8: modules are licensed
// separately). Consumption is derived from access grants, never stored: a person consumes one licence
// of a module while they hold an active grant whose permission includes it (L1, L7). A grant that would
// take a module past its size is refused (L2) and a pool cannot shrink below its consumption (L3): both
// lock the pool row (`for update`), so they hold under concurrent requests and across app processes.
// Size changes are prepared and then confirmed ("check out"), with date, who, old and new size, unit
// price and total (L5); removing users never changes the size (L4).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows, rowsPrepared } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { AppError, conflict, notFound, ruleViolation, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import {
  moduleConsumerCount,
  moduleConsumerCounts,
  moduleConsumers,
  moduleConsumersByUnit,
  moduleConsumersOn,
  modulesHeldBy,
  moduleUse,
} from '../access/access.service.ts';
import type { AuditLabelSql } from '../audit/audit.labels.ts';
import { recordAudit } from '../audit/audit.service.ts';

type PoolRow = {
  id: string;
  system_id: string;
  system_name: string;
  module_name: string;
  size: number;
  unit_price: string;
  currency: string;
  version: number;
  contract_owner_person_id: string | null;
  created_at: string | Date;
};
const poolSelect = sql`select p.id, p.system_id, s.name as system_name, p.module_name, p.size, p.unit_price::text,
    p.currency, p.version, s.contract_owner_person_id, p.created_at
  from licence_pools p join systems s on s.id = p.system_id`;

function present(p: PoolRow, used: number) {
  return {
    id: p.id,
    system: { id: p.system_id, name: p.system_name },
    module: p.module_name,
    size: p.size,
    used,
    free: p.size - used,
    createdAt: new Date(p.created_at).toISOString(),
    utilisation: p.size ? Math.round((used / p.size) * 1000) / 10 : null,
    unitPrice: Number(p.unit_price),
    currency: p.currency,
    costPerYear: Number(p.unit_price) * p.size,
    version: p.version,
  };
}
export type Pool = ReturnType<typeof present>;

function translate(err: unknown): never {
  if (err instanceof AppError) throw err;
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e.code ?? e.cause?.code;
  const constraint = e.constraint ?? e.cause?.constraint;
  if (code === '23505' && constraint === 'licence_pools_module_key')
    throw conflict(say('This module already has a pool.', 'Modulen har redan en licenspott.'), {
      errors: [{ field: 'module', message: say('Already has a pool.', 'Har redan en licenspott.') }],
    });
  throw err;
}

export async function poolFacts(db: Db, poolId: string) {
  const [p] = await rows<PoolRow>(db, sql`${poolSelect} where p.id = ${poolId}`);
  if (!p) throw notFound('The licence pool');
  return { contractOwnerPersonId: p.contract_owner_person_id, systemId: p.system_id };
}

async function poolRow(db: Db, id: string) {
  const [p] = await rows<PoolRow>(db, sql`${poolSelect} where p.id = ${id}`);
  if (!p) throw notFound('The licence pool');
  return p;
}

export async function getPool(db: Db, id: string) {
  const p = await poolRow(db, id);
  return present(p, await moduleConsumerCount(db, p.system_id, p.module_name));
}

/** All pools (or one system's) with their consumption: two statements, however many pools. */
export async function listPools(db: Db, f: { systemId?: string } = {}) {
  const found = await rows<PoolRow>(
    db,
    f.systemId
      ? sql`${poolSelect} where p.system_id = ${f.systemId} order by s.name, p.module_name`
      : sql`${poolSelect} order by s.name, p.module_name`,
  );
  if (!found.length) return [];
  const used = await moduleConsumerCounts(db, [...new Set(found.map((p) => p.system_id))]);
  return found.map((p) => present(p, used.get(`${p.system_id}/${p.module_name}`) ?? 0));
}

/**
 * L1: the modules a person counts in, each with its pool (null when the module has no pool): the
 * person is one of the pool's consumers however many of their grants include the module.
 */
export async function licenceUseOfPerson(db: Db, personId: string) {
  const held = await modulesHeldBy(db, personId);
  if (!held.length) return [];
  const pools = await rows<PoolRow>(
    db,
    sql`${poolSelect} where (p.system_id, p.module_name) in (
          select * from unnest(${pgArray(
            held.map((h) => h.system_id),
            'uuid',
          )}, ${pgArray(
            held.map((h) => h.module),
            'text',
          )}))`,
  );
  const used = pools.length
    ? await moduleConsumerCounts(db, [...new Set(pools.map((p) => p.system_id))])
    : null;
  const byModule = new Map(pools.map((p) => [`${p.system_id}/${p.module_name}`, p]));
  return held.map((h) => {
    const p = byModule.get(`${h.system_id}/${h.module}`);
    return {
      system: { id: h.system_id, name: h.system_name },
      module: h.module,
      pool: p ? present(p, used?.get(`${p.system_id}/${p.module_name}`) ?? 0) : null,
    };
  });
}

/** A pool for a module of the system (administrators, when the licence agreement is registered). */
export async function createPool(
  ctx: AppContext,
  args: {
    actor: Actor;
    input: { systemId: string; module: string; size: number; unitPrice?: number; currency?: string };
  },
) {
  const now = ctx.clock.now();
  const i = args.input;
  try {
    return await ctx.db.transaction(async (tx) => {
      const [m] = await rows<{ id: string }>(
        tx,
        sql`select id from system_modules where system_id = ${i.systemId} and name = ${i.module}`,
      );
      if (!m)
        throw validationError([
          {
            field: 'module',
            message: say(
              'The system has no module with this name.',
              'Systemet har ingen modul med detta namn.',
            ),
          },
        ]);
      const id = randomUUID();
      await tx.execute(sql`insert into licence_pools (id, system_id, module_name, size, unit_price, currency, created_at, updated_at)
        values (${id}, ${i.systemId}, ${i.module}, ${i.size}, ${i.unitPrice ?? 0}, ${i.currency ?? 'SEK'}, ${now}, ${now})`);
      const pool = await getPool(tx, id);
      await recordAudit(tx, now, args.actor, {
        action: 'pool.create',
        entityType: 'licence_pool',
        entityId: id,
        after: pool,
      });
      return pool;
    });
  } catch (err) {
    translate(err);
  }
}

/**
 * L2: called inside the transaction that creates a grant. The pools of the permission's modules are
 * locked in one statement (in module order, so concurrent grants never deadlock); then one statement
 * reads, per module, whether the person already consumes it (L1: counted once) and its consumption.
 * That count runs after the lock is held, so it sees every grant committed by whoever held it before.
 * A grant that would take a module past its size is refused. A module without a pool is not limited.
 */
export async function reserveModuleLicences(
  tx: Db,
  args: { personId: string; systemId: string; modules: string[] },
) {
  if (!args.modules.length) return; // L7: no module, no licence
  const pools = await lockPoolsOfModules(tx, args.systemId, args.modules);
  if (!pools.length) return;
  const use = new Map(
    (
      await moduleUse(
        tx,
        args.personId,
        args.systemId,
        pools.map((p) => p.module_name),
      )
    ).map((u) => [u.module, u]),
  );
  for (const pool of pools) {
    const u = use.get(pool.module_name);
    if (!u || u.held) continue; // L1: counted once
    if (u.used + 1 > pool.size)
      throw ruleViolation(
        'L2',
        say(
          `The ${pool.module_name} module of ${pool.system_name} is full (${u.used} of ${pool.size} licences in use). Add licences to the pool first; the order stays open and can be fulfilled afterwards.`,
          `Modulen ${pool.module_name} i ${pool.system_name} är full (${u.used} av ${pool.size} licenser används). Lägg först till licenser i licenspotten; beställningen förblir öppen och kan utföras efteråt.`,
        ),
        { poolId: pool.id, module: pool.module_name, used: u.used, size: pool.size },
      );
  }
}

/**
 * L2 for a permission that gains modules: everyone holding it starts consuming them, which must not take a
 * pool past its size. In the transaction that changes the permission: `lockPoolsOfModules` before the
 * change (in module order, as a fulfilment locks them), `assertPoolsWithinSize` after it, in a new
 * statement that sees the use the change's trigger wrote. Modules without a pool are not limited.
 */
export async function lockPoolsOfModules(tx: Db, systemId: string, modules: string[]) {
  if (!modules.length) return [];
  return rowsPrepared<{ id: string; module_name: string; size: number; system_name: string }>(
    tx,
    sql`select p.id, p.module_name, p.size, s.name as system_name from licence_pools p join systems s on s.id = p.system_id
        where p.system_id = ${systemId} and p.module_name = any(${pgArray(modules, 'text')})
        order by p.module_name for update of p`,
  );
}
export async function assertPoolsWithinSize(
  tx: Db,
  systemId: string,
  pools: Awaited<ReturnType<typeof lockPoolsOfModules>>,
) {
  if (!pools.length) return;
  const used = await moduleConsumerCounts(tx, [systemId]);
  for (const pool of pools) {
    const u = used.get(`${systemId}/${pool.module_name}`) ?? 0;
    if (u > pool.size)
      throw ruleViolation(
        'L2',
        say(
          `Adding the ${pool.module_name} module would give ${u} people a licence of it, and its pool in ${pool.system_name} has ${pool.size}. Add licences to the pool first.`,
          `Om modulen ${pool.module_name} läggs till får ${u} personer en licens för den, och dess licenspott i ${pool.system_name} har ${pool.size}. Lägg först till licenser i licenspotten.`,
        ),
        {
          poolId: pool.id,
          module: pool.module_name,
          used: u,
          size: pool.size,
          errors: [
            {
              field: 'modules',
              message: say(
                `The ${pool.module_name} pool has ${pool.size} licences; ${u} would be in use.`,
                `Licenspotten för ${pool.module_name} har ${pool.size} licenser; ${u} skulle användas.`,
              ),
            },
          ],
        },
      );
  }
}

// ---- size changes (L3, L4, L5) ---------------------------------------------------------------------------

type ChangeRow = {
  id: string;
  pool_id: string;
  status: 'prepared' | 'confirmed' | 'cancelled';
  old_size: number;
  new_size: number;
  unit_price: string;
  total: string;
  note: string;
  prepared_by_label: string;
  prepared_at: Date;
  confirmed_by_label: string | null;
  confirmed_at: Date | null;
};
const presentChange = (c: ChangeRow) => ({
  id: c.id,
  poolId: c.pool_id,
  status: c.status,
  kind: c.new_size > c.old_size ? ('upgrade' as const) : ('downgrade' as const),
  oldSize: c.old_size,
  newSize: c.new_size,
  unitPrice: Number(c.unit_price),
  total: Number(c.total),
  note: c.note,
  preparedBy: c.prepared_by_label,
  preparedAt: new Date(c.prepared_at).toISOString(),
  confirmedBy: c.confirmed_by_label,
  confirmedAt: c.confirmed_at ? new Date(c.confirmed_at).toISOString() : null,
});
export type PoolChange = ReturnType<typeof presentChange>;
/** A change's status as the Swedish UI words it. */
const CHANGE_STATUS_SV: Record<ChangeRow['status'], string> = {
  prepared: 'förberedd',
  confirmed: 'bekräftad',
  cancelled: 'avbruten',
};

function l3(used: number, size: number, module: string) {
  return ruleViolation(
    'L3',
    say(
      `${used} users hold the ${module} module: remove ${used - size} of them before reducing the pool to ${size}.`,
      `${used} användare har modulen ${module}: ta bort ${used - size} av dem innan licenspotten minskas till ${size}.`,
    ),
    { errors: [{ field: 'newSize', message: say(`At least ${used}.`, `Minst ${used}.`) }], used },
  );
}

/** L5: prepare an upgrade or downgrade; nothing changes until it is confirmed. */
export async function preparePoolChange(
  ctx: AppContext,
  args: { actor: Actor; poolId: string; input: { newSize: number; unitPrice?: number; note?: string } },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const pool = await getPool(tx, args.poolId);
    const i = args.input;
    if (i.newSize === pool.size)
      throw validationError([
        {
          field: 'newSize',
          message: say(
            `The pool already has ${pool.size} licences.`,
            `Licenspotten har redan ${pool.size} licenser.`,
          ),
        },
      ]);
    if (i.newSize < pool.used) throw l3(pool.used, i.newSize, pool.module);
    const unitPrice = i.unitPrice ?? pool.unitPrice;
    const id = randomUUID();
    const total = Math.round((i.newSize - pool.size) * unitPrice * 100) / 100;
    await tx.execute(sql`insert into licence_pool_changes (id, pool_id, old_size, new_size, unit_price, total, note,
        prepared_by_label, prepared_at)
      values (${id}, ${pool.id}, ${pool.size}, ${i.newSize}, ${unitPrice}, ${total}, ${i.note ?? ''},
        ${args.actor.label}, ${now})`);
    const [row] = await rows<ChangeRow>(tx, sql`select * from licence_pool_changes where id = ${id}`);
    const change = presentChange(row);
    await recordAudit(tx, now, args.actor, {
      action: 'pool.prepare',
      entityType: 'licence_pool',
      entityId: pool.id,
      after: change,
    });
    return change;
  });
}

/**
 * L5 "check out": applies a prepared change. The pool row is locked; L3 is checked again against the
 * consumption at this moment, and the size must still be the one the change was prepared from.
 */
export async function confirmPoolChange(
  ctx: AppContext,
  args: { actor: Actor; poolId: string; changeId: string },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [pool] = await rows<{ size: number; system_id: string; module_name: string }>(
      tx,
      sql`select size, system_id, module_name from licence_pools where id = ${args.poolId} for update`,
    );
    if (!pool) throw notFound('The licence pool');
    const [c] = await rows<ChangeRow>(
      tx,
      sql`select * from licence_pool_changes where id = ${args.changeId} and pool_id = ${args.poolId} for update`,
    );
    if (!c) throw notFound('The pool change');
    if (c.status !== 'prepared')
      throw conflict(
        say(`This change is already ${c.status}.`, `Ändringen är redan ${CHANGE_STATUS_SV[c.status]}.`),
      );
    if (c.old_size !== pool.size)
      throw conflict(
        say(
          `The pool has changed since this was prepared (now ${pool.size}, prepared from ${c.old_size}). Cancel it and prepare a new change.`,
          `Licenspotten har ändrats sedan ändringen förbereddes (nu ${pool.size}, förberedd från ${c.old_size}). Avbryt den och förbered en ny ändring.`,
        ),
      );
    const used = await moduleConsumerCount(tx, pool.system_id, pool.module_name);
    if (c.new_size < used) throw l3(used, c.new_size, pool.module_name);
    await tx.execute(sql`update licence_pools set size = ${c.new_size}, unit_price = ${c.unit_price}::numeric,
        version = version + 1, updated_at = ${now} where id = ${args.poolId}`);
    await tx.execute(sql`update licence_pool_changes set status = 'confirmed', confirmed_by_label = ${args.actor.label},
        confirmed_at = ${now} where id = ${args.changeId}`);
    const [row] = await rows<ChangeRow>(
      tx,
      sql`select * from licence_pool_changes where id = ${args.changeId}`,
    );
    const change = presentChange(row);
    await recordAudit(tx, now, args.actor, {
      action: 'pool.confirm',
      entityType: 'licence_pool',
      entityId: args.poolId,
      before: { size: c.old_size },
      after: change,
    });
    return change;
  });
}

export async function cancelPoolChange(
  ctx: AppContext,
  args: { actor: Actor; poolId: string; changeId: string },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const done = await rows<ChangeRow>(
      tx,
      sql`update licence_pool_changes set status = 'cancelled' where id = ${args.changeId} and pool_id = ${args.poolId}
          and status = 'prepared' returning *`,
    );
    if (!done.length)
      throw conflict(
        say('Only a prepared change can be cancelled.', 'Endast en förberedd ändring kan avbrytas.'),
      );
    const change = presentChange(done[0]);
    await recordAudit(tx, now, args.actor, {
      action: 'pool.cancel-change',
      entityType: 'licence_pool',
      entityId: args.poolId,
      after: change,
    });
    return change;
  });
}

/** How many consumers the pool page lists by name; the rest are counted (by unit and in total). */
export const CONSUMERS_SHOWN = 200;

/** The pool's history of size changes (L5), newest first, and its consumers by unit and by person. */
export async function poolDetail(db: Db, poolId: string) {
  const row = await poolRow(db, poolId);
  const changes = (
    await rows<ChangeRow>(
      db,
      sql`select * from licence_pool_changes where pool_id = ${poolId} order by prepared_at desc, id`,
    )
  ).map(presentChange);
  const people = await moduleConsumers(db, row.system_id, row.module_name, CONSUMERS_SHOWN);
  const units = await moduleConsumersByUnit(db, row.system_id, row.module_name);
  const total = units.reduce((n, u) => n + u.used, 0);
  const pool = present(row, total);
  return {
    pool,
    changes,
    consumerCount: total,
    consumers: people.map((p) => ({
      person: { id: p.person_id, displayName: p.name, status: p.status as 'active' | 'left' },
      unit: p.unit_id ? { id: p.unit_id, name: p.unit_name ?? '' } : null,
    })),
    byUnit: units
      .map((u) => ({ unitId: u.unit_id, unitName: u.unit_name ?? '', used: u.used }))
      .sort((a, b) => b.used - a.used || a.unitName.localeCompare(b.unitName))
      .map((u) => ({
        ...u,
        share: total ? Math.round((u.used / total) * 1000) / 10 : 0,
        // Chargeback: the unit's share of the pool's yearly cost, by its consumption.
        cost: total ? Math.round((u.used / total) * pool.costPerYear * 100) / 100 : 0,
      })),
  };
}

// ---- chargeback (each unit's share of the pool's yearly cost, by its consumption) ----------------------

export const CHARGEBACK_COLUMNS = ['unit', 'users', 'share_percent', 'cost', 'currency'] as const;

/** The chargeback per unit of a pool, one row per unit, in the columns of CHARGEBACK_COLUMNS. */
export async function chargeback(db: Db, poolId: string) {
  const d = await poolDetail(db, poolId);
  return {
    pool: d.pool,
    rows: d.byUnit.map((u) => [u.unitName, u.used, u.share, u.cost, d.pool.currency] as const),
  };
}

/** The chargeback as an Excel workbook with the same columns as the CSV (numbers as numbers). */
export async function chargebackXlsx(db: Db, poolId: string, year: number): Promise<Buffer> {
  const { pool, rows: data } = await chargeback(db, poolId);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Steward';
  const sheet = workbook.addWorksheet(`Chargeback ${year}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = CHARGEBACK_COLUMNS.map((c) => ({ header: c, key: c, width: c === 'unit' ? 40 : 14 }));
  sheet.getRow(1).font = { bold: true };
  for (const r of data) sheet.addRow([...r]);
  sheet.getColumn('cost').numFmt = '#,##0.00';
  sheet.getColumn('share_percent').numFmt = '0.0';
  workbook.title = `${pool.system.name}: ${pool.module}, ${year}`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---- utilisation over time ---------------------------------------------------------------------------------

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The last day of each of the `months` − 1 months before today's, then today. */
export function trendDates(today: string, months: number): string[] {
  const [y, m] = today.split('-').map(Number);
  const dates: string[] = [];
  for (let i = months - 1; i >= 1; i--) dates.push(iso(new Date(Date.UTC(y, m - 1 - i + 1, 0))));
  dates.push(today);
  return dates;
}

/**
 * Used and size of a pool at the end of each month (and today): use from the grants' validity and end
 * dates (with the permissions' current modules), size and unit price from the confirmed size changes
 * (L5). Before the pool existed there is no size. Cost per used seat = the yearly cost / users.
 */
export async function poolTrend(db: Db, poolId: string, today: string, months = 12) {
  const p = await poolRow(db, poolId);
  const [created] = await rows<{ on: string }>(
    db,
    sql`select (created_at at time zone 'Europe/Stockholm')::date::text as on from licence_pools where id = ${poolId}`,
  );
  const changes = await rows<{ on: string; old_size: number; new_size: number; unit_price: string }>(
    db,
    sql`select (confirmed_at at time zone 'Europe/Stockholm')::date::text as on, old_size, new_size, unit_price::text
        from licence_pool_changes where pool_id = ${poolId} and status = 'confirmed' order by confirmed_at, id`,
  );
  const dates = trendDates(today, months);
  const used = await moduleConsumersOn(db, p.system_id, p.module_name, dates);
  const points = used.map(({ at, used: u }) => {
    if (at < created.on) return { at, used: u, size: null, costPerYear: null, costPerUsedSeat: null };
    const last = changes.filter((c) => c.on <= at).at(-1);
    // Before the first confirmed change the pool had that change's old size; without changes, today's.
    const size = last ? last.new_size : (changes[0]?.old_size ?? p.size);
    const price = Number(last ? last.unit_price : (changes[0]?.unit_price ?? p.unit_price));
    const costPerYear = Math.round(size * price * 100) / 100;
    return {
      at,
      used: u,
      size,
      costPerYear,
      costPerUsedSeat: u ? Math.round((costPerYear / u) * 100) / 100 : null,
    };
  });
  const now = points[points.length - 1];
  return {
    poolId,
    currency: p.currency,
    unitPrice: Number(p.unit_price),
    costPerUsedSeat: now.costPerUsedSeat,
    points,
  };
}

/** Audit log: what people recognise this module's objects by (see audit.labels.ts). */
export const poolsAuditLabels: AuditLabelSql = {
  licence_pool: (ids) =>
    sql`select x.id, x.module_name || ' (' || s.name || ')' as label
        from licence_pools x join systems s on s.id = x.system_id where x.id = any(${ids})`,
};
