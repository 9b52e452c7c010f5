// Outlier treatment of one indicator, COINr's default rule (Treat with winsorise, log_CT and
// check_SkewKurt): an indicator fails when |skewness| ≥ skewness threshold AND kurtosis ≥ kurtosis
// threshold. A failing indicator is winsorised one step at a time on the side of its skew (the
// most extreme value(s) take the next value), while it fails and fewer than `winsoriseMax` points
// are winsorised; if it still fails, the winsorising is undone and the original values are log
// transformed instead. Every transform here keeps the order of the values (ties may be made).
import { presentValues, sampleKurtosis, sampleSkewness } from './moments.js';

export interface TreatmentSpec {
  skewness: number;
  kurtosis: number;
  winsoriseMax: number;
  /** after winsorising fails: COINr's log_CT ('log'), its skew-aware variant ('logSkew'), or nothing */
  transform: 'log' | 'logSkew' | 'none';
}

export interface Shape { skewness: number | null; kurtosis: number | null }
export interface Check extends Shape { passes: boolean }

export interface ColumnTreatment {
  /** the treated column (a new array; NaN stays NaN) */
  values: Float64Array;
  before: Check;
  action: 'none' | 'winsorised' | 'log' | 'logNegative';
  /** positions whose value winsorising changed, with the side it came from */
  winsorised: { at: number; side: 'high' | 'low'; from: number; to: number }[];
  /** the log transform's parameters: log(x − min + shift), or −log(max + shift − x) for negative skew */
  transform?: { min: number; max: number; shift: number };
  after: Check;
}

/** COINr's check_SkewKurt: passes unless both limits are reached; an unknown shape (too few or equal values) passes. */
export function checkShape(values: ArrayLike<number>, spec: Pick<TreatmentSpec, 'skewness' | 'kurtosis'>): Check {
  const skewness = sampleSkewness(values), kurtosis = sampleKurtosis(values);
  // Stryker disable next-line ConditionalExpression: an unknown skewness comes with an unknown kurtosis (fewer values, or equal ones), which the next test catches
  const fails = skewness !== null && kurtosis !== null && Math.abs(skewness) >= spec.skewness && kurtosis >= spec.kurtosis;
  return { skewness, kurtosis, passes: !fails };
}

export function treatColumn(column: ArrayLike<number>, spec: TreatmentSpec): ColumnTreatment {
  const original = Float64Array.from(column);
  const before = checkShape(original, spec);
  if (before.passes) return { values: original, before, action: 'none', winsorised: [], after: before };
  const wins = winsorise(original, spec);
  const afterWins = checkShape(wins, spec);
  if (afterWins.passes || spec.transform === 'none') {
    return { values: wins, before, action: 'winsorised', winsorised: changes(original, wins), after: afterWins };
  }
  const negative = spec.transform === 'logSkew' && !(before.skewness! > 0);
  const { values, transform } = logTransform(original, negative);
  return { values, before, action: negative ? 'logNegative' : 'log', winsorised: [], transform, after: checkShape(values, spec) };
}

/**
 * COINr's winsorise: while the check fails and fewer than winsoriseMax points are treated, the
 * value(s) at the extreme on the side of the skew take the next value inwards. The count is that
 * of the points now at each treated extreme (ties are winsorised together, as COINr counts them).
 */
export function winsorise(column: Float64Array, spec: TreatmentSpec): Float64Array {
  const x = Float64Array.from(column);
  let high = 0, low = 0;
  while (high + low < spec.winsoriseMax && !checkShape(x, spec).passes) {
    const skew = sampleSkewness(x);
    // Stryker disable next-line ConditionalExpression: a failing check has a known skewness
    if (skew === null) break;
    const side = skew >= 0 ? 1 : -1;
    const moved = pullInExtreme(x, side);
    // Stryker disable next-line ConditionalExpression: unreachable: only equal values leave nothing to pull in, and they pass the check
    if (moved === 0) break; // every value equal: nothing left to pull in
    // Stryker disable next-line EqualityOperator: only high + low is read, so which holds each side's count does not matter
    if (side === 1) high = moved; else low = moved;
  }
  return x;
}

/** Sets the value(s) at the extreme (max for side 1, min for −1) to the next value inwards; returns how many. */
function pullInExtreme(x: Float64Array, side: 1 | -1): number {
  let extreme = -Infinity, next = -Infinity;
  // Stryker disable next-line EqualityOperator: a value equal to the extreme sets it to itself
  for (const v of x) if (side * v > extreme) extreme = side * v;
  // Stryker disable next-line EqualityOperator: a value equal to next sets it to itself
  for (const v of x) if (side * v < extreme && side * v > next) next = side * v;
  // Stryker disable next-line ConditionalExpression,UnaryOperator: unreachable from winsorise: equal values pass the check
  if (next === -Infinity) return 0;
  let moved = 0;
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which equals no extreme
  for (let i = 0; i < x.length; i++) if (side * x[i] === extreme) { x[i] = side * next; moved++; }
  return moved;
}

/**
 * log(x − min + a), a = 0.01 (max − min) (COINr's log_CT); for negative skew −log(max + a − x)
 * (log_CT_plus), which pulls in the low tail the way the first pulls in the high one. Both are
 * increasing in x. Where max − min overflows, the values are scaled first (log s is added back).
 */
export function logTransform(column: Float64Array, negative: boolean): { values: Float64Array; transform: { min: number; max: number; shift: number } } {
  const present = presentValues(column);
  let min = Infinity, max = -Infinity;
  for (const v of present) { min = Math.min(min, v); max = Math.max(max, v); }
  // Stryker disable next-line MethodExpression: where max − min overflows both ends are large: either as the scale brings it within range, and log s is added back
  const scale = Number.isFinite(max - min) ? 1 : Math.max(Math.abs(min), Math.abs(max));
  const shift = 0.01 * (max / scale - min / scale);
  const offset = Math.log(scale);
  const values = column.map((v) => (Number.isNaN(v) ? NaN : negative
    ? -(Math.log(max / scale + shift - v / scale) + offset)
    : Math.log(v / scale - min / scale + shift) + offset));
  return { values, transform: { min, max, shift: shift * scale } };
}

function changes(original: Float64Array, treated: Float64Array): ColumnTreatment['winsorised'] {
  const out: ColumnTreatment['winsorised'] = [];
  original.forEach((from, at) => {
    const to = treated[at];
    // Stryker disable next-line EqualityOperator: from !== to here, so < and <= agree
    if (from !== to && !Number.isNaN(from)) out.push({ at, side: to < from ? 'high' : 'low', from, to });
  });
  return out;
}
