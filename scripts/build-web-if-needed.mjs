// Run before `npm start`: builds the web UI when dist/web is missing or older than its sources, so
// `npm install && npm start` works on a fresh clone without a separate build step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const out = 'dist/web/index.html';
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const sources = Math.max(
  newest('src/web'),
  ...['vite.config.ts', 'package.json'].filter(existsSync).map((f) => statSync(f).mtimeMs),
);
if (!existsSync(out) || statSync(out).mtimeMs < sources) {
  console.log('Building the web UI (first start, or its sources changed)…');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}
