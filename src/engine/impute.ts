// Imputation of one indicator's missing values (NaN), before treatment and normalisation: the
// mean or median of the units with a value, or of those sharing the unit's group (a unit
// attribute). A unit without the attribute, or whose group has no value, stays missing.
import { presentValues } from './moments.js';

export type ImputationMethod = 'mean' | 'median' | 'groupMean' | 'groupMedian';

/** Fills the column's missing cells in place; returns the positions it filled. */
export function imputeColumn(column: Float64Array, method: ImputationMethod, groups?: (string | null)[]): number[] {
  const centre = method === 'mean' || method === 'groupMean' ? mean : median;
  const byGroup = method === 'groupMean' || method === 'groupMedian';
  // Stryker disable next-line ArrayDeclaration: without groups every key is undefined (groups?.[u]), so no group centre is ever read
  const fills = byGroup ? groupCentres(column, groups ?? [], centre) : new Map([[null, centre(presentValues(column))]]);
  const filled: number[] = [];
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which is not NaN: skipped
  for (let u = 0; u < column.length; u++) {
    if (!Number.isNaN(column[u])) continue;
    const key = byGroup ? groups?.[u] ?? undefined : null;
    // Stryker disable next-line ConditionalExpression: the centres have no undefined key: looking it up gives undefined all the same
    const fill = key === undefined ? undefined : fills.get(key);
    if (fill === undefined || Number.isNaN(fill)) continue;
    column[u] = fill;
    filled.push(u);
  }
  return filled;
}

function groupCentres(column: Float64Array, groups: (string | null)[], centre: (xs: number[]) => number): Map<string | null, number> {
  const members = new Map<string, number[]>();
  column.forEach((v, u) => {
    const g = groups[u];
    if (Number.isNaN(v)) return;
    // Stryker disable next-line ConditionalExpression: a centre for the null group is never looked up (a unit without a group has key undefined)
    if (g == null) return;
    const list = members.get(g);
    if (list) list.push(v); else members.set(g, [v]);
  });
  return new Map([...members].map(([g, xs]) => [g, centre(xs)]));
}

/** NaN for no values: nothing to impute from. A sum that overflows (values near ±1.8e308) is taken in shares. */
export function mean(xs: number[]): number {
  // Stryker disable next-line ConditionalExpression: with no values the sum is 0, and 0 / 0 is NaN all the same
  if (xs.length === 0) return NaN;
  const sum = xs.reduce((s, x) => s + x, 0);
  return Number.isFinite(sum) ? sum / xs.length : xs.reduce((s, x) => s + x / xs.length, 0);
}

/** The middle value, or the mean of the two middle values (R's median). */
export function median(xs: number[]): number {
  // Stryker disable next-line ConditionalExpression: with no values the middle ones are undefined, and their mean is NaN all the same
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
