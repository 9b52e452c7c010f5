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
    case 'distanceToTarget':
      return distanceToTarget(values, out, present, method, direction, node);
    case 'distanceToMax': {
      const [worst, best] = orientedRange(present, direction);
      if (worst === best) throw new EngineError('invalid-computation', [{ node, message: 'distance to the maximum of a constant indicator (max = min)' }]);
      return map(values, out, (v) => method.scale * (1 - (best - direction * v) / (best - worst)));
    }
    case 'fractionOfMax': {
      const best = orientedRange(present, direction)[1];
      if (best === 0) throw new EngineError('invalid-computation', [{ node, message: 'fraction of the maximum when the maximum is 0' }]);
      return map(values, out, (v) => method.scale * ((direction * v) / best));
    }
    case 'borda':
      return map(lowestRanks(values, direction), out, (r) => r - 1);
    case 'rank':
    case 'percentile': {
      const ranks = fractionalRanks(values, direction);
      const n = present.length;
      return method.method === 'rank' ? ranks : map(ranks, out, (r) => (n === 1 ? 100 : ((r - 1) / (n - 1)) * 100));
    }
  }
}

/** The lowest and highest oriented values (direction × v) of the present values. */
function orientedRange(present: number[], direction: 1 | -1): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of present) { lo = Math.min(lo, direction * v); hi = Math.max(hi, direction * v); }
  return [lo, hi];
}

/** COINr's n_dist2targ: (x − min) / (target − min), or (max − x) / (max − target) when lower is better. */
function distanceToTarget(values: Float64Array, out: Float64Array, present: number[], method: Extract<Normalisation, { method: 'distanceToTarget' }>, direction: 1 | -1, node: string): Float64Array {
  const worst = direction * orientedRange(present, direction)[0];
  if (worst === method.target) throw new EngineError('invalid-computation', [{ node, message: `distance to target: the target ${method.target} is the worst value of the cycle` }]);
  return map(values, out, (v) => {
    const share = (v - worst) / (method.target - worst) + 0; // + 0: the worst unit gets 0, not −0
    return method.scale * (method.cap ? Math.min(1, share) : share);
  });
}

/** Ascending ranks in the better direction (1 = worst), ties taking the lowest of their positions (R's ties.method "min"). */
function lowestRanks(values: Float64Array, direction: 1 | -1): Float64Array {
  const idx = [...values.keys()].filter((i) => !Number.isNaN(values[i]));
  idx.sort((a, b) => direction * (values[a] - values[b]));
  const out = new Float64Array(values.length).fill(NaN);
  idx.forEach((i, k) => { out[i] = k > 0 && values[i] === values[idx[k - 1]] ? out[idx[k - 1]] : k + 1; });
  return out;
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
