#!/usr/bin/env node
/**
 * The `cxctl` executable (the bundle's entry point, dist/bundle/main.js): it starts the live-state
 * worker of a `plan` or `drift` run before loading anything else, so that the worker's start-up
 * overlaps the CLI's own (see src/run/liveWorkerThread.ts), then runs the CLI (main.ts).
 */
import { startLiveWorkerEarly } from '../run/liveWorkerThread.js';

startLiveWorkerEarly(process.argv.slice(2), process.env);
const { runAsExecutable } = await import('./main.js');
await runAsExecutable();
