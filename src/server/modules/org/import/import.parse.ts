// Reads an HR export (CSV or XLSX) into canonical rows, or lists every bad row. Pure: no database.
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { UNIT_KINDS } from '../org.tables.ts';

export type ImportRowError = { line: number; column: string; field: string; message: string };

export type ImportRow = {
  line: number;
  employeeId: string;
  givenName: string;
  familyName: string;
  email: string | null;
  unitCode: string;
  unitName: string | null;
  parentCode: string | null;
  unitKind: (typeof UNIT_KINDS)[number] | null;
  title: string | null;
  head: boolean;
  primary: boolean | null;
};

/** Every row's unit columns, bad rows included, so one bad row does not make its unit look unnamed. */
export type UnitMention = {
  line: number;
  unitCode: string;
  unitName: string | null;
  parentCode: string | null;
};

type Field = keyof Omit<ImportRow, 'line'>;

/** Header names (normalised: lower case, no diacritics, no spaces/punctuation) for each field. */
const HEADERS: Record<Field, string[]> = {
  employeeId: [
    'employeeid',
    'employeenumber',
    'anstallningsnummer',
    'anstnr',
    'personalnummer',
    'personnr',
    'id',
  ],
  givenName: ['givenname', 'firstname', 'fornamn', 'tilltalsnamn'],
  familyName: ['familyname', 'lastname', 'surname', 'efternamn'],
  email: ['email', 'epost', 'mail', 'emailaddress', 'epostadress'],
  unitCode: ['unitcode', 'unit', 'enhet', 'enhetskod', 'orgunit', 'kostnadsstalle', 'avdelning'],
  unitName: ['unitname', 'enhetsnamn', 'avdelningsnamn'],
  parentCode: ['parentunitcode', 'parent', 'parentunit', 'overordnadenhet', 'overordnad'],
  unitKind: ['unitkind', 'enhetstyp', 'typ', 'kind'],
  title: ['title', 'befattning', 'titel', 'roll'],
  head: ['head', 'chef', 'ishead', 'enhetschef', 'headofunit'],
  primary: ['primary', 'huvudenhet', 'primaryunit'],
};
const REQUIRED: Field[] = ['employeeId', 'givenName', 'familyName', 'unitCode'];
const LABEL: Record<Field, string> = {
  employeeId: 'Employee id',
  givenName: 'Given name',
  familyName: 'Family name',
  email: 'E-mail',
  unitCode: 'Unit code',
  unitName: 'Unit name',
  parentCode: 'Parent unit code',
  unitKind: 'Unit kind',
  title: 'Title',
  head: 'Head of unit',
  primary: 'Primary unit',
};

const KIND_WORDS: Record<string, (typeof UNIT_KINDS)[number]> = {
  organisation: 'organisation',
  organization: 'organisation',
  faculty: 'faculty',
  fakultet: 'faculty',
  administration: 'administration',
  forvaltning: 'administration',
  department: 'department',
  institution: 'department',
  avdelning: 'department',
  provider: 'provider',
  utforare: 'provider',
  unit: 'unit',
  enhet: 'unit',
};

const normaliseHeader = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const YES = new Set(['yes', 'y', 'ja', 'j', '1', 'x', 'true', 'sant']);
const NO = new Set(['', 'no', 'n', 'nej', '0', 'false', 'falskt']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function detectDelimiter(firstLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

type Table = { header: string[]; rows: { line: number; cells: string[] }[] };

function readCsv(data: Buffer): Table {
  let text = data.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const records = parseCsv(text, {
    delimiter: detectDelimiter(firstLine),
    relax_column_count: true,
    skip_empty_lines: false,
    info: true,
    bom: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...rest] = records;
  return {
    header: head?.record ?? [],
    rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v);
}

async function readXlsx(data: Buffer): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return { header: [], rows: [] };
  const width = ws.columnCount;
  const table: Table = { header: [], rows: [] };
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    if (n === 1) table.header = cells;
    else table.rows.push({ line: n, cells });
  });
  return table;
}

export const isXlsx = (data: Buffer, filename: string) =>
  (data.length > 3 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) ||
  filename.toLowerCase().endsWith('.xlsx');

