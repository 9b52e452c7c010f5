// Competition ranking (1, 2, 2, 4) on unrounded values, highest first; groups by thresholds.

/**
 * Ranks the eligible entries with a finite value; others get null. A rank is 1 + how many ranked
 * values are strictly higher: a bisection among the values sorted natively (a typed array sorts
 * without a comparator, much faster than sorting indices through a callback).
 */
export function competitionRanks(values: ArrayLike<number>, eligible: (i: number) => boolean = () => true): (number | null)[] {
  const n = values.length;
  const ranks: (number | null)[] = new Array(n).fill(null);
  const sorted = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (eligible(i) && Number.isFinite(values[i])) { sorted[count++] = values[i]; ranks[i] = 0; } // 0: to be ranked
  }
  sorted.subarray(0, count).sort(); // ascending, in place; −0 beside 0, and they compare equal: a tie
  for (let i = 0; i < n; i++) {
    if (ranks[i] === null) continue;
    const v = values[i];
    let lo = 0, hi = count; // bisection for the first sorted value > v
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] > v) hi = mid; else lo = mid + 1;
    }
    ranks[i] = count - lo + 1;
  }
  return ranks;
}

/** Thresholds sorted highest first; below the lowest threshold, the lowest group. */
export function groupOf(index: number | null, groups: { code: string; min: number }[]): string | null {
  if (!Number.isFinite(index) || groups.length === 0) return null; // null is not finite either
  const value = index as number;
  return (groups.find((g) => value >= g.min) ?? groups[groups.length - 1]).code;
}
