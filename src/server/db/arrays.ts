// Bulk statements pass whole columns as one array parameter (INSERT … SELECT FROM unnest(…)),
// written as a PostgreSQL array literal so both drivers send it the same way.
import { type SQL, sql } from 'drizzle-orm';

function literal(values: readonly (string | number | boolean | null)[]): string {
  return `{${values
    .map((v) => (v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`))
    .join(',')}}`;
}

/** A typed array parameter, e.g. pgArray(ids, 'uuid') → $1::uuid[] */
export function pgArray(values: readonly (string | number | boolean | null)[], type: string): SQL {
  return sql`${literal(values)}::${sql.raw(type)}[]`;
}
