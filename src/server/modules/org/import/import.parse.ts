// Reads an HR export (CSV or XLSX) into canonical rows, or lists every bad row. Pure: no database.
// What real exports look like: Swedish or English headers, comma, semicolon or tab separators,
// UTF-8 with or without BOM (UTF-16 and Windows-1252 from older Excel too), CRLF, quoted fields.
import ExcelJS from 'exceljs';
import { inLanguage, say, type Text } from '../../../platform/text.ts';
import { UNIT_KINDS } from '../org.tables.ts';

/** A bad row's error, worded in English and Swedish (it goes to the client as a problem's field error). */
export type ImportRowError = { line: number; column: string; field: string; message: Text };
export type UnitKind = (typeof UNIT_KINDS)[number];

/** One row of the file. A row without a person (no employee id and no names) only describes a unit. */
export type ImportRow = {
  line: number;
  employeeId: string | null;
  givenName: string;
  familyName: string;
  email: string | null;
  unitCode: string;
  unitName: string | null;
  parentCode: string | null;
  unitKind: UnitKind | null;
  title: string | null;
  head: boolean;
  primary: boolean | null;
};

/** Every row's unit columns, bad rows included, so one bad row does not make its unit look unnamed. */
export type UnitMention = { line: number; unitCode: string; unitName: string | null };

export type ImportField = keyof Omit<ImportRow, 'line'>;

export type ParsedOrgFile = {
  rows: ImportRow[];
  units: UnitMention[];
  errors: ImportRowError[];
  /** The header of each field as written in the file (the canonical name when the column is absent). */
  columns: Record<ImportField, string>;
  format: 'csv' | 'xlsx';
  /** The file as a whole cannot be imported (unreadable, or a required column is missing). */
  fatal: boolean;
};

/** The canonical column names, as documented. */
export const CANONICAL: Record<ImportField, string> = {
  employeeId: 'employee_id',
  givenName: 'given_name',
  familyName: 'family_name',
  email: 'email',
  unitCode: 'unit_code',
  unitName: 'unit_name',
  parentCode: 'parent_unit_code',
  unitKind: 'unit_kind',
  title: 'title',
  head: 'head',
  primary: 'primary',
};

/**
 * Accepted headers per field, normalised (lower case, no diacritics, only a–z and 0–9), best first:
 * when several columns match one field, the one with the earlier synonym wins.
 */
const HEADERS: Record<ImportField, string[]> = {
  employeeId: [
    'employeeid',
    'employeenumber',
    'employeeno',
    'anstallningsnummer',
    'anstnr',
    'anstallningsnr',
    'personalnummer',
    'personalnr',
    'id',
  ],
  givenName: ['givenname', 'firstname', 'fornamn', 'tilltalsnamn'],
  familyName: ['familyname', 'lastname', 'surname', 'efternamn'],
  email: ['email', 'epost', 'mail', 'emailaddress', 'epostadress', 'mejl'],
  unitCode: [
    'unitcode',
    'unit',
    'enhetskod',
    'enhet',
    'orgunit',
    'orgunitcode',
    'kostnadsstalle',
    'avdelning',
  ],
  unitName: ['unitname', 'enhetsnamn', 'orgunitname', 'avdelningsnamn'],
  parentCode: [
    'parentunitcode',
    'parent',
    'parentunit',
    'parentcode',
    'overordnadenhet',
    'overordnad',
    'overordnadenhetskod',
  ],
  unitKind: ['unitkind', 'enhetstyp', 'typ', 'kind', 'unittype'],
  title: ['title', 'befattning', 'titel', 'jobtitle', 'roll'],
  head: ['head', 'chef', 'ishead', 'enhetschef', 'headofunit'],
  primary: ['primary', 'huvudenhet', 'primaryunit', 'isprimary'],
};
const REQUIRED_COLUMNS: ImportField[] = ['employeeId', 'givenName', 'familyName', 'unitCode'];
const LABEL: Record<ImportField, string> = {
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
const LABEL_SV: Record<ImportField, string> = {
  employeeId: 'Anställningsnummer',
  givenName: 'Förnamn',
  familyName: 'Efternamn',
  email: 'E-post',
  unitCode: 'Enhetskod',
  unitName: 'Enhetsnamn',
  parentCode: 'Överordnad enhetskod',
  unitKind: 'Enhetstyp',
  title: 'Titel',
  head: 'Enhetschef',
  primary: 'Huvudenhet',
};

const KIND_WORDS: Record<string, UnitKind> = {
  organisation: 'organisation',
  organization: 'organisation',
  faculty: 'faculty',
  fakultet: 'faculty',
  administration: 'administration',
  forvaltning: 'administration',
  department: 'department',
  institution: 'department',
  provider: 'provider',
  utforare: 'provider',
  unit: 'unit',
  enhet: 'unit',
};

export const normaliseHeader = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const YES = new Set(['yes', 'y', 'ja', 'j', '1', 'x', 'true', 'sant']);
const NO = new Set(['no', 'n', 'nej', '0', 'false', 'falskt']);
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/;
const MAX = 200;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

// ---- reading the table ---------------------------------------------------------------------------

type Table = { header: string[]; headerLine: number; rows: { line: number; cells: string[] }[] };
class FileError extends Error {
  constructor(
    readonly line: number,
    readonly text: Text,
  ) {
    super(inLanguage(text, 'en'));
  }
}

/** Text of a CSV file: BOMs stripped; UTF-16 by its BOM; not valid UTF-8 means Windows-1252. */
export function decodeText(data: Buffer): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.toString('utf8', 3);
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('windows-1252').decode(data);
  }
}

