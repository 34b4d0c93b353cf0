import { KIND_NAMES, type KindName, type Plan } from './types.js';

/** Prunes below this many managed objects of a kind are never refused (octoDNS's MIN_EXISTING_RECORDS). */
export const MIN_MANAGED_FOR_THRESHOLD = 10;
/** Default `--max-delete-percent`. */
export const DEFAULT_MAX_DELETE_PERCENT = 10;

/** A kind whose planned removals exceed the threshold. */
export interface UnsafeDelete {
  kind: KindName;
  deletes: number;
  managed: number;
  percent: number;
  maxPercent: number;
}

/**
 * Kinds whose deletes and deactivations exceed `maxPercent` of their managed (owned, live) objects,
 * when at least {@link MIN_MANAGED_FOR_THRESHOLD} exist. An empty result means the plan is safe.
 * Works on the plan alone, so a saved plan is checked the same way at apply time.
 */
export function unsafeDeletes(
  plan: Pick<Plan, 'countsByKind'>,
  maxPercent: number = DEFAULT_MAX_DELETE_PERCENT,
): UnsafeDelete[] {
  const unsafe: UnsafeDelete[] = [];
  for (const kind of KIND_NAMES) {
    const counts = plan.countsByKind[kind];
    // Plans saved before deactivations were counted apart hold them in `delete`.
    const deletes = counts.delete + (counts.deactivate ?? 0);
    const managed = counts.managed;
    if (managed < MIN_MANAGED_FOR_THRESHOLD || deletes === 0) continue;
    const percent = (deletes / managed) * 100;
    if (percent > maxPercent) unsafe.push({ kind, deletes, managed, percent, maxPercent });
  }
  return unsafe;
}