/** Parses and validates the whole file: the good rows, and an error for every bad row. */
export async function parseOrgFile(
  data: Buffer,
  filename: string,
): Promise<{ rows: ImportRow[]; units: UnitMention[]; errors: ImportRowError[] }> {
  let table: Table;
  try {
    table = isXlsx(data, filename) ? await readXlsx(data) : readCsv(data);
  } catch (e) {
    return {
      rows: [],
      units: [],
      errors: [
        {
          line: 1,
          column: '',
          field: 'file',
          message: `The file cannot be read as CSV or XLSX: ${(e as Error).message}`,
        },
      ],
    };
  }
  const index = new Map<Field, number>();
  table.header.forEach((h, i) => {
    const n = normaliseHeader(h);
    for (const [field, names] of Object.entries(HEADERS) as [Field, string[]][]) {
      if (names.includes(n) && !index.has(field)) index.set(field, i);
    }
  });
  const missing = REQUIRED.filter((f) => !index.has(f));
  if (missing.length) {
    return {
      rows: [],
      units: [],
      errors: missing.map((f) => ({
        line: 1,
        column: HEADERS[f][0],
        field: f,
        message: `Column for ${LABEL[f].toLowerCase()} is missing (accepted headers: ${HEADERS[f].slice(0, 4).join(', ')}).`,
      })),
    };
  }
  const errors: ImportRowError[] = [];
  const rows: ImportRow[] = [];
  const units: UnitMention[] = [];
  const col = (f: Field) => table.header[index.get(f)!] ?? f;
  for (const { line, cells } of table.rows) {
    if (cells.every((c) => c.trim() === '')) continue;
    const get = (f: Field) => (index.has(f) ? (cells[index.get(f)!] ?? '').trim() : '');
    const err = (f: Field, message: string) => errors.push({ line, column: col(f), field: f, message });
    const before = errors.length;
    if (get('unitCode'))
      units.push({
        line,
        unitCode: get('unitCode'),
        unitName: get('unitName') || null,
        parentCode: get('parentCode') || null,
      });
    for (const f of REQUIRED) if (!get(f)) err(f, `${LABEL[f]} is required.`);
    const email = get('email');
    if (email && !EMAIL.test(email)) err('email', `"${email}" is not an e-mail address.`);
    const kindRaw = normaliseHeader(get('unitKind'));
    const unitKind = kindRaw ? (KIND_WORDS[kindRaw] ?? null) : null;
    if (kindRaw && !unitKind)
      err('unitKind', `Unknown unit kind "${get('unitKind')}" (use ${UNIT_KINDS.join(', ')}).`);
    const yesNo = (f: Field): boolean | null => {
      const v = get(f).toLowerCase();
      if (!index.has(f) || v === '') return null;
      if (YES.has(v)) return true;
      if (NO.has(v)) return false;
      err(f, `"${get(f)}" is not yes or no.`);
      return null;
    };
    const head = yesNo('head') ?? false;
    const primary = yesNo('primary');
    for (const f of ['employeeId', 'givenName', 'familyName', 'unitCode', 'unitName', 'title'] as Field[]) {
      if (get(f).length > 200) err(f, `${LABEL[f]} is longer than 200 characters.`);
    }
    if (errors.length > before) continue;
    rows.push({
      line,
      employeeId: get('employeeId'),
      givenName: get('givenName'),
      familyName: get('familyName'),
      email: email || null,
      unitCode: get('unitCode'),
      unitName: get('unitName') || null,
      parentCode: get('parentCode') || null,
      unitKind,
      title: get('title') || null,
      head,
      primary,
    });
  }
  // Cross-row checks: one person has one name and e-mail; one unit has one name and parent.
  const people = new Map<string, ImportRow>();
  const unitsSeen = new Map<string, ImportRow>();
  const memberships = new Set<string>();
  for (const r of rows) {
    const m = `${r.employeeId}\u0000${r.unitCode}`;
    if (memberships.has(m))
      errors.push({
        line: r.line,
        column: col('unitCode'),
        field: 'unitCode',
        message: `Employee ${r.employeeId} is in unit ${r.unitCode} twice.`,
      });
    memberships.add(m);
    const p = people.get(r.employeeId);
    if (p) {
      if (p.givenName !== r.givenName || p.familyName !== r.familyName)
        errors.push({
          line: r.line,
          column: col('familyName'),
          field: 'familyName',
          message: `Employee ${r.employeeId} has another name on line ${p.line}.`,
        });
      else if (p.email !== r.email && r.email && p.email)
        errors.push({
          line: r.line,
          column: col('email'),
          field: 'email',
          message: `Employee ${r.employeeId} has another e-mail on line ${p.line}.`,
        });
    } else people.set(r.employeeId, r);
    const u = unitsSeen.get(r.unitCode);
    if (u) {
      if (r.unitName && u.unitName && r.unitName !== u.unitName)
        errors.push({
          line: r.line,
          column: col('unitName'),
          field: 'unitName',
          message: `Unit ${r.unitCode} is named "${u.unitName}" on line ${u.line}.`,
        });
      if (r.parentCode && u.parentCode && r.parentCode !== u.parentCode)
        errors.push({
          line: r.line,
          column: col('parentCode'),
          field: 'parentCode',
          message: `Unit ${r.unitCode} has parent ${u.parentCode} on line ${u.line}.`,
        });
      if (!u.unitName && r.unitName) u.unitName = r.unitName;
      if (!u.parentCode && r.parentCode) u.parentCode = r.parentCode;
      if (!u.unitKind && r.unitKind) u.unitKind = r.unitKind;
    } else unitsSeen.set(r.unitCode, { ...r });
  }
  // Rows with errors of their own were left out; the caller checks the rest against the database.
  return { rows, units, errors };
}

export { LABEL as IMPORT_FIELD_LABELS };
