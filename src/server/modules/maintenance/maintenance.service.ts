// Upgrades, maintenance and acute incidents of a system (G13; source 002, 5.9 and 7.3.1). Planned work
// is planned and communicated in advance, done in a service window (at a weekend) when it disturbs
// users, approved by the CAB and rehearsed in the test environment where the system has one. Each
// event carries its communication checklist, made from the template of its kind: what is communicated,
// when, how and by whom. Every state change is one conditional UPDATE.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import { localDate } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { conflict, notFound, ruleViolation } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import type { WorkItem } from '../../platform/work.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { maintenanceFacts, systemRolesOf } from '../systems/systems.service.ts';
import { recordCompletedWork } from './changelog.service.ts';
import type { MaintenanceInput } from './maintenance.schema.ts';
import type { MAINTENANCE_KINDS } from './maintenance.tables.ts';

type Kind = (typeof MAINTENANCE_KINDS)[number];
const ALREADY_CLOSED = say(
  'This work is already done or cancelled.',
  'Arbetet är redan klart eller inställt.',
);
const DAY = 86_400_000;
/** G13: planned work that disturbs users is announced (a system message) at least this long before. */
export const NOTICE_DAYS = 7;

type ChecklistItem = {
  key: string;
  phase: 'before' | 'after';
  offsetDays: number;
  channel: string;
  responsible: string;
};
const step = (
  key: string,
  phase: 'before' | 'after',
  offsetDays: number,
  channel: string,
  responsible: string,
): ChecklistItem => ({ key, phase, offsetDays, channel, responsible });
/** After the work, whatever it was: tell the reference group and the service desk; remove the message. */
const CLOSING = [
  step('email_reference_group', 'after', 0, 'email', 'system_manager'),
  step('remove_system_message', 'after', 0, 'system_message', 'it_system_manager'),
];

/**
 * G13: the communication checklists (source 002, 7.3.1): what is communicated, when (`offsetDays`,
 * counted from the start for `before` items and from the end for `after` ones), how (`channel`) and by
 * whom (`responsible`, a role on the system).
 */
export const CHECKLISTS: Record<'planned' | 'incident', ChecklistItem[]> = {
  planned: [
    step('agree_time', 'before', -14, 'meeting', 'system_manager'),
    step('system_message', 'before', -7, 'system_message', 'it_system_manager'),
    step('service_desk_publish', 'before', -7, 'service_desk', 'it_system_manager'),
    step('support_texts', 'before', -1, 'web', 'system_manager'),
    ...CLOSING,
  ],
  incident: [
    step('publish_support', 'before', 0, 'service_desk', 'it_system_manager'),
    step('system_message', 'before', 0, 'system_message', 'it_system_manager'),
    ...CLOSING,
  ],
};

const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', weekday: 'short' });
const isWeekend = (t: number) => ['Sat', 'Sun'].includes(weekday.format(new Date(t)));

/**
 * G13: the service window is a weekend (Saturday and Sunday, Stockholm time): work that disturbs users
 * starts and ends within one (the end is exclusive, so it may end at midnight between Sunday and Monday).
 */
export function inServiceWindow(startsAt: string, endsAt: string) {
  const s = Date.parse(startsAt);
  const e = Date.parse(endsAt) - 1;
  return isWeekend(s) && isWeekend(e) && e - s < 2 * DAY;
}

// ---- reading ----------------------------------------------------------------------------------------

const eventColumns = sql`e.id, e.system_id, s.name as system_name, e.kind, e.title, e.description, e.starts_at,
  e.ends_at, e.disturbs_users, e.state, e.cab_reference, e.cab_approved_by_label, e.cab_approved_at,
  e.rehearsed_on::text as rehearsed_on, 'test' = any(s.environments) as has_test, e.created_by_label, e.version,
  coalesce((select json_agg(json_build_object('id', i.id, 'key', i.key, 'phase', i.phase, 'channel', i.channel,
      'responsible', i.responsible, 'dueAt', i.due_at, 'doneAt', i.done_at, 'doneBy', i.done_by_label)
      order by i.position) from maintenance_checklist_items i where i.event_id = e.id), '[]') as items`;

