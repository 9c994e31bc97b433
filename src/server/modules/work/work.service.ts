// My work (UX.md): one inbox of the signed-in person's tasks across modules, oldest first, and the
// warnings that concern them. This module owns no table: each module answers for its own with a
// `…For(person)` function, and this one puts the answers together. (Access-rights tasks, the orders to
// approve or fulfil and the orderer's news, come from the access module's own `/access/me`; the units
// a head has to mend for A1 and A3 come from here.)
import { todayOf } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { WORK_KINDS, type WorkItem, type WorkKind } from '../../platform/work.ts';
import { coverageGapsFor } from '../absences/absences.service.ts';
import { unitGapsFor } from '../access/access.service.ts';
import { poolsNearFullFor } from '../licences/alerts.service.ts';
import { maintenanceTasksFor } from '../maintenance/maintenance.service.ts';
import { planTasksFor } from '../plans/plans.service.ts';
import { reportsDueFor } from '../software/software.service.ts';
import { roleGapsFor } from '../systems/governance.service.ts';
import { documentsDueFor } from '../systems/records.service.ts';

/** How many items of one kind the inbox lists; the rest are counted (the link leads to all of them). */
export const ITEMS_PER_KIND = 10;

export async function workOf(ctx: AppContext, actor: Actor) {
  const today = todayOf(ctx);
  const personId = actor.personId;
  // Administrators see every role gap and every pool near full: nobody else may be looking.
  const everything = actor.roles.includes('administrator');
  const parts = await Promise.all([
    personId ? planTasksFor(ctx.db, personId, today) : [],
    personId ? documentsDueFor(ctx.db, personId, today) : [],
    roleGapsFor(ctx.db, { personId, everything }, today),
    poolsNearFullFor(ctx.db, { personId, everything }),
    personId ? reportsDueFor(ctx.db, personId, today) : [],
    personId ? unitGapsFor(ctx.db, personId, today) : [],
    coverageGapsFor(ctx.db, { personId, everything }, today),
    personId ? maintenanceTasksFor(ctx.db, personId, today) : [],
  ]);
  // Oldest first, so the items shown of each kind are its oldest; undated warnings (pools near full)
  // after the dated tasks, in the order their module gave.
  const byDate = (a: WorkItem, b: WorkItem) =>
    a.date === b.date ? 0 : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? -1 : 1;
  const all = parts.flat().sort(byDate);
  const totals = Object.fromEntries(WORK_KINDS.map((k) => [k, 0])) as Record<WorkKind, number>;
  const shown: WorkItem[] = [];
  for (const item of all) {
    totals[item.kind]++;
    if (totals[item.kind] <= ITEMS_PER_KIND) shown.push(item);
  }
  return { today, items: shown, totals };
}
