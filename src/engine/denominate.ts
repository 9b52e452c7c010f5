// Denomination: an indicator divided by a unit attribute given with the units (population, GDP,
// area …), turning a total into a rate, as COINr's Denominate does. The attribute is text in the
// unit's record. Where it is absent (null, empty or not given) the rate is unknown and the cell
// becomes missing, as in COINr (x / NA); text that is not a number, or 0, is refused.
import type { Issue } from './errors.js';

export interface Denominated {
  /** positions whose value became missing for want of a denominator */
  unknown: number[];
  issues: Issue[];
}

/** Divides the column in place. */
export function denominateColumn(column: Float64Array, denominators: (string | null | undefined)[], context: { indicator: string; attribute: string; units: string[] }): Denominated {
  const out: Denominated = { unknown: [], issues: [] };
  for (let u = 0; u < column.length; u++) {
    if (Number.isNaN(column[u])) continue;
    const text = denominators[u];
    if (text == null || text.trim() === '') {
      column[u] = NaN;
      out.unknown.push(u);
      continue;
    }
    const rate = column[u] / Number(text);
    if (!Number.isFinite(rate)) out.issues.push(refusal(context, u, text, column[u]));
    else column[u] = rate;
  }
  return out;
}

function refusal(context: { indicator: string; attribute: string; units: string[] }, u: number, text: string, value: number): Issue {
  const d = Number(text);
  const why = Number.isFinite(d) && d !== 0 ? `${value} / ${d} is beyond the numbers that can be computed` : 'it must be a number other than 0';
  return {
    unit: context.units[u], node: context.indicator, value: text,
    message: `indicator ${context.indicator} is divided by attribute ${context.attribute}, "${text}" for unit ${context.units[u]}: ${why}`,
  };
}
