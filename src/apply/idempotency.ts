import { sha256Hex } from '../util/canonical.js';
import type { PlannedChange } from '../plan/types.js';

/** Prefix that makes cxctl's keys recognisable in server logs. */
const PREFIX = 'cxctl-';

/**
 * The idempotency key of one write: derived from the plan digest and the change, so every retry
 * and every re-run of the same saved plan sends the same key, and the server replays instead of
 * applying twice. `step` distinguishes the writes of a change that needs more than one (e.g. a
 * default moved in two steps).
 */
export function changeIdempotencyKey(
  planDigest: string,
  change: PlannedChange,
  step = 'main',
): string {
  return (
    PREFIX +
    sha256Hex([planDigest, change.kind, change.key, change.action, step].join('\n')).slice(0, 48)
  );
}

/**
 * The idempotency key of a batch create: the plan digest and the sorted keys of the batch. Batches
 * are cut deterministically from the sorted plan, so a re-run forms the same batches.
 */
export function batchIdempotencyKey(
  planDigest: string,
  kind: string,
  keys: readonly string[],
): string {
  return (
    PREFIX + sha256Hex([planDigest, kind, 'batch', ...[...keys].sort()].join('\n')).slice(0, 48)
  );
}
