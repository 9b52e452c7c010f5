// COINr's further normalisations, by hand on 2, 4, 6, 10 (direction +1 and −1).
import { describe, expect, it } from 'vitest';
import { EngineError, normalise, type Normalisation } from '../../src/engine/index.js';

const x = Float64Array.from([2, 4, NaN, 6, 10]);
const run = (method: Normalisation, direction: 1 | -1 = 1) => [...normalise(x, method, direction, 'n')];
const refused = (method: Normalisation, values: number[], direction: 1 | -1 = 1) => {
  try { normalise(Float64Array.from(values), method, direction, 'n'); } catch (e) { if (e instanceof EngineError) return e.issues[0].message; throw e; }
  return null;
};

describe('distance to target (COINr n_dist2targ)', () => {
  it('(x − min) / (target − min) × scale, capped at the scale by default', () => {
    expect(run({ method: 'distanceToTarget', target: 8, cap: true, scale: 100 })).toEqual([0, 100 * (2 / 6), NaN, 100 * (4 / 6), 100]);
    expect(run({ method: 'distanceToTarget', target: 8, cap: false, scale: 1 })).toEqual([0, 2 / 6, NaN, 4 / 6, 8 / 6]);
  });

  it('lower is better: (max − x) / (max − target)', () => {
    expect(run({ method: 'distanceToTarget', target: 4, cap: true, scale: 1 }, -1)).toEqual([1, 1, NaN, 4 / 6, 0]);
  });

  it('refuses a target at the worst value (a division by 0)', () => {
    expect(refused({ method: 'distanceToTarget', target: 2, cap: true, scale: 1 }, [2, 4])).toBe('distance to target: the target 2 is the worst value of the cycle');
  });
});

describe('distance to the maximum (COINr n_dist2max)', () => {
  it('1 − (max − x) / (max − min), × scale; lower is better mirrors it', () => {
    expect(run({ method: 'distanceToMax', scale: 1 })).toEqual([0, 0.25, NaN, 0.5, 1]);
    expect(run({ method: 'distanceToMax', scale: 100 }, -1)).toEqual([100, 75, NaN, 50, 0]);
    expect(refused({ method: 'distanceToMax', scale: 1 }, [3, 3])).toBe('distance to the maximum of a constant indicator (max = min)');
  });
});

describe('fraction of the maximum (COINr n_fracmax)', () => {
  it('x / max × scale; lower is better takes −x / max(−x), as COINr does', () => {
    expect(run({ method: 'fractionOfMax', scale: 100 })).toEqual([20, 40, NaN, 60, 100]);
    expect(run({ method: 'fractionOfMax', scale: 1 }, -1)).toEqual([1, 2, NaN, 3, 5]);
    expect(refused({ method: 'fractionOfMax', scale: 1 }, [0, -1])).toBe('fraction of the maximum when the maximum is 0');
  });
});

describe('Borda (COINr n_borda)', () => {
  it('rank − 1, ties taking the lowest rank', () => {
    expect(run({ method: 'borda' })).toEqual([0, 1, NaN, 2, 3]);
    expect(run({ method: 'borda' }, -1)).toEqual([3, 2, NaN, 1, 0]);
    expect([...normalise(Float64Array.from([5, 1, 5, 7]), { method: 'borda' }, 1, 'n')]).toEqual([1, 0, 1, 3]);
  });
});
