// The systems benchmark's data (issue 3), also used to look at the graph page with a large registry:
// 800 systems in 250 governance objects, 3,000 integrations with active contracts, 2,000 dependencies,
// 6,000 role assignments, on an organisation of 1,000 persons loaded by the HR import. The organisation
// and one object/system go through the services; the bulk is inserted with multi-row INSERTs (the
// services would audit every row, which is not what is measured).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/server/db/client.ts';
import { sortKeySv } from '../../src/server/modules/org/person-keys.ts';
import { createObject } from '../../src/server/modules/systems/governance.service.ts';
import { createSystem } from '../../src/server/modules/systems/systems.service.ts';
import {
  DEPENDENCY_KINDS,
  dependencies,
  GOVERNANCE_ROLES,
  governanceObjects,
  informationContracts,
  integrations,
  roleAssignments,
  systems,
} from '../../src/server/modules/systems/systems.tables.ts';
import type { AppContext } from '../../src/server/platform/context.ts';
import { systemActor } from '../../src/server/platform/context.ts';
import { prng } from '../../src/server/seed/generate.ts';
import { importBenchOrg, inBatches } from './org.ts';

export const SIZES = {
  systems: 800,
  objects: 250,
  integrations: 3000,
  dependencies: 2000,
  roles: 6000,
  persons: 1000,
};
export const CATEGORIES = ['students', 'employees', 'patients', 'research subjects'];

// ---- data -------------------------------------------------------------------------------------------

const PREFIX = [
  'Student',
  'Research',
  'Finance',
  'Library',
  'Clinical',
  'Payroll',
  'Identity',
  'Campus',
  'Learning',
  'Data',
];
const SUFFIX = ['Portal', 'Platform', 'Register', 'Service', 'Gateway', 'Archive', 'Hub', 'Analytics'];
const VENDORS = ['Nordic Systems', 'Akta Software', 'Cloudoffice', 'Personalia AB', 'Lumen', null];

