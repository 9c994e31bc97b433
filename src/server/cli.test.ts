// The steward command as a user runs it: separate processes on a fresh embedded database.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('bin/steward.mjs');
let dir: string;
const env = () => ({ ...process.env, STEWARD_DATA_DIR: dir, STEWARD_LOG_LEVEL: 'silent', DATABASE_URL: '' });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'steward-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function steward(...args: string[]) {
  try {
    const r = await run(process.execPath, [bin, ...args], { env: env(), timeout: 150_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code as number, stdout: String(e.stdout), stderr: String(e.stderr) };
  }
}

describe('steward CLI', { timeout: 180_000 }, () => {
  it('prints help for every command', { timeout: 180_000 }, async () => {
    const top = await steward('--help');
    expect(top.code).toBe(0);
    for (const c of ['serve', 'migrate', 'seed', 'import', 'user', 'token', 'audit'])
      expect(top.stdout).toContain(c);
    const commands = [
      ['serve'],
      ['migrate'],
      ['seed'],
      ['import', 'org'],
      ['user', 'create'],
      ['token', 'create'],
      ['audit', 'verify'],
    ];
    const helps = await Promise.all(commands.map((c) => steward(...c, '--help')));
    helps.forEach((h, i) => {
      expect(h.code, commands[i].join(' ')).toBe(0);
      expect(h.stdout).toMatch(new RegExp(`Usage: steward ${commands[i].join(' ')}`));
    });
  });

  it('stops with a message naming every bad variable', async () => {
    const r = await run(process.execPath, [bin, 'migrate'], {
      env: { ...env(), PORT: 'x', DATABASE_URL: 'mysql://nope' },
    }).catch((e) => e);
    expect(r.code).toBe(1);
    expect(String(r.stderr)).toMatch(/PORT/);
    expect(String(r.stderr)).toMatch(/DATABASE_URL/);
  });

  it('migrates, creates a user and a token, and verifies the audit chain', async () => {
    expect((await steward('migrate')).code).toBe(0);
    const bad = await steward('user', 'create', '--employee-id', 'NOPE', '--username', 'x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/No person with employee id NOPE/);
    const verify = await steward('audit', 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Audit chain intact/);
  });

  it('serves, reuses the database on a second start, and shuts down cleanly on SIGTERM with requests in flight', {
    timeout: 120_000,
  }, async () => {
    const port = 4100 + Math.floor(Math.random() * 500);
    const start = () => {
      const child = spawn(process.execPath, [bin, 'serve'], {
        env: { ...env(), PORT: String(port) },
        stdio: 'pipe',
      });
      return child;
    };
    const waitHealthy = async () => {
      for (let i = 0; i < 120; i++) {
        const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error('server did not become healthy');
    };
    const exited = (c: ChildProcess) =>
      new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
    const first = start();
    await waitHealthy();
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toEqual({ status: 'ok', database: 'pglite' });
    // Requests in flight when SIGTERM arrives still get their answers.
    const inFlight = Array.from({ length: 20 }, () =>
      fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
      }).then(
        (r) => r.status,
        (e) => `error ${e.cause?.code ?? e}`,
      ),
    );
    // Wait until the server is answering them, so they are truly in flight when SIGTERM arrives.
    await Promise.race(inFlight);
    const firstExit = exited(first);
    first.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(await firstExit).toBe(0);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
    // Requests that arrived before SIGTERM are answered; later ones are refused (503, or the connection is
    // refused because the server stopped listening); none is dropped mid-way (a reset connection).
    expect(statuses.filter((s) => s !== 401 && s !== 503 && s !== 'error ECONNREFUSED')).toEqual([]);
    // Second start: the same data directory opens without re-creating it; the refused sign-ins are still audited.
    const second = start();
    await waitHealthy();
    const secondExit = exited(second);
    second.kill('SIGTERM');
    expect(await secondExit).toBe(0);
    const verify = await steward('audit', 'verify');
    expect(verify.stdout).toMatch(/Audit chain intact: \d+ events/);
    expect(Number(/intact: (\d+)/.exec(verify.stdout)![1])).toBeGreaterThan(0);
  });
});
