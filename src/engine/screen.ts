// Screening (COINr's Screen): a unit with values for too small a share of the leaves is dropped
// before imputation, so that an index is never mostly made of imputed values. Pure: which units
// stay, and each dropped one with its availability.

export interface ScreenedOut { at: number; availability: number }

/**
 * Availability of each unit over a units × leaves matrix (NaN = missing), and the units below the
 * threshold. A unit at exactly the threshold stays. With no leaves every unit stays (nothing to judge).
 */
export function screenUnits(values: Float64Array, nUnits: number, nLeaves: number, minAvailability: number): { kept: number[]; dropped: ScreenedOut[] } {
  const kept: number[] = [], dropped: ScreenedOut[] = [];
  for (let u = 0; u < nUnits; u++) {
    // Stryker disable next-line ConditionalExpression: with no leaves 0 / 0 is NaN, never below the threshold: every unit stays all the same
    const availability = nLeaves === 0 ? 1 : present(values, u * nLeaves, nLeaves) / nLeaves;
    if (availability < minAvailability) dropped.push({ at: u, availability });
    else kept.push(u);
  }
  return { kept, dropped };
}

function present(values: Float64Array, from: number, n: number): number {
  let count = 0;
  for (let s = from; s < from + n; s++) if (!Number.isNaN(values[s])) count++;
  return count;
}

/** The rows of the kept units, in their order. */
export function keepRows(values: Float64Array, nLeaves: number, kept: number[]): Float64Array {
  const out = new Float64Array(kept.length * nLeaves);
  kept.forEach((u, i) => out.set(values.subarray(u * nLeaves, (u + 1) * nLeaves), i * nLeaves));
  return out;
}
