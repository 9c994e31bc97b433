// The one place that reads process.env. Every variable is listed here with its default, whether it is
// secret, and its validation; an invalid value stops start-up with a message that names every bad one.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  STEWARD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** secret: signs cookies and derives the key that encrypts secrets at rest */
  STEWARD_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  STEWARD_PUBLIC_URL: z.url().optional(),
  STEWARD_TRUST_PROXY: bool.default(false),
  STEWARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STEWARD_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  STEWARD_SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  STEWARD_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  SMTP_FROM: z.string().min(3).default('Steward <steward@localhost>'),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** secret */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  secret: string;
  publicUrl: string | undefined;
  trustProxy: boolean;
  logLevel: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  dbPoolSize: number;
  smtp: { url: string; from: string } | undefined;
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined } | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment. Throws ConfigError naming every bad variable at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.success ? parsed.data : undefined;
  if (e?.OIDC_ISSUER && !e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required when OIDC_ISSUER is set');
  if (problems.length || !e) throw new ConfigError(problems);
  const dataDir = path.resolve(e.STEWARD_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    secret: e.STEWARD_SECRET ?? secretFromDataDir(dataDir),
    publicUrl: e.STEWARD_PUBLIC_URL,
    trustProxy: e.STEWARD_TRUST_PROXY,
    logLevel: e.STEWARD_LOG_LEVEL,
    sessionIdleMinutes: e.STEWARD_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.STEWARD_SESSION_ABSOLUTE_HOURS,
    dbPoolSize: e.STEWARD_DB_POOL_SIZE,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET }
        : undefined,
  };
}

/** When STEWARD_SECRET is unset, a random secret is generated once into the data dir and reused. */
function secretFromDataDir(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
