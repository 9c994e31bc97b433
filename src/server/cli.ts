// steward: serve | migrate | seed | import org | user create | token create | audit verify | openapi
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openContext, startServer } from './main.ts';
import { createAccount, createApiToken } from './modules/accounts/accounts.service.ts';
import { sealAuditChain, verifyAuditChain } from './modules/audit/audit.service.ts';
import { importOrg } from './modules/org/import/import.service.ts';
import { findPersonByEmployeeId } from './modules/org/org.service.ts';
import { systemActor } from './platform/context.ts';
import { AppError } from './platform/errors.ts';
import { ASSIGNABLE_ROLES, type Role } from './platform/policy.ts';
import { inLanguage } from './platform/text.ts';
import { seedDemo } from './seed/demo.ts';
import { seedLarge } from './seed/large.ts';

const program = new Command('steward')
  .description(
    'Steward: governance of IT systems. Configuration comes from environment variables (see README).',
  )
  .showHelpAfterError();

async function withContext<T>(fn: (ctx: Awaited<ReturnType<typeof openContext>>) => Promise<T>): Promise<T> {
  const ctx = await openContext(loadConfig());
  try {
    return await fn(ctx);
  } finally {
    await ctx.database.close();
  }
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Not a positive whole number.');
  return n;
};

program
  .command('serve')
  .description('Serve the API and web UI (migrates the database first)')
  .option('--demo', 'add the demo university when the database is empty')
  .action(async (opts) => {
    const server = await startServer({ demo: Boolean(opts.demo) });
    process.stdout.write(`Steward is running on ${server.url} (database: ${server.ctx.database.kind})\n`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => void stop());
  });

program
  .command('migrate')
  .description('Apply the database migrations and exit')
  .action(async () => {
    await withContext(async (ctx) => {
      process.stdout.write(`Database migrated (${ctx.database.kind}).\n`);
    });
  });