/** The separator that occurs most often (outside quotes) on the first non-empty line. */
export function detectDelimiter(text: string): string {
  const start = text.search(/[^\r\n]/);
  if (start < 0) return ',';
  const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ',';
}

/**
 * RFC 4180 CSV with any one-character separator: quoted fields (with "" and line breaks inside),
 * CRLF, LF or CR line ends. Each record carries the file line it starts on.
 */
export function parseDelimited(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === 34) {
        // Quoted field: up to the quote that is not doubled.
        let j = i + 1;
        value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0)
            throw new FileError(
              startLine,
              say(
                `A quoted field that starts on line ${startLine} is never closed`,
                `Ett fält inom citattecken som börjar på rad ${startLine} avslutas aldrig`,
              ),
            );
          value += text.slice(j, q);
          if (text.charCodeAt(q + 1) === 34) {
            value += '"';
            j = q + 2;
          } else {
            j = q + 1;
            break;
          }
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) line++;
        if (!value.includes('\n'))
          for (let k = value.indexOf('\r'); k >= 0; k = value.indexOf('\r', k + 1)) line++;
        // Anything after the closing quote up to the separator is kept (lenient, like spreadsheets).
        let k = j;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === d || c === 10 || c === 13) break;
          k++;
        }
        if (k > j) value += text.slice(j, k);
        i = k;
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === d || c === 10 || c === 13) break;
          k++;
        }
        value = text.slice(i, k);
        i = k;
      }
      cells.push(value);
      if (i < n && text.charCodeAt(i) === d) {
        i++;
        continue;
      }
      if (text.charCodeAt(i) === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    out.push({ line: startLine, cells });
  }
  return out;
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

function readCsv(data: Buffer): Table {
  let text = decodeText(data);
  let lineOffset = 0;
  // Excel's "sep=;" first line names the separator.
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep) {
    text = text.slice(sep[0].length);
    lineOffset = 1;
  }
  const records = parseDelimited(text, sep ? sep[1] : detectDelimiter(text));
  const first = records.findIndex((r) => !isBlank(r.cells));
  if (first < 0) return { header: [], headerLine: 1, rows: [] };
  return {
    header: records[first].cells,
    headerLine: records[first].line + lineOffset,
    rows: records.slice(first + 1).map((r) => ({ line: r.line + lineOffset, cells: r.cells })),
  };
}

/** A number as the digits people typed: no "1234.0", no exponent, leading zeros kept by the format. */
export function numberText(v: number, numFmt?: string): string {
  if (!Number.isFinite(v)) return String(v);
  let s: string;
  if (Number.isInteger(v)) s = Math.abs(v) >= 1e21 ? BigInt(v).toString() : String(v);
  else {
    s = String(v);
    if (/e/i.test(s)) s = v.toFixed(20).replace(/\.?0+$/, '');
  }
  // A format like "000000" shows 1234 as 001234: keep the zeros, they are part of the id.
  if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(v) && v >= 0) s = s.padStart(numFmt.length, '0');
  return s;
}

