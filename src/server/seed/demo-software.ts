// Demo software distribution for the demo university (S1–S5): titles of each licence model, licence
// coordinators appointed by the heads of their units (one unit with a replaced coordinator), keys,
// assignments (the demo user anna has MATLAB with a key; erik is the coordinator of her unit), use
// reports for last year with some units missing, and procurement requests. All through the services.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import {
  addKeys,
  appointCoordinator,
  assignLicence,
  createTitle,
  decideProcurement,
  requestProcurement,
  setSeatPool,
  submitReport,
  type TitleInput,
} from '../modules/software/software.service.ts';
import { addDays, localDate } from '../platform/clock.ts';
import type { Actor, AppContext } from '../platform/context.ts';
import { prng } from './generate.ts';

/**
 * The titles, with agreement dates around today: three renewals fall within the 90-day alert window
 * (in 18, 23 and 44 days), the rest later, so the licences dashboard always has something to show.
 */
function titlesAround(today: string): TitleInput[] {
  const y = Number(today.slice(0, 4));
  const inDays = (n: number) => addDays(today, n);
  return [
    {
      name: 'Microsoft 365 Apps',
      vendor: 'Microsoft',
      productVersion: '2026',
      licenceModel: 'site',
      platforms: ['Windows', 'macOS'],
      description: 'Word, Excel, PowerPoint and Outlook under the central campus agreement.',
      agreementStart: `${y - 2}-01-01`,
      agreementEnd: `${y + 1}-12-31`,
    },
    {
      name: 'EndNote',
      vendor: 'Clarivate',
      productVersion: '21',
      licenceModel: 'site',
      platforms: ['Windows', 'macOS'],
      description: 'Reference management, funded by the library.',
      agreementStart: `${y - 1}-01-01`,
      agreementEnd: inDays(60),
      renewalOn: inDays(23),
    },
    {
      name: 'MATLAB',
      vendor: 'MathWorks',
      productVersion: 'R2026b',
      licenceModel: 'seat_keys',
      platforms: ['Windows', 'macOS', 'Linux'],
      description: 'Numerical computing. Seats per unit; each seat has its own licence key.',
      agreementStart: `${y}-01-01`,
      agreementEnd: `${y}-12-31`,
      renewalOn: inDays(44),
      reportDeadlineDays: 31,
    },
    {
      name: 'ArcGIS Pro',
      vendor: 'Esri',
      productVersion: '3.5',
      licenceModel: 'seat_keys',
      platforms: ['Windows'],
      description: 'Geographic information system, named-user seats.',
      agreementStart: `${y - 1}-07-01`,
      agreementEnd: `${y + 1}-06-30`,
    },
    {
      name: 'SPSS Statistics',
      vendor: 'IBM',
      productVersion: '30',
      licenceModel: 'reported',
      platforms: ['Windows', 'macOS'],
      description: 'Statistics. Units report their number of users every year.',
      agreementStart: `${y - 1}-01-01`,
      agreementEnd: `${y + 1}-12-31`,
      reportDeadlineDays: 31,
    },
    {
      name: 'Adobe Acrobat Pro',
      vendor: 'Adobe',
      productVersion: '2026',
      licenceModel: 'reported',
      platforms: ['Windows', 'macOS'],
      description: 'PDF editing. Use is reported yearly per unit.',
      agreementStart: `${y}-01-01`,
      agreementEnd: `${y}-12-31`,
      renewalOn: inDays(18),
    },
  ];
}

/** Units with a coordinator: unit code → index of the member who coordinates. */
const COORDINATED = [
  'ADM',
  'IT',
  'LIB',
  'SCI-PHYS',
  'SCI-CHEM',
  'SCI-CS',
  'MED-CLIN',
  'HUM-LANG',
  'SOC-ECON',
];

