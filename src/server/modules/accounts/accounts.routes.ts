import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { unauthorised } from '../../platform/errors.ts';
import {
  actorOf,
  authorize,
  etagOf,
  idParam,
  ifMatchVersion,
  paging,
  problemResponses,
  SESSION_COOKIE,
} from '../../platform/http.ts';
import { abilities } from '../../platform/policy.ts';
import { getPersonRow } from '../org/org.service.ts';
import {
  accountCreateSchema,
  accountPatchSchema,
  accountSchema,
  loginBodySchema,
  meSchema,
  sessionSchema,
  tableColumnsBodySchema,
  tableColumnsSchema,
  tableIdParam,
  tokenCreateSchema,
  tokenSchema,
} from './accounts.schema.ts';
import {
  type AuthenticatedAccount,
  createAccount,
  createApiToken,
  getAccount,
  listAccounts,
  listApiTokens,
  listTableColumns,
  revokeApiToken,
  setLocale,
  setTableColumns,
  signIn,
  signOut,
  updateAccount,
} from './accounts.service.ts';

function presentMe(a: AuthenticatedAccount): z.infer<typeof meSchema> {
  return {
    id: a.accountId,
    username: a.username,
    personId: a.personId,
    displayName: a.displayName,
    roles: a.roles,
    locale: a.locale === 'sv' || a.locale === 'en' ? a.locale : null,
    abilities: abilities({ roles: a.roles, personId: a.personId }),
  };
}

export const accountsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with username and password; sets the session cookie',
          body: loginBodySchema,
          response: { 200: sessionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const { token, account } = await signIn(ctx, {
          username: req.body.username,
          password: req.body.password,
          ip: req.ip,
          userAgent: req.headers['user-agent'],
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: req.protocol === 'https',
          maxAge: ctx.config.sessionAbsoluteHours * 3600,
        });
        return { account: presentMe(account), csrfToken: account.csrfToken! };
      },
    );

    app.get(
      '/auth/session',
      {
        schema: {
          tags: ['auth'],
          summary: 'The signed-in account and its CSRF token',
          response: { 200: sessionSchema, ...problemResponses },
        },
      },
      async (req) => {
        if (!req.account) throw unauthorised();
        return { account: presentMe(req.account), csrfToken: req.account.csrfToken ?? '' };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign out: ends the session on the server',
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (req, reply) => {
        if (req.account?.sessionId)
          await signOut(ctx, { actor: actorOf(req), sessionId: req.account.sessionId });
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.patch(
      '/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change the signed-in account’s language',
          body: z.object({ locale: z.enum(['sv', 'en']) }),
          response: { 200: meSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        await setLocale(ctx, { actor, locale: req.body.locale });
        return presentMe({ ...req.account!, locale: req.body.locale });
      },
    );

    app.get(
      '/me/table-columns',
      {
        schema: {
          tags: ['auth'],
          summary: 'The columns the signed-in account has hidden, per table of the UI',
          response: { 200: tableColumnsSchema, ...problemResponses },
        },
      },
      async (req) => ({ tables: await listTableColumns(ctx.db, actorOf(req).accountId!) }),
    );

    app.put(
      '/me/table-columns/:tableId',
      {
        schema: {
          tags: ['auth'],
          summary: 'Remember the columns the signed-in account hides in one table of the UI',
          params: tableIdParam,
          body: tableColumnsBodySchema,
          response: { 200: tableColumnsBodySchema, ...problemResponses },
        },
      },
      async (req) => ({
        hidden: await setTableColumns(ctx, {
          actor: actorOf(req),
          tableId: req.params.tableId,
          hidden: req.body.hidden,
        }),
      }),
    );

    app.get(
      '/me/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'My API tokens',
          response: { 200: z.object({ items: z.array(tokenSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'token.manage-own');
        return { items: await listApiTokens(ctx.db, req.account!.accountId) };
      },
    );

    app.post(
      '/me/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Create an API token (shown once)',
          body: tokenCreateSchema,
          response: { 201: z.object({ token: z.string(), item: tokenSchema }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'token.manage-own');
        const res = await createApiToken(ctx, { actor, accountId: req.account!.accountId, ...req.body });
        return reply.code(201).send(res);
      },
    );

    app.delete(
      '/me/tokens/:id',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Revoke one of my API tokens',
          params: idParam,
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'token.manage-own');
        await revokeApiToken(ctx, { actor, accountId: req.account!.accountId, id: req.params.id });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/accounts',
      {
        schema: {
          tags: ['accounts'],
          summary: 'List accounts',
          querystring: z.object({ q: z.string().max(200).optional(), ...paging }),
          response: {
            200: z.object({ items: z.array(accountSchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'account.manage');
        return listAccounts(ctx.db, req.query);
      },
    );

    app.post(
      '/accounts',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Create an account for a person',
          body: accountCreateSchema,
          response: { 201: accountSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'account.manage');
        await getPersonRow(ctx.db, req.body.personId);
        const row = await createAccount(ctx, { actor, ...req.body });
        const acc = await getAccount(ctx.db, row.id);
        return reply.code(201).header('etag', etagOf(acc.version)).send(acc);
      },
    );

    app.get(
      '/accounts/:id',
      {
        schema: {
          tags: ['accounts'],
          summary: 'One account',
          params: idParam,
          response: { 200: accountSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const acc = await getAccount(ctx.db, req.params.id);
        await authorize(ctx, req, 'account.read', { personId: acc.personId });
        return reply.header('etag', etagOf(acc.version)).send(acc);
      },
    );

    app.patch(
      '/accounts/:id',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Change roles, valid-until, disabled or password (If-Match required)',
          params: idParam,
          body: accountPatchSchema,
          response: { 200: accountSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'account.manage');
        const acc = await updateAccount(ctx, {
          actor,
          id: req.params.id,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return reply.header('etag', etagOf(acc.version)).send(acc);
      },
    );
  };
