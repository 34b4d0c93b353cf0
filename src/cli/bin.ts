#!/usr/bin/env node
/**
 * The `cxctl` executable (dist/bundle/main.js, a small ES module): it starts the live-state
 * worker of a `plan` or `drift` run before loading anything else, so that the worker's start-up
 * overlaps the CLI's own (see src/run/liveWorkerThread.ts), then runs the CLI (main.ts), which
 * the build bundles into dist/bundle/cli.cjs and which is loaded with V8's code cache
 * (loadBundle.ts).
 */
import { fileURLToPath } from 'node:url';
import { startLiveWorkerEarly } from '../run/liveWorkerThread.js';
import { loadBundle } from './loadBundle.js';
import type { runAsExecutable } from './main.js';

startLiveWorkerEarly(process.argv.slice(2), process.env);
const cli = loadBundle(fileURLToPath(new URL('./cli.cjs', import.meta.url))).exports as {
  runAsExecutable: typeof runAsExecutable;
};
await cli.runAsExecutable();
