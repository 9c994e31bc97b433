// The demo university's access rights (issue 4): permissions with order forms for several systems,
// orderers (two in most units; the Department of Historical Studies has only one, and two units have no
// expert user, so the compliance report has something to show), expert users, named fulfillers, orders
// in every state, grants, and one person who left with revocations waiting for IT. The demo accounts:
// anna orders for the University Administration, the Library and Student Services; erik, IT system
// manager of Records Management, fulfils orders for the records systems (DIARIUM, EARCHIVE, ESIGN).
// Everything goes through the services, so every change is audited.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import type { PermissionCreate } from '../modules/access/access.schema.ts';
import {
  addExpertUser,
  addFulfiller,
  approveOrder,
  cancelOrder,
  createOrder,
  createPermission,
  fulfilOrder,
  grantOrderer,
  putOrderForm,
  rejectOrder,
  takeOrder,
} from '../modules/access/access.service.ts';
import type { FormField } from '../modules/access/access.tables.ts';
import { markPersonLeft } from '../modules/org/org.service.ts';
import { addDays } from '../platform/clock.ts';
import type { Actor, AppContext } from '../platform/context.ts';
import type { OrgRow } from './generate.ts';

type PermSpec = Partial<PermissionCreate> & { name: string };
type SystemAccess = { short: string; form: FormField[]; permissions: PermSpec[] };

const title: FormField = { key: 'title', type: 'text', labelSv: 'Titel', labelEn: 'Title', mandatory: true };

export const DEMO_ACCESS: SystemAccess[] = [
  {
    short: 'DIARIUM',
    form: [
      title,
      {
        key: 'case_area',
        type: 'choice',
        labelSv: 'Ärendeområde',
        labelEn: 'Case area',
        mandatory: false,
        options: ['Education', 'Research', 'Staff', 'Finance'],
      },
    ],
    permissions: [
      {
        name: 'Registrar',
        description: 'Registers incoming and outgoing documents and cases.',
        modules: ['Registry'],
      },
      { name: 'Case officer', description: 'Handles the cases assigned to them.', modules: ['Registry'] },
      { name: 'Reader', description: 'Reads public cases and documents.', modules: [] },
      {
        name: 'Administrator',
        description: 'Configures the system: case types, templates, users.',
        accountType: 'administrator',
        modules: ['Registry', 'Meetings'],
        approvalSteps: ['system_owner'],
      },
    ],
  },
  {
    short: 'EARCHIVE',
    form: [title],
    permissions: [
      {
        name: 'Archivist',
        description: 'Transfers and manages archived cases.',
        modules: ['Case', 'Document'],
      },
      { name: 'Searcher', description: 'Searches the archive.', modules: ['Document'] },
    ],
  },
  {
    short: 'STUREC',
    form: [
      title,
      {
        key: 'faculty',
        type: 'choice',
        labelSv: 'Fakultet',
        labelEn: 'Faculty',
        mandatory: true,
        options: ['Science and Technology', 'Medicine', 'Arts and Humanities', 'Social Sciences', 'Central'],
      },
    ],
    permissions: [
      {
        name: 'Study administrator',
        description: 'Registers students on courses and reports results.',
        modules: ['Registration', 'Results'],
      },
      { name: 'Degree officer', description: 'Issues degree certificates.', modules: ['Degrees'] },
      {
        name: 'Local administrator',
        description: 'Manages users and settings for a faculty.',
        accountType: 'administrator',
        modules: ['Registration', 'Results', 'Degrees'],
        approvalSteps: ['unit_head', 'system_owner'],
      },
    ],
  },
  {
    short: 'DENTREC',
    form: [
      {
        key: 'profession',
        type: 'choice',
        labelSv: 'Yrke',
        labelEn: 'Profession',
        mandatory: true,
        options: ['Dentist', 'Dental hygienist', 'Dental nurse', 'Receptionist'],
      },
      {
        key: 'hsa_id',
        type: 'text',
        labelSv: 'HSA-id',
        labelEn: 'HSA id',
        mandatory: false,
      },
      { key: 'start_date', type: 'date', labelSv: 'Startdatum', labelEn: 'Start date', mandatory: true },
    ],
    permissions: [
      {
        name: 'Clinician',
        description: 'Reads and writes journals and treatment plans.',
        modules: ['Journal', 'Treatment plans'],
      },
      { name: 'Booking', description: 'Books and changes appointments.', modules: ['Booking'] },
      {
        name: 'Superuser',
        description: 'Supports colleagues and manages local settings (expert user).',
        accountType: 'administrator',
        modules: ['Journal', 'Treatment plans', 'Booking'],
        approvalSteps: ['unit_head'],
      },
    ],
  },
  {
    short: 'LMS',
    form: [],
    permissions: [
      {
        name: 'Teacher',
        description: 'Creates course rooms and grades.',
        modules: ['Course rooms', 'Gradebook'],
      },
      { name: 'Course administrator', description: 'Sets up course rooms.', modules: ['Course rooms'] },
    ],
  },
  {
    short: 'HRM',
    form: [
      { key: 'start_date', type: 'date', labelSv: 'Startdatum', labelEn: 'Start date', mandatory: true },
      {
        key: 'manager_email',
        type: 'email',
        labelSv: 'Chefens e-post',
        labelEn: "Manager's e-mail",
        mandatory: false,
      },
    ],
    permissions: [
      {
        name: 'HR officer',
        description: 'Handles employments and absences.',
        modules: ['Employment', 'Absence'],
      },
      {
        name: 'Payroll integration',
        description: 'The integration account that sends employments to payroll.',
        accountType: 'system',
        limitedToUnits: false,
        modules: ['Employment'],
      },
    ],
  },
  {
    short: 'ERP',
    form: [
      {
        key: 'cost_centre',
        type: 'text',
        labelSv: 'Kostnadsställe',
        labelEn: 'Cost centre',
        mandatory: true,
      },
    ],
    permissions: [
      { name: 'Invoice approver', description: 'Approves supplier invoices.', modules: ['Accounts payable'] },
      { name: 'Ledger reader', description: 'Reads the ledger.', modules: ['Ledger'] },
    ],
  },
];

