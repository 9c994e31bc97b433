import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { inLanguage } from '../../../platform/text.ts';
import {
  decodeText,
  detectDelimiter,
  isXlsx,
  numberText,
  parseDelimited,
  parseOrgFile,
} from './import.parse.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const csv = (s: string) => Buffer.from(s, 'utf8');

describe('reading CSV', () => {
  it('splits quoted fields with separators, doubled quotes and line breaks, and keeps file line numbers', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"two\r\nlines",z\n\nlast,row';
    expect(parseDelimited(text, ',')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['two\r\nlines', 'z'] },
      { line: 5, cells: [''] },
      { line: 6, cells: ['last', 'row'] },
    ]);
  });

  it('detects comma, semicolon and tab, ignoring separators inside quotes', () => {
    expect(detectDelimiter('a,b,c\n1;2')).toBe(',');
    expect(detectDelimiter('\r\nFörnamn;Efternamn;"Enhet, kod"\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });

  it('decodes UTF-8 with and without BOM, UTF-16 and Windows-1252', () => {
    expect(decodeText(Buffer.from('\uFEFFÅsa', 'utf8'))).toBe('Åsa');
    expect(decodeText(Buffer.from('Åsa', 'utf8'))).toBe('Åsa');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Öberg', 'utf16le')]))).toBe(
      'Öberg',
    );
    expect(decodeText(Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x65, 0x20, 0xc5]))).toBe('Renée Å');
  });

  it('writes numbers as typed: no "1234.0", no exponent, zeros kept by a 000000 format', () => {
    expect(numberText(1234)).toBe('1234');
    expect(numberText(1234.0)).toBe('1234');
    expect(numberText(987654321012)).toBe('987654321012');
    expect(numberText(1e21)).toBe('1000000000000000000000');
    expect(numberText(1234, '000000')).toBe('001234');
    expect(numberText(12.5)).toBe('12.5');
  });

  it('knows XLSX by its zip bytes or its extension', () => {
    expect(isXlsx(Buffer.from('PK\x03\x04rest'), 'export.csv')).toBe(true);
    expect(isXlsx(Buffer.from('a,b'), 'Export.XLSX')).toBe(true);
    expect(isXlsx(Buffer.from('a,b'), 'export.csv')).toBe(false);
  });
});

