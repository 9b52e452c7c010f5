// Competition ranking (1, 2, 2, 4) on unrounded values, highest first; groups by thresholds.

/**
 * Ranks the eligible entries with a finite value; others get null. A rank is 1 + how many ranked
 * values are strictly higher.
 */
export function competitionRanks(values: ArrayLike<number>, eligible: (i: number) => boolean = () => true): (number | null)[] {
  const n = values.length;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = eligible(i) ? 1 : 0;
  const out = new Int32Array(n);
  competitionRanksInto(values, mask, out, new Float64Array(n));
  return Array.from(out, (r) => (r === 0 ? null : r));
}

/**
 * competitionRanks into the caller's buffers, allocating nothing, for code that ranks thousands of
 * times (the uncertainty draws): `out[i]` is the rank, 0 where the entry is not ranked (not
 * eligible, or not finite); `sorted` has room for every value. A bisection among the values sorted
 * natively (a typed array sorts without a comparator, much faster than sorting through a callback).
 */
export function competitionRanksInto(values: ArrayLike<number>, eligible: Uint8Array, out: Int32Array, sorted: Float64Array): void {
  const n = values.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (eligible[i] && Number.isFinite(values[i])) sorted[count++] = values[i];
  }
  sorted.subarray(0, count).sort(); // ascending, in place; −0 beside 0, and they compare equal: a tie
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!eligible[i] || !Number.isFinite(v)) { out[i] = 0; continue; }
    let lo = 0, hi = count; // bisection for the first sorted value > v
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] > v) hi = mid; else lo = mid + 1;
    }
    out[i] = count - lo + 1;
  }
}

/** Thresholds sorted highest first; below the lowest threshold, the lowest group. */
export function groupOf(index: number | null, groups: { code: string; min: number }[]): string | null {
  if (!Number.isFinite(index) || groups.length === 0) return null; // null is not finite either
  const value = index as number;
  return (groups.find((g) => value >= g.min) ?? groups[groups.length - 1]).code;
}
