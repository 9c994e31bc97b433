// Exports as Excel workbooks (UX: "export of exactly what is shown (CSV/XLSX)"): one sheet, a bold
// frozen header row in English or Swedish, an auto-filter, and the same columns and rows as the CSV.
import ExcelJS from 'exceljs';

/** An export's columns: the CSV header key, the English and the Swedish header. */
export type ExportColumns = readonly (readonly [key: string, en: string, sv: string])[];

export async function exportWorkbook(
  sheetName: { en: string; sv: string },
  columns: ExportColumns,
  data: readonly (readonly unknown[])[],
  lang: 'en' | 'sv',
  widths: Partial<Record<string, number>> = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Steward';
  const sheet = workbook.addWorksheet(sheetName[lang], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map(([key, en, sv]) => ({
    header: lang === 'sv' ? sv : en,
    key,
    width: widths[key] ?? Math.max(12, en.length + 4),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRows(data.map((r) => [...r]));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
