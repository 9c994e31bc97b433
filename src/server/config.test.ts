import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs with no setup: defaults, and a secret generated into the data dir and reused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-cfg-'));
    const a = loadConfig({ STEWARD_DATA_DIR: dir });
    expect(a.port).toBe(3000);
    expect(a.databaseUrl).toBeUndefined();
    expect(a.secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8').trim()).toBe(a.secret);
    expect(loadConfig({ STEWARD_DATA_DIR: dir }).secret).toBe(a.secret);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        STEWARD_SECRET: 'short',
        SMTP_URL: 'http://mail',
        OIDC_ISSUER: 'not a url',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as ConfigError).message;
      for (const v of ['PORT', 'DATABASE_URL', 'STEWARD_SECRET', 'SMTP_URL', 'OIDC_ISSUER'])
        expect(msg).toContain(v);
    }
  });

  it('reads SMTP and OIDC settings', () => {
    const c = loadConfig({
      STEWARD_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      SMTP_FROM: 'Steward <noreply@example.org>',
      OIDC_ISSUER: 'https://idp.example.org',
      OIDC_CLIENT_ID: 'steward',
    });
    expect(c.smtp).toEqual({ url: 'smtp://127.0.0.1:2525', from: 'Steward <noreply@example.org>' });
    expect(c.oidc?.clientId).toBe('steward');
  });
});
