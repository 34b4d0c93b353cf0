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

/**
 * The candidate closest to `wanted`, compared case-insensitively, or undefined when none is within
 * a third of the longer string's length (at least 2 edits are always tolerated). Ties go to the
 * earliest candidate, so the answer is deterministic.
 */
export function closestMatch(wanted: string, candidates: Iterable<string>): string | undefined {
  const needle = wanted.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    const tolerance = Math.max(2, Math.floor(Math.max(needle.length, candidate.length) / 3));
    if (distance <= tolerance && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
