// The weighted means a node may take of its children, as one family: the power mean
// (Σ w·x^p / Σ w)^(1/p), p = 1 arithmetic, −1 harmonic, and its limit at p = 0, the geometric mean.
import type { Aggregation } from './model.js';

/** The exponent of the node's mean (0 for the geometric mean). */
export function exponentOf(a: Aggregation): number {
  if (typeof a === 'object') return a.p;
  return a === 'arithmetic' ? 1 : a === 'geometric' ? 0 : -1;
}

/** Why a child's value cannot enter the mean, or null: p ≤ 0 takes logs or reciprocals (> 0), other p ≠ 1 powers (≥ 0). */
export function refusedValue(p: number, v: number): string | null {
  if (p <= 0 && v <= 0) return 'needs values > 0';
  // Stryker disable next-line ConditionalExpression: never called with p = 1 (aggregate's arithmetic fast path takes every value)
  if (p !== 1 && v < 0) return 'needs values ≥ 0';
  return null;
}

export function meanName(p: number): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: never called with p = 1 (every caller's arithmetic path refuses nothing)
  if (p === 1) return 'arithmetic';
  return p === 0 ? 'geometric' : p === -1 ? 'harmonic' : `power (p = ${p})`;
}
