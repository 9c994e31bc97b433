// Demo upgrades and incidents (G13): Student Records' next upgrade is planned for a weekend a few weeks
// ahead and approved by the CAB, with its first checklist items done and the rehearsal in test still to
// come; Single Sign-On had an acute incident last week, communicated and resolved.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import {
  approveByCab,
  completeMaintenance,
  planMaintenance,
  setItemDone,
} from '../modules/maintenance/maintenance.service.ts';
import type { Actor, AppContext } from '../platform/context.ts';

const DAY = 86_400_000;

/** The Saturday at least `days` days after `now`, 07:00 UTC (08:00 or 09:00 in Stockholm). */
function saturdayAfter(now: Date, days: number) {
  const d = new Date(now.getTime() + days * DAY);
  d.setUTCDate(d.getUTCDate() + ((6 - d.getUTCDay() + 7) % 7));
  d.setUTCHours(7, 0, 0, 0);
  return d;
}

export async function seedDemoMaintenance(ctx: AppContext, actor: Actor) {
  const now = ctx.clock.now();
  const systemId = async (short: string) =>
    (await rows<{ id: string }>(ctx.db, sql`select id from systems where short_name = ${short}`))[0]?.id;
  const records = await systemId('STUREC');
  if (records) {
    const start = saturdayAfter(now, 24);
    const upgrade = await planMaintenance(ctx, {
      actor,
      systemId: records,
      input: {
        kind: 'upgrade',
        title: 'Student Records 2.14',
        description:
          'The consortium’s release with the new degree module. Release notes read together; tests in the test environment planned for the week before.',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 6 * 3_600_000).toISOString(),
        disturbsUsers: true,
      },
    });
    await approveByCab(ctx, { actor, id: upgrade.id, reference: 'CAB 2026-48 §3' });
    await setItemDone(ctx, { actor, itemId: upgrade.items[0].id, done: true });
  }
  const sso = await systemId('SSO');
  if (sso) {
    const start = new Date(now.getTime() - 6 * DAY);
    start.setUTCHours(6, 40, 0, 0);
    const incident = await planMaintenance(ctx, {
      actor,
      systemId: sso,
      input: {
        kind: 'incident',
        title: 'Sign-in fails for some users',
        description: 'A certificate expired at the identity provider; renewed the same morning.',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
        disturbsUsers: true,
      },
    });
    for (const item of incident.items) await setItemDone(ctx, { actor, itemId: item.id, done: true });
    await completeMaintenance(ctx, { actor, id: incident.id });
  }
}
