/**
 * Cutting creates into batches. Batches are cut from the creates sorted by natural key, in slices
 * of the kind's batch size, so the same plan always forms the same batches, and so the same
 * idempotency keys: a retry or a re-run of a saved plan replays instead of creating twice.
 *
 * A batch never holds one key twice: the API refuses such a batch whole (422, nothing created).
 * Manifests already refuse a code declared twice; this keeps any plan (a hand-edited saved plan
 * included) from turning one repeated key into a refusal of up to 100 creates.
 */
import type { PlannedWrite } from './order.js';

/** Split `writes` (creates of one kind) into deterministic batches of at most `size`. */
export function cutBatches(writes: readonly PlannedWrite[], size: number): PlannedWrite[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size ${size}`);
  const sorted = [...writes].sort((a, b) =>
    a.change.key < b.change.key ? -1 : a.change.key > b.change.key ? 1 : 0,
  );
  const batches: PlannedWrite[][] = [];
  let current: PlannedWrite[] = [];
  for (const write of sorted) {
    // Sorted, so a repeated key is next to its first: the repeat starts the next batch.
    const repeats = current.at(-1)?.change.key === write.change.key;
    if (current.length === size || repeats) {
      batches.push(current);
      current = [];
    }
    current.push(write);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
