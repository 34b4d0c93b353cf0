/**
 * Time as the notify modules see it: a wall clock and a way to wait.
 *
 * Injected so tests can replace backoff sleeps with instant, virtual ones (the suite must not wait
 * real retry seconds) while everything else (deadlines, webhook timestamps) keeps working.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolve after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, Math.max(0, ms));
    }),
};

/** RFC 3339 / ISO 8601 UTC text for an epoch-milliseconds instant, e.g. `2026-03-03T01:30:00.000Z`. */
export function rfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
