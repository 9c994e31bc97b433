// The API-token cache (platform/auth-cache.ts, migration 0012): tokens are answered from memory while
// the process listens on steward_auth, and a committed change to a token, its account or its person,
// made by anyone on any connection, stops a cached token from working as soon as it is announced.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH_LISTENER_NAME, AuthCache } from '../../platform/auth-cache.ts';
import { onPostgres } from '../../testing/db.ts';
import { admin, createTestApp, makeUser, signedIn, type TestApp } from '../../testing/http.ts';
import { createApiToken, sha256, tokenCacheOf } from './accounts.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const cache = () => tokenCacheOf(t.ctx.database)!;

async function newToken(roles: Parameters<typeof makeUser>[1] = []) {
  const u = await makeUser(t.ctx, roles);
  const { token } = await createApiToken(t.ctx, {
    actor: admin,
    accountId: u.account.id,
    name: 'script',
    expiresInDays: 30,
  });
  return { ...u, token };
}

const get = (token: string, url = '/api/v1/auth/session') =>
  t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

/** Statements sent by SQL text, counted from now on (both drivers). */
function countStatements(pattern: RegExp) {
  const target = (t.ctx.database.pool ?? t.ctx.database.pglite) as unknown as {
    query: (...args: unknown[]) => unknown;
  };
  const spy = vi.spyOn(target, 'query');
  return {
    count: () =>
      spy.mock.calls.filter(([q]) => pattern.test(typeof q === 'string' ? q : (q as { text: string }).text))
        .length,
    restore: () => spy.mockRestore(),
  };
}

/**
 * Runs SQL outside the app: on PostgreSQL on a connection of its own (as psql or another process
 * would), on PGlite straight on the PGlite instance (not through any service).
 */
async function otherConnection() {
  if (t.ctx.databaseUrl) {
    const c = new pg.Client({ connectionString: t.ctx.databaseUrl });
    await c.connect();
    return {
      query: async (text: string, params: unknown[] = []) => (await c.query(text, params)).rows,
      close: () => c.end(),
    };
  }
  const p = t.ctx.database.pglite!;
  return {
    query: async (text: string, params: unknown[] = []) => (await p.query(text, params)).rows,
    close: async () => {},
  };
}

