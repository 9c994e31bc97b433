// Demo upgrades and incidents (G13): Student Records' next upgrade is planned for a weekend a few weeks
// ahead and approved by the CAB, with its first checklist items done and the rehearsal in test still to
// come; Single Sign-On had an acute incident last week, communicated and resolved. Student Records' change
// log (G11) holds the year's changes, last year's upgrade among them. The upgrade's system message is
// scheduled a week before it; the Learning Platform shows an information message now.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { recordChange } from '../modules/maintenance/changelog.service.ts';
import {
  approveByCab,
  completeMaintenance,
  planMaintenance,
  setItemDone,
} from '../modules/maintenance/maintenance.service.ts';
import { publishMessage } from '../modules/maintenance/messages.service.ts';
import { addDays, todayOf } from '../platform/clock.ts';
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
    // The system message a week before, scheduled now (it ticks the checklist's "system message" item).
    await publishMessage(ctx, {
      actor,
      systemId: records,
      input: {
        severity: 'warning',
        textEn: 'Student Records is closed for an upgrade on Saturday 08:00–14:00. Save your work before.',
        textSv: 'Studieregistret är stängt för uppgradering på lördag kl. 08–14. Spara ditt arbete innan.',
        shownFrom: new Date(start.getTime() - 7 * DAY).toISOString(),
        shownUntil: new Date(start.getTime() + 6 * 3_600_000).toISOString(),
        maintenanceId: upgrade.id,
      },
    });
    const today = todayOf(ctx);
    for (const [daysAgo, kind, summary, details] of [
      [
        330,
        'upgrade',
        'Student Records 2.13',
        'Done in a weekend service window; no disturbance after 09:00 on the Saturday.',
      ],
      [
        200,
        'access',
        'Administrator role split into admissions and degrees',
        'Nobody holds both any more; decided by the system owner after the yearly review.',
      ],
      [
        95,
        'integration',
        'New nightly feed of course results to the Learning Platform',
        'Information contract version 2: adds the grading scale; no new personal data.',
      ],
      [
        12,
        'configuration',
        'Session timeout from 30 to 60 minutes',
        'Asked for by the reference group: study advisers lost unsaved notes.',
      ],
    ] as const)
      await recordChange(ctx, {
        actor,
        systemId: records,
        input: { changedOn: addDays(today, -daysAgo), kind, summary, details },
      });
  }
  const lms = await systemId('LMS');
  if (lms)
    await publishMessage(ctx, {
      actor,
      systemId: lms,
      input: {
        severity: 'info',
        textEn:
          'The Learning Platform has a new sign-in page. Sign in as usual with your university account.',
        textSv: 'Lärplattformen har en ny inloggningssida. Logga in som vanligt med ditt universitetskonto.',
        shownUntil: new Date(now.getTime() + 5 * DAY).toISOString(),
      },
    });
  const archive = await systemId('EARCHIVE');
  if (archive)
    await recordChange(ctx, {
      actor,
      systemId: archive,
      input: {
        changedOn: addDays(todayOf(ctx), -40),
        kind: 'configuration',
        summary: 'Retention of closed case files set to ten years',
        details: 'Follows the new retention rule for student cases; older files are disposed of monthly.',
      },
    });
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
