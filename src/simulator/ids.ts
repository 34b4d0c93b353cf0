/**
 * Deterministic, prefixed ids: `cat-1`, `cmp-1`, `dnc-1`, `wuc-000001`, `rule-000001`.
 *
 * Counters only move forward, so an id is never handed out twice in one run (not even after its
 * object was deleted); they are persisted in the `--state` file so a restart keeps that promise.
 */

/** The kinds of object that get ids. */
export type IdKind = 'category' | 'campaign' | 'dncList' | 'wrapUpCode' | 'complianceRule';

/** Next counter value per kind. */
export type IdCounters = Record<IdKind, number>;

const FORMATS: Record<IdKind, { prefix: string; width: number }> = {
  category: { prefix: 'cat-', width: 0 },
  campaign: { prefix: 'cmp-', width: 0 },
  dncList: { prefix: 'dnc-', width: 0 },
  wrapUpCode: { prefix: 'wuc-', width: 6 },
  complianceRule: { prefix: 'rule-', width: 6 },
};

/** Every id kind, in a fixed order. */
export const ID_KINDS: readonly IdKind[] = [
  'category',
  'campaign',
  'dncList',
  'wrapUpCode',
  'complianceRule',
];

/** The id with number `n` for `kind`, e.g. `formatId('wrapUpCode', 7)` is `wuc-000007`. */
export function formatId(kind: IdKind, n: number): string {
  const { prefix, width } = FORMATS[kind];
  return `${prefix}${String(n).padStart(width, '0')}`;
}

/** The number inside an id of our own format, or undefined for a foreign id. */
export function idNumber(kind: IdKind, id: string): number | undefined {
  const { prefix } = FORMATS[kind];
  if (!id.startsWith(prefix)) return undefined;
  const digits = id.slice(prefix.length);
  if (!/^\d{1,15}$/.test(digits)) return undefined;
  return Number(digits);
}

/** Counters that start at 1 for every kind. */
export function initialCounters(): IdCounters {
  return { category: 1, campaign: 1, dncList: 1, wrapUpCode: 1, complianceRule: 1 };
}

/**
 * Hands out ids per kind. `taken` lets the caller skip ids that a seed already uses in a foreign
 * position (a seed may name its own ids).
 */
export class IdAllocator {
  private readonly counters: IdCounters;

  constructor(counters: IdCounters = initialCounters()) {
    this.counters = { ...counters };
  }

  /** Make sure future ids of `kind` come after `id` (when `id` has our format). */
  observe(kind: IdKind, id: string): void {
    const n = idNumber(kind, id);
    if (n !== undefined && n >= this.counters[kind]) this.counters[kind] = n + 1;
  }

  /** Raise every counter to at least the given values (used when restoring a state file). */
  raiseTo(counters: Partial<IdCounters>): void {
    for (const kind of ID_KINDS) {
      const value = counters[kind];
      if (value !== undefined && value > this.counters[kind]) this.counters[kind] = value;
    }
  }

  /** A fresh id of `kind` for which `taken` is false. */
  next(kind: IdKind, taken: (id: string) => boolean = () => false): string {
    for (;;) {
      const id = formatId(kind, this.counters[kind]);
      this.counters[kind] += 1;
      if (!taken(id)) return id;
    }
  }

  /** The counters, for persistence. */
  snapshot(): IdCounters {
    return { ...this.counters };
  }
}
