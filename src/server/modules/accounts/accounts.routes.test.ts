import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { Client, createTestApp, makeUser, signedIn, type TestApp } from '../../testing/http.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('signs in, returns the account and a CSRF token, and sets an HttpOnly SameSite cookie', async () => {
    const u = await makeUser(t.ctx, ['auditor'], { givenName: 'Åsa', familyName: 'Öberg' });
    const c = new Client(t.app);
    const res = await c.login(u.username, u.password);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.account.displayName).toBe('Åsa Öberg');
    expect(body.account.roles).toContain('auditor');
    expect(body.account.abilities['audit.read']).toBe(true);
    expect(body.account.abilities['person.write']).toBe(false);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP in tests; Secure behind TLS
    const me = await c.get('/api/v1/auth/session');
    expect(me.statusCode).toBe(200);
    expect(me.json().account.username).toBe(u.username);
  });

  it('gives the same answer for an unknown user, a wrong password and a throttled account', async () => {
    const u = await makeUser(t.ctx);
    const c = new Client(t.app, '10.0.0.1');
    const unknown = await c.login('nobody-here', 'whatever-password');
    const wrong = await c.login(u.username, 'wrong-password');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    for (let i = 0; i < 4; i++) await new Client(t.app, `10.0.1.${i}`).login(u.username, 'wrong-password');
    // Five failures for this account: now even the right password is refused, with the same answer.
    const throttled = await new Client(t.app, '10.0.2.1').login(u.username, u.password);
    expect(throttled.statusCode).toBe(401);
    expect(throttled.json()).toEqual(wrong.json());
    // Time moves on past the window: the right password works again.
    t.ctx.clock.advance({ minutes: 16 });
    const later = await new Client(t.app, '10.0.2.1').login(u.username, u.password);
    expect(later.statusCode).toBe(200);
  });

  it('throttles per address across accounts', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < 30; i++) await new Client(t.app, ip).login(`ghost${i}`, 'x-password');
    const u = await makeUser(t.ctx);
    const res = await new Client(t.app, ip).login(u.username, u.password);
    expect(res.statusCode).toBe(401);
    expect((await new Client(t.app, '10.9.9.10').login(u.username, u.password)).statusCode).toBe(200);
    t.ctx.clock.advance({ minutes: 16 });
  });

  it('L7: an account cannot sign in after its valid-until day, with a message that says so', async () => {
    const u = await makeUser(t.ctx, [], { validUntil: '2026-11-22' });
    const c = new Client(t.app, '10.1.0.1');
    t.ctx.clock.set('2026-11-22T20:00:00Z'); // 21:00 in Stockholm: still the last valid day
    expect((await c.login(u.username, u.password)).statusCode).toBe(200);
    t.ctx.clock.set('2026-11-22T23:30:00Z'); // 00:30 on 23 November in Stockholm
    expect((await c.get('/api/v1/auth/session')).statusCode).toBe(401); // the session stops too
    const res = await new Client(t.app, '10.1.0.2').login(u.username, u.password);
    expect(res.statusCode).toBe(401);
    expect(res.json().rule).toBe('L7');
    expect(res.json().title).toMatch(/valid until 2026-11-22/);
    t.ctx.clock.set('2026-11-22T09:00:00Z');
  });

  it('sign-out ends the session on the server', async () => {
    const { client } = await signedIn(t);
    const cookie = client.cookie;
    expect((await client.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const replay = new Client(t.app);
    replay.cookie = cookie;
    expect((await replay.get('/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('sessions expire when idle and at their absolute limit', async () => {
    const a = await signedIn(t);
    t.ctx.clock.advance({ minutes: 61 });
    expect((await a.client.get('/api/v1/auth/session')).statusCode).toBe(401);
    const b = await signedIn(t);
    for (let i = 0; i < 13; i++) {
      t.ctx.clock.advance({ minutes: 55 });
      expect((await b.client.get('/api/v1/auth/session')).statusCode).toBe(200);
    }
    t.ctx.clock.advance({ minutes: 10 }); // 12 h 5 min after sign-in, never idle for long
    expect((await b.client.get('/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('disabling an account ends its sessions at once and blocks sign-in', async () => {
    const target = await signedIn(t);
    const adm = await signedIn(t, ['administrator']);
    const get = await adm.client.get(`/api/v1/accounts/${target.account.id}`);
    const res = await adm.client.patch(
      `/api/v1/accounts/${target.account.id}`,
      { disabled: true },
      { 'if-match': get.headers.etag as string },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled).toBe(true);
    expect((await target.client.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect((await new Client(t.app, '10.3.0.1').login(target.username, target.password)).statusCode).toBe(
      401,
    );
  });

  it('refuses cookie-authenticated writes without the CSRF token, and cross-site writes', async () => {
    const { client } = await signedIn(t);
    const noCsrf = await client.request('PATCH', '/api/v1/me', { locale: 'en' }, { 'x-csrf-token': '' });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.headers['content-type']).toMatch(/application\/problem\+json/);
    const crossSite = await client.request(
      'PATCH',
      '/api/v1/me',
      { locale: 'en' },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.statusCode).toBe(403);
    const ok = await client.patch('/api/v1/me', { locale: 'en' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().locale).toBe('en');
  });

  it('marks the cookie Secure behind a TLS-terminating proxy', async () => {
    const behindProxy = await createTestApp({ trustProxy: true });
    try {
      const u = await makeUser(behindProxy.ctx);
      const res = await behindProxy.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        payload: JSON.stringify({ username: u.username, password: u.password }),
      });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await behindProxy.close();
    }
  });

  it('sends security headers and no-store on the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('API tokens', () => {
  it('refuses a validity outside 1 to 366 days, naming the field, in the request language', async () => {
    const { client } = await signedIn(t, ['auditor']);
    const long = await client.post('/api/v1/me/tokens', { name: 'script', expiresInDays: 500 });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors).toEqual([
      expect.objectContaining({ field: 'expiresInDays', message: 'Whole days, from 1 to 366.' }),
    ]);
    const sv = await client.post(
      '/api/v1/me/tokens',
      { name: '', expiresInDays: 0 },
      { 'accept-language': 'sv' },
    );
    expect(
      sv
        .json()
        .errors.map((e: any) => e.message)
        .sort(),
    ).toEqual(['Ge nyckeln ett namn.', 'Hela dagar, från 1 till 366.']);
    const listed = await client.get('/api/v1/me/tokens');
    expect(listed.json().items).toEqual([]);
  });

  it('are shown once, stored hashed, authenticate scripts, expire and can be revoked', async () => {
    const { client, account } = await signedIn(t, ['auditor']);
    const created = await client.post('/api/v1/me/tokens', { name: 'reporting script', expiresInDays: 1 });
    expect(created.statusCode).toBe(201);
    const { token, item } = created.json();
    expect(token).toMatch(/^stw_/);
    const stored = await rows<{ token_hash: string }>(
      t.ctx.db,
      sql`select token_hash from api_tokens where id = ${item.id}`,
    );
    expect(stored[0].token_hash).not.toContain(token);
    expect(stored[0].token_hash).toHaveLength(64);
    const list = await client.get('/api/v1/me/tokens');
    expect(JSON.stringify(list.json())).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    const viaToken = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=1', headers: bearer });
    expect(viaToken.statusCode).toBe(200);
    // No CSRF token is needed with a bearer token, and the actor is the token's account.
    const write = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...bearer, 'content-type': 'application/json' },
      payload: '{"locale":"sv"}',
    });
    expect(write.statusCode).toBe(200);
    const [ev] = await rows<{ actor_account_id: string; via: string }>(
      t.ctx.db,
      sql`select actor_account_id, via from audit_events where action = 'account.locale' order by id desc limit 1`,
    );
    expect(ev).toEqual({ actor_account_id: account.id, via: 'api-token' });
    t.ctx.clock.advance({ days: 2 });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=1', headers: bearer })).statusCode,
    ).toBe(401);
    t.ctx.clock.advance({ days: -2 });
    expect((await client.delete(`/api/v1/me/tokens/${item.id}`)).statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=1', headers: bearer })).statusCode,
    ).toBe(401);
  });
});

describe('remembered table columns', () => {
  it('keeps each account’s hidden columns per table, audited, and only for that account', async () => {
    const a = await signedIn(t);
    const b = await signedIn(t);
    expect((await a.client.get('/api/v1/me/table-columns')).json()).toEqual({ tables: {} });
    const put = await a.client.request('PUT', '/api/v1/me/table-columns/grants', {
      hidden: ['units', 'order', 'units'],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ hidden: ['units', 'order'] });
    await a.client.request('PUT', '/api/v1/me/table-columns/persons', { hidden: ['email'] });
    // Saving again replaces the table's choice; an empty list shows every column.
    await a.client.request('PUT', '/api/v1/me/table-columns/persons', { hidden: [] });
    expect((await a.client.get('/api/v1/me/table-columns')).json()).toEqual({
      tables: { grants: ['units', 'order'], persons: [] },
    });
    expect((await b.client.get('/api/v1/me/table-columns')).json()).toEqual({ tables: {} });
    const audit = await rows<{ before: unknown; after: unknown }>(
      t.ctx.db,
      sql`select before, after from audit_events where action = 'account.table_columns'
          and actor_account_id = (select id from accounts where username = ${a.username}) order by id`,
    );
    expect(audit.map((e) => e.after)).toEqual([
      { table: 'grants', hidden: ['units', 'order'] },
      { table: 'persons', hidden: ['email'] },
      { table: 'persons', hidden: [] },
    ]);
    expect(audit[2].before).toEqual({ table: 'persons', hidden: ['email'] });
  });

  it('refuses bad table and column names and too many tables, naming the field, and writes nothing', async () => {
    const a = await signedIn(t);
    const badTable = await a.client.request('PUT', '/api/v1/me/table-columns/Grants%20x', { hidden: [] });
    expect(badTable.statusCode).toBe(400);
    expect(badTable.json().errors[0].field).toBe('tableId');
    const badColumn = await a.client.request('PUT', '/api/v1/me/table-columns/grants', {
      hidden: ['ok', '<script>'],
    });
    expect(badColumn.statusCode).toBe(400);
    expect(badColumn.json().errors[0].field).toBe('hidden.1');
    // A field left out is "required", in words for a user (not zod's "expected array, received undefined").
    const left = await a.client.request('PUT', '/api/v1/me/table-columns/grants', {});
    expect(left.json().errors).toEqual([
      expect.objectContaining({ field: 'hidden', message: 'This field is required.' }),
    ]);
    const tooMany = await a.client.request('PUT', '/api/v1/me/table-columns/grants', {
      hidden: Array.from({ length: 41 }, (_, i) => `c${i}`),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('hidden');
    for (let i = 0; i < 100; i++)
      await t.ctx.db.execute(sql`insert into account_table_columns (account_id, table_id, hidden, updated_at)
        values ((select id from accounts where username = ${a.username}), ${`t${i}`}, '{}', now())`);
    const over = await a.client.request('PUT', '/api/v1/me/table-columns/one-more', { hidden: [] });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0]).toMatchObject({ field: 'tableId' });
    // A table it already remembers can still change.
    expect((await a.client.request('PUT', '/api/v1/me/table-columns/t5', { hidden: ['x'] })).statusCode).toBe(
      200,
    );
    const stored = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from account_table_columns
          where account_id = (select id from accounts where username = ${a.username})`,
    );
    expect(stored[0].n).toBe(100);
    expect((await new Client(t.app).get('/api/v1/me/table-columns')).statusCode).toBe(401);
  });
});
