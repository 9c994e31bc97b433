// Accounts, sign-in, sessions and API tokens. Passwords are argon2id; session and API tokens are
// random and stored only as SHA-256 hashes. Time always comes from the injected clock.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { type Database, type Db, rows } from '../../db/client.ts';
import { AuthCache, type AuthCacheOptions } from '../../platform/auth-cache.ts';
import { localDate } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { notFound, preconditionFailed, validationError } from '../../platform/errors.ts';
import { ASSIGNABLE_ROLES, type Role } from '../../platform/policy.ts';
import { say } from '../../platform/text.ts';
import type { AuditLabelSql } from '../audit/audit.labels.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { persons } from '../org/org.tables.ts';
import { accountDisabled, accountExpired, personLeft, signInRefused } from './accounts.errors.ts';
import { accounts, accountTableColumns, apiTokens, loginAttempts, sessions } from './accounts.tables.ts';

const ARGON = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 /* argon2id */ } as const;
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 30 };

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const hashPassword = (pw: string) => argonHash(pw, ARGON);
// Verified against when the username is unknown, so the answer takes as long as for a real account.
let dummyHash: Promise<string> | undefined;

export type AuthenticatedAccount = {
  accountId: string;
  personId: string;
  username: string;
  displayName: string;
  roles: Role[];
  locale: string | null;
  sessionId?: string;
  csrfToken?: string;
};

export async function createAccount(
  ctx: AppContext,
  args: {
    actor: Actor;
    personId: string;
    username: string;
    password?: string;
    roles?: Role[];
    validUntil?: string | null;
  },
) {
  const username = args.username.trim().toLowerCase();
  if (!/^[a-z0-9._@-]{2,64}$/.test(username))
    throw validationError([
      {
        field: 'username',
        message: say(
          'Use 2–64 letters a–z, digits, dot, dash, @ or underscore.',
          'Använd 2–64 tecken: bokstäverna a–z, siffror, punkt, bindestreck, @ eller understreck.',
        ),
      },
    ]);
  if (args.password !== undefined && args.password.length < 8)
    throw validationError([
      { field: 'password', message: say('Use at least 8 characters.', 'Använd minst 8 tecken.') },
    ]);
  const now = ctx.clock.now();
  const passwordHash = args.password ? await hashPassword(args.password) : null;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(accounts)
      .values({
        id: randomUUID(),
        personId: args.personId,
        username,
        passwordHash,
        roles: args.roles ?? [],
        validUntil: args.validUntil ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const { passwordHash: _ph, ...after } = row;
    await recordAudit(tx, now, args.actor, {
      action: 'account.create',
      entityType: 'account',
      entityId: row.id,
      after,
    });
    return row;
  });
}

async function recordAttempt(
  db: Db,
  username: string,
  ip: string,
  at: Date,
  outcome: 'success' | 'failure' | 'throttled',
) {
  await db.insert(loginAttempts).values({ username, ip, at, success: outcome });
}

