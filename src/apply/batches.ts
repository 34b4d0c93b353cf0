/**
 * Cutting creates into batches. Batches are cut from the creates sorted by natural key, in slices
 * of the kind's batch size, so the same plan always forms the same batches, and so the same
 * idempotency keys: a retry or a re-run of a saved plan replays instead of creating twice.
 */
import type { PlannedWrite } from './order.js';

/** Split `writes` (creates of one kind) into deterministic batches of at most `size`. */
export function cutBatches(writes: readonly PlannedWrite[], size: number): PlannedWrite[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size ${size}`);
  const sorted = [...writes].sort((a, b) =>
    a.change.key < b.change.key ? -1 : a.change.key > b.change.key ? 1 : 0,
  );
  const batches: PlannedWrite[][] = [];
  for (let start = 0; start < sorted.length; start += size) {
    batches.push(sorted.slice(start, start + size));
  }
  return batches;
}
