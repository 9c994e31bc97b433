// HTTP test client: builds the app on a test database and talks to it through Fastify's inject
// (real routing, hooks, validation, serialisation), keeping cookies and the CSRF token per user.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { createOrder } from '../modules/access/access.service.ts';
import { createAccount } from '../modules/accounts/accounts.service.ts';
import { createPerson, createUnit } from '../modules/org/org.service.ts';
import { type SystemCreate, systemCreateSchema } from '../modules/systems/systems.schema.ts';
import { systemActor } from '../platform/context.ts';
import type { Role } from '../platform/policy.ts';
import { createTestContext, type TestContext } from './db.ts';

export type TestApp = { ctx: TestContext; app: FastifyInstance; close: () => Promise<void> };

export async function createTestApp(config: Partial<Config> = {}): Promise<TestApp> {
  const ctx = await createTestContext(config);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

export const admin = systemActor('test setup');
let counter = 0;

/**
 * A system's input for the systems service, as the API would give it after validation (the schema's
 * defaults filled in): in production, organisation model 2, hosted in-house, unless `over` says otherwise.
 */
export const systemInput = (
  over: Pick<SystemCreate, 'name' | 'shortName' | 'governanceObjectId'> & Partial<SystemCreate>,
): SystemCreate =>
  systemCreateSchema.parse({ lifecycle: 'in_production', orgModel: 2, hosting: 'own', ...over });

/** Factories that create what they need (STYLE.md habit 9). */
export async function makeUnit(
  ctx: TestContext,
  over: Partial<{ code: string; name: string; parentId: string | null }> = {},
) {
  counter += 1;
  return createUnit(ctx, {
    actor: admin,
    input: {
      code: over.code ?? `U${counter}-${randomUUID().slice(0, 6)}`,
      name: over.name ?? `Unit ${counter}`,
      parentId: over.parentId ?? null,
    },
  });
}

export async function makePerson(
  ctx: TestContext,
  over: Partial<{
    employeeId: string;
    givenName: string;
    familyName: string;
    email: string | null;
    unitIds: string[];
  }> = {},
) {
  counter += 1;
  return createPerson(ctx, {
    actor: admin,
    input: {
      employeeId: over.employeeId ?? `T${counter}-${randomUUID().slice(0, 8)}`,
      givenName: over.givenName ?? 'Test',
      familyName: over.familyName ?? `Person${counter}`,
      email: over.email === undefined ? `t${counter}@example.org` : over.email,
      unitIds: over.unitIds,
    },
  });
}

export async function makeUser(
  ctx: TestContext,
  roles: Role[] = [],
  over: { validUntil?: string | null; givenName?: string; familyName?: string } = {},
) {
  const person = await makePerson(ctx, { givenName: over.givenName, familyName: over.familyName });
  const username = `user${++counter}`;
  const password = 'correct horse battery';
  const account = await createAccount(ctx, {
    actor: admin,
    personId: person.id,
    username,
    password,
    roles,
    validUntil: over.validUntil ?? null,
  });
  return { person, account, username, password };
}

/** A signed-in browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  cookie = '';
  csrf = '';
  constructor(
    readonly app: FastifyInstance,
    readonly ip = '127.0.0.1',
  ) {}

  async login(username: string, password: string) {
    const res = await this.request('POST', '/api/v1/auth/login', { username, password });
    if (res.statusCode === 200) {
      const set = res.headers['set-cookie'];
      const first = Array.isArray(set) ? set[0] : set;
      this.cookie = String(first).split(';')[0];
      this.csrf = res.json().csrfToken;
    }
    return res;
  }

  request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: method as any,
      url,
      remoteAddress: this.ip,
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(this.csrf && method !== 'GET' && { 'x-csrf-token': this.csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body ?? {}, headers);
  }
  patch(url: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', url, body, headers);
  }
  delete(url: string, headers?: Record<string, string>) {
    return this.request('DELETE', url, undefined, headers);
  }
}

export async function signedIn(t: TestApp, roles: Role[] = [], over: Parameters<typeof makeUser>[2] = {}) {
  const u = await makeUser(t.ctx, roles, over);
  const client = new Client(t.app);
  const res = await client.login(u.username, u.password);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return { ...u, client };
}

/** A sent order (submitted by the administrator) granting the permission for the units; its id. */
export async function sentGrantOrder(
  ctx: TestContext,
  personId: string,
  permissionId: string,
  unitIds: string[],
) {
  return (await createOrder(ctx, {
    actor: admin,
    input: {
      kind: 'grant',
      personId,
      permissionId,
      unitIds,
      fields: {},
      expertUser: false,
      message: '',
      submit: true,
    } as never,
  })) as unknown as string;
}

/** A sent revocation (submitted by the administrator) of the person's grant, ready for IT; its id. */
export async function sentRevocation(ctx: TestContext, personId: string, grantId: string) {
  return (await createOrder(ctx, {
    actor: admin,
    input: {
      kind: 'revocation',
      personId,
      grantId,
      unitIds: [],
      fields: {},
      expertUser: false,
      message: '',
      submit: true,
    } as never,
  })) as unknown as string;
}
