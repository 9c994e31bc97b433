// Runs once before the browser tests: builds the web UI if needed and makes one demo data directory
// (migrated and seeded by `steward serve --demo`, then stopped). Each test file starts its server on
// its own copy, so files stay independent but the demo is seeded once per run, not once per file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureWebBuilt, startServer } from './server.ts';

export default async function setup(project: TestProject) {
  ensureWebBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-e2e-demo-'));
  const server = await startServer({ dataDir: dir });
  await server.stop();
  project.provide('demoDataDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
