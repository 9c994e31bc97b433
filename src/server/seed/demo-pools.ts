// Demo module licence pools (L1–L8): E-Archive's "Case" and "Document" modules (as in the vendor's
// help page, 001) and the diary's modules, sized from what the demo grants already use, each with a size
// change in its history. Runs after the access-rights demo, through the pool service.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { moduleConsumerCount } from '../modules/access/access.service.ts';
import { confirmPoolChange, createPool, preparePoolChange } from '../modules/licences/pools.service.ts';
import type { Actor, AppContext } from '../platform/context.ts';

const POOLS: { short: string; module: string; headroom: number; price: number }[] = [
  { short: 'EARCHIVE', module: 'Case', headroom: 1, price: 1850 },
  { short: 'EARCHIVE', module: 'Document', headroom: 6, price: 950 },
  { short: 'DIARIUM', module: 'Registry', headroom: 4, price: 1200 },
  { short: 'DIARIUM', module: 'Meetings', headroom: 10, price: 400 },
];

export async function seedDemoPools(ctx: AppContext, actor: Actor) {
  for (const p of POOLS) {
    const [s] = await rows<{ id: string }>(ctx.db, sql`select id from systems where short_name = ${p.short}`);
    if (!s) continue;
    // The first agreement covered the use at the time; it was then upgraded with some headroom.
    const used = await moduleConsumerCount(ctx.db, s.id, p.module);
    const created = await createPool(ctx, {
      actor,
      input: { systemId: s.id, module: p.module, size: Math.max(used, 1), unitPrice: p.price },
    });
    const change = await preparePoolChange(ctx, {
      actor,
      poolId: created!.id,
      input: { newSize: Math.max(used, 1) + p.headroom, note: 'More licences for the new agreement year' },
    });
    await confirmPoolChange(ctx, { actor, poolId: created!.id, changeId: change.id });
  }
}
