#!/usr/bin/env node
// The steward command. Runs the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/cli.ts');
