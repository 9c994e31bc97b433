import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { onPostgres } from '../testing/db.ts';
import { createTestApp, signedIn, type TestApp } from '../testing/http.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const countPersons = async (employeeId: string) =>
  (
    await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from persons where employee_id = ${employeeId}`,
    )
  )[0].n;

describe('Idempotency-Key', () => {
  it('a retried create returns the first answer and creates nothing more', async () => {
    const { client } = await signedIn(t, ['administrator']);
    const body = { employeeId: 'IDEM-1', givenName: 'Iris', familyName: 'Idempotent' };
    const first = await client.post('/api/v1/persons', body, { 'idempotency-key': 'create-iris-0001' });
    const retry = await client.post('/api/v1/persons', body, { 'idempotency-key': 'create-iris-0001' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    expect(await countPersons('IDEM-1')).toBe(1);
    // Another key is another request: the duplicate employee id is refused as usual.
    const other = await client.post('/api/v1/persons', body, { 'idempotency-key': 'create-iris-0002' });
    expect(other.statusCode).toBe(409);
    // The same key on another route is refused.
    const misuse = await client.post(
      '/api/v1/org-units',
      { code: 'IDM', name: 'X' },
      { 'idempotency-key': 'create-iris-0001' },
    );
    expect(misuse.statusCode).toBe(409);
  });

  it.skipIf(!onPostgres)('concurrent retries with one key create once (PostgreSQL)', async () => {
    const { client } = await signedIn(t, ['administrator']);
    const body = { employeeId: 'IDEM-RACE', givenName: 'Rasmus', familyName: 'Race' };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.post('/api/v1/persons', body, { 'idempotency-key': 'race-key-0001' }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const ids = new Set(results.filter((r) => r.statusCode === 201).map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect(await countPersons('IDEM-RACE')).toBe(1);
  });
});
