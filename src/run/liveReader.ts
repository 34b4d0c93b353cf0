/**
 * Reading live state for `plan` and `drift`, in this thread or in a worker thread.
 *
 * Parsing a large manifest set keeps the main thread busy for a while (about 0.2 s per 10,000
 * wrap-up codes), and reading live state is mostly waiting on round trips plus loading the HTTP
 * client. For large inputs the live state is therefore read by a worker (liveWorker.ts) while this
 * thread parses, and the two meet when the rules' campaigns are known. Small inputs are read here,
 * after the manifests are known to be valid, so a broken manifest never causes a request.
 */
import type { CxoneEndpoint } from '../cxone/client.js';
import { PageCollector, type PageArrival } from '../cxone/pagination.js';
import type { WrapUpCode } from '../cxone/types.js';
import type { TargetLimits } from '../config/types.js';
import { CxctlError } from '../errors.js';
import { readLiveState } from '../kinds/readLive.js';
import { ReferenceIndex, type LiveReferences } from '../kinds/references.js';
import type { LiveState } from '../plan/build.js';
import type { Logger, TextSink } from '../util/log.js';
import type { LiveWorkerStart, SerializedError } from './liveWorker.js';
import { createLiveWorker, liveWorkerScript, takeStartedLiveWorker } from './liveWorkerThread.js';

/** Manifest sets at least this large (bytes) are parsed while a worker reads live state. */
export const WORKER_THRESHOLD_BYTES = 256 * 1024;

/** What reading needs: where, how hard, and which campaigns' rules (asked once refs are known). */
export interface LiveReadOptions {
  endpoint: CxoneEndpoint;
  limits: TargetLimits;
  logger: Logger;
  /** Where the worker's log lines go (they come formatted and redacted). */
  logSink: TextSink;
  campaigns(refs: ReferenceIndex): Iterable<string> | Promise<Iterable<string>>;
}

/** A read in progress. */
export interface LiveRead {
  live: Promise<LiveState>;
  /** Stop reading (the manifests turned out invalid); safe to call at any time. */
  cancel(): Promise<void>;
}

/** Read in this thread. */
export function readLiveHere(options: LiveReadOptions): LiveRead {
  const controller = new AbortController();
  // The HTTP client is loaded here, not at start-up: with a worker this thread never needs it.
  const live = import('../cxone/client.js').then(async ({ createClient, limitOptions }) => {
    const client = createClient(options.endpoint, {
      ...limitOptions(options.limits),
      logger: options.logger,
      signal: controller.signal,
    });
    try {
      return await readLiveState(client, { campaigns: (refs) => options.campaigns(refs) });
    } finally {
      await client.close();
    }
  });
  return {
    live,
    cancel: async () => {
      controller.abort();
      await live.catch(() => undefined);
    },
  };
}

/**
 * Whether to read in a worker: for manifest sets of at least {@link WORKER_THRESHOLD_BYTES}, when
 * this build has the worker's script (not when running from TypeScript sources).
 * `CXCTL_LIVE_READER=worker|thread` overrides the size rule (benchmarks, troubleshooting).
 */
export function chooseLiveWorker(
  manifestBytes: number,
  env: Readonly<Record<string, string | undefined>>,
): URL | undefined {
  const choice = env.CXCTL_LIVE_READER;
  if (choice === 'thread') return undefined;
  if (choice !== 'worker' && manifestBytes < WORKER_THRESHOLD_BYTES) return undefined;
  return liveWorkerScript();
}

/**
 * Read in a worker thread (`script` from liveWorkerThread.ts): the one the executable started
 * early, if any, else a new one.
 */
export function readLiveInWorker(options: LiveReadOptions, script: URL): LiveRead {
  const worker = takeStartedLiveWorker() ?? createLiveWorker(script)!;
  const start: LiveWorkerStart = {
    type: 'start',
    endpoint: options.endpoint,
    limits: options.limits,
    logLevel: options.logger.level,
  };
  worker.postMessage(start);
  let settled = false;
  const codePages = new PageCollector<WrapUpCode>();
  const live = new Promise<LiveState>((resolve, reject) => {
    const fail = (error: unknown) => {
      settled = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'log':
          // Already redacted and formatted by the worker's logger.
          options.logSink.write(message.text);
          return;
        case 'references':
          Promise.resolve(options.campaigns(new ReferenceIndex(message.references))).then(
            (ids) => worker.postMessage({ type: 'campaigns', ids: [...ids] }),
            fail,
          );
          return;
        case 'codes':
          codePages.add(message);
          return;
        case 'done': {
          const wrapUpCodes = codePages.items(message.wrapUpCodes);
          if (wrapUpCodes === undefined) {
            fail(new Error('the live-state reader lost pages of wrap-up codes'));
            return;
          }
          settled = true;
          resolve({ ...message.live, wrapUpCodes });
          return;
        }
        case 'error':
          fail(deserializeError(message.error));
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!settled) fail(new Error(`the live-state reader stopped unexpectedly (exit ${code})`));
    });
  });
  // The worker is stopped once it has answered, and nobody waits for the thread to wind down (that
  // took 30 to 100 ms, on the critical path of every large plan), not even the process's exit:
  // after its answer the worker only closes connections of read requests, which the exit closes
  // as well.
  const finished = live.finally(() => {
    worker.unref();
    void worker.terminate();
  });
  return {
    live: finished,
    cancel: async () => {
      settled = true;
      await worker.terminate();
      await finished.catch(() => undefined);
    },
  };
}

type WorkerMessage =
  | { type: 'log'; text: string }
  | { type: 'references'; references: LiveReferences }
  | ({ type: 'codes' } & PageArrival<WrapUpCode>)
  | { type: 'done'; live: LiveState; wrapUpCodes: number }
  | { type: 'error'; error: SerializedError };

function deserializeError(error: SerializedError): Error {
  if (!error.cxctl) return new Error(error.message);
  return new CxctlError(error.code ?? 'LIVE_READ_FAILED', error.message, {
    ...(error.hint !== undefined ? { hint: error.hint } : {}),
    ...(error.exitCode !== undefined ? { exitCode: error.exitCode } : {}),
    ...(error.source !== undefined ? { source: error.source } : {}),
  });
}
