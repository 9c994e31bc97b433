// The database client's PGlite handle: its statements give the event loop a turn, so timers and
// sockets are served between statements (a chain of PGlite statements otherwise resolves through
// promises only, and an HTTP server's keep-alive timers fired late and reset waiting connections).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPglite, rows } from './client.ts';

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