/** Signs in with a password. Throttled per account and per address; returns a new session token. */
export async function signIn(
  ctx: AppContext,
  args: { username: string; password: string; ip: string; userAgent?: string },
): Promise<{ token: string; account: AuthenticatedAccount }> {
  const now = ctx.clock.now();
  const username = args.username.trim().toLowerCase();
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const [counts] = await rows<{ by_user: number; by_ip: number }>(
    ctx.db,
    sql`select
      (select count(*) from login_attempts where username = ${username} and at > ${since} and outcome <> 'success')::int as by_user,
      (select count(*) from login_attempts where ip = ${args.ip} and at > ${since} and outcome <> 'success')::int as by_ip`,
  );
  const failAudit = async (outcome: 'failure' | 'throttled', reason: string) => {
    await ctx.db.transaction(async (tx) => {
      await recordAttempt(tx, username, args.ip, now, outcome);
      await recordAudit(tx, now, anonymous(username, args.ip), {
        action: 'auth.sign-in.failed',
        entityType: 'account',
        entityId: null,
        after: { username, reason },
      });
    });
  };
  if (counts.by_user >= THROTTLE.perAccount || counts.by_ip >= THROTTLE.perAddress) {
    dummyHash ??= hashPassword('not-a-real-password');
    await argonVerify(await dummyHash, args.password).catch(() => false);
    await failAudit('throttled', 'throttled');
    throw signInRefused();
  }
  const [acc] = await ctx.db
    .select({ a: accounts, p: persons })
    .from(accounts)
    .innerJoin(persons, eq(persons.id, accounts.personId))
    .where(eq(accounts.username, username));
  let ok = false;
  if (acc?.a.passwordHash) ok = await argonVerify(acc.a.passwordHash, args.password).catch(() => false);
  else {
    dummyHash ??= hashPassword('not-a-real-password');
    await argonVerify(await dummyHash, args.password).catch(() => false);
  }
  if (!acc || !ok) {
    await failAudit('failure', acc ? 'wrong password' : 'unknown user');
    throw signInRefused();
  }
  const refusal = accountRefusal(acc.a, acc.p, now);
  if (refusal) {
    await failAudit('failure', refusal.code);
    throw refusal;
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + ctx.config.sessionAbsoluteHours * 3_600_000);
  const account = toAuthenticated(acc.a, acc.p);
  await ctx.db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      id: sha256(token),
      accountId: acc.a.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: args.ip,
      userAgent: args.userAgent?.slice(0, 300) ?? null,
    });
    await recordAttempt(tx, username, args.ip, now, 'success');
    await recordAudit(tx, now, userActor(account, 'web', args.ip), {
      action: 'auth.sign-in',
      entityType: 'account',
      entityId: acc.a.id,
    });
  });
  return { token, account: { ...account, sessionId: sha256(token), csrfToken } };
}

function anonymous(username: string, ip: string): Actor {
  return {
    kind: 'user',
    accountId: null,
    personId: null,
    label: `(sign-in as ${username})`,
    roles: [],
    via: 'web',
    ip,
  };
}

export function userActor(a: AuthenticatedAccount, via: Actor['via'], ip?: string | null): Actor {
  return {
    kind: 'user',
    accountId: a.accountId,
    personId: a.personId,
    label: a.displayName,
    roles: a.roles,
    via,
    ip,
  };
}

type AccountRow = typeof accounts.$inferSelect;
type AuthAccountRow = Pick<AccountRow, 'id' | 'username' | 'roles' | 'locale' | 'disabledAt' | 'validUntil'>;
type AuthPersonRow = Pick<typeof persons.$inferSelect, 'id' | 'givenName' | 'familyName' | 'status'>;
/** The columns every request's authentication reads (narrow: it runs on every API call). */
const authAccount = {
  id: accounts.id,
  username: accounts.username,
  roles: accounts.roles,
  locale: accounts.locale,
  disabledAt: accounts.disabledAt,
  validUntil: accounts.validUntil,
};
const authPerson = {
  id: persons.id,
  givenName: persons.givenName,
  familyName: persons.familyName,
  status: persons.status,
};

/** Why an account may not be used right now, or null. L7: valid-until is the last day it works. */
function accountRefusal(a: AuthAccountRow, p: AuthPersonRow, now: Date) {
  if (p.status === 'left') return personLeft();
  if (a.disabledAt) return accountDisabled();
  if (a.validUntil && localDate(now) > a.validUntil) return accountExpired(a.validUntil);
  return null;
}

function toAuthenticated(a: AuthAccountRow, p: AuthPersonRow): AuthenticatedAccount {
  return {
    accountId: a.id,
    personId: p.id,
    username: a.username,
    displayName: `${p.givenName} ${p.familyName}`,
    roles: [...(a.roles as Role[]), 'user'],
    locale: a.locale,
  };
}

