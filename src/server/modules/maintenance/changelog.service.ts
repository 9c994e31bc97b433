// The change log of each system (G11; source 002, 5.11: "förändringsdokumentation, daterad loggbok över
// gjorda förändringar i konfigurationen, uppgraderingar osv"): the dated record of what was changed,
// for troubleshooting ("exactly when did this change?"), the yearly report to the steering group and
// next year's plan (G7). Append-only: a trigger refuses updates and deletes, so a correction is a new
// entry. Completed maintenance writes its own entry in the same transaction.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import { localDate, todayOf } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { BAD_CURSOR, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import { type ExportColumns, exportWorkbook } from '../../platform/xlsx.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normaliseQuery } from '../org/person-keys.ts';
import type { ChangeFilter, ChangeInput } from './maintenance.schema.ts';
import type { CHANGE_KINDS } from './maintenance.tables.ts';

type ChangeKind = (typeof CHANGE_KINDS)[number];

const changeColumns = sql`c.id, c.seq, c.system_id, s.name as system_name, c.changed_on::text as changed_on, c.kind,
  c.summary, c.details, c.maintenance_event_id, c.recorded_by_label, c.recorded_at`;

function present(r: any) {
  return {
    id: r.id as string,
    system: { id: r.system_id as string, name: r.system_name as string },
    changedOn: r.changed_on as string,
    kind: r.kind as ChangeKind,
    summary: r.summary as string,
    details: r.details as string,
    maintenance: r.maintenance_event_id ? { id: r.maintenance_event_id as string } : null,
    recordedBy: r.recorded_by_label as string,
    recordedAt: new Date(r.recorded_at).toISOString(),
  };
}
export type Change = ReturnType<typeof present>;

async function insertChange(
  tx: Db,
  now: Date,
  actor: Actor,
  c: {
    systemId: string;
    changedOn: string;
    kind: ChangeKind;
    summary: string;
    details: string;
    eventId?: string;
  },
) {
  const id = randomUUID();
  await tx.execute(
    sql`insert into maintenance_change_log (id, system_id, changed_on, kind, summary, details, maintenance_event_id,
          recorded_by_label, recorded_at)
        values (${id}, ${c.systemId}, ${c.changedOn}::date, ${c.kind}, ${c.summary}, ${c.details},
          ${c.eventId ?? null}, ${actor.label}, ${now})`,
  );
  await recordAudit(tx, now, actor, {
    action: 'system.change-log.record',
    entityType: 'system',
    entityId: c.systemId,
    after: { id, ...c },
  });
  return id;
}

/** G11: records a change made to the system (on a day that has come: the log is of what was done). */
export async function recordChange(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; input: ChangeInput },
) {
  const i = args.input;
  if (i.changedOn > todayOf(ctx))
    throw validationError([
      {
        field: 'changedOn',
        message: say(
          'The change log records changes that have been made: plan future work under Maintenance.',
          'Ändringsloggen registrerar ändringar som har gjorts: planera kommande arbete under Underhåll.',
        ),
      },
    ]);
  const id = await ctx.db.transaction((tx) =>
    insertChange(tx, ctx.clock.now(), args.actor, { systemId: args.systemId, ...i }),
  );
  return getChange(ctx.db, id);
}

/**
 * G11, G13: completed work enters the change log, dated the day it ended (Stockholm time), in the
 * caller's transaction. Once per event (a unique index).
 */
export async function recordCompletedWork(
  tx: Db,
  now: Date,
  actor: Actor,
  e: {
    id: string;
    system_id: string;
    kind: 'upgrade' | 'maintenance' | 'incident';
    title: string;
    description: string;
    ends_at: Date | string;
  },
) {
  const ended = new Date(e.ends_at);
  await insertChange(tx, now, actor, {
    systemId: e.system_id,
    changedOn: localDate(ended < now ? ended : now),
    kind: e.kind,
    summary: e.title,
    details: e.description,
    eventId: e.id,
  });
}

export async function getChange(db: Db, id: string) {
  const [r] = await rows(
    db,
    sql`select ${changeColumns} from maintenance_change_log c join systems s on s.id = c.system_id where c.id = ${id}`,
  );
  return present(r);
}

type Cursor = { d: string; s: number };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (/^\d{4}-\d{2}-\d{2}$/.test(c.d) && Number.isSafeInteger(c.s)) return c;
  } catch {}
  throw validationError([{ field: 'cursor', message: BAD_CURSOR }]);
}

function conditions(f: Partial<ChangeFilter> & { systemId?: string }): SQL[] {
  const conds: SQL[] = [];
  if (f.systemId) conds.push(sql`c.system_id = ${f.systemId}`);
  if (f.from) conds.push(sql`c.changed_on >= ${f.from}::date`);
  if (f.to) conds.push(sql`c.changed_on <= ${f.to}::date`);
  if (f.kind) conds.push(sql`c.kind = ${f.kind}`);
  if (f.objectId) conds.push(sql`s.governance_object_id = ${f.objectId}`);
  for (const word of normaliseQuery(f.q ?? '')
    .split(' ')
    .filter(Boolean)
    .slice(0, 5)) {
    const like = `%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(
      sql`lower(c.summary || ' ' || c.details || ' ' || s.name || ' ' || coalesce(s.short_name, '')) like ${like}`,
    );
  }
  return conds;
}

/** G11: the change log, newest first (by the day of the change, then the order it was recorded in). */
export async function listChanges(
  db: Db,
  f: ChangeFilter & { systemId?: string },
): Promise<{ items: Change[]; nextCursor: string | null }> {
  const conds = conditions(f);
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    conds.push(sql`(c.changed_on, c.seq) < (${c.d}::date, ${c.s}::bigint)`);
  }
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<any>(
    db,
    sql`select ${changeColumns} from maintenance_change_log c join systems s on s.id = c.system_id ${where}
        order by c.changed_on desc, c.seq desc limit ${f.limit + 1}`,
  );
  const page = found.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(present),
    nextCursor: found.length > f.limit ? encodeCursor({ d: last.changed_on, s: Number(last.seq) }) : null,
  };
}

export const CHANGE_EXPORT_COLUMNS: ExportColumns = [
  ['changed_on', 'Changed on', 'Ändrat'],
  ['system', 'System', 'System'],
  ['kind', 'Kind', 'Slag'],
  ['summary', 'Summary', 'Sammanfattning'],
  ['details', 'Details', 'Detaljer'],
  ['recorded_by', 'Recorded by', 'Registrerad av'],
  ['recorded_at', 'Recorded at', 'Registrerad'],
];

/** G11: the filtered change log as export rows (oldest first, as a report reads), at most 50,000. */
export async function exportChangeRows(db: Db, f: Partial<ChangeFilter> & { systemId?: string }) {
  const conds = conditions(f);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows(
    db,
    sql`select ${changeColumns} from maintenance_change_log c join systems s on s.id = c.system_id ${where}
        order by c.changed_on, c.seq limit 50000`,
  );
  return found
    .map(present)
    .map((c) => [c.changedOn, c.system.name, c.kind, c.summary, c.details, c.recordedBy, c.recordedAt]);
}

/** G11: the filtered change log as an Excel workbook, with English or Swedish headers. */
export async function exportChangesXlsx(db: Db, f: Partial<ChangeFilter>, lang: 'en' | 'sv') {
  return exportWorkbook(
    { en: 'Change log', sv: 'Ändringslogg' },
    CHANGE_EXPORT_COLUMNS,
    await exportChangeRows(db, f),
    lang,
    {
      system: 30,
      summary: 60,
      details: 80,
    },
  );
}
