// Starts Steward on an empty embedded database, fetches the served /api/openapi.json and validates it
// with a real OpenAPI validator (@apidevtools/swagger-parser, OpenAPI 3.1).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';

const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-openapi-'));
const port = 3900 + Math.floor(Math.random() * 100);
const child = spawn(process.execPath, ['bin/steward.mjs', 'serve'], {
  env: {
    ...process.env,
    PORT: String(port),
    STEWARD_DATA_DIR: dir,
    STEWARD_LOG_LEVEL: 'warn',
    DATABASE_URL: '',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
try {
  let doc;
  for (let i = 0; i < 120 && !doc; i++) {
    await new Promise((r) => setTimeout(r, 500));
    doc = await fetch(`http://127.0.0.1:${port}/api/openapi.json`).then(
      (r) => (r.ok ? r.json() : undefined),
      () => undefined,
    );
  }
  if (!doc) throw new Error('the server did not serve /api/openapi.json');
  const api = await SwaggerParser.validate(structuredClone(doc));
  const ops = Object.values(api.paths).reduce((n, p) => n + Object.keys(p).length, 0);
  console.log(
    `OpenAPI ${api.openapi} document is valid: ${Object.keys(api.paths).length} paths, ${ops} operations.`,
  );
  const docs = await fetch(`http://127.0.0.1:${port}/api/docs/`);
  if (!docs.ok) throw new Error(`/api/docs answered ${docs.status}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
