/**
 * The worker thread that reads live state while the main thread parses the manifests (see
 * liveReader.ts). It loads the API client, reads the reference data, the wrap-up codes and then
 * the rules of the campaigns the main thread names, and posts everything back. It never writes.
 *
 * Messages, main -> worker: `{type: 'start', endpoint, limits, logLevel}` to begin (the worker may
 * have been started before the target was known, see liveWorkerThread.ts), then
 * `{type: 'campaigns', ids}` once the manifests are known.
 * Worker -> main: `{type: 'references', references}` as soon as they are read, `{type: 'codes',
 * pass, page, items}` for each page of wrap-up codes as it arrives (so the main thread takes them
 * in while the other pages are still on their way, not all at the end), `{type: 'log', text}` for
 * each log line, then `{type: 'done', live, wrapUpCodes}` (the live state without its codes, and
 * how many there are) or `{type: 'error', error}`.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { codeCacheCheckpoint } from '../cli/loadBundle.js';
import { createClient, limitOptions, type CxoneEndpoint } from '../cxone/client.js';
import type { TargetLimits } from '../config/types.js';
import { isCxctlError } from '../errors.js';
import { readLiveState } from '../kinds/readLive.js';
import { redact, registerSecret } from '../secrets.js';
import { Logger, type LogLevel } from '../util/log.js';
import type { LiveWorkerData } from './liveWorkerThread.js';

/** What the main thread sends to start the reading. */
export interface LiveWorkerStart {
  type: 'start';
  endpoint: CxoneEndpoint;
  limits: TargetLimits;
  logLevel: LogLevel;
}

/** An error as it crosses the thread boundary (already redacted). */
export interface SerializedError {
  cxctl: boolean;
  code?: string;
  message: string;
  hint?: string;
  exitCode?: number;
  source?: 'user' | 'tool';
}

const data = workerData as LiveWorkerData | undefined;
if (parentPort && data?.kind === 'cxctl-live-read') {
  const port = parentPort;
  let campaignsReady: (ids: string[]) => void = () => undefined;
  const campaigns = new Promise<string[]>((resolve) => (campaignsReady = resolve));
  port.on('message', (message: LiveWorkerStart | { type: 'campaigns'; ids?: string[] }) => {
    if (message.type === 'start') read(port, message, campaigns);
    else if (message.type === 'campaigns') campaignsReady(message.ids ?? []);
  });
}

/** Read live state for `start` and post it back; the rules wait for the campaigns to read. */
function read(port: MessagePort, start: LiveWorkerStart, campaigns: Promise<string[]>): void {
  registerSecret(start.endpoint.clientSecret);
  const logger = new Logger(
    { write: (text: string) => port.postMessage({ type: 'log', text }) },
    start.logLevel,
  );
  const client = createClient(start.endpoint, { ...limitOptions(start.limits), logger });
  readLiveState(client, {
    campaigns: (refs) => {
      port.postMessage({ type: 'references', references: refs.data });
      return campaigns;
    },
    onWrapUpCodesPage: (arrival) => port.postMessage({ type: 'codes', ...arrival }),
  })
    .then(
      (live) => {
        // The main thread stops this worker once it has the state: a training build's last
        // chance to save the code the worker compiled.
        codeCacheCheckpoint();
        const { wrapUpCodes, ...rest } = live;
        port.postMessage({
          type: 'done',
          live: { ...rest, wrapUpCodes: [] },
          wrapUpCodes: wrapUpCodes.length,
        });
      },
      (error: unknown) => port.postMessage({ type: 'error', error: serializeError(error) }),
    )
    .finally(() => client.close())
    .finally(() => port.close());
}

function serializeError(error: unknown): SerializedError {
  if (isCxctlError(error)) {
    return {
      cxctl: true,
      code: error.code,
      message: redact(error.message),
      ...(error.hint !== undefined ? { hint: redact(error.hint) } : {}),
      exitCode: error.exitCode,
      source: error.source,
    };
  }
  return { cxctl: false, message: redact(error instanceof Error ? error.message : String(error)) };
}