/** Resolves a session cookie token, enforcing idle and absolute timeouts and the account's state. */
export async function authenticateSession(
  ctx: AppContext,
  token: string,
): Promise<AuthenticatedAccount | null> {
  const now = ctx.clock.now();
  const id = sha256(token);
  const [r] = await ctx.db
    .select({
      s: { lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, csrfToken: sessions.csrfToken },
      a: authAccount,
      p: authPerson,
    })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .innerJoin(persons, eq(persons.id, accounts.personId))
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
  if (!r) return null;
  const idleLimit = r.s.lastSeenAt.getTime() + ctx.config.sessionIdleMinutes * 60_000;
  if (now >= r.s.expiresAt || now.getTime() >= idleLimit || accountRefusal(r.a, r.p, now)) {
    await ctx.db
      .update(sessions)
      .set({ endedAt: now })
      .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
    return null;
  }
  if (now.getTime() - r.s.lastSeenAt.getTime() > 30_000) {
    await ctx.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  return { ...toAuthenticated(r.a, r.p), sessionId: id, csrfToken: r.s.csrfToken };
}

export async function signOut(ctx: AppContext, args: { actor: Actor; sessionId: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(sessions)
      .set({ endedAt: now })
      .where(and(eq(sessions.id, args.sessionId), isNull(sessions.endedAt)));
    await recordAudit(tx, now, args.actor, {
      action: 'auth.sign-out',
      entityType: 'account',
      entityId: args.actor.accountId,
    });
  });
}

/** Ends every open session of the accounts of these persons (called when people leave). */
export async function endSessionsForPersons(tx: Db, personIds: string[], now: Date) {
  if (!personIds.length) return;
  await tx
    .update(sessions)
    .set({ endedAt: now })
    .where(
      and(
        isNull(sessions.endedAt),
        inArray(
          sessions.accountId,
          tx.select({ id: accounts.id }).from(accounts).where(inArray(accounts.personId, personIds)),
        ),
      ),
    );
}

export async function getAccount(db: Db, id: string) {
  const [r] = await db
    .select({ a: accounts, p: persons })
    .from(accounts)
    .innerJoin(persons, eq(persons.id, accounts.personId))
    .where(eq(accounts.id, id));
  if (!r) throw notFound('The account');
  return presentAccount(r.a, r.p);
}

export function presentAccount(a: AccountRow, p: typeof persons.$inferSelect) {
  return {
    id: a.id,
    username: a.username,
    personId: a.personId,
    displayName: `${p.givenName} ${p.familyName}`,
    roles: a.roles as string[],
    validUntil: a.validUntil,
    disabled: a.disabledAt !== null,
    locale: a.locale,
    version: a.version,
  };
}

export async function listAccounts(db: Db, args: { q?: string; limit: number; cursor?: string }) {
  const q = args.q?.trim().toLowerCase();
  const res = await db
    .select({ a: accounts, p: persons })
    .from(accounts)
    .innerJoin(persons, eq(persons.id, accounts.personId))
    .where(
      and(
        q
          ? sql`(${accounts.username} like ${`%${q}%`} or ${persons.searchText} like ${`%${q}%`})`
          : undefined,
        args.cursor ? gt(accounts.username, args.cursor) : undefined,
      ),
    )
    .orderBy(accounts.username)
    .limit(args.limit + 1);
  const page = res.slice(0, args.limit);
  return {
    items: page.map((r) => presentAccount(r.a, r.p)),
    nextCursor: res.length > args.limit ? page[page.length - 1].a.username : null,
  };
}

