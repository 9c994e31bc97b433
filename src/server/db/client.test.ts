// The database client. Its PGlite handle gives the event loop a turn after each statement, so timers
// and sockets are served between statements (a chain of PGlite statements otherwise resolves through
// promises only, and an HTTP server's keep-alive timers fired late and reset waiting connections).
// rowsPrepared answers like rows and, on PostgreSQL, sends a named statement, in a transaction too.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, onPostgres, type TestContext } from '../testing/db.ts';
import { type Database, type Db, openPglite, rows, rowsPrepared } from './client.ts';

let database: Database;
beforeAll(async () => {
  database = await openPglite(undefined);
});
afterAll(async () => {
  await database?.close();
});

describe('PGlite client', () => {
  it('gives the event loop a turn after each statement, outside and inside a transaction', async () => {
    let turns = 0;
    setImmediate(() => turns++);
    const [first] = await rows<{ n: number }>(database.db, sql`select 1::int as n`);
    expect(first.n).toBe(1);
    expect(turns).toBe(1);

    await database.db.transaction(async (tx) => {
      setImmediate(() => turns++);
      await rows(tx, sql`create temporary table turn_test (n int)`);
      expect(turns).toBe(2);
      setImmediate(() => turns++);
      await rows(tx, sql`insert into turn_test values (1), (2)`);
      expect(turns).toBe(3);
    });
    // The transaction committed through the wrapped handle.
    const [count] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from turn_test`);
    expect(count.n).toBe(2);
  });

  it('rolls back a failed transaction and reports the error as before', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await rows(tx, sql`create temporary table turn_fail (n int)`);
        await rows(tx, sql`select 1 / 0`);
      }),
    ).rejects.toThrow();
    await expect(rows(database.db, sql`select * from turn_fail`)).rejects.toThrow();
  });
});

describe('rowsPrepared', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const probe = sql`select ${'x'}::text as t, ${'2026-11-30'}::date as d, ${'2026-11-30T10:00:00Z'}::timestamptz as at,
    ${'{a,b}'}::text[] as arr, 7::int8 as n`;

  it('answers exactly like rows, outside and inside a transaction, on both engines', async () => {
    const [plain] = await rows(ctx.db, probe);
    expect(await rowsPrepared(ctx.db, probe)).toEqual([plain]);
    await ctx.db.transaction(async (tx) => {
      expect(await rowsPrepared(tx, probe)).toEqual([plain]);
    });
  });

  it.skipIf(!onPostgres)(
    'on PostgreSQL, plans a statement once per connection, in a transaction too, and rolls back with it',
    async () => {
      await rows(ctx.db, sql`create table prepared_probe (n int)`);
      const insert = (tx: Db, n: number) =>
        rowsPrepared<{ n: number }>(tx, sql`insert into prepared_probe values (${n}) returning n`);
      await expect(
        ctx.db.transaction(async (tx) => {
          expect(await insert(tx, 1)).toEqual([{ n: 1 }]);
          expect(await insert(tx, 2)).toEqual([{ n: 2 }]);
          // Both inserts went through one named statement on this transaction's connection.
          const prepared = await rows<{ statement: string }>(
            tx,
            sql`select statement from pg_prepared_statements where statement like 'insert into prepared_probe%'`,
          );
          expect(prepared).toHaveLength(1);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const [count] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from prepared_probe`);
      expect(count.n).toBe(0);
    },
  );
});