/** Values for a system's form that satisfy it (A4). */
function fieldsFor(short: string, today: string, n: number): Record<string, string> {
  switch (short) {
    case 'DIARIUM':
      return { title: ['Registrar', 'Administrative officer', 'Legal advisor'][n % 3], case_area: 'Staff' };
    case 'EARCHIVE':
      return { title: 'Archivist' };
    case 'STUREC':
      return {
        title: 'Study administrator',
        faculty: ['Central', 'Medicine', 'Science and Technology'][n % 3],
      };
    case 'DENTREC':
      return { profession: ['Dentist', 'Dental nurse', 'Dental hygienist'][n % 3], start_date: today };
    case 'HRM':
      return { start_date: today };
    case 'ERP':
      return { cost_centre: `CC-${4100 + n}` };
    default:
      return {};
  }
}

export async function seedDemoAccess(ctx: AppContext, seedActor: Actor, orgRows: OrgRow[]) {
  const people = new Map(
    (
      await rows<{ employee_id: string; id: string; name: string; email: string | null }>(
        ctx.db,
        sql`select employee_id, id, given_name || ' ' || family_name as name, email from persons`,
      )
    ).map((p) => [p.employee_id, p]),
  );
  const units = new Map(
    (
      await rows<{ code: string; id: string; kind: string; head: string | null }>(
        ctx.db,
        sql`select code, id, kind, head_person_id as head from org_units`,
      )
    ).map((u) => [u.code, u]),
  );
  const systems = new Map(
    (await rows<{ short_name: string; id: string }>(ctx.db, sql`select short_name, id from systems`)).map(
      (s) => [s.short_name, s.id],
    ),
  );
  const who = (unit: string, index: number) => {
    const row = orgRows.filter((r) => r.unitCode === unit)[index];
    const p = row && people.get(row.employeeId);
    if (!p) throw new Error(`demo access: unit ${unit} has no person ${index}`);
    return p;
  };
  const byId = (employeeId: string) => people.get(employeeId)!;
  /** An actor for a demo person, as if they signed in. */
  const as = (p: { id: string; name: string }): Actor => ({
    kind: 'user',
    accountId: null,
    personId: p.id,
    label: p.name,
    roles: [],
    via: 'cli',
  });
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(ctx.clock.now());
  // The demo's history is spread over the past year: orderer rights and expert users from before
  // it, each grant ordered on its own day and fulfilled two days later, not all of it today.
  const at = (daysAgo: number): AppContext => ({
    ...ctx,
    clock: { now: () => new Date(ctx.clock.now().getTime() - daysAgo * 86_400_000) },
  });
  const inDays = (d: number) => addDays(today, d);

  // ---- catalogue and forms ----
  const perms = new Map<string, string>(); // "SHORT/Name" → id
  for (const s of DEMO_ACCESS) {
    const systemId = systems.get(s.short);
    if (!systemId) throw new Error(`demo access: no system ${s.short}`);
    await putOrderForm(ctx, { actor: seedActor, systemId, ifVersion: 0, fields: s.form });
    for (const p of s.permissions) {
      const created = await createPermission(ctx, {
        actor: seedActor,
        systemId,
        input: {
          description: '',
          accountType: 'personal',
          modules: [],
          limitedToUnits: true,
          approvalSteps: [],
          active: true,
          ...p,
        },
      });
      perms.set(`${s.short}/${p.name}`, created.id);
    }
  }
  // A named fulfiller besides the IT staff of the object.
  await addFulfiller(ctx, { actor: seedActor, systemId: systems.get('LMS')!, personId: who('IT', 20).id });

  // ---- orderers: granted by the unit's head (A1); anna orders for ADM, LIB and STU ----
  const anna = byId('E000004');
  const erik = byId('E000005');
  const ordererUnits = [...units.entries()].filter(([, u]) => !['organisation', 'faculty'].includes(u.kind));
  const orderersOf = new Map<string, { id: string; name: string }[]>();
  for (const [code, u] of ordererUnits) {
    const list =
      code === 'ADM'
        ? [anna, who('ADM', 5)]
        : code === 'HUM-HIST'
          ? [who(code, 1)] // A1: only one orderer, reported
          : [who(code, 1), who(code, 2)];
    if (code === 'LIB' || code === 'STU') list.push(anna);
    const head = u.head ? [...people.values()].find((p) => p.id === u.head) : undefined;
    for (const p of list) {
      const granter = head && head.id !== p.id ? as(head) : seedActor;
      await grantOrderer(at(430), { actor: granter, unitId: u.id, personId: p.id, systemIds: [] });
    }
    orderersOf.set(code, list);
  }

  // ---- expert users (A3): every unit but two ----
  const expertSystems = ['DIARIUM', 'STUREC', 'LMS', 'DENTREC', 'ERP'];
  let k = 0;
  for (const [code, u] of ordererUnits) {
    if (code === 'SOC-LAW' || code === 'HUM-HIST') continue;
    const short = code === 'MED-ODON' ? 'DENTREC' : expertSystems[k++ % expertSystems.length];
    await addExpertUser(at(420), {
      actor: seedActor,
      unitId: u.id,
      personId: who(code, 3).id,
      systemId: systems.get(short)!,
    });
  }

  // ---- orders and grants ----
  const itActorFor = async (short: string) => {
    const [p] = await rows<{ id: string; name: string }>(
      ctx.db,
      sql`select p.id, p.given_name || ' ' || p.family_name as name from role_assignments a
          join systems s on s.governance_object_id = a.object_id join persons p on p.id = a.person_id
          where s.short_name = ${short} and a.role in ('it_system_manager','it_specialist')
            and (a.valid_until is null or a.valid_until >= ${today}::date)
          order by a.role, p.sort_sv limit 1`,
    );
    return p ? as(p) : seedActor;
  };
  const ownerFor = async (short: string) => {
    const [p] = await rows<{ id: string; name: string }>(
      ctx.db,
      sql`select p.id, p.given_name || ' ' || p.family_name as name from role_assignments a
          join systems s on s.governance_object_id = a.object_id join persons p on p.id = a.person_id
          where s.short_name = ${short} and a.role = 'system_owner' limit 1`,
    );
    return as(p);
  };
  let n = 0;
  const order = async (
    unit: string,
    subjectIndex: number,
    perm: string,
    o: {
      submit?: boolean;
      by?: { id: string; name: string };
      validUntil?: string;
      expert?: boolean;
      daysAgo?: number;
    } = {},
  ) => {
    n += 1;
    const [short] = perm.split('/');
    const subject = who(unit, subjectIndex);
    const by = o.by ?? orderersOf.get(unit)![0];
    return createOrder(at(o.daysAgo ?? 0), {
      actor: as(by),
      input: {
        kind: 'grant',
        personId: subject.id,
        permissionId: perms.get(perm)!,
        unitIds: [units.get(unit)!.id],
        fields: fieldsFor(short, today, n),
        expertUser: o.expert ?? false,
        personEmail: o.expert ? (subject.email ?? undefined) : undefined,
        validUntil: o.validUntil,
        message: '',
        submit: o.submit ?? true,
      },
    });
  };
  const fulfil = async (id: string, perm: string, daysAgo = 0) =>
    fulfilOrder(at(daysAgo), { actor: await itActorFor(perm.split('/')[0]), id });

  // Fulfilled: the grants register.
  const granted: [string, number, string, string?][] = [
    ['ADM', 6, 'DIARIUM/Registrar'],
    ['ADM', 7, 'DIARIUM/Case officer'],
    ['ADM', 6, 'EARCHIVE/Searcher'],
    ['ADM', 4, 'ERP/Ledger reader'],
    ['STU', 4, 'STUREC/Study administrator'],
    ['STU', 5, 'STUREC/Study administrator'],
    ['STU', 6, 'STUREC/Degree officer'],
    ['STU', 7, 'DIARIUM/Reader'],
    ['LIB', 4, 'DIARIUM/Reader'],
    ['LIB', 5, 'ERP/Invoice approver'],
    ['HR', 4, 'HRM/HR officer'],
    ['HR', 5, 'HRM/HR officer'],
    ['HR', 6, 'DIARIUM/Case officer'],
    ['FIN', 4, 'ERP/Invoice approver'],
    ['FIN', 5, 'ERP/Ledger reader'],
    ['FIN', 6, 'ERP/Invoice approver', inDays(12)],
    ['MED-ODON', 4, 'DENTREC/Clinician'],
    ['MED-ODON', 5, 'DENTREC/Clinician'],
    ['MED-ODON', 6, 'DENTREC/Booking'],
    ['MED-ODON', 7, 'DENTREC/Clinician', inDays(20)],
    ['SCI-CS', 4, 'LMS/Teacher'],
    ['SCI-CS', 5, 'LMS/Teacher'],
    ['SCI-PHYS', 4, 'LMS/Teacher'],
    ['SCI-PHYS', 15, 'LMS/Teacher'],
    ['SCI-PHYS', 15, 'STUREC/Study administrator'],
    ['SCI-CHEM', 4, 'LMS/Course administrator'],
    ['HUM-LANG', 4, 'LMS/Teacher'],
    ['HUM-HIST', 4, 'LMS/Teacher'],
    ['SOC-ECON', 4, 'STUREC/Study administrator'],
    ['SOC-LAW', 4, 'LMS/Teacher'],
    ['MED-NURS', 4, 'LMS/Teacher'],
    ['MED-CLIN', 4, 'STUREC/Degree officer'],
    ['IT', 5, 'HRM/Payroll integration'],
    ['ADM', 4, 'EARCHIVE/Archivist'],
    ['ADM', 5, 'EARCHIVE/Archivist'],
  ];
  const grantIds: string[] = [];
  for (const [k, [unit, i, perm, validUntil]] of granted.entries()) {
    const daysAgo = 400 - k * 11; // the first a year ago, the last about four weeks ago
    const id = await order(unit, i, perm, { validUntil, daysAgo });
    grantIds.push((await fulfil(id, perm, daysAgo - 2)).grantId);
  }
  // An expert-user order (A3) and an administrator permission through both approval steps (A5).
  await fulfil(await order('MED-ODON', 8, 'DENTREC/Clinician', { expert: true }), 'DENTREC/Clinician');
  const local = await order('STU', 8, 'STUREC/Local administrator', { by: anna });
  await approveOrder(ctx, { actor: as(who('STU', 0)), id: local, step: 0 });
  await approveOrder(ctx, { actor: await ownerFor('STUREC'), id: local, step: 1 });
  await fulfil(local, 'STUREC/Local administrator');

  // Every other state, several of them anna's (My orders) and erik's (his fulfilment queue).
  await order('ADM', 4, 'DIARIUM/Registrar', { by: anna, submit: false }); // draft
  await order('LIB', 6, 'EARCHIVE/Searcher', { by: anna, submit: false }); // draft
  await order('ADM', 6, 'DIARIUM/Administrator', { by: anna }); // awaiting the system owner's approval
  await order('MED-ODON', 9, 'DENTREC/Superuser'); // awaiting the unit head's approval
  await order('ADM', 7, 'EARCHIVE/Archivist', { by: anna }); // ready: in erik's queue
  await order('LIB', 7, 'DIARIUM/Reader', { by: anna }); // ready: in erik's queue
  await order('STU', 9, 'LMS/Teacher', { by: anna }); // ready
  await order('HR', 7, 'HRM/HR officer'); // ready
  const taken = await order('STU', 10, 'DIARIUM/Case officer', { by: anna });
  await takeOrder(ctx, { actor: erik.id ? as(erik) : seedActor, id: taken }); // in progress, taken by erik
  const rejected = await order('LIB', 8, 'DIARIUM/Case officer', { by: anna });
  await rejectOrder(ctx, {
    actor: as(erik),
    id: rejected,
    from: 'ready',
    reason: 'Case officers are only appointed in the registry unit; order Reader instead.',
  });
  const cancelled = await order('FIN', 7, 'ERP/Ledger reader', { submit: false });
  await cancelOrder(ctx, { actor: as(orderersOf.get('FIN')![0]), id: cancelled });

  // A revocation (A6) fulfilled, and one waiting for IT.
  const rev = await createOrder(ctx, {
    actor: as(anna),
    input: {
      kind: 'revocation',
      personId: who('ADM', 7).id,
      grantId: grantIds[1],
      unitIds: [],
      fields: {},
      expertUser: false,
      message: 'Moved to another unit.',
      submit: true,
    },
  });
  await fulfil(rev, 'DIARIUM/Case officer');
  await createOrder(ctx, {
    actor: as(anna),
    input: {
      kind: 'revocation',
      personId: who('STU', 7).id,
      grantId: grantIds[7],
      unitIds: [],
      fields: {},
      expertUser: false,
      message: 'No longer needed.',
      submit: true,
    },
  });

  // A person leaves (E2): their two grants get revocation orders automatically (A6, G10).
  await markPersonLeft(ctx, { actor: seedActor, id: who('SCI-PHYS', 15).id });
}
