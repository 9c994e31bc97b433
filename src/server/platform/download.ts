// File downloads (CSV and Excel exports): the content type, the attachment name and, for CSV, the byte
// order mark that makes Excel read the file as UTF-8 (å, ä, ö).
import type { FastifyReply } from 'fastify';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends `body` as an attachment named `filename` (`.csv`: text with a BOM; `.xlsx`: a workbook). */
export function sendDownload(reply: FastifyReply, filename: string, body: string | Buffer) {
  const csv = filename.endsWith('.csv');
  return reply
    .header('content-type', csv ? 'text/csv; charset=utf-8' : XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv ? `\uFEFF${body}` : body);
}