export function cellText(v: ExcelJS.CellValue, numFmt?: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return numberText(v, numFmt);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('error' in v) return '';
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue, numFmt);
    if ('text' in v) return cellText(v.text as ExcelJS.CellValue, numFmt);
    if ('formula' in v || 'sharedFormula' in v) return '';
  }
  return String(v);
}

async function readXlsx(data: Buffer): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (e) {
    throw new FileError(
      1,
      say(
        `The file cannot be read as an XLSX workbook (${(e as Error).message})`,
        `Filen kan inte läsas som en XLSX-arbetsbok (${(e as Error).message})`,
      ),
    );
  }
  const ws = wb.worksheets[0];
  const table: Table = { header: [], headerLine: 1, rows: [] };
  if (!ws) return table;
  const width = ws.columnCount;
  let haveHeader = false;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cells.push(cellText(cell.value, cell.numFmt));
    }
    if (!haveHeader) {
      if (isBlank(cells)) return;
      haveHeader = true;
      table.header = cells;
      table.headerLine = n;
    } else table.rows.push({ line: n, cells });
  });
  return table;
}

/** XLSX is a zip file ("PK\x03\x04"); the extension is only a hint when the bytes say nothing. */
export const isXlsx = (data: Buffer, filename: string) =>
  (data.length > 3 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) ||
  filename.toLowerCase().endsWith('.xlsx');

const XLS_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

// ---- validating ---------------------------------------------------------------------------------

