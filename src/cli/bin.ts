#!/usr/bin/env node
/**
 * The `cxctl` executable (dist/bundle/main.js, a small ES module): it runs the CLI (main.ts),
 * which the build bundles into dist/bundle/cli.cjs and which is loaded with V8's code cache
 * (loadBundle.ts).
 */
import { fileURLToPath } from 'node:url';
import { loadBundle } from './loadBundle.js';
import type { runAsExecutable } from './main.js';

const cli = loadBundle(fileURLToPath(new URL('./cli.cjs', import.meta.url))).exports as {
  runAsExecutable: typeof runAsExecutable;
};
await cli.runAsExecutable();