/** Polls (up to 2 s) until the condition holds; the wait is the notification's delivery. */
async function until(what: string, cond: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 2_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`still not: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Uses a token until it is cached: the second request is answered from the cache. */
async function cached(token: string) {
  expect((await get(token)).statusCode).toBe(200);
  const hits = cache().stats.hits;
  expect((await get(token)).statusCode).toBe(200);
  expect(cache().stats.hits).toBe(hits + 1);
}

describe('API-token cache', () => {
  it('is listening once the app is built, and sends no token lookup for a token it holds', async () => {
    expect(cache().listening).toBe(true);
    const { token } = await newToken();
    const lookups = countStatements(/from "api_tokens"/);
    try {
      expect((await get(token)).statusCode).toBe(200);
      expect(lookups.count()).toBe(1);
      expect((await get(token)).statusCode).toBe(200);
      expect((await get(token)).statusCode).toBe(200);
      expect(lookups.count()).toBe(1);
    } finally {
      lookups.restore();
    }
  });

  it('a token revoked by SQL on another connection stops working once the commit is announced', async () => {
    const { token } = await newToken();
    await cached(token);
    const other = await otherConnection();
    try {
      await other.query('update api_tokens set revoked_at = now() where token_hash = $1', [sha256(token)]);
    } finally {
      await other.close();
    }
    await until('401 after the revocation', async () => (await get(token)).statusCode === 401);
  });

  it('an account disabled by SQL on another connection stops its cached token', async () => {
    const { token, account } = await newToken();
    await cached(token);
    const other = await otherConnection();
    await other.query('update accounts set disabled_at = now() where id = $1', [account.id]);
    await other.close();
    await until('401 after disabling', async () => (await get(token)).statusCode === 401);
  });

  it('a person marked left by SQL on another connection stops their cached token (E2)', async () => {
    const { token, person } = await newToken();
    await cached(token);
    const other = await otherConnection();
    await other.query(`update persons set status = 'left', left_at = now() where id = $1`, [person.id]);
    await other.close();
    await until('401 after leaving', async () => (await get(token)).statusCode === 401);
  });

  it('roles taken away by SQL on another connection are taken from the cached token too', async () => {
    const { token, account } = await newToken(['administrator']);
    expect((await get(token, '/api/v1/accounts?limit=1')).statusCode).toBe(200);
    await cached(token);
    const other = await otherConnection();
    await other.query(`update accounts set roles = '{}' where id = $1`, [account.id]);
    await other.close();
    await until(
      '403 after the role was removed',
      async () => (await get(token, '/api/v1/accounts?limit=1')).statusCode === 403,
    );
  });

  it('revocation, disabling and leaving through the API of this process apply to the very next request', async () => {
    const owner = await signedIn(t, []);
    const created = await owner.client.post('/api/v1/me/tokens', { name: 'script', expiresInDays: 1 });
    const { token, item } = created.json();
    await cached(token);
    expect((await owner.client.delete(`/api/v1/me/tokens/${item.id}`)).statusCode).toBe(204);
    expect((await get(token)).statusCode).toBe(401);

    const adm = await signedIn(t, ['administrator']);
    const u = await newToken();
    await cached(u.token);
    const acc = await adm.client.get(`/api/v1/accounts/${u.account.id}`);
    const disabled = await adm.client.patch(
      `/api/v1/accounts/${u.account.id}`,
      { disabled: true },
      { 'if-match': String(acc.headers.etag) },
    );
    expect(disabled.statusCode).toBe(200);
    expect((await get(u.token)).statusCode).toBe(401);

    const v = await newToken();
    await cached(v.token);
    expect((await adm.client.post(`/api/v1/persons/${v.person.id}/leave`)).statusCode).toBe(200);
    expect((await get(v.token)).statusCode).toBe(401);
  });

  it('a revocation rolled back changes nothing', async () => {
    const { token } = await newToken();
    const bystander = await newToken();
    await cached(token);
    const other = await otherConnection();
    try {
      await other.query('begin');
      await other.query('update api_tokens set revoked_at = now() where token_hash = $1', [sha256(token)]);
      await other.query('rollback');
      // A committed change after it, announced after anything the rolled-back one could have sent
      // (notifications arrive in commit order): once it has arrived, the rollback sent nothing.
      const before = cache().stats.invalidations;
      await other.query('update accounts set locale = locale where id = $1', [bystander.account.id]);
      await until('the later commit is announced', () => cache().stats.invalidations > before);
      expect(cache().stats.invalidations).toBe(before + 1);
    } finally {
      await other.close();
    }
    expect((await get(token)).statusCode).toBe(200);
  });

  it('updating only last_used_at (as every use does, once a minute) announces nothing', async () => {
    const { token } = await newToken();
    const bystander = await newToken();
    await cached(token);
    const before = cache().stats.invalidations;
    t.ctx.clock.advance({ minutes: 2 });
    try {
      const lookups = countStatements(/update "api_tokens" set "last_used_at"/);
      expect((await get(token)).statusCode).toBe(200);
      expect(lookups.count()).toBe(1);
      lookups.restore();
      const other = await otherConnection();
      await other.query('update accounts set locale = locale where id = $1', [bystander.account.id]);
      await other.close();
      await until('the later commit is announced', () => cache().stats.invalidations > before);
      expect(cache().stats.invalidations).toBe(before + 1);
    } finally {
      t.ctx.clock.advance({ minutes: -2 });
    }
  });

  it.runIf(onPostgres)(
    'when the listening connection is lost the cache is not used until LISTEN is back',
    async () => {
      const { token } = await newToken();
      const second = await newToken();
      await cached(token);
      const other = await otherConnection();
      try {
        const killed = await other.query(
          'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1 and datname = current_database()',
          [AUTH_LISTENER_NAME],
        );
        expect(killed).toEqual([{ ok: true }]);
        await until('the app noticed the loss', () => !cache().listening);
        // Revoked while nobody listens: no notification reaches the app, so only not using the cache
        // keeps the token from working.
        await other.query('update api_tokens set revoked_at = now() where token_hash = $1', [sha256(token)]);
        const misses = cache().stats.misses;
        expect((await get(token)).statusCode).toBe(401);
        expect((await get(second.token)).statusCode).toBe(200);
        expect(cache().stats.misses).toBe(misses + 2);
      } finally {
        await other.close();
      }
      // It reconnects (after a back-off) and caches again.
      const deadline = Date.now() + 15_000;
      while (!cache().listening && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(cache().listening).toBe(true);
      await cached(second.token);
      expect((await get(token)).statusCode).toBe(401);
    },
  );
});

describe('AuthCache', () => {
  it('never stores what a read that raced an invalidation returned, and keeps at most maxEntries', async () => {
    const c = new AuthCache<string>(t.ctx.database, { maxEntries: 2 });
    await c.start();
    try {
      expect(c.listening).toBe(true);
      const generation = c.generation;
      c.invalidate(); // a change was announced while the read was under way
      c.set('a', 'stale', generation);
      expect(c.get('a')).toBeUndefined();
      c.set('a', 'A', c.generation);
      c.set('b', 'B', c.generation);
      c.set('c', 'C', c.generation);
      expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([undefined, 'B', 'C']);
    } finally {
      await c.stop();
    }
    expect(c.listening).toBe(false);
    c.set('d', 'D', c.generation);
    expect(c.get('d')).toBeUndefined();
  });
});
