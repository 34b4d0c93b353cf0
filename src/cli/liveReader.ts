/**
 * Reading live state for `plan` and `drift` with a client of its own, in this thread.
 *
 * Large manifest sets start the read before they are parsed ({@link startsEarly}): the token and
 * the lists are then on their way while the manifests are parsed and checked, and the rules wait
 * until the manifests say which campaigns are in scope. Small sets are read after the manifests
 * are known to be valid, so a broken small manifest never causes a request.
 */
import type { CxoneEndpoint } from '../cxone/client.js';
import type { TargetLimits } from '../config/types.js';
import { readLiveState } from '../kinds/readLive.js';
import type { ReferenceIndex } from '../kinds/references.js';
import type { LiveState } from '../plan/build.js';
import type { Logger } from '../util/log.js';

/** Manifest sets at least this large (bytes) start reading live state before they are parsed. */
export const EARLY_READ_THRESHOLD_BYTES = 256 * 1024;

/** Whether a manifest set of `manifestBytes` starts reading live state before it is parsed. */
export function startsEarly(manifestBytes: number): boolean {
  return manifestBytes >= EARLY_READ_THRESHOLD_BYTES;
}

/** What reading needs: where, how hard, and which campaigns' rules (asked once refs are known). */
export interface LiveReadOptions {
  endpoint: CxoneEndpoint;
  limits: TargetLimits;
  logger: Logger;
  campaigns(refs: ReferenceIndex): Iterable<string> | Promise<Iterable<string>>;
}

/** A read in progress. */
export interface LiveRead {
  live: Promise<LiveState>;
  /** Stop reading (the manifests turned out invalid); safe to call at any time. */
  cancel(): Promise<void>;
}

/** Start reading live state; the requests go out as soon as this thread next waits. */
export function readLive(options: LiveReadOptions): LiveRead {
  const controller = new AbortController();
  // The rules wait for the campaigns, which wait for the manifests; a cancelled read must not.
  const cancelled = new Promise<never>((_resolve, reject) =>
    controller.signal.addEventListener('abort', () => reject(new Error('live read cancelled')), {
      once: true,
    }),
  );
  cancelled.catch(() => undefined);
  // The HTTP client is loaded here, not at start-up: commands without a target never need it.
  const live = import('../cxone/client.js').then(async ({ createClient, limitOptions }) => {
    const client = createClient(options.endpoint, {
      ...limitOptions(options.limits),
      logger: options.logger,
      signal: controller.signal,
    });
    try {
      return await readLiveState(client, {
        campaigns: (refs) => Promise.race([options.campaigns(refs), cancelled]),
        signal: controller.signal,
      });
    } finally {
      await client.close();
    }
  });
  // Until someone awaits it (after the parse), a failure must not count as unhandled.
  live.catch(() => undefined);
  return {
    live,
    cancel: async () => {
      controller.abort();
      await live.catch(() => undefined);
    },
  };
}
