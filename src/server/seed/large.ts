import { importOrg } from '../modules/org/import/import.service.ts';
import type { AppContext } from '../platform/context.ts';
import { systemActor } from '../platform/context.ts';
import { largeOrgRows, toCsv } from './generate.ts';

/** 60,000 persons in 2,000 units (by default), loaded through the HR import. */
export async function seedLarge(ctx: AppContext, opts: { persons: number; units: number }) {
  const data = toCsv(largeOrgRows(opts));
  const res = await importOrg(ctx, {
    actor: systemActor('steward seed --large', 'cli'),
    data,
    filename: 'large.csv',
  });
  if (!res.ok) throw new Error(`generated data did not import: ${JSON.stringify(res.errors.slice(0, 3))}`);
  return res.counts;
}
