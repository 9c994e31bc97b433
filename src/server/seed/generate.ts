// Deterministic generators for demo and benchmark data (a fictional organisation; names are common
// Swedish names, combined at random).
export function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const GIVEN = [
  'Anna',
  'Erik',
  'Maria',
  'Lars',
  'Karin',
  'Johan',
  'Eva',
  'Anders',
  'Sara',
  'Per',
  'Åsa',
  'Örjan',
  'Ebba',
  'Björn',
  'Linnéa',
  'Märta',
  'Göran',
  'Ingrid',
  'Mikael',
  'Sofia',
  'Håkan',
  'Elin',
  'Jönsson',
  'Agnes',
  'Oskar',
  'Kerstin',
  'Nils',
  'Malin',
  'Gustav',
  'Helena',
  'André',
  'Zoë',
  'Ali',
  'Fatima',
  'Mohammed',
  'Amira',
  'Jonas',
  'Lena',
  'Emil',
  'Ida',
  'Olle',
  'Tove',
  'Ylva',
  'Pär',
  'Stig',
  'Siv',
  'Leo',
  'Alma',
  'Hugo',
  'Vera',
].filter((n) => n !== 'Jönsson');

export const FAMILY = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Pettersson',
  'Jonsson',
  'Jansson',
  'Hansson',
  'Bengtsson',
  'Jönsson',
  'Lindberg',
  'Jakobsson',
  'Magnusson',
  'Olofsson',
  'Lindström',
  'Lindqvist',
  'Lindgren',
  'Berg',
  'Axelsson',
  'Bergström',
  'Lundberg',
  'Lind',
  'Lundgren',
  'Lundqvist',
  'Mattsson',
  'Berglund',
  'Fredriksson',
  'Sandberg',
  'Henriksson',
  'Forsberg',
  'Sjöberg',
  'Wallin',
  'Engström',
  'Eklund',
  'Danielsson',
  'Lundin',
  'Håkansson',
  'Björk',
  'Bergman',
  'Gunnarsson',
  'Holm',
  'Wikström',
  'Samuelsson',
  'Isaksson',
  'Fransson',
  'Bergqvist',
  'Nyström',
  'Holmberg',
  'Arvidsson',
  'Löfgren',
  'Söderberg',
  'Nyberg',
  'Blomqvist',
  'Claesson',
  'Nordström',
  'Mårtensson',
  'Lundström',
  'Åberg',
  'Öberg',
  'Ström',
  'Hedlund',
  'Dahl',
  'Åkesson',
  'Héden',
  'Zetterlund',
  'Yilmaz',
  'Hassan',
  'Ali',
  'Nguyen',
];

const TITLES = [
  'Lecturer',
  'Professor',
  'Administrator',
  'Research engineer',
  'Doctoral student',
  'Coordinator',
  'Technician',
  'Librarian',
];

export type OrgRow = {
  employeeId: string;
  givenName: string;
  familyName: string;
  email: string;
  unitCode: string;
  unitName: string;
  parentCode: string;
  unitKind: string;
  title: string;
  head: boolean;
};

const csvCell = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function toCsv(rows: OrgRow[]): Buffer {
  const header =
    'employee_id,given_name,family_name,email,unit_code,unit_name,parent_unit_code,unit_kind,title,head';
  const lines = rows.map((r) =>
    [
      r.employeeId,
      r.givenName,
      r.familyName,
      r.email,
      r.unitCode,
      r.unitName,
      r.parentCode,
      r.unitKind,
      r.title,
      r.head ? 'yes' : '',
    ]
      .map(csvCell)
      .join(','),
  );
  return Buffer.from(`${header}\n${lines.join('\n')}\n`, 'utf8');
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z]/g, '');

export function personRow(
  rand: () => number,
  n: number,
  unit: { code: string; name: string; parent: string; kind: string },
  head = false,
): OrgRow {
  const givenName = GIVEN[Math.floor(rand() * GIVEN.length)];
  const familyName = FAMILY[Math.floor(rand() * FAMILY.length)];
  return {
    employeeId: `E${String(n).padStart(6, '0')}`,
    givenName,
    familyName,
    email: `${slug(givenName)}.${slug(familyName)}${n}@example.org`,
    unitCode: unit.code,
    unitName: unit.name,
    parentCode: unit.parent,
    unitKind: unit.kind,
    title: head ? 'Head of unit' : TITLES[Math.floor(rand() * TITLES.length)],
    head,
  };
}

/** A large organisation: one root, ~40 faculties/administrations, the rest departments. */
export function largeOrgRows(opts: { persons: number; units: number; seed?: number }): OrgRow[] {
  const rand = prng(opts.seed ?? 42);
  const units: { code: string; name: string; parent: string; kind: string }[] = [
    { code: 'ORG', name: 'Large Organisation', parent: '', kind: 'organisation' },
  ];
  const top = Math.max(1, Math.min(40, Math.floor(opts.units / 50)));
  for (let i = 1; i <= top; i++)
    units.push({ code: `F${i}`, name: `Faculty ${i}`, parent: 'ORG', kind: 'faculty' });
  for (let i = units.length; i < opts.units; i++) {
    units.push({ code: `D${i}`, name: `Department ${i}`, parent: `F${1 + (i % top)}`, kind: 'department' });
  }
  const rows: OrgRow[] = [];
  for (let n = 1; n <= opts.persons; n++) {
    const unit = units[n <= units.length ? n - 1 : Math.floor(rand() * units.length)];
    rows.push(personRow(rand, n, unit, n <= units.length));
  }
  return rows;
}
