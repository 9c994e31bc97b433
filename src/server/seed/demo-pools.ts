// Demo module licence pools (L1–L8): E-Archive's "Case" and "Document" modules (as in the vendor's
// help page, 001) and the diary's modules, sized from what the demo grants use, each with two size
// changes in its history. The pools were set up 20 months ago and resized 15 and 4 months ago (the
// clock is moved back for each step), so the size history and the utilisation trend have a shape.
// Runs after the access-rights demo, through the pool service.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { moduleConsumerCount, moduleConsumersOn } from '../modules/access/access.service.ts';
import {
  confirmPoolChange,
  createPool,
  preparePoolChange,
  trendDates,
} from '../modules/licences/pools.service.ts';
import { localDate } from '../platform/clock.ts';
import type { Actor, AppContext } from '../platform/context.ts';

/** Sizes above the most users the module has had: after the upgrade 15 months ago, then 4 months ago. */
const POOLS: {
  short: string;
  module: string;
  price: number;
  steps: [{ extra: number; note: string }, { extra: number; note: string }];
}[] = [
  {
    short: 'EARCHIVE',
    module: 'Case',
    price: 1850,
    // Back to the base agreement: full now, so the Archivist order in the queue waits for licences (L2).
    steps: [
      { extra: 2, note: 'Digitisation project: two more case handlers' },
      { extra: 0, note: 'Project ended: back to the base agreement' },
    ],
  },
  {
    short: 'EARCHIVE',
    module: 'Document',
    price: 950,
    steps: [
      { extra: 3, note: 'More licences for the new agreement year' },
      { extra: 6, note: 'Top-up for the autumn intake' },
    ],
  },
  {
    short: 'DIARIUM',
    module: 'Registry',
    price: 1200,
    steps: [
      { extra: 2, note: 'More licences for the new agreement year' },
      { extra: 4, note: 'Top-up for the autumn intake' },
    ],
  },
  {
    short: 'DIARIUM',
    module: 'Meetings',
    price: 400,
    steps: [
      { extra: 5, note: 'Board meetings move into the diary' },
      { extra: 10, note: 'Faculty boards too' },
    ],
  },
];

export async function seedDemoPools(ctx: AppContext) {
  const monthsAgo = (m: number): AppContext => {
    const d = new Date(ctx.clock.now());
    d.setUTCMonth(d.getUTCMonth() - m);
    return { ...ctx, clock: { now: () => d } };
  };
  const past = trendDates(localDate(ctx.clock.now()), 24);
  for (const p of POOLS) {
    // The system's contract owner makes the changes (the administrator where the system has none).
    const [s] = await rows<{ id: string; person_id: string; person_name: string }>(
      ctx.db,
      sql`select s.id, p.id as person_id, p.given_name || ' ' || p.family_name as person_name
          from systems s join persons p
            on p.id = coalesce(s.contract_owner_person_id, (select id from persons where employee_id = 'E000001'))
          where s.short_name = ${p.short}`,
    );
    if (!s) continue;
    const owner: Actor = {
      kind: 'user',
      accountId: null,
      personId: s.person_id,
      label: s.person_name,
      roles: [],
      via: 'cli',
    };
    // The first agreement covered the most the module was used by; upgrades added headroom.
    const used = Math.max(
      await moduleConsumerCount(ctx.db, s.id, p.module),
      ...(await moduleConsumersOn(ctx.db, s.id, p.module, past)).map((x) => x.used),
      1,
    );
    const created = await createPool(monthsAgo(20), {
      actor: owner,
      input: { systemId: s.id, module: p.module, size: used, unitPrice: p.price },
    });
    const steps = p.steps.map((x, i) => ({ months: i === 0 ? 15 : 4, size: used + x.extra, note: x.note }));
    for (const step of steps) {
      const at = monthsAgo(step.months);
      const change = await preparePoolChange(at, {
        actor: owner,
        poolId: created!.id,
        input: { newSize: step.size, note: step.note },
      });
      await confirmPoolChange(at, { actor: owner, poolId: created!.id, changeId: change.id });
    }
  }
}