/** Changes roles, valid-until or disabled. Disabling ends the account's sessions at once. */
export async function updateAccount(
  ctx: AppContext,
  args: {
    actor: Actor;
    id: string;
    ifVersion: number;
    patch: { roles?: Role[]; validUntil?: string | null; disabled?: boolean; password?: string };
  },
) {
  const now = ctx.clock.now();
  const { roles, validUntil, disabled, password } = args.patch;
  if (roles?.some((r) => !(ASSIGNABLE_ROLES as readonly string[]).includes(r)))
    throw validationError([
      {
        field: 'roles',
        message: say(
          `Roles can be: ${ASSIGNABLE_ROLES.join(', ')}.`,
          `Möjliga roller: ${ASSIGNABLE_ROLES.join(', ')}.`,
        ),
      },
    ]);
  if (password !== undefined && password.length < 8)
    throw validationError([
      { field: 'password', message: say('Use at least 8 characters.', 'Använd minst 8 tecken.') },
    ]);
  const passwordHash = password ? await hashPassword(password) : undefined;
  const result = await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(accounts).where(eq(accounts.id, args.id));
    if (!before) throw notFound('The account');
    const set: Partial<AccountRow> = { updatedAt: now, version: before.version + 1 };
    if (roles) set.roles = [...new Set(roles)];
    if (validUntil !== undefined) set.validUntil = validUntil;
    if (disabled !== undefined) set.disabledAt = disabled ? (before.disabledAt ?? now) : null;
    if (passwordHash) set.passwordHash = passwordHash;
    const [after] = await tx
      .update(accounts)
      .set(set)
      .where(and(eq(accounts.id, args.id), eq(accounts.version, args.ifVersion)))
      .returning();
    if (!after) throw preconditionFailed();
    if (disabled || passwordHash) {
      await tx
        .update(sessions)
        .set({ endedAt: now })
        .where(and(eq(sessions.accountId, args.id), isNull(sessions.endedAt)));
    }
    const strip = ({ passwordHash: _p, ...rest }: AccountRow) => rest;
    await recordAudit(tx, now, args.actor, {
      action: 'account.update',
      entityType: 'account',
      entityId: args.id,
      before: strip(before),
      after: { ...strip(after), passwordChanged: Boolean(passwordHash) },
    });
    const [p] = await tx.select().from(persons).where(eq(persons.id, after.personId));
    return presentAccount(after, p);
  });
  invalidateTokenCache(ctx.database);
  return result;
}

export async function setLocale(ctx: AppContext, args: { actor: Actor; locale: 'sv' | 'en' }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ locale: accounts.locale })
      .from(accounts)
      .where(eq(accounts.id, args.actor.accountId!));
    await tx
      .update(accounts)
      .set({ locale: args.locale, updatedAt: now })
      .where(eq(accounts.id, args.actor.accountId!));
    await recordAudit(tx, now, args.actor, {
      action: 'account.locale',
      entityType: 'account',
      entityId: args.actor.accountId,
      before,
      after: { locale: args.locale },
    });
  });
  invalidateTokenCache(ctx.database);
}

/** How many tables' column choices one account keeps (a bound on what a client can store). */
export const MAX_REMEMBERED_TABLES = 100;

/** The columns the account has hidden, per table of the UI. */
export async function listTableColumns(db: Db, accountId: string): Promise<Record<string, string[]>> {
  const found = await db
    .select({ tableId: accountTableColumns.tableId, hidden: accountTableColumns.hidden })
    .from(accountTableColumns)
    .where(eq(accountTableColumns.accountId, accountId));
  return Object.fromEntries(found.map((r) => [r.tableId, r.hidden]));
}

