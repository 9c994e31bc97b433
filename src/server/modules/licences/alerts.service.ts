// Licence alerts (issue 5, "dashboards and costs"): module pools above 90 % utilisation and software
// agreements whose renewal date (or, without one, end date) is within 90 days, shown on the licences
// dashboard and e-mailed through the outbox by the scheduled job `licence-alerts`.
//
// Who is told: a pool's alert goes to the contract owner of its system (L5: they decide the pool's size);
// a system without a contract owner with an e-mail address falls back to the administrators. A software
// agreement has no owner of its own: titles are procured and renewed by central IT, so its alert goes to
// the administrators (coordinators only hand out what central IT has bought: S2, S5).
//
// At most once: the job first inserts an open alert row (unique per kind, subject and period) and sends
// only when the insert took place, in the same transaction, so re-running sends nothing new. A pool's row
// is cleared when it falls back to 85 % or below, so its next crossing of 90 % alerts again; an
// agreement's period is its date, so a renewed agreement alerts again before its new date. An alert
// that would reach nobody (no contract owner and no administrator with an e-mail address) is not
// raised, so a later run, once someone can be told, sends it.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';
import { localDate } from '../../platform/clock.ts';
import { type Actor, type AppContext, systemActor } from '../../platform/context.ts';
import { enqueueEmail } from '../../platform/outbox/outbox.service.ts';
import type { WorkItem } from '../../platform/work.ts';
import { administratorRecipients } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { listTitles } from '../software/software.service.ts';
import { listPools, type Pool } from './pools.service.ts';

/** A pool is alerted above this share of its size in use (strictly above). */
export const POOL_ALERT_PERCENT = 90;
/**
 * An open pool alert is over once the pool is back at this share or below: a pool that hovers around
 * 90 % (a grant ended, another given) is alerted once, not at every crossing.
 */
export const POOL_CLEAR_PERCENT = 85;
/** An agreement is alerted this many days before its renewal (or end) date. */
export const AGREEMENT_ALERT_DAYS = 90;

/** Whether more than `percent` of the pool's size is in use (a pool of size 0 never is). */
const usedAbove = (p: Pool, percent: number) => p.size > 0 && p.used * 100 > p.size * percent;

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * My work: pools above 90 % of the systems whose contract owner the person is (they decide the size, L5);
 * every such pool for an administrator. The most used first.
 */
export async function poolsNearFullFor(
  db: Db,
  who: { personId: string | null; everything: boolean },
): Promise<WorkItem[]> {
  let owned: Set<string> | null = null;
  if (!who.everything) {
    if (!who.personId) return [];
    const systems = await rows<{ id: string }>(
      db,
      sql`select id from systems where contract_owner_person_id = ${who.personId}`,
    );
    if (!systems.length) return [];
    owned = new Set(systems.map((s) => s.id));
  }
  return (await listPools(db))
    .filter((p) => usedAbove(p, POOL_ALERT_PERCENT) && (!owned || owned.has(p.system.id)))
    .sort((a, b) => (b.utilisation ?? 0) - (a.utilisation ?? 0))
    .map((p) => ({
      kind: 'pool.full',
      subject: { id: p.id, name: `${p.system.name}: ${p.module}` },
      detail: `${p.used}/${p.size}`,
      date: null,
    }));
}

/**
 * What the licences dashboard shows: pools above 90 % and agreements due within 90 days (of `pools`
 * when the caller has listed them already).
 */
export async function licenceWatch(db: Db, today: string, pools?: Pool[]) {
  const above = (pools ?? (await listPools(db))).filter((p) => usedAbove(p, POOL_ALERT_PERCENT));
  const titles = await listTitles(db, { expiringWithinDays: AGREEMENT_ALERT_DAYS, today });
  return {
    poolsAbove: above.sort((a, b) => (b.utilisation ?? 0) - (a.utilisation ?? 0)),
    agreementsExpiring: titles
      .map((t) => {
        const date = (t.renewalOn ?? t.agreementEnd)!;
        return {
          id: t.id,
          name: t.name,
          productVersion: t.productVersion,
          vendor: t.vendor,
          licenceModel: t.licenceModel,
          renewalOn: t.renewalOn,
          agreementEnd: t.agreementEnd,
          date,
          daysLeft: daysBetween(today, date),
        };
      })
      .sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name)),
    thresholds: { poolPercent: POOL_ALERT_PERCENT, agreementDays: AGREEMENT_ALERT_DAYS },
  };
}
export type LicenceWatch = Awaited<ReturnType<typeof licenceWatch>>;

type Recipient = { name: string; email: string };

async function poolRecipients(
  db: Db,
  pool: Pool,
): Promise<{ to: Recipient[]; via: 'contract-owner' | 'administrators' }> {
  const [owner] = await rows<Recipient>(
    db,
    sql`select p.given_name || ' ' || p.family_name as name, p.email from systems s join persons p
        on p.id = s.contract_owner_person_id
        where s.id = ${pool.system.id} and p.status = 'active' and p.email is not null`,
  );
  if (owner) return { to: [owner], via: 'contract-owner' };
  return { to: await administratorRecipients(db), via: 'administrators' };
}

/** Notes on the alert who was told, and audits the alert with its recipients, in the sending transaction. */
async function recordSent(
  tx: Db,
  now: Date,
  actor: Actor,
  id: string,
  to: Recipient[],
  audit: { action: string; entityType: string; entityId: string; after: Record<string, unknown> },
) {
  const recipients = to.map((r) => r.email);
  await tx.execute(
    sql`update licence_alerts set recipients = ${pgArray(recipients, 'text')} where id = ${id}`,
  );
  await recordAudit(tx, now, actor, { ...audit, after: { ...audit.after, recipients } });
}

