// Competition ranking (1, 2, 2, 4) on unrounded values, highest first; groups by thresholds.

/** Ranks the eligible entries with a finite value; others get null. */
export function competitionRanks(values: ArrayLike<number>, eligible: (i: number) => boolean = () => true): (number | null)[] {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if (eligible(i) && Number.isFinite(values[i])) order.push(i);
  order.sort((a, b) => values[b] - values[a]);
  const ranks: (number | null)[] = new Array(values.length).fill(null);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    ranks[i] = k > 0 && values[order[k - 1]] === values[i] ? ranks[order[k - 1]] : k + 1;
  }
  return ranks;
}

/** Thresholds sorted highest first; below the lowest threshold, the lowest group. */
export function groupOf(index: number | null, groups: { code: string; min: number }[]): string | null {
  if (index === null || !Number.isFinite(index) || groups.length === 0) return null;
  return (groups.find((g) => index >= g.min) ?? groups[groups.length - 1]).code;
}
