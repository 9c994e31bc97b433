// System messages (G13; source 002, 7.3.1: "IT-systemförvaltaren lägger ut ett systemmeddelande om
// planerat underhåll en vecka innan ... och tar bort systemmeddelandet"): what users are told about a
// system, shown from one moment to another, in English and Swedish. A message linked to the work it
// announces ticks that work's "system message" checklist item when it is published, and its "remove the
// system message" item when it is withdrawn, in the same transaction.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { MessageInput } from './maintenance.schema.ts';
import { iso, tickChecklistItem } from './maintenance.service.ts';
import type { MESSAGE_SEVERITIES } from './maintenance.tables.ts';

const messageColumns = sql`m.id, m.system_id, s.name as system_name, m.maintenance_event_id, e.title as event_title,
  m.severity, m.text_en, m.text_sv, m.shown_from, m.shown_until, m.published_by_label, m.published_at,
  m.withdrawn_at, m.withdrawn_by_label`;
const messageFrom = sql`maintenance_system_messages m join systems s on s.id = m.system_id
  left join maintenance_events e on e.id = m.maintenance_event_id`;

function present(r: any, now: Date) {
  const from = new Date(r.shown_from);
  const until = new Date(r.shown_until);
  return {
    id: r.id as string,
    system: { id: r.system_id as string, name: r.system_name as string },
    maintenance: r.maintenance_event_id
      ? { id: r.maintenance_event_id as string, title: r.event_title }
      : null,
    severity: r.severity as (typeof MESSAGE_SEVERITIES)[number],
    textEn: r.text_en as string,
    textSv: r.text_sv as string,
    shownFrom: from.toISOString(),
    shownUntil: until.toISOString(),
    state: r.withdrawn_at
      ? ('withdrawn' as const)
      : until <= now
        ? ('ended' as const)
        : from > now
          ? ('scheduled' as const)
          : ('shown' as const),
    publishedBy: r.published_by_label as string,
    publishedAt: iso(r.published_at)!,
    withdrawnBy: (r.withdrawn_by_label as string | null) ?? null,
    withdrawnAt: iso(r.withdrawn_at),
  };
}
export type SystemMessage = ReturnType<typeof present>;

async function messageRows(db: Db, now: Date, where: SQL, order: SQL, limit = 100) {
  const found = await rows<any>(
    db,
    sql`select ${messageColumns} from ${messageFrom} where ${where} order by ${order} limit ${limit}`,
  );
  return found.map((r) => present(r, now));
}

export async function getMessage(db: Db, now: Date, id: string) {
  const [m] = await messageRows(db, now, sql`m.id = ${id}`, sql`m.id`);
  if (!m) throw notFound('The system message');
  return m;
}

/** G13: the messages shown now, on every system, the most serious first. */
export function currentMessages(db: Db, now: Date) {
  return messageRows(
    db,
    now,
    sql`m.withdrawn_at is null and m.shown_from <= ${now} and m.shown_until > ${now}`,
    sql`case m.severity when 'disruption' then 0 when 'warning' then 1 else 2 end, m.shown_from desc, m.id`,
  );
}

/** G13: a system's messages not ended more than 30 days ago, scheduled and shown first. */
export function systemMessages(db: Db, now: Date, systemId: string) {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  return messageRows(
    db,
    now,
    sql`m.system_id = ${systemId} and m.shown_until >= ${since}`,
    sql`(m.withdrawn_at is null and m.shown_until > ${now}) desc, m.shown_from desc, m.id`,
  );
}

/** The system of a message (for the policy), or 404. */
export async function messageSystem(db: Db, id: string) {
  const [r] = await rows<{ system_id: string }>(
    db,
    sql`select system_id from maintenance_system_messages where id = ${id}`,
  );
  if (!r) throw notFound('The system message');
  return r.system_id;
}

/** G13: publishes a message about the system, shown from `shownFrom` (default now) until `shownUntil`. */
export async function publishMessage(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; input: MessageInput },
) {
  const now = ctx.clock.now();
  const i = args.input;
  const from = i.shownFrom ? new Date(i.shownFrom) : now;
  const until = new Date(i.shownUntil);
  if (until <= now)
    throw validationError([
      {
        field: 'shownUntil',
        message: say(
          'This time has passed: the message would never show.',
          'Tidpunkten har redan passerat: meddelandet skulle aldrig visas.',
        ),
      },
    ]);
  if (until <= from)
    throw validationError([
      {
        field: 'shownUntil',
        message: say('The message is taken down before it is shown.', 'Meddelandet tas ner innan det visas.'),
      },
    ]);
  const id = randomUUID();
  await ctx.db.transaction(async (tx) => {
    if (i.maintenanceId) {
      // Share-locked until the commit: the work cannot be cancelled between this check and the insert
      // (a cancel waits, and then sees the message; tickChecklistItem takes the same lock).
      const [e] = await rows<{ system_id: string; state: string }>(
        tx,
        sql`select system_id, state from maintenance_events where id = ${i.maintenanceId} for share`,
      );
      if (!e || e.system_id !== args.systemId)
        throw validationError([
          {
            field: 'maintenanceId',
            message: say('No such work on this system.', 'Systemet har inget sådant arbete.'),
          },
        ]);
      if (e.state === 'cancelled')
        throw conflict(
          say(
            'The work is cancelled: there is nothing to announce.',
            'Arbetet är inställt: det finns inget att meddela.',
          ),
          {
            errors: [
              { field: 'maintenanceId', message: say('The work is cancelled.', 'Arbetet är inställt.') },
            ],
          },
        );
    }
    await tx.execute(
      sql`insert into maintenance_system_messages (id, system_id, maintenance_event_id, severity, text_en, text_sv,
            shown_from, shown_until, published_by_label, published_at)
          values (${id}, ${args.systemId}, ${i.maintenanceId ?? null}, ${i.severity}, ${i.textEn}, ${i.textSv},
            ${from}, ${until}, ${args.actor.label}, ${now})`,
    );
    await recordAudit(tx, now, args.actor, {
      action: 'system-message.publish',
      entityType: 'system',
      entityId: args.systemId,
      after: { id, ...i, shownFrom: from.toISOString() },
    });
    if (i.maintenanceId) await tickChecklistItem(tx, now, args.actor, i.maintenanceId, 'system_message');
  });
  return getMessage(ctx.db, now, id);
}

/** G13: takes a message down now (one conditional UPDATE); a linked work's "remove" item is ticked. */
export async function withdrawMessage(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [m] = await rows<{ system_id: string; maintenance_event_id: string | null }>(
      tx,
      sql`update maintenance_system_messages set withdrawn_at = ${now}, withdrawn_by_label = ${args.actor.label}
          where id = ${args.id} and withdrawn_at is null and shown_until > ${now}
          returning system_id, maintenance_event_id`,
    );
    if (!m) {
      await messageSystem(tx, args.id); // 404 when there is no such message
      throw conflict(
        say('The message is already withdrawn or ended.', 'Meddelandet är redan nedtaget eller avslutat.'),
      );
    }
    await recordAudit(tx, now, args.actor, {
      action: 'system-message.withdraw',
      entityType: 'system',
      entityId: m.system_id,
      before: { id: args.id },
    });
    if (m.maintenance_event_id)
      await tickChecklistItem(tx, now, args.actor, m.maintenance_event_id, 'remove_system_message');
  });
  return getMessage(ctx.db, now, args.id);
}
