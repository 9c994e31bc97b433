// Idempotency-Key on creates: the first request with a key runs and its answer is stored; a retry
// with the same key (same account, same route) gets the stored answer instead of a second create.
// The key is claimed with INSERT … ON CONFLICT DO NOTHING before the handler runs, so two
// concurrent retries cannot both create.

import { and, eq, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';
import { AppError } from './errors.ts';
import { idempotencyKeys } from './outbox/outbox.tables.ts';
import { say } from './text.ts';

const PENDING = 0;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

export function registerIdempotency(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('idempotencyKey', null);
  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string' || !req.account) return;
    if (!/^[\w.:-]{8,200}$/.test(key)) {
      throw new AppError(400, 'bad-request', 'Idempotency-Key must be 8–200 letters, digits, or . _ : -', {
        errors: [{ field: 'Idempotency-Key', message: 'Use 8–200 letters, digits, or . _ : -' }],
      });
    }
    const id = `${req.account.accountId}:${key}`;
    const route = `${req.method} ${req.routeOptions.url}`;
    const claimed = await ctx.db
      .insert(idempotencyKeys)
      .values({
        key: id,
        accountId: req.account.accountId,
        route,
        status: PENDING,
        body: null,
        createdAt: ctx.clock.now(),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length) {
      req.idempotencyKey = id;
      return;
    }
    const [prior] = await ctx.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, id));
    if (!prior || prior.route !== route) {
      throw new AppError(
        409,
        'idempotency-conflict',
        say(
          'This Idempotency-Key was used for a different request.',
          'Denna Idempotency-Key har använts för en annan begäran.',
        ),
      );
    }
    if (prior.status === PENDING) {
      throw new AppError(
        409,
        'idempotency-in-progress',
        say(
          'A request with this Idempotency-Key is still being processed. Retry shortly.',
          'En begäran med denna Idempotency-Key behandlas fortfarande. Försök igen om en stund.',
        ),
      );
    }
    return reply.code(prior.status).header('idempotent-replay', 'true').send(prior.body);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idempotencyKey) return payload;
    const key = req.idempotencyKey;
    req.idempotencyKey = null;
    if (reply.statusCode >= 500 || reply.statusCode === 409) {
      // Nothing was created: free the key so the client may retry.
      await ctx.db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, PENDING)));
      return payload;
    }
    let body: unknown = null;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      body = null;
    }
    await ctx.db
      .update(idempotencyKeys)
      .set({ status: reply.statusCode, body })
      .where(eq(idempotencyKeys.key, key));
    return payload;
  });
}

/** Keys older than a day are forgotten. */
export async function pruneIdempotencyKeys(ctx: AppContext) {
  const before = new Date(ctx.clock.now().getTime() - 86_400_000);
  await ctx.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before));
}
