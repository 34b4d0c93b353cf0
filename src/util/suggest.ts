/**
 * "Did you mean ...?" suggestions: the closest candidate by edit distance, if it is close enough to
 * be a plausible typo.
 */

/** Levenshtein distance (insertions, deletions, substitutions) between two strings, by code unit. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // One row of the dynamic-programming table is enough.
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Options of {@link closestMatch}. */
export interface ClosestMatchOptions {
  /**
   * The largest distance still taken for a typo, given the (lower-cased) wanted string and
   * candidate. Default: a third of the longer length, at least 2.
   */
  maxDistance?: (wanted: string, candidate: string) => number;
}

function defaultMaxDistance(wanted: string, candidate: string): number {
  return Math.max(2, Math.floor(Math.max(wanted.length, candidate.length) / 3));
}

/**
 * The candidate closest to `wanted`, compared case-insensitively, or undefined when none is within
 * the tolerance (by default a third of the longer string's length, at least 2 edits). Ties go to
 * the earliest candidate, so the answer is deterministic. The one "did you mean" helper of cxctl:
 * schema messages, configuration keys, time zones, CRM statuses and compliance rule names use it.
 */
export function closestMatch(
  wanted: string,
  candidates: Iterable<string>,
  options: ClosestMatchOptions = {},
): string | undefined {
  const maxDistance = options.maxDistance ?? defaultMaxDistance;
  const needle = wanted.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lowered = candidate.toLowerCase();
    const distance = editDistance(needle, lowered);
    if (distance <= maxDistance(needle, lowered) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
