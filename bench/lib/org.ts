// The benchmarks' organisation: a generated large organisation (seed 42) loaded through the HR import,
// as an organisation would load it; and batched inserts for the rest of the generated data.
import { importOrg } from '../../src/server/modules/org/import/import.service.ts';
import type { AppContext } from '../../src/server/platform/context.ts';
import { systemActor } from '../../src/server/platform/context.ts';
import { largeOrgRows, toCsv } from '../../src/server/seed/generate.ts';

/** Imports `persons` persons in `units` units through the HR import (one root, faculties, departments). */
export async function importBenchOrg(ctx: AppContext, persons: number, units: number) {
  const res = await importOrg(ctx, {
    actor: systemActor('bench setup', 'cli'),
    data: toCsv(largeOrgRows({ persons, units })),
    filename: 'bench.csv',
  });
  if (!res.ok) throw new Error(`org import failed: ${JSON.stringify(res.errors.slice(0, 3))}`);
}

/** Runs `insert` on consecutive slices of `items` of at most `size`, one after another. */
export async function inBatches<T>(items: T[], size: number, insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await insert(items.slice(i, i + size));
}
