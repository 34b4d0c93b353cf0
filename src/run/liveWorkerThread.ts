/**
 * Starting the live-state worker thread (liveWorker.ts), possibly before it is known to be needed.
 *
 * A worker takes 100 to 150 ms to start and load the API client. For a large plan that sat on the
 * critical path: the worker was created only once the command had loaded, read its configuration
 * and the manifests. So the `cxctl` executable (bin.ts) starts one for `plan` and `drift` as its
 * very first step, and the plan run either hands it the target ({@link takeStartedLiveWorker}) or
 * stops it ({@link stopStartedLiveWorker}) when live state is read in the main thread after all
 * (small manifest sets, the embedded target, a usage error). Until it is taken it keeps nothing
 * alive: the process exits as if it did not exist.
 *
 * Nothing heavy is imported here: bin.ts loads this module before everything else.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** What a live-state worker is created with; the target follows in a `start` message. */
export interface LiveWorkerData {
  kind: 'cxctl-live-read';
}

// The executable (bin.ts) and the CLI it loads are separate bundles, each with its own copy of
// this module; the worker the one starts and the other takes is handed over in a process-wide slot.
const SLOT = Symbol.for('cxctl.startedLiveWorker');
const slots = globalThis as { [SLOT]?: Worker | undefined };

/** The worker's script, when this build has one (not when running from TypeScript sources). */
export function liveWorkerScript(): URL | undefined {
  const url = new URL('./liveWorker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** A new live-state worker (it waits for its `start` message), or undefined without a script. */
export function createLiveWorker(script: URL | undefined = liveWorkerScript()): Worker | undefined {
  if (!script) return undefined;
  const workerData: LiveWorkerData = { kind: 'cxctl-live-read' };
  return new Worker(script, { workerData });
}

/**
 * Start a worker ahead of time when the command line is a `plan` or `drift` run (the first
 * argument; not for `--help`) and `CXCTL_LIVE_READER` does not ask for the main thread.
 */
export function startLiveWorkerEarly(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): void {
  if (argv[0] !== 'plan' && argv[0] !== 'drift') return;
  if (argv.includes('--help') || argv.includes('-h') || env.CXCTL_LIVE_READER === 'thread') return;
  const worker = createLiveWorker();
  if (!worker) return;
  worker.unref();
  // Problems are reported by whoever takes the worker; one that ends early is not taken.
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    if (slots[SLOT] === worker) slots[SLOT] = undefined;
  });
  slots[SLOT] = worker;
}

/** The worker started early, for the caller to use (at most once), or undefined. */
export function takeStartedLiveWorker(): Worker | undefined {
  const worker = slots[SLOT];
  slots[SLOT] = undefined;
  worker?.ref();
  return worker;
}

/** Stop the worker started early, if nobody took it. */
export function stopStartedLiveWorker(): void {
  const worker = slots[SLOT];
  slots[SLOT] = undefined;
  void worker?.terminate();
}
