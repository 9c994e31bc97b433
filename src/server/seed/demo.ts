// The demo university: faculties, departments, about 300 people and sign-in accounts for each role.
// Loaded through the HR import, then accounts are created through the accounts service.
import { createAccount } from '../modules/accounts/accounts.service.ts';
import { importOrg } from '../modules/org/import/import.service.ts';
import { findPersonByEmployeeId } from '../modules/org/org.service.ts';
import type { AppContext } from '../platform/context.ts';
import { systemActor } from '../platform/context.ts';
import type { Role } from '../platform/policy.ts';
import { seedDemoAbsences } from './demo-absences.ts';
import { seedDemoAccess } from './demo-access.ts';
import { seedDemoMaintenance } from './demo-maintenance.ts';
import { seedDemoPlans } from './demo-plans.ts';
import { seedDemoPools } from './demo-pools.ts';
import { seedDemoSoftware } from './demo-software.ts';
import { seedDemoSystems } from './demo-systems.ts';
import { type OrgRow, personRow, prng, toCsv } from './generate.ts';

type U = { code: string; name: string; parent: string; kind: string; size: number };

export const DEMO_UNITS: U[] = [
  { code: 'NU', name: 'Norrviken University', parent: '', kind: 'organisation', size: 2 },
  { code: 'ADM', name: 'University Administration', parent: 'NU', kind: 'administration', size: 8 },
  { code: 'IT', name: 'Central IT Services', parent: 'ADM', kind: 'provider', size: 24 },
  { code: 'HR', name: 'Human Resources Office', parent: 'ADM', kind: 'department', size: 12 },
  { code: 'FIN', name: 'Finance Office', parent: 'ADM', kind: 'department', size: 12 },
  { code: 'LIB', name: 'University Library', parent: 'ADM', kind: 'department', size: 14 },
  { code: 'STU', name: 'Student Services', parent: 'ADM', kind: 'department', size: 14 },
  { code: 'SCI', name: 'Faculty of Science and Technology', parent: 'NU', kind: 'faculty', size: 4 },
  { code: 'SCI-PHYS', name: 'Department of Physics', parent: 'SCI', kind: 'department', size: 22 },
  { code: 'SCI-CHEM', name: 'Department of Chemistry', parent: 'SCI', kind: 'department', size: 20 },
  { code: 'SCI-CS', name: 'Department of Computing Science', parent: 'SCI', kind: 'department', size: 24 },
  { code: 'MED', name: 'Faculty of Medicine', parent: 'NU', kind: 'faculty', size: 4 },
  { code: 'MED-CLIN', name: 'Department of Clinical Sciences', parent: 'MED', kind: 'department', size: 22 },
  { code: 'MED-NURS', name: 'Department of Nursing', parent: 'MED', kind: 'department', size: 20 },
  { code: 'MED-ODON', name: 'Department of Odontology', parent: 'MED', kind: 'department', size: 14 },
  { code: 'HUM', name: 'Faculty of Arts and Humanities', parent: 'NU', kind: 'faculty', size: 4 },
  { code: 'HUM-LANG', name: 'Department of Language Studies', parent: 'HUM', kind: 'department', size: 20 },
  { code: 'HUM-HIST', name: 'Department of Historical Studies', parent: 'HUM', kind: 'department', size: 16 },
  { code: 'SOC', name: 'Faculty of Social Sciences', parent: 'NU', kind: 'faculty', size: 4 },
  { code: 'SOC-ECON', name: 'School of Business and Economics', parent: 'SOC', kind: 'department', size: 18 },
  { code: 'SOC-LAW', name: 'Department of Law', parent: 'SOC', kind: 'department', size: 14 },
];

/** Sign-in accounts created by the demo seed (listed in the README). */
export const DEMO_ACCOUNTS: {
  username: string;
  password: string;
  roles: Role[];
  employeeId: string;
  validUntil?: string;
}[] = [
  { username: 'admin', password: 'steward-admin', roles: ['administrator'], employeeId: 'E000001' },
  { username: 'auditor', password: 'steward-auditor', roles: ['auditor'], employeeId: 'E000003' },
  { username: 'anna', password: 'steward-user', roles: [], employeeId: 'E000004' },
  { username: 'erik', password: 'steward-user', roles: [], employeeId: 'E000005' },
];

export function demoOrgRows(): OrgRow[] {
  const rand = prng(2026);
  const rows: OrgRow[] = [];
  let n = 0;
  for (const u of DEMO_UNITS) {
    for (let i = 0; i < u.size; i++) {
      n += 1;
      rows.push(personRow(rand, n, u, i === 0 && u.code !== 'NU'));
    }
  }
  // A few fixed, recognisable people for the demo accounts.
  const fixed: Record<string, [string, string]> = {
    E000001: ['Astrid', 'Ålander'],
    E000003: ['Örjan', 'Östlund'],
    E000004: ['Anna', 'Lindqvist'],
    E000005: ['Erik', 'Sjöberg'],
  };
  for (const r of rows) {
    const f = fixed[r.employeeId];
    if (f) {
      [r.givenName, r.familyName] = f;
      r.email = `${r.employeeId.toLowerCase()}@norrviken.example`;
    }
  }
  return rows;
}

export async function seedDemo(ctx: AppContext) {
  const actor = systemActor('steward seed --demo', 'cli');
  const orgRows = demoOrgRows();
  const res = await importOrg(ctx, { actor, data: toCsv(orgRows), filename: 'demo-university.csv' });
  if (!res.ok) throw new Error(`demo data did not import: ${JSON.stringify(res.errors.slice(0, 3))}`);
  for (const a of DEMO_ACCOUNTS) {
    const person = await findPersonByEmployeeId(ctx.db, a.employeeId);
    if (!person) throw new Error(`demo person ${a.employeeId} missing`);
    await createAccount(ctx, {
      actor,
      personId: person.id,
      username: a.username,
      password: a.password,
      roles: a.roles,
      validUntil: a.validUntil ?? null,
    });
  }
  await seedDemoSystems(ctx, actor, orgRows);
  await seedDemoAccess(ctx, actor, orgRows);
  await seedDemoSoftware(ctx, actor);
  await seedDemoPools(ctx);
  await seedDemoPlans(ctx);
  await seedDemoAbsences(ctx, actor);
  await seedDemoMaintenance(ctx, actor);
  return res.counts;
}