describe('parseOrgFile', () => {
  it('reads a Swedish export: BOM, semicolons, CRLF, Swedish headers and values, å ä ö é', async () => {
    const res = await parseOrgFile(fixture('hr-export-sv.csv'), 'hr-export-sv.csv');
    expect(res.errors).toEqual([]);
    expect(res.columns).toMatchObject({
      employeeId: 'Anst.nr',
      givenName: 'Förnamn',
      parentCode: 'Överordnad enhet',
    });
    expect(res.rows.map((r) => [r.line, r.employeeId, r.givenName, r.familyName])).toEqual([
      [2, '1001', 'Åsa', 'Öberg'],
      [3, '1002', 'Renée', 'Längström'],
      [5, '1003', 'Jörgen', 'Älmhult'],
      [6, '1003', 'Jörgen', 'Älmhult'],
    ]);
    expect(res.rows[0]).toMatchObject({ unitKind: 'organisation', head: true, title: 'Kommundirektör' });
    expect(res.rows[1]).toMatchObject({ unitName: 'Socialförvaltningen; stab', unitKind: 'administration' });
    expect(res.rows[2].primary).toBe(false);
    expect(res.rows[3].primary).toBe(true);
  });

  it('reads an English export with other header spellings, ignores unknown columns and empty lines', async () => {
    const res = await parseOrgFile(fixture('hr-export-en.csv'), 'hr.csv');
    expect(res.errors).toEqual([]);
    expect(res.rows.map((r) => r.line)).toEqual([2, 3, 5, 6, 7]);
    expect(res.rows[0]).toMatchObject({ employeeId: null, unitCode: 'UNI', unitName: 'The University' });
    expect(res.rows[2]).toMatchObject({ title: 'Professor, chair', head: true, unitKind: 'department' });
  });

  it('accepts every documented header synonym', async () => {
    const headers = [
      'Anställningsnummer',
      'fornamn',
      'SURNAME',
      'e-post',
      'Kostnadsställe',
      'enhetsnamn',
      'överordnad',
      'typ',
      'titel',
      'Enhetschef',
      'primary',
    ];
    const res = await parseOrgFile(
      csv(`${headers.join(';')}\n7;Zoë;Åkesson;z@example.se;K1;Kansli;;enhet;Chef;x;1\n`),
      'f.csv',
    );
    expect(res.errors).toEqual([]);
    expect(res.rows[0]).toMatchObject({
      employeeId: '7',
      givenName: 'Zoë',
      familyName: 'Åkesson',
      email: 'z@example.se',
      unitCode: 'K1',
      unitName: 'Kansli',
      unitKind: 'unit',
      title: 'Chef',
      head: true,
      primary: true,
    });
  });

  it('a missing required column is a file error on line 1 naming the column', async () => {
    const res = await parseOrgFile(csv('förnamn,efternamn,enhet\nA,B,C\n'), 'f.csv');
    expect(res.fatal).toBe(true);
    expect(res.errors).toEqual([
      expect.objectContaining({ line: 1, column: 'employee_id', field: 'employeeId' }),
    ]);
    expect(inLanguage(res.errors[0].message, 'en')).toMatch(/employee id column is missing/);
  });

  it('lists every bad row with its line, the column as written in the file, and a reason', async () => {
    const res = await parseOrgFile(
      csv(
        [
          'Anst.nr;Förnamn;Efternamn;E-post;Enhet;Enhetstyp;Chef',
          '1;Anna;A;anna@example.se;U1;institution;ja',
          ';Bo;B;;U1;;',
          '3;Cia;C;cia(at)example.se;U1;;',
          '4;Dan;D;;U1;kontor;kanske',
          '1;Anna;Annorlunda;;U2;;',
        ].join('\r\n'),
      ),
      'f.csv',
    );
    expect(res.fatal).toBe(false);
    expect(res.errors.map((e) => ({ ...e, message: inLanguage(e.message, 'en') }))).toEqual([
      { line: 3, column: 'Anst.nr', field: 'employeeId', message: 'Employee id is required' },
      { line: 4, column: 'E-post', field: 'email', message: 'Not an e-mail address: cia(at)example.se' },
      expect.objectContaining({ line: 5, column: 'Enhetstyp', field: 'unitKind' }),
      expect.objectContaining({ line: 5, column: 'Chef', field: 'head' }),
      {
        line: 6,
        column: 'Efternamn',
        field: 'familyName',
        message: 'Employee 1 has family name A on line 2',
      },
    ]);
  });

  it('refuses two primary units, a unit named two ways, the same membership twice, and a unit as its own parent', async () => {
    const res = await parseOrgFile(
      csv(
        [
          'employee_id,given_name,family_name,unit_code,unit_name,parent_unit_code,primary',
          'E1,A,A,U1,One,,yes',
          'E1,A,A,U2,Two,,yes',
          'E2,B,B,U1,Uno,,',
          'E2,B,B,U1,,,',
          'E3,C,C,U3,Three,U3,',
        ].join('\n'),
      ),
      'f.csv',
    );
    expect(res.errors.map((e) => [e.line, e.field, inLanguage(e.message, 'en')])).toEqual([
      [3, 'primary', 'Employee E1 already has a primary unit on line 2'],
      [4, 'unitName', 'Unit U1 is named One on line 2'],
      [5, 'unitCode', 'Employee E2 is already in unit U1 on line 4'],
      [6, 'parentCode', 'Unit U3 would be its own ancestor'],
    ]);
  });

  it('an unclosed quote is reported on the line where it starts', async () => {
    const res = await parseOrgFile(
      csv('employee_id,given_name,family_name,unit_code\nE1,"Anna,A,U1\nE2,B,B,U1\n'),
      'f.csv',
    );
    expect(res.fatal).toBe(true);
    expect(res.errors).toEqual([expect.objectContaining({ line: 2, field: 'file' })]);
  });

  it('refuses old .xls files and binary junk as file errors', async () => {
    const xls = await parseOrgFile(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]), 'old.xls');
    expect(xls.errors[0]).toMatchObject({ line: 1, field: 'file' });
    expect(inLanguage(xls.errors[0].message, 'en')).toMatch(/\.xls/);
    const junk = await parseOrgFile(Buffer.from([1, 2, 0, 3]), 'x.bin');
    expect(inLanguage(junk.errors[0].message, 'en')).toMatch(/Unknown file format/);
  });

  it('reads XLSX: first sheet, numbers as digits, rich text, hyperlinks, formulas and zero-padded ids', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Personal');
    wb.addWorksheet('Other').addRow(['ignored']);
    ws.addRow([]);
    ws.addRow(['Anställningsnummer', 'Förnamn', 'Efternamn', 'E-post', 'Enhet', 'Enhetsnamn', 'Chef']);
    ws.addRow([123456, { richText: [{ text: 'Zo' }, { text: 'ë' }] }, 'Åkesson', null, 'HR', 'Personal', 1]);
    ws.addRow([
      { formula: '1+1', result: 2 },
      'Märta',
      'Sjöberg',
      { text: 'marta@example.se', hyperlink: 'mailto:marta@example.se' },
      'HR',
      null,
      'nej',
    ]);
    const padded = ws.addRow([1234, 'Per', 'Öst', null, 'HR', null, null]);
    padded.getCell(1).numFmt = '000000';
    const res = await parseOrgFile(Buffer.from(await wb.xlsx.writeBuffer()), 'personal.xlsx');
    expect(res.format).toBe('xlsx');
    expect(res.errors).toEqual([]);
    expect(res.rows.map((r) => [r.line, r.employeeId, r.givenName, r.email, r.head])).toEqual([
      [3, '123456', 'Zoë', null, true],
      [4, '2', 'Märta', 'marta@example.se', false],
      [5, '001234', 'Per', null, false],
    ]);
  });
});
