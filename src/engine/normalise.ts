// Weighted mode: per-leaf normalisation across units, with the leaf's direction.
// NaN marks a missing value and stays NaN.
import { EngineError } from './errors.js';
import type { Normalisation } from './model.js';

export function normalise(values: Float64Array, method: Normalisation, direction: 1 | -1, node: string): Float64Array {
  const present = [...values].filter((v) => !Number.isNaN(v));
  const out = new Float64Array(values.length).fill(NaN);
  if (present.length === 0) return out;
  const oriented = (v: number) => direction * v;
  switch (method.method) {
    case 'none':
      return map(values, out, (v) => v);
    case 'minmax': {
      // A loop, not Math.min(...values): spreading a long array overflows the stack.
      let lo = Infinity, hi = -Infinity;
      for (const v of present) { lo = Math.min(lo, oriented(v)); hi = Math.max(hi, oriented(v)); }
      // Scaled only where hi − lo would overflow (values near ±Number.MAX_VALUE).
      const scale = Number.isFinite(hi - lo) ? 1 : Math.max(Math.abs(lo), Math.abs(hi));
      const span = hi / scale - lo / scale;
      // A constant indicator carries no information: every unit sits at the middle of the range.
      return map(values, out, (v) => span === 0
        ? (method.min + method.max) / 2
        : method.min + ((oriented(v) / scale - lo / scale) / span) * (method.max - method.min));
    }
    case 'zscore': {
      const mean = present.reduce((s, v) => s + v, 0) / present.length;
      const sd = Math.sqrt(present.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, present.length - 1));
      if (sd === 0) throw new EngineError('invalid-computation', [{ node, message: 'z-score of a constant indicator (sd = 0)' }]);
      // Values near ±1.8e308 overflow the deviations (and the mean, which makes them infinite too):
      // every z would be NaN (read as missing).
      if (!Number.isFinite(sd)) throw new EngineError('invalid-computation', [{ node, message: 'values too large for a z-score (their mean or standard deviation is not a finite number)' }]);
      return map(values, out, (v) => method.mean + method.sd * direction * ((v - mean) / sd));
    }
    case 'goalposts': {
      const [worst, best] = direction === 1 ? [method.lower, method.upper] : [method.upper, method.lower];
      return map(values, out, (v) => method.scale * Math.min(1, Math.max(0, (v - worst) / (best - worst))));
    }
    case 'rank':
    case 'percentile': {
      const ranks = fractionalRanks(values, direction);
      const n = present.length;
      return method.method === 'rank' ? ranks : map(ranks, out, (r) => (n === 1 ? 100 : ((r - 1) / (n - 1)) * 100));
    }
  }
}

function map(values: Float64Array, out: Float64Array, f: (v: number) => number): Float64Array {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[i] = f(values[i]);
  return out;
}

/** Ascending ranks in the better direction (1 = worst), ties sharing the mean of their positions. */
function fractionalRanks(values: Float64Array, direction: 1 | -1): Float64Array {
  const idx = [...values.keys()].filter((i) => !Number.isNaN(values[i]));
  idx.sort((a, b) => direction * (values[a] - values[b]));
  const out = new Float64Array(values.length).fill(NaN);
  for (let start = 0; start < idx.length;) {
    let end = start;
    while (end + 1 < idx.length && values[idx[end + 1]] === values[idx[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[idx[k]] = rank;
    start = end + 1;
  }
  return out;
}