/** Parses and validates the whole file: the good rows, and an error for every bad row. */
export async function parseOrgFile(data: Buffer, filename: string): Promise<ParsedOrgFile> {
  const format = isXlsx(data, filename) ? 'xlsx' : 'csv';
  const columns = { ...CANONICAL };
  const fileError = (line: number, message: Text): ParsedOrgFile => ({
    rows: [],
    units: [],
    errors: [{ line, column: '', field: 'file', message }],
    columns,
    format,
    fatal: true,
  });
  if (XLS_MAGIC.every((b, i) => data[i] === b))
    return fileError(
      1,
      say(
        'Old Excel files (.xls) are not supported: save the sheet as XLSX or CSV',
        'Gamla Excel-filer (.xls) stöds inte: spara bladet som XLSX eller CSV',
      ),
    );
  if (data.subarray(0, 8192).includes(0) && format === 'csv' && data[0] !== 0xff && data[0] !== 0xfe)
    return fileError(
      1,
      say(
        'Unknown file format: upload a CSV or XLSX file',
        'Okänt filformat: ladda upp en CSV- eller XLSX-fil',
      ),
    );
  let table: Table;
  try {
    table = format === 'xlsx' ? await readXlsx(data) : readCsv(data);
  } catch (e) {
    if (e instanceof FileError) return fileError(e.line, e.text);
    throw e;
  }
  if (!table.header.length) return fileError(1, say('The file is empty', 'Filen är tom'));

  // Which column holds which field: the best synonym wins, then the leftmost column.
  const index = new Map<ImportField, number>();
  const rank = new Map<ImportField, number>();
  table.header.forEach((h, i) => {
    const n = normaliseHeader(h);
    if (!n) return;
    for (const [field, names] of Object.entries(HEADERS) as [ImportField, string[]][]) {
      const r = names.indexOf(n);
      if (r >= 0 && (!index.has(field) || r < rank.get(field)!)) {
        index.set(field, i);
        rank.set(field, r);
      }
    }
  });
  for (const [f, i] of index) columns[f] = table.header[i].trim();
  const missing = REQUIRED_COLUMNS.filter((f) => !index.has(f));
  if (missing.length) {
    return {
      rows: [],
      units: [],
      errors: missing.map((f) => {
        const others = HEADERS[f]
          .filter((h) => h !== normaliseHeader(CANONICAL[f]))
          .slice(0, 3)
          .join(', ');
        return {
          line: table.headerLine,
          column: CANONICAL[f],
          field: f,
          message: say(
            `The ${LABEL[f].toLowerCase()} column is missing (accepted headers include ${CANONICAL[f]}, ${others})`,
            `Kolumnen för ${LABEL_SV[f].toLowerCase()} saknas (godtagna rubriker är bland annat ${CANONICAL[f]}, ${others})`,
          ),
        };
      }),
      columns,
      format,
      fatal: true,
    };
  }

  const errors: ImportRowError[] = [];
  const rows: ImportRow[] = [];
  const units: UnitMention[] = [];
  const FIELDS = Object.keys(CANONICAL) as ImportField[];
  const fieldIndex = FIELDS.map((f) => index.get(f) ?? -1);
  for (const { line, cells } of table.rows) {
    if (isBlank(cells)) continue;
    const v = {} as Record<ImportField, string>;
    for (let k = 0; k < FIELDS.length; k++) {
      const i = fieldIndex[k];
      let s = i < 0 ? '' : (cells[i] ?? '');
      // Control characters (line breaks in quoted cells too) become spaces.
      if (CONTROL.test(s)) s = s.replace(CONTROLS, ' ');
      v[FIELDS[k]] = s.trim();
    }
    const err = (f: ImportField, message: Text) =>
      errors.push({ line, column: columns[f], field: f, message });
    const before = errors.length;
    if (v.unitCode) units.push({ line, unitCode: v.unitCode, unitName: v.unitName || null });
    const unitOnly = !v.employeeId && !v.givenName && !v.familyName && !v.email;
    if (unitOnly) {
      if (!v.unitCode) err('unitCode', say('Unit code is required', 'Enhetskod måste anges'));
    } else {
      for (const f of REQUIRED_COLUMNS)
        if (!v[f]) err(f, say(`${LABEL[f]} is required`, `${LABEL_SV[f]} måste anges`));
    }
    if (v.email && !EMAIL.test(v.email))
      err('email', say(`Not an e-mail address: ${v.email}`, `Inte en e-postadress: ${v.email}`));
    const kindKey = normaliseHeader(v.unitKind);
    const unitKind = kindKey ? (KIND_WORDS[kindKey] ?? null) : null;
    if (kindKey && !unitKind)
      err(
        'unitKind',
        say(
          `Unknown unit kind ${v.unitKind} (use ${UNIT_KINDS.join(', ')}, or fakultet, förvaltning, institution, utförare, enhet)`,
          `Okänd enhetstyp ${v.unitKind} (använd fakultet, förvaltning, institution, utförare, enhet eller ${UNIT_KINDS.join(', ')})`,
        ),
      );
    const yesNo = (f: ImportField): boolean | null => {
      const s = v[f].toLowerCase();
      if (s === '') return null;
      if (YES.has(s)) return true;
      if (NO.has(s)) return false;
      err(
        f,
        say(
          `Not yes or no: ${v[f]} (use yes/no, ja/nej, 1/0 or x)`,
          `Inte ja eller nej: ${v[f]} (använd ja/nej, yes/no, 1/0 eller x)`,
        ),
      );
      return null;
    };
    const head = yesNo('head') ?? false;
    const primary = yesNo('primary');
    if (unitOnly && head)
      err(
        'head',
        say('Head of unit needs a person on the row', 'Enhetschef kan bara anges på en rad med en person'),
      );
    if (v.unitCode && v.unitCode === v.parentCode)
      err(
        'parentCode',
        say(
          `Unit ${v.unitCode} would be its own ancestor`,
          `Enheten ${v.unitCode} skulle bli överordnad sig själv`,
        ),
      );
    for (const f of [
      'employeeId',
      'givenName',
      'familyName',
      'email',
      'unitCode',
      'unitName',
      'parentCode',
      'title',
    ] as const) {
      if (v[f].length > MAX)
        err(
          f,
          say(`${LABEL[f]} is longer than ${MAX} characters`, `${LABEL_SV[f]} är längre än ${MAX} tecken`),
        );
    }
    if (errors.length > before) continue;
    rows.push({
      line,
      employeeId: unitOnly ? null : v.employeeId,
      givenName: v.givenName,
      familyName: v.familyName,
      email: v.email || null,
      unitCode: v.unitCode,
      unitName: v.unitName || null,
      parentCode: v.parentCode || null,
      unitKind,
      title: unitOnly ? null : v.title || null,
      head,
      primary: unitOnly ? null : primary,
    });
  }

  // Across rows: one person has one name and e-mail and at most one primary unit; one unit has
  // one name, parent and kind; a person is in a unit once.
  const people = new Map<string, { row: ImportRow; primaryLine: number | null }>();
  const unitsSeen = new Map<
    string,
    { name: ImportRow | null; parent: ImportRow | null; kind: ImportRow | null }
  >();
  const memberships = new Map<string, number>();
  const err = (r: ImportRow, f: ImportField, message: Text) =>
    errors.push({ line: r.line, column: columns[f], field: f, message });
  for (const r of rows) {
    const u = unitsSeen.get(r.unitCode);
    if (!u)
      unitsSeen.set(r.unitCode, {
        name: r.unitName ? r : null,
        parent: r.parentCode ? r : null,
        kind: r.unitKind ? r : null,
      });
    else {
      if (r.unitName && u.name && r.unitName !== u.name.unitName)
        err(
          r,
          'unitName',
          say(
            `Unit ${r.unitCode} is named ${u.name.unitName} on line ${u.name.line}`,
            `Enheten ${r.unitCode} heter ${u.name.unitName} på rad ${u.name.line}`,
          ),
        );
      if (r.parentCode && u.parent && r.parentCode !== u.parent.parentCode)
        err(
          r,
          'parentCode',
          say(
            `Unit ${r.unitCode} has parent ${u.parent.parentCode} on line ${u.parent.line}`,
            `Enheten ${r.unitCode} har den överordnade enheten ${u.parent.parentCode} på rad ${u.parent.line}`,
          ),
        );
      if (r.unitKind && u.kind && r.unitKind !== u.kind.unitKind)
        err(
          r,
          'unitKind',
          say(
            `Unit ${r.unitCode} is of kind ${u.kind.unitKind} on line ${u.kind.line}`,
            `Enheten ${r.unitCode} är av typen ${u.kind.unitKind} på rad ${u.kind.line}`,
          ),
        );
      if (r.unitName && !u.name) u.name = r;
      if (r.parentCode && !u.parent) u.parent = r;
      if (r.unitKind && !u.kind) u.kind = r;
    }
    if (r.employeeId === null) continue;
    const m = `${r.employeeId}\u0000${r.unitCode}`;
    const seenIn = memberships.get(m);
    if (seenIn !== undefined)
      err(
        r,
        'unitCode',
        say(
          `Employee ${r.employeeId} is already in unit ${r.unitCode} on line ${seenIn}`,
          `Anställd ${r.employeeId} finns redan i enheten ${r.unitCode} på rad ${seenIn}`,
        ),
      );
    else memberships.set(m, r.line);
    const p = people.get(r.employeeId);
    if (!p) {
      people.set(r.employeeId, { row: { ...r }, primaryLine: r.primary ? r.line : null });
      continue;
    }
    if (p.row.givenName !== r.givenName)
      err(
        r,
        'givenName',
        say(
          `Employee ${r.employeeId} has given name ${p.row.givenName} on line ${p.row.line}`,
          `Anställd ${r.employeeId} har förnamnet ${p.row.givenName} på rad ${p.row.line}`,
        ),
      );
    if (p.row.familyName !== r.familyName)
      err(
        r,
        'familyName',
        say(
          `Employee ${r.employeeId} has family name ${p.row.familyName} on line ${p.row.line}`,
          `Anställd ${r.employeeId} har efternamnet ${p.row.familyName} på rad ${p.row.line}`,
        ),
      );
    if (r.email && p.row.email && p.row.email.toLowerCase() !== r.email.toLowerCase())
      err(
        r,
        'email',
        say(
          `Employee ${r.employeeId} has e-mail ${p.row.email} on line ${p.row.line}`,
          `Anställd ${r.employeeId} har e-postadressen ${p.row.email} på rad ${p.row.line}`,
        ),
      );
    if (r.email && !p.row.email) p.row.email = r.email;
    if (r.primary) {
      if (p.primaryLine !== null)
        err(
          r,
          'primary',
          say(
            `Employee ${r.employeeId} already has a primary unit on line ${p.primaryLine}`,
            `Anställd ${r.employeeId} har redan en huvudenhet på rad ${p.primaryLine}`,
          ),
        );
      else p.primaryLine = r.line;
    }
  }
  errors.sort((a, b) => a.line - b.line);
  // Rows with errors of their own were left out; the caller checks the rest against the database.
  return { rows, units, errors, columns, format, fatal: false };
}

export { LABEL as IMPORT_FIELD_LABELS };