export const iso = (v: unknown) =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

function present(r: any) {
  const items = (typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as any[];
  return {
    id: r.id as string,
    system: { id: r.system_id as string, name: r.system_name as string },
    kind: r.kind as Kind,
    title: r.title as string,
    description: r.description as string,
    startsAt: iso(r.starts_at)!,
    endsAt: iso(r.ends_at)!,
    disturbsUsers: r.disturbs_users as boolean,
    state: r.state,
    cab: r.cab_approved_at
      ? {
          reference: r.cab_reference,
          approvedBy: r.cab_approved_by_label,
          approvedAt: iso(r.cab_approved_at)!,
        }
      : null,
    rehearsedOn: r.rehearsed_on as string | null,
    needsRehearsal: r.kind !== 'incident' && Boolean(r.has_test),
    createdBy: r.created_by_label as string,
    version: r.version as number,
    items: items.map((i) => ({
      id: i.id,
      key: i.key,
      phase: i.phase,
      channel: i.channel,
      responsible: i.responsible,
      dueAt: iso(i.dueAt)!,
      done: i.doneAt !== null,
      doneBy: i.doneBy,
      doneAt: iso(i.doneAt),
    })),
  };
}
export type Maintenance = ReturnType<typeof present>;

async function eventRows(db: Db, where: SQL, limit = 200) {
  const found = await rows<any>(
    db,
    sql`select ${eventColumns} from maintenance_events e join systems s on s.id = e.system_id
        where ${where} order by e.starts_at, e.id limit ${limit}`,
  );
  return found.map(present);
}

export async function getMaintenance(db: Db, id: string) {
  const [m] = await eventRows(db, sql`e.id = ${id}`);
  if (!m) throw notFound('The maintenance');
  return m;
}

/** A system's events (not closed long ago: those ending on or after `from`), earliest first. */
export async function listMaintenance(db: Db, f: { systemId?: string; from: string; limit: number }) {
  const conds = [sql`e.ends_at >= ${f.from}::date`];
  if (f.systemId) conds.push(sql`e.system_id = ${f.systemId}`);
  return eventRows(db, sql.join(conds, sql` and `), f.limit);
}

/** The system of an event (for the policy), or 404. */
export async function maintenanceSystem(db: Db, id: string) {
  const [r] = await rows<{ system_id: string }>(
    db,
    sql`select system_id from maintenance_events where id = ${id}`,
  );
  if (!r) throw notFound('The maintenance');
  return r.system_id;
}

export async function itemEvent(db: Db, itemId: string) {
  const [r] = await rows<{ event_id: string; system_id: string }>(
    db,
    sql`select i.event_id, e.system_id from maintenance_checklist_items i join maintenance_events e on e.id = i.event_id
        where i.id = ${itemId}`,
  );
  if (!r) throw notFound('The checklist item');
  return r;
}

// ---- writing ----------------------------------------------------------------------------------------

/**
 * G13: plans an upgrade or maintenance (or records an acute incident) with its communication checklist.
 * Planned work that disturbs users lies in a service window and is announced at least a week ahead.
 */
export async function planMaintenance(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; input: MaintenanceInput },
) {
  const now = ctx.clock.now();
  const i = args.input;
  await maintenanceFacts(ctx.db, args.systemId);
  if (i.kind !== 'incident' && i.disturbsUsers) {
    if (!inServiceWindow(i.startsAt, i.endsAt))
      throw ruleViolation(
        'G13',
        say(
          'Work that disturbs users is done in a service window: within one weekend.',
          'Arbete som märks för användarna görs i ett servicefönster: inom en och samma helg.',
        ),
        {
          errors: [
            {
              field: 'startsAt',
              message: say(
                'Start and end within one weekend (Saturday and Sunday).',
                'Börja och sluta inom en och samma helg (lördag och söndag).',
              ),
            },
          ],
        },
      );
    if (Date.parse(i.startsAt) < now.getTime() + NOTICE_DAYS * DAY)
      throw ruleViolation(
        'G13',
        say(
          `Work that disturbs users is announced at least ${NOTICE_DAYS} days ahead: plan it later, or record an acute incident.`,
          `Arbete som märks för användarna annonseras minst ${NOTICE_DAYS} dagar i förväg: planera det senare, eller registrera en akut störning.`,
        ),
        {
          errors: [
            {
              field: 'startsAt',
              message: say(`At least ${NOTICE_DAYS} days from now.`, `Minst ${NOTICE_DAYS} dagar från nu.`),
            },
          ],
        },
      );
  }
  const id = randomUUID();
  const template = CHECKLISTS[i.kind === 'incident' ? 'incident' : 'planned'];
  await ctx.db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into maintenance_events (id, system_id, kind, title, description, starts_at, ends_at, disturbs_users,
            created_by_label, created_at)
          values (${id}, ${args.systemId}, ${i.kind}, ${i.title}, ${i.description}, ${i.startsAt}, ${i.endsAt},
            ${i.disturbsUsers}, ${args.actor.label}, ${now})`,
    );
    for (const [n, item] of template.entries()) {
      const from = Date.parse(item.phase === 'before' ? i.startsAt : i.endsAt);
      // Never due in the past: an incident's "at once" items, and a week's notice given late, are due now.
      const due = new Date(Math.max(from + item.offsetDays * DAY, now.getTime()));
      await tx.execute(
        sql`insert into maintenance_checklist_items (id, event_id, position, key, phase, channel, responsible, due_at)
            values (${randomUUID()}, ${id}, ${n}, ${item.key}, ${item.phase}, ${item.channel}, ${item.responsible},
              ${due})`,
      );
    }
    await recordAudit(tx, now, args.actor, {
      action: 'maintenance.plan',
      entityType: 'system',
      entityId: args.systemId,
      after: { id, ...i },
    });
  });
  return getMaintenance(ctx.db, id);
}

/**
 * One conditional state change (with its audit event): `when` holds every condition of the rule, so the
 * UPDATE itself decides; when it changes nothing, `refusal` says why (reading the row and its checklist).
 * The row is locked first, so a checklist change waits (setItemDone takes a share lock on it) and the
 * UPDATE's statement sees it.
 */
async function transition(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: string,
  set: SQL,
  when: SQL,
  refusal: (tx: Db, before: any) => Promise<Error> | Error,
  then?: (tx: Db, now: Date, after: any) => Promise<void>,
) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await rows<any>(tx, sql`select * from maintenance_events where id = ${id} for update`);
    if (!before) throw notFound('The maintenance');
    const [after] = await rows<any>(
      tx,
      sql`update maintenance_events set ${set}, version = version + 1 where id = ${id} and ${when} returning *`,
    );
    if (!after) throw await refusal(tx, before);
    await recordAudit(tx, now, actor, {
      action,
      entityType: 'system',
      entityId: before.system_id,
      before,
      after,
    });
    await then?.(tx, now, after);
  });
  return getMaintenance(ctx.db, id);
}

/** G13: the CAB approves planned work (an administrator records its decision). */
export function approveByCab(ctx: AppContext, args: { actor: Actor; id: string; reference: string }) {
  return transition(
    ctx,
    args.actor,
    args.id,
    'maintenance.cab-approve',
    sql`state = 'cab_approved', cab_reference = ${args.reference}, cab_approved_by_label = ${args.actor.label},
        cab_approved_at = ${ctx.clock.now()}`,
    sql`state = 'planned' and kind <> 'incident'`,
    () =>
      conflict(
        say(
          'Only planned work waiting for the CAB can be approved (an acute incident needs no CAB).',
          'Bara planerat arbete som väntar på CAB kan godkännas (en akut störning behöver inget CAB-beslut).',
        ),
      ),
  );
}

/** G13: the work was rehearsed in the test environment on this day. */
export function recordRehearsal(ctx: AppContext, args: { actor: Actor; id: string; rehearsedOn: string }) {
  return transition(
    ctx,
    args.actor,
    args.id,
    'maintenance.rehearse',
    sql`rehearsed_on = ${args.rehearsedOn}::date`,
    sql`state in ('planned', 'cab_approved') and kind <> 'incident'`,
    () =>
      conflict(
        say(
          'A rehearsal is recorded for planned work that is not done or cancelled.',
          'Provning registreras för planerat arbete som inte är klart eller inställt.',
        ),
      ),
  );
}

/**
 * G13: the work is done. Planned work needs the CAB's approval, a rehearsal where the system has a test
 * environment, and every "before" item of its checklist done; an incident, its "before" items.
 */
export async function completeMaintenance(ctx: AppContext, args: { actor: Actor; id: string }) {
  const { hasTestEnvironment } = await maintenanceFacts(ctx.db, await maintenanceSystem(ctx.db, args.id));
  const openBefore = sql`select key from maintenance_checklist_items where event_id = ${args.id}
    and phase = 'before' and done_at is null order by position`;
  return transition(
    ctx,
    args.actor,
    args.id,
    'maintenance.complete',
    sql`state = 'done', closed_at = ${ctx.clock.now()}`,
    sql`((kind = 'incident' and state = 'planned') or (kind <> 'incident' and state = 'cab_approved'
          and (rehearsed_on is not null or not ${hasTestEnvironment})))
        and not exists (${openBefore})`,
    async (tx, e) => {
      if (e.kind !== 'incident' && e.state === 'planned')
        return ruleViolation(
          'G13',
          say(
            'Planned work is done only after the CAB has approved it.',
            'Planerat arbete kan markeras som klart först när CAB har godkänt det.',
          ),
        );
      if (e.state === 'done' || e.state === 'cancelled') return conflict(ALREADY_CLOSED);
      if (e.kind !== 'incident' && hasTestEnvironment && !e.rehearsed_on)
        return ruleViolation(
          'G13',
          say(
            'The system has a test environment: rehearse the work there first.',
            'Systemet har en testmiljö: prova arbetet där först.',
          ),
          {
            errors: [
              {
                field: 'rehearsedOn',
                message: say(
                  'Record the rehearsal in the test environment.',
                  'Registrera provningen i testmiljön.',
                ),
              },
            ],
          },
        );
      const open = await rows<{ key: string }>(tx, openBefore);
      return ruleViolation(
        'G13',
        say(
          'Communicate first: the checklist has items before the work that are not done.',
          'Kommunicera först: checklistan har punkter före arbetet som inte är klara.',
        ),
        {
          errors: open.map((o) => ({
            field: `items.${o.key}`,
            message: say('Not done yet.', 'Inte klar ännu.'),
          })),
        },
      );
    },
    // G11: done work enters the system's change log, in the same transaction.
    (tx, now, done) => recordCompletedWork(tx, now, args.actor, done),
  );
}

export function cancelMaintenance(ctx: AppContext, args: { actor: Actor; id: string }) {
  return transition(
    ctx,
    args.actor,
    args.id,
    'maintenance.cancel',
    sql`state = 'cancelled', closed_at = ${ctx.clock.now()}`,
    sql`state in ('planned', 'cab_approved')`,
    () => conflict(ALREADY_CLOSED),
  );
}

/**
 * G13: whether a checklist item may change, over `i` (the item) and `e` (its work): never on cancelled
 * work, and once the work is done only its "after" items (what was communicated before stays as it was).
 */
const itemChangeable = sql`e.state <> 'cancelled' and (e.state <> 'done' or i.phase = 'after')`;

/**
 * Ticks (or unticks) the items of the work that `which` picks and that may change, in the caller's
 * transaction (which has share-locked the work's row); each change is audited. Returns what changed.
 */
async function markItems(tx: Db, now: Date, actor: Actor, eventId: string, which: SQL, done: boolean) {
  const changed = await rows<{ key: string; system_id: string }>(
    tx,
    sql`update maintenance_checklist_items i
        set done_at = ${done ? now : null}, done_by_label = ${done ? actor.label : null}
        from maintenance_events e
        where i.event_id = ${eventId} and e.id = i.event_id and ${which} and ${itemChangeable}
          and (i.done_at is null) = ${done}
        returning i.key, e.system_id`,
  );
  for (const c of changed)
    await recordAudit(tx, now, actor, {
      action: done ? 'maintenance.item.done' : 'maintenance.item.undone',
      entityType: 'system',
      entityId: c.system_id,
      after: { eventId, item: c.key },
    });
  return changed;
}

/**
 * A share lock on the work: a completion in progress (which locks it for update) finishes first, and
 * one that starts later sees the checklist change.
 */
async function lockWorkForShare(tx: Db, eventId: string) {
  const [e] = await rows<{ state: string }>(
    tx,
    sql`select state from maintenance_events where id = ${eventId} for share`,
  );
  return e;
}

/** G13: ticks (or unticks) a checklist item; not on cancelled work. */
export async function setItemDone(ctx: AppContext, args: { actor: Actor; itemId: string; done: boolean }) {
  const now = ctx.clock.now();
  const { event_id } = await itemEvent(ctx.db, args.itemId);
  await ctx.db.transaction(async (tx) => {
    const e = await lockWorkForShare(tx, event_id);
    if (e.state === 'cancelled')
      throw conflict(
        say('The work is cancelled: its checklist is closed.', 'Arbetet är inställt: checklistan är stängd.'),
      );
    const changed = await markItems(tx, now, args.actor, event_id, sql`i.id = ${args.itemId}`, args.done);
    if (!changed.length && e.state === 'done' && !args.done)
      throw conflict(
        say(
          'The work is done: what was communicated before it stays as it was.',
          'Arbetet är klart: det som kommunicerades före arbetet ändras inte i efterhand.',
        ),
      );
  });
  return getMaintenance(ctx.db, event_id);
}

/**
 * G13: ticks the work's checklist item `key` when what it asks for has been done in Steward (a system
 * message posted or taken down), in the caller's transaction; an item that may no longer change is left.
 */
export async function tickChecklistItem(tx: Db, now: Date, actor: Actor, eventId: string, key: string) {
  await lockWorkForShare(tx, eventId);
  await markItems(tx, now, actor, eventId, sql`i.key = ${key}`, true);
}

/**
 * My work (G13): the checklist items due within `days` days (or overdue) of work not cancelled, for the
 * person holding the item's role on the system: what they are to communicate, and by when.
 */
export async function maintenanceTasksFor(
  db: Db,
  personId: string,
  today: string,
  days = 7,
): Promise<WorkItem[]> {
  const held = new Set((await systemRolesOf(db, personId, today)).map((r) => `${r.systemId}|${r.role}`));
  if (!held.size) return [];
  const until = new Date(Date.parse(`${today}T00:00:00Z`) + (days + 1) * DAY).toISOString();
  const due = await rows<{
    system_id: string;
    system_name: string;
    title: string;
    key: string;
    responsible: string;
    due_at: Date | string;
  }>(
    db,
    sql`select e.system_id, s.name as system_name, e.title, i.key, i.responsible, i.due_at
        from maintenance_checklist_items i join maintenance_events e on e.id = i.event_id
          join systems s on s.id = e.system_id
        where i.done_at is null and e.state <> 'cancelled' and i.due_at < ${until}
        order by i.due_at, i.position`,
  );
  return due
    .filter((d) => held.has(`${d.system_id}|${d.responsible}`))
    .map((d) => ({
      kind: 'maintenance.item' as const,
      subject: { id: d.system_id, name: `${d.system_name}: ${d.title}` },
      detail: d.key,
      date: localDate(new Date(d.due_at)),
    }));
}
