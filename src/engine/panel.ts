// Panel imputation: a unit's missing value in the year computed, filled from its own values in
// other years of the panel (COINr's impute_panel): the latest earlier year with a value, or a
// straight line between the nearest years with a value on either side.

export type PanelMethod = 'latest' | 'interpolate';

/** Other years' matrices, laid out as the computed year's (units × leaves, NaN = missing). */
export interface Panel {
  year: number;
  years: number[];
  values: Float64Array[];
}

export interface PanelFill { value: number; from: number[] }

/** One cell's fill from its series (years ascending with a value each), or null when none applies. */
export function fillFromSeries(series: { year: number; value: number }[], year: number, method: PanelMethod): PanelFill | null {
  let before: { year: number; value: number } | undefined, after: { year: number; value: number } | undefined;
  for (const point of series) {
    if (point.year < year) before = point;
    else if (point.year > year && !after) after = point;
  }
  if (method === 'latest') return before ? { value: before.value, from: [before.year] } : null;
  if (before && after) {
    const share = (year - before.year) / (after.year - before.year);
    return { value: before.value + share * (after.value - before.value), from: [before.year, after.year] };
  }
  const nearest = before ?? after; // outside the years with data: the nearest one's value (R's approx, rule = 2)
  return nearest ? { value: nearest.value, from: [nearest.year] } : null;
}

/** The series of one cell (unit u, leaf slot s) across the panel's other years, years ascending. */
export function seriesOf(panel: Panel, cell: number): { year: number; value: number }[] {
  // Stryker disable next-line ArrayDeclaration: an element without a year is neither before nor after any year (comparisons with undefined are false)
  const series: { year: number; value: number }[] = [];
  panel.years.forEach((year, k) => {
    const v = panel.values[k][cell];
    // Stryker disable next-line ConditionalExpression: fillFromSeries ignores a point of the year itself
    if (year !== panel.year && !Number.isNaN(v)) series.push({ year, value: v });
  });
  return series.sort((a, b) => a.year - b.year);
}
