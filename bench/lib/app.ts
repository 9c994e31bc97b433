// The benchmarks' app under test: an administrator's API token for the clients, and the real app
// listening on 127.0.0.1 (a free port).
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/server/app.ts';
import { rows } from '../../src/server/db/client.ts';
import { createAccount, createApiToken } from '../../src/server/modules/accounts/accounts.service.ts';
import { type AppContext, systemActor } from '../../src/server/platform/context.ts';

/**
 * An API token of the administrator account `username` of the given person; the account is created
 * unless a kept database already has it.
 */
export async function adminToken(ctx: AppContext, personId: string, username = 'bench') {
  const actor = systemActor('bench setup', 'cli');
  const [kept] = await rows<{ id: string }>(
    ctx.db,
    sql`select id from accounts where username = ${username}`,
  );
  const accountId =
    kept?.id ?? (await createAccount(ctx, { actor, personId, username, roles: ['administrator'] })).id;
  const { token } = await createApiToken(ctx, { actor, accountId, name: 'bench', expiresInDays: 1 });
  return token;
}

/** The real app, listening on 127.0.0.1 on a free port. */
export async function listenApp(ctx: AppContext) {
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}
