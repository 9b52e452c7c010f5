// Sample skewness and kurtosis as Excel (SKEW, KURT) and R's e1071 type 2 define them, the
// definitions COINr's outlier check uses. NaN marks a missing value and is left out.

/** The present values of a column. */
export function presentValues(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out.push(values[i]);
  return out;
}

/** Sums of the squared, cubed and fourth powers of the deviations from the mean. */
function centralSums(xs: number[]): { m2: number; m3: number; m4: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const x of xs) {
    const d = x - mean, d2 = d * d;
    m2 += d2; m3 += d2 * d; m4 += d2 * d2;
  }
  return { m2, m3, m4 };
}

/** Adjusted Fisher–Pearson skewness G1; null below 3 values, for a constant column (undefined there) or where the powers overflow. */
export function sampleSkewness(values: ArrayLike<number>): number | null {
  const xs = presentValues(values);
  const n = xs.length;
  // Stryker disable next-line ConditionalExpression: below 3 values n − 2 ≤ 0 makes G1 infinite or NaN, which finiteOrNull turns to null
  if (n < 3) return null;
  const { m2, m3 } = centralSums(xs);
  // Stryker disable next-line ConditionalExpression: equal values give 0 / 0 = NaN, which finiteOrNull turns to null
  if (m2 === 0) return null;
  const g1 = (Math.sqrt(n) * m3) / m2 ** 1.5;
  return finiteOrNull((g1 * Math.sqrt(n * (n - 1))) / (n - 2));
}

/** Excess kurtosis G2 (0 for a normal sample); null below 4 values, for a constant column or where the powers overflow. */
export function sampleKurtosis(values: ArrayLike<number>): number | null {
  const xs = presentValues(values);
  const n = xs.length;
  // Stryker disable next-line ConditionalExpression: below 4 values (n − 2)(n − 3) ≤ 0 makes G2 infinite or NaN, which finiteOrNull turns to null
  if (n < 4) return null;
  const { m2, m4 } = centralSums(xs);
  // Stryker disable next-line ConditionalExpression: equal values give 0 / 0 = NaN, which finiteOrNull turns to null
  if (m2 === 0) return null;
  const r = (n * m4) / (m2 * m2);
  return finiteOrNull((((n + 1) * (r - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3)));
}

/** Values near ±1.8e308 overflow the sums of powers: their shape is unknown, not infinite. */
const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);