export async function seedDemoSoftware(ctx: AppContext, actor: Actor) {
  const rand = prng(5);
  const today = localDate(ctx.clock.now());
  const thisYear = Number(today.slice(0, 4));
  const units = new Map(
    (
      await rows<{ code: string; id: string; head: string | null; name: string }>(
        ctx.db,
        sql`select code, id, head_person_id as head, name from org_units`,
      )
    ).map((u) => [u.code, u]),
  );
  const membersOf = async (unitId: string) =>
    (
      await rows<{ id: string; employee_id: string }>(
        ctx.db,
        sql`select p.id, p.employee_id from persons p join person_units pu on pu.person_id = p.id
            where pu.unit_id = ${unitId} and p.status = 'active' order by p.employee_id`,
      )
    ).map((p) => p);
  const byEmployee = async (employeeId: string) =>
    (await rows<{ id: string }>(ctx.db, sql`select id from persons where employee_id = ${employeeId}`))[0]
      ?.id;

  const titles = new Map<string, string>();
  for (const t of titlesAround(today)) titles.set(t.name, (await createTitle(ctx, { actor, input: t })).id);

  // Coordinators, appointed by the head of each unit with a commitment.
  const coordinatorOf = new Map<string, Actor>();
  let dnr = 100;
  for (const code of COORDINATED) {
    const unit = units.get(code)!;
    const members = await membersOf(unit.id);
    const head = unit.head ? await personActor(ctx, unit.head, actor) : actor;
    const erik = await byEmployee('E000005');
    const chosen =
      code === 'ADM' && erik ? erik : members[Math.min(members.length - 1, 1 + Math.floor(rand() * 3))].id;
    if (code === 'SCI-PHYS') {
      // A replaced coordinator: the history keeps the first appointment.
      await appointCoordinator(ctx, {
        actor: head,
        unitId: unit.id,
        input: {
          personId: members[members.length - 1].id,
          appointedOn: '2024-02-01',
          commitmentSignedOn: '2024-01-29',
          commitmentSigner: head.label,
          commitmentDocument: `NU 2024/${dnr++}`,
        },
      });
    }
    await appointCoordinator(ctx, {
      actor: head,
      unitId: unit.id,
      input: {
        personId: chosen,
        appointedOn: '2025-09-01',
        commitmentSignedOn: '2025-08-28',
        commitmentSigner: head.label,
        commitmentDocument: `NU 2025/${dnr++}`,
      },
    });
    coordinatorOf.set(code, await personActor(ctx, chosen, actor));
  }

  // Seats and keys of the seat-limited titles.
  const keyed: [string, string, number][] = [
    ['MATLAB', 'ADM', 4],
    ['MATLAB', 'SCI-PHYS', 12],
    ['MATLAB', 'SCI-CS', 10],
    ['MATLAB', 'SCI-CHEM', 6],
    ['ArcGIS Pro', 'LIB', 3],
    ['ArcGIS Pro', 'SOC-ECON', 2],
  ];
  for (const [title, code, seats] of keyed) {
    const unitId = units.get(code)!.id;
    await setSeatPool(ctx, { actor, titleId: titles.get(title)!, unitId, seats });
    const keys = Array.from({ length: seats + 2 }, () => demoKey(title, rand));
    await addKeys(ctx, { actor, titleId: titles.get(title)!, unitId, keys });
  }

  // Assignments by each unit's coordinator.
  const anna = await byEmployee('E000004');
  for (const code of COORDINATED) {
    const unit = units.get(code)!;
    const coordinator = coordinatorOf.get(code)!;
    const members = (await membersOf(unit.id)).filter((m) => m.id !== coordinator.personId);
    // Handed out last autumn, so last year's reporting applies to them.
    const assignedAt = new Date(`${thisYear - 1}-10-0${1 + Math.floor(rand() * 9)}T09:00:00Z`);
    const give = async (title: string, personId: string) =>
      assignLicence(ctx, {
        actor: coordinator,
        input: { titleId: titles.get(title)!, unitId: unit.id, personId, assignedAt },
      });
    const seatsFor = keyed.filter(([, c]) => c === code);
    for (const [title, , seats] of seatsFor) {
      const people =
        code === 'ADM' && anna
          ? [anna, ...members.map((m) => m.id).filter((id) => id !== anna)]
          : members.map((m) => m.id);
      for (const personId of people.slice(0, Math.max(1, seats - 1))) await give(title, personId);
    }
    for (const m of members.slice(0, 2 + Math.floor(rand() * 4))) await give('SPSS Statistics', m.id);
    if (rand() < 0.6) for (const m of members.slice(3, 5)) await give('Adobe Acrobat Pro', m.id);
  }

  // Last year's use reports: most units reported; a few did not (they show as missing).
  const lastYear = thisYear - 1;
  const missing = new Set(['SCI-CHEM', 'HUM-LANG']);
  for (const code of COORDINATED) {
    if (missing.has(code)) continue;
    const unit = units.get(code)!;
    await submitReport(ctx, {
      actor: coordinatorOf.get(code)!,
      input: {
        titleId: titles.get('SPSS Statistics')!,
        unitId: unit.id,
        periodYear: lastYear,
        users: 2 + Math.floor(rand() * 6),
      },
    });
  }

  // Procurement requests: one open (from anna), one decided.
  const adm = units.get('ADM')!;
  if (anna) {
    await requestProcurement(ctx, {
      actor: await personActor(ctx, anna, actor),
      input: {
        softwareName: 'NVivo',
        vendor: 'Lumivero',
        unitId: adm.id,
        justification: 'Qualitative analysis of interview material in the student survey project.',
      },
    });
  }
  const cs = units.get('SCI-CS')!;
  const csMember = (await membersOf(cs.id))[4];
  const request = await requestProcurement(ctx, {
    actor: await personActor(ctx, csMember.id, actor),
    input: {
      softwareName: 'JetBrains All Products Pack',
      vendor: 'JetBrains',
      unitId: cs.id,
      justification: 'IDE licences for the programming courses.',
    },
  });
  await decideProcurement(ctx, {
    actor,
    id: request.id,
    decision: 'approved',
    comment: 'Covered by the new education agreement from 1 January.',
  });
}

/** An actor for a demo person (their name on the records), acting through the seed. */
async function personActor(ctx: AppContext, personId: string, base: Actor): Promise<Actor> {
  const [p] = await rows<{ name: string }>(
    ctx.db,
    sql`select given_name || ' ' || family_name as name from persons where id = ${personId}`,
  );
  return { ...base, kind: 'user', personId, label: p?.name ?? base.label };
}

function demoKey(title: string, rand: () => number) {
  const part = () =>
    Array.from({ length: 4 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(rand() * 32)]).join('');
  return `${title.slice(0, 4).toUpperCase().replace(/\W/g, 'X')}-${part()}-${part()}-${part()}`;
}