export async function generate(ctx: AppContext, log: (s: string) => void) {
  const rand = prng(3);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const actor = systemActor('bench: systems', 'cli');
  const t0 = performance.now();
  await importBenchOrg(ctx, SIZES.persons, 60);
  const personIds = (await rows<{ id: string }>(ctx.db, sql`select id from persons order by id`)).map(
    (p) => p.id,
  );
  const unitIds = (await rows<{ id: string }>(ctx.db, sql`select id from org_units order by id`)).map(
    (u) => u.id,
  );
  log(
    `organisation: ${personIds.length} persons, ${unitIds.length} units (${Math.round(performance.now() - t0)} ms)`,
  );

  // One object and one system through the services (audited), the rest in bulk.
  const t1 = performance.now();
  const now = new Date();
  const first = await createObject(ctx, { actor, input: { name: 'Object 0', owningUnitId: unitIds[0] } });
  const objectIds = [first.id];
  const objectRows = Array.from({ length: SIZES.objects - 1 }, (_, i) => {
    const id = randomUUID();
    objectIds.push(id);
    return { id, name: `Object ${i + 1}`, owningUnitId: pick(unitIds), createdAt: now, updatedAt: now };
  });
  await inBatches(objectRows, 500, (b) => ctx.db.insert(governanceObjects).values(b));
  const firstSystem = await createSystem(ctx, {
    actor,
    input: {
      name: 'Student Platform 0',
      shortName: 'SYS0',
      description: 'System 0',
      lifecycle: 'in_production',
      orgModel: 1,
      vendor: 'Nordic Systems',
      contractOwner: null,
      hosting: 'own',
      criticality: 'critical',
      confidentiality: 2,
      integrity: 2,
      availability: 2,
      storesPersonalData: true,
      personalDataCategories: ['students'],
      environments: ['production'],
      governanceObjectId: objectIds[0],
    },
  });
  const systemIds = [firstSystem.id];
  const systemRows = Array.from({ length: SIZES.systems - 1 }, (_, k) => {
    const i = k + 1;
    const name = `${pick(PREFIX)} ${pick(SUFFIX)} ${i}`;
    const shortName = `SYS${i}`;
    const vendor = pick(VENDORS);
    const description = `Bench system number ${i}.`;
    const id = randomUUID();
    systemIds.push(id);
    const cats = CATEGORIES.filter(() => rand() < 0.15);
    return {
      id,
      name,
      shortName,
      description,
      lifecycle: pick([
        'planned',
        'in_production',
        'in_production',
        'in_production',
        'being_phased_out',
        'retired',
      ] as const),
      orgModel: 1 + Math.floor(rand() * 5),
      vendor,
      hosting: pick(['own', 'central_it', 'vendor'] as const),
      criticality: pick(['low', 'medium', 'high', 'critical'] as const),
      storesPersonalData: cats.length > 0,
      personalDataCategories: cats,
      governanceObjectId: pick(objectIds),
      sortKey: sortKeySv(`${name}\u0001${shortName}`),
      searchText: [name, shortName, vendor ?? '', description]
        .join(' ')
        .toLocaleLowerCase('sv')
        .replace(/\s+/g, ' ')
        .trim(),
      createdAt: now,
      updatedAt: now,
    };
  });
  await inBatches(systemRows, 400, (b) => ctx.db.insert(systems).values(b));

  // Dependencies: a layered graph; low-numbered systems are platforms many others need.
  const edges = new Set<string>();
  const depRows: (typeof dependencies.$inferInsert)[] = [];
  while (depRows.length < SIZES.dependencies) {
    const from = 20 + Math.floor(rand() * (SIZES.systems - 20));
    const to = Math.floor(from * rand() ** 2);
    const kind = pick(DEPENDENCY_KINDS);
    const key = `${from}|${to}|${kind}`;
    if (from === to || edges.has(key)) continue;
    edges.add(key);
    depRows.push({
      id: randomUUID(),
      fromSystemId: systemIds[from],
      toSystemId: systemIds[to],
      kind,
      createdAt: now,
    });
  }
  await inBatches(depRows, 1000, (b) => ctx.db.insert(dependencies).values(b));

  // Integrations, each with one active, consented contract; most carry personal data.
  const integrationRows: (typeof integrations.$inferInsert)[] = [];
  const contractRows: (typeof informationContracts.$inferInsert)[] = [];
  for (let i = 0; i < SIZES.integrations; i++) {
    const src = Math.floor(rand() * SIZES.systems);
    let dst = Math.floor(rand() * SIZES.systems);
    if (dst === src) dst = (dst + 1) % SIZES.systems;
    const id = randomUUID();
    integrationRows.push({
      id,
      name: `Flow ${i}`,
      sourceSystemId: systemIds[src],
      targetSystemId: systemIds[dst],
      createdAt: now,
    });
    const cats = CATEGORIES.filter(() => rand() < 0.3);
    contractRows.push({
      id: randomUUID(),
      integrationId: id,
      version: 1,
      status: 'active',
      dataItems: ['name', 'identifier'],
      purpose: 'Bench flow',
      includesPersonalData: cats.length > 0,
      personalDataCategories: cats,
      legalBasis: cats.length ? 'public_task' : null,
      proposedByPersonId: pick(personIds),
      proposedAt: now,
      consentedByPersonId: pick(personIds),
      consentedAt: now,
    });
  }
  await inBatches(integrationRows, 1000, (b) => ctx.db.insert(integrations).values(b));
  await inBatches(contractRows, 1000, (b) => ctx.db.insert(informationContracts).values(b));

  const roleRows: (typeof roleAssignments.$inferInsert)[] = Array.from({ length: SIZES.roles }, () => {
    const role = pick(GOVERNANCE_ROLES);
    const ends = rand() < 0.2;
    return {
      id: randomUUID(),
      objectId: pick(objectIds),
      personId: pick(personIds),
      role,
      validFrom: '2024-01-01',
      validUntil: ends ? '2027-06-30' : null,
      appointedByPersonId: pick(personIds),
      appointedByUnitId: role === 'reference_group' ? pick(unitIds) : null,
      appointedAt: now,
    };
  });
  await inBatches(roleRows, 1000, (b) => ctx.db.insert(roleAssignments).values(b));
  log(`systems data generated (${Math.round(performance.now() - t1)} ms)`);
  return { systemIds };
}