/** Remembers the columns the signed-in account hides in one table (an empty list: every column shown). */
export async function setTableColumns(
  ctx: AppContext,
  args: { actor: Actor; tableId: string; hidden: string[] },
) {
  const now = ctx.clock.now();
  const accountId = args.actor.accountId!;
  const hidden = [...new Set(args.hidden)];
  await ctx.db.transaction(async (tx) => {
    // Locks the account's row, so two tabs saving new tables at once cannot both pass the bound.
    await tx.execute(sql`select 1 from accounts where id = ${accountId} for update`);
    const [before] = await tx
      .select({ hidden: accountTableColumns.hidden })
      .from(accountTableColumns)
      .where(
        and(eq(accountTableColumns.accountId, accountId), eq(accountTableColumns.tableId, args.tableId)),
      );
    if (!before) {
      const [{ n }] = await rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from account_table_columns where account_id = ${accountId}`,
      );
      if (n >= MAX_REMEMBERED_TABLES)
        throw validationError([
          {
            field: 'tableId',
            message: say(
              `An account remembers the columns of at most ${MAX_REMEMBERED_TABLES} tables.`,
              `Ett konto kommer ihåg kolumnerna för högst ${MAX_REMEMBERED_TABLES} tabeller.`,
            ),
          },
        ]);
    }
    await tx
      .insert(accountTableColumns)
      .values({ accountId, tableId: args.tableId, hidden, updatedAt: now })
      .onConflictDoUpdate({
        target: [accountTableColumns.accountId, accountTableColumns.tableId],
        set: { hidden, updatedAt: now },
      });
    await recordAudit(tx, now, args.actor, {
      action: 'account.table_columns',
      entityType: 'account',
      entityId: accountId,
      before: before ? { table: args.tableId, hidden: before.hidden } : null,
      after: { table: args.tableId, hidden },
    });
  });
  return hidden;
}

// ---- API tokens ------------------------------------------------------------------------------

export async function createApiToken(
  ctx: AppContext,
  args: { actor: Actor; accountId: string; name: string; expiresInDays: number },
) {
  const now = ctx.clock.now();
  const token = `stw_${randomBytes(30).toString('base64url')}`;
  const row = {
    id: randomUUID(),
    accountId: args.accountId,
    name: args.name.trim(),
    tokenHash: sha256(token),
    prefix: token.slice(0, 10),
    createdAt: now,
    expiresAt: new Date(now.getTime() + args.expiresInDays * 86_400_000),
  };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(apiTokens).values(row);
    const { tokenHash: _h, ...after } = row;
    await recordAudit(tx, now, args.actor, {
      action: 'token.create',
      entityType: 'api_token',
      entityId: row.id,
      after,
    });
  });
  return { token, item: presentToken({ ...row, lastUsedAt: null, revokedAt: null }) };
}

export function presentToken(t: Omit<typeof apiTokens.$inferSelect, 'tokenHash'>) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiTokens(db: Db, accountId: string) {
  const list = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.accountId, accountId))
    .orderBy(desc(apiTokens.createdAt));
  return list.map(presentToken);
}

export async function revokeApiToken(ctx: AppContext, args: { actor: Actor; accountId: string; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [t] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(
        and(eq(apiTokens.id, args.id), eq(apiTokens.accountId, args.accountId), isNull(apiTokens.revokedAt)),
      )
      .returning({ id: apiTokens.id });
    if (!t) throw notFound('The token');
    await recordAudit(tx, now, args.actor, {
      action: 'token.revoke',
      entityType: 'api_token',
      entityId: args.id,
    });
  });
  invalidateTokenCache(ctx.database);
}

/**
 * The API-token lookup, sent on a token-authenticated request the token cache cannot answer: built once
 * per database handle and sent as a named prepared statement (PostgreSQL parses and plans it once per
 * connection).
 */
const tokenLookups = new WeakMap<Db, ReturnType<typeof prepareTokenLookup>>();
const prepareTokenLookup = (db: Db) =>
  db
    .select({
      t: { id: apiTokens.id, expiresAt: apiTokens.expiresAt, lastUsedAt: apiTokens.lastUsedAt },
      a: authAccount,
      p: authPerson,
    })
    .from(apiTokens)
    .innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
    .innerJoin(persons, eq(persons.id, accounts.personId))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder('hash')), isNull(apiTokens.revokedAt)))
    .prepare('steward_api_token_lookup');
function tokenLookup(db: Db) {
  let q = tokenLookups.get(db);
  if (!q) {
    q = prepareTokenLookup(db);
    tokenLookups.set(db, q);
  }
  return q;
}
type TokenRow = Awaited<ReturnType<ReturnType<typeof prepareTokenLookup>['execute']>>[number];

// The token cache of each database handle (platform/auth-cache.ts): the lookup's row by token hash,
// cleared whenever a committed change to api_tokens, accounts or persons is announced (migration
// 0012). Started by the app (buildApp), not by the CLI; shared by apps built on the same handle.
const tokenCaches = new WeakMap<Database, { cache: AuthCache<TokenRow>; users: number }>();

/** Starts the token cache of this database (or joins it); returns the function that leaves it. */
export async function startTokenCache(database: Database, opts: AuthCacheOptions = {}) {
  let held = tokenCaches.get(database);
  if (held) held.users++;
  else {
    held = { cache: new AuthCache<TokenRow>(database, opts), users: 1 };
    tokenCaches.set(database, held);
    await held.cache.start();
  }
  const h = held;
  let left = false;
  return async () => {
    if (left) return;
    left = true;
    if (--h.users > 0) return;
    if (tokenCaches.get(database) === h) tokenCaches.delete(database);
    await h.cache.stop();
  };
}

export const tokenCacheOf = (database: Database) => tokenCaches.get(database)?.cache;

/**
 * Clears this process's token cache after a committed change to what token authentication reads, so
 * the next request here sees it without waiting for the change's notification (which follows anyway).
 */
export function invalidateTokenCache(database: Database) {
  tokenCaches.get(database)?.cache.invalidate();
}

/**
 * Resolves a bearer API token. Answered from the token cache while its listener is up; the token's
 * expiry and the account's state (disabled, valid-until L7, person left) are checked on every request
 * against the current clock, cached or not. Only found and usable tokens are cached.
 */
export async function authenticateToken(
  ctx: AppContext,
  token: string,
): Promise<AuthenticatedAccount | null> {
  const now = ctx.clock.now();
  const hash = sha256(token);
  const cache = tokenCacheOf(ctx.database);
  const cached = cache?.get(hash);
  const generation = cache?.generation ?? 0; // noted before the read: see AuthCache.set
  const r = cached ?? (await tokenLookup(ctx.db).execute({ hash }))[0];
  if (!r || now >= r.t.expiresAt || accountRefusal(r.a, r.p, now)) return null;
  if (!cached) cache?.set(hash, r, generation);
  if (!r.t.lastUsedAt || now.getTime() - r.t.lastUsedAt.getTime() > 60_000) {
    // Noted on the cached row first, so concurrent requests with this token do not all write it.
    r.t.lastUsedAt = now;
    await ctx.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, r.t.id));
  }
  return toAuthenticated(r.a, r.p);
}

export async function findAccountByPerson(db: Db, personId: string) {
  const [a] = await db.select().from(accounts).where(eq(accounts.personId, personId));
  return a ?? null;
}

/** The account data of a person for a register extract (no secrets: hashes are left out). */
export async function exportAccountData(db: Db, personId: string) {
  const acc = await findAccountByPerson(db, personId);
  if (!acc) return { account: null, sessions: [], apiTokens: [], signInAttempts: [] };
  const { passwordHash: _p, ...account } = acc;
  const sess = await db
    .select({
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      endedAt: sessions.endedAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(eq(sessions.accountId, acc.id));
  const tokens = await listApiTokens(db, acc.id);
  const attempts = await db
    .select({ at: loginAttempts.at, ip: loginAttempts.ip, outcome: loginAttempts.success })
    .from(loginAttempts)
    .where(eq(loginAttempts.username, acc.username))
    .orderBy(desc(loginAttempts.at))
    .limit(1000);
  return { account, sessions: sess, apiTokens: tokens, signInAttempts: attempts };
}

/** Sign-in attempts older than 90 days and sessions ended more than 90 days ago are removed. */
export async function pruneSignInRecords(db: Db, now: Date) {
  const before = new Date(now.getTime() - 90 * 86_400_000);
  await db.delete(loginAttempts).where(lt(loginAttempts.at, before));
  await db.delete(sessions).where(lt(sessions.endedAt, before));
}

/** Active administrators who can be e-mailed (people who left or disabled accounts are left out). */
export async function administratorRecipients(db: Db) {
  return rows<{ person_id: string; name: string; email: string }>(
    db,
    sql`select p.id as person_id, p.given_name || ' ' || p.family_name as name, p.email
        from accounts a join persons p on p.id = a.person_id
        where 'administrator' = any(a.roles) and a.disabled_at is null and p.status = 'active' and p.email is not null
        order by p.family_name, p.given_name, p.id`,
  );
}

/** Audit log: what people recognise this module's objects by (see audit.labels.ts). */
export const accountsAuditLabels: AuditLabelSql = {
  account: (ids) =>
    sql`select x.id, coalesce(p.given_name || ' ' || p.family_name || ' (' || x.username || ')', x.username) as label
        from accounts x left join persons p on p.id = x.person_id where x.id = any(${ids})`,
  api_token: (ids) => sql`select x.id, x.name as label from api_tokens x where x.id = any(${ids})`,
};