program
  .command('seed')
  .description('Add generated data')
  .option('--demo', 'a fictional university: faculties, departments, about 300 people, demo accounts')
  .option('--large', 'a large organisation for benchmarks: 60,000 people in 2,000 units')
  .option('--persons <n>', 'persons for --large', positiveInt, 60_000)
  .option('--units <n>', 'units for --large', positiveInt, 2_000)
  .action((opts) =>
    withContext(async (ctx) => {
      if (!opts.demo && !opts.large) throw new InvalidArgumentError('Choose --demo or --large.');
      if (opts.demo) await seedDemo(ctx);
      if (opts.large) {
        const started = Date.now();
        const counts = await seedLarge(ctx, { persons: opts.persons, units: opts.units });
        process.stdout.write(
          `Large organisation: ${JSON.stringify(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      }
    }),
  );

const importCmd = program.command('import').description('Import data from files');
importCmd
  .command('org')
  .argument('<file>', 'CSV or XLSX export from HR')
  .description('Import org units and persons; nothing is written if any row is bad')
  .option('--dry-run', 'validate and count, write nothing')
  .action((file: string, opts) =>
    withContext(async (ctx) => {
      const data = readFileSync(file);
      const res = await importOrg(ctx, {
        actor: systemActor('steward import (CLI)', 'cli'),
        data,
        filename: path.basename(file),
        dryRun: Boolean(opts.dryRun),
      });
      if (!res.ok) {
        process.stderr.write(`${res.errors.length} bad row(s); nothing was imported:\n`);
        for (const e of res.errors)
          process.stderr.write(`  line ${e.line}, column "${e.column}": ${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `${res.dryRun ? 'Dry run (nothing written): ' : ''}${JSON.stringify(res.counts, null, 2)}\n`,
      );
    }),
  );

const userCmd = program.command('user').description('Manage accounts');
userCmd
  .command('create')
  .description('Create a sign-in account for an existing person')
  .requiredOption('--employee-id <id>', 'the person’s employee id')
  .requiredOption('--username <name>', 'username')
  .option('--password <password>', 'password (or set STEWARD_PASSWORD)')
  .option('--role <role...>', `roles: ${ASSIGNABLE_ROLES.join(', ')}`, [])
  .option('--valid-until <date>', 'last day the account may sign in (YYYY-MM-DD)')
  .action((opts) =>
    withContext(async (ctx) => {
      const person = await findPersonByEmployeeId(ctx.db, opts.employeeId);
      if (!person) throw new InvalidArgumentError(`No person with employee id ${opts.employeeId}.`);
      const roles = opts.role as string[];
      const bad = roles.filter((r) => !(ASSIGNABLE_ROLES as readonly string[]).includes(r));
      if (bad.length) throw new InvalidArgumentError(`Unknown role(s): ${bad.join(', ')}.`);
      const acc = await createAccount(ctx, {
        actor: systemActor('steward user create (CLI)'),
        personId: person.id,
        username: opts.username,
        password: opts.password ?? process.env.STEWARD_PASSWORD,
        roles: roles as Role[],
        validUntil: opts.validUntil ?? null,
      });
      process.stdout.write(`Account ${acc.username} created for ${person.givenName} ${person.familyName}.\n`);
    }),
  );

const tokenCmd = program.command('token').description('Manage API tokens');
tokenCmd
  .command('create')
  .description('Create an API token for an account; the token is printed once')
  .requiredOption('--username <name>', 'the account')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--days <n>', 'days until it expires', positiveInt, 90)
  .action((opts) =>
    withContext(async (ctx) => {
      const { accounts } = await import('./modules/accounts/accounts.tables.ts');
      const { eq } = await import('drizzle-orm');
      const [acc] = await ctx.db
        .select()
        .from(accounts)
        .where(eq(accounts.username, String(opts.username).toLowerCase()));
      if (!acc) throw new InvalidArgumentError(`No account ${opts.username}.`);
      const res = await createApiToken(ctx, {
        actor: systemActor('steward token create (CLI)'),
        accountId: acc.id,
        name: opts.name,
        expiresInDays: opts.days,
      });
      process.stdout.write(`${res.token}\n`);
      process.stderr.write(`Token "${opts.name}" expires ${res.item.expiresAt}. It is not shown again.\n`);
    }),
  );

const auditCmd = program.command('audit').description('The audit trail');
auditCmd
  .command('verify')
  .description('Seal pending events, then walk the hash chain and report the first broken link')
  .action(() =>
    withContext(async (ctx) => {
      await sealAuditChain(ctx.db, ctx.clock.now(), { full: true });
      const res = await verifyAuditChain(ctx.db);
      if (res.ok) process.stdout.write(`Audit chain intact: ${res.checked} events verified.\n`);
      else {
        process.stderr.write(
          `Audit chain BROKEN at link ${res.brokenAt.seq} (event ${res.brokenAt.eventId}): ${res.brokenAt.reason}. ${res.checked} links verified before it.\n`,
        );
        process.exitCode = 2;
      }
    }),
  );

program
  .command('openapi')
  .description('Print the OpenAPI 3.1 document')
  .action(async () => {
    const config = loadConfig({ ...process.env, DATABASE_URL: undefined, STEWARD_SECRET: 'x'.repeat(32) });
    const { openPglite } = await import('./db/client.ts');
    const database = await openPglite(undefined);
    const app = await buildApp({ database, db: database.db, clock: { now: () => new Date() }, config });
    await app.ready();
    process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`);
    await app.close();
    await database.close();
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else if (err instanceof AppError) {
    const fields = (err.extra.errors ?? [])
      .map((e) => ` ${e.field}: ${inLanguage(e.message, 'en')}`)
      .join(';');
    process.stderr.write(`${err.message}${fields}\n`);
  } else if (err instanceof InvalidArgumentError) process.stderr.write(`${err.message}\n`);
  else throw err;
  process.exitCode = 1;
}
