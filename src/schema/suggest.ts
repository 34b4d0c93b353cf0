/**
 * "Did you mean ...?" for misspelt names: the closest candidate by edit distance, when it is close
 * enough to be a plausible typo.
 */

/** Levenshtein distance between two strings, by UTF-16 code unit. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `wanted` (case-insensitively), or undefined when none is within a third
 * of the longer length (at least 2 edits are always tolerated). Ties go to the earliest candidate.
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