/** Inserts the open alert; true when it is new (and so is to be sent). */
async function raise(tx: Db, now: Date, kind: string, subjectId: string, period: string, detail: unknown) {
  const inserted = await rows<{ id: string }>(
    tx,
    sql`insert into licence_alerts (id, kind, subject_id, period, raised_at, detail)
        values (${randomUUID()}, ${kind}, ${subjectId}, ${period}, ${now}, ${JSON.stringify(detail)}::jsonb)
        on conflict (kind, subject_id, period) where cleared_at is null do nothing
        returning id`,
  );
  return inserted[0]?.id ?? null;
}

/**
 * The `licence-alerts` job: raises and e-mails new alerts, clears pool alerts that no longer hold.
 * Returns what it did; re-running at once does nothing.
 */
export async function runLicenceAlerts(ctx: AppContext) {
  const now = ctx.clock.now();
  const today = localDate(now);
  const actor = systemActor('Steward licence alerts', 'job');
  const pools = await listPools(ctx.db);
  const watch = await licenceWatch(ctx.db, today, pools);
  const result = { poolAlerts: 0, agreementAlerts: 0, emails: 0, cleared: 0 };
  await ctx.db.transaction(async (tx) => {
    for (const pool of watch.poolsAbove) {
      const detail = { used: pool.used, size: pool.size, utilisation: pool.utilisation };
      const { to, via } = await poolRecipients(tx, pool);
      if (!to.length) continue;
      const id = await raise(tx, now, 'pool-utilisation', pool.id, '', detail);
      if (!id) continue;
      const what = `${pool.system.name}: ${pool.module}`;
      for (const r of to)
        await enqueueEmail(tx, now, {
          to: r.email,
          subject: `Licence pool ${what} is ${pool.utilisation} % used / Licenspotten ${what} är använd till ${pool.utilisation} %`,
          body: [
            `${r.name},`,
            '',
            `${pool.used} of the ${pool.size} licences of the ${pool.module} module of ${pool.system.name} are in use (${pool.utilisation} %). When the pool is full, new grants that include the module are refused until licences are added (an upgrade of the pool in Steward).`,
            '',
            `${pool.used} av ${pool.size} licenser för modulen ${pool.module} i ${pool.system.name} används (${pool.utilisation} %). När potten är full nekas nya behörigheter som omfattar modulen tills licenser läggs till (en uppgradering av potten i Steward).`,
            '',
            via === 'administrators'
              ? 'You receive this as an administrator: the system has no contract owner with an e-mail address. / Du får detta som administratör: systemet saknar avtalsägare med e-postadress.'
              : 'You receive this as the contract owner of the system. / Du får detta som avtalsägare för systemet.',
            '',
          ].join('\n'),
          meta: { kind: 'licence.pool-utilisation', poolId: pool.id, alertId: id },
        });
      await recordSent(tx, now, actor, id, to, {
        action: 'licence-alert.pool',
        entityType: 'licence_pool',
        entityId: pool.id,
        after: { ...detail, via },
      });
      result.poolAlerts++;
      result.emails += to.length;
    }
    // A pool back at 85 % or below (or gone): its alert is over, so the next crossing alerts again.
    const stillHigh = pools.filter((p) => usedAbove(p, POOL_CLEAR_PERCENT));
    const cleared = await rows<{ subject_id: string }>(
      tx,
      sql`update licence_alerts set cleared_at = ${now}
          where kind = 'pool-utilisation' and cleared_at is null
            and not (subject_id = any(${pgArray(
              stillHigh.map((p) => p.id),
              'uuid',
            )}))
          returning subject_id`,
    );
    for (const c of cleared)
      await recordAudit(tx, now, actor, {
        action: 'licence-alert.pool-cleared',
        entityType: 'licence_pool',
        entityId: c.subject_id,
      });
    result.cleared = cleared.length;

    const admins = watch.agreementsExpiring.length ? await administratorRecipients(tx) : [];
    for (const a of admins.length ? watch.agreementsExpiring : []) {
      const detail = { date: a.date, renewalOn: a.renewalOn, agreementEnd: a.agreementEnd };
      const id = await raise(tx, now, 'agreement-expiry', a.id, a.date, detail);
      if (!id) continue;
      const title = `${a.name}${a.productVersion ? ` ${a.productVersion}` : ''}`;
      const kindEn = a.renewalOn ? 'is up for renewal' : 'ends';
      const kindSv = a.renewalOn ? 'ska förnyas' : 'löper ut';
      for (const r of admins)
        await enqueueEmail(tx, now, {
          to: r.email,
          subject: `Software agreement ${title} ${kindEn} on ${a.date} / Programavtalet ${title} ${kindSv} ${a.date}`,
          body: [
            `${r.name},`,
            '',
            `The licence agreement for ${title}${a.vendor ? ` (${a.vendor})` : ''} ${kindEn} on ${a.date}, in ${a.daysLeft} days.`,
            '',
            `Licensavtalet för ${title}${a.vendor ? ` (${a.vendor})` : ''} ${kindSv} ${a.date}, om ${a.daysLeft} dagar.`,
            '',
            'You receive this as an administrator: software agreements are procured and renewed by central IT. / Du får detta som administratör: programavtal upphandlas och förnyas av central IT.',
            '',
          ].join('\n'),
          meta: { kind: 'licence.agreement-expiry', titleId: a.id, date: a.date, alertId: id },
        });
      await recordSent(tx, now, actor, id, admins, {
        action: 'licence-alert.agreement',
        entityType: 'software_title',
        entityId: a.id,
        after: detail,
      });
      result.agreementAlerts++;
      result.emails += admins.length;
    }
  });
  return result;
}
