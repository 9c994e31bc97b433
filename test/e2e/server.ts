// Starts a real Steward (`steward serve --demo`) on a free port with a fresh data directory, for
// the browser tests. The web UI must be built first (dist/web); `ensureWebBuilt` builds it if not.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
  output: () => string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Builds the web UI into dist/web unless it is there already (set STEWARD_E2E_REBUILD=1 to force). */
export function ensureWebBuilt(): void {
  if (existsSync(path.join(repoRoot, 'dist/web/index.html')) && !process.env.STEWARD_E2E_REBUILD) return;
  const res = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (res.status !== 0) throw new Error('vite build failed');
}

/** The test's environment without settings that would point the server elsewhere (a real database, SMTP). */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ['DATABASE_URL', 'SMTP_URL', 'STEWARD_SECRET', 'STEWARD_PUBLIC_URL', 'OIDC_ISSUER'])
    delete env[k];
  return env;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory already migrated and seeded with the demo (made once by global-setup.ts). */
    demoDataDir: string;
  }
}

/**
 * Starts `steward serve --demo` on a fresh copy of the demo data directory made once for the run
 * (see global-setup.ts), so each test file has its own database without seeding it again.
 */
export async function startServer(
  opts: { timeoutMs?: number; dataDir?: string } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'steward-e2e-'));
  const template = opts.dataDir ? undefined : inject('demoDataDir');
  if (template) cpSync(template, dataDir, { recursive: true });
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/steward.mjs'), 'serve', '--demo'],
    {
      cwd: repoRoot,
      env: serverEnv({
        PORT: String(port),
        HOST: '127.0.0.1',
        STEWARD_DATA_DIR: dataDir,
        STEWARD_LOG_LEVEL: 'warn',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`steward serve exited with code ${child.exitCode}:\n${log}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return { url, stop, output: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`steward serve did not answer /api/health in time:\n${log}`);
}
