// Descriptive statistics with simple-statistics, on unrounded values.
import { max, mean, median, min, quantileSorted, standardDeviation } from 'simple-statistics';
import { snap } from './numbers.js';
import { nodeMetric } from './results.js';

export interface Summary {
  n: number;
  mean: number | null;
  median: number | null;
  /** population standard deviation: the units are the whole population, not a sample */
  sd: number | null;
  min: number | null;
  max: number | null;
  q1: number | null;
  q3: number | null;
}

export function summarise(values: (number | null)[]): Summary {
  const xs = values.filter((v): v is number => Number.isFinite(v)); // not null, NaN nor ±Infinity
  if (xs.length === 0) return { n: 0, mean: null, median: null, sd: null, min: null, max: null, q1: null, q3: null };
  const sorted = [...xs].sort((a, b) => a - b);
  // Computed on unrounded values, then snapped like sums: a mean of decimals carries binary noise.
  return {
    n: xs.length, mean: snap(mean(xs)), median: snap(median(xs)), sd: snap(standardDeviation(xs)),
    min: min(xs), max: max(xs), q1: snap(quantileSorted(sorted, 0.25)), q3: snap(quantileSorted(sorted, 0.75)),
  };
}

export interface CycleStatistics {
  index: Summary;
  /** per domain (depth-1 node): % of max in points mode, value in weighted mode */
  domains: Record<string, Summary>;
  groups: Record<string, number>;
  aboveMean: number;
  /** the same per value of a unit attribute (e.g. region) */
  by: Record<string, Record<string, { index: Summary; domains: Record<string, Summary> }>>;
}

interface Row { index: number | null; group: string | null; attributes: Record<string, string | null>; nodes: Record<string, { percent?: number | null; value?: number | null }> }

/** Statistics of a cycle's rows, for the index and every domain, overall and per attribute value. */
export function describeCycle(rows: Row[], domains: string[], groupCodes: string[], byAttributes: string[] = ['region']): CycleStatistics {
  const overall = describeRows(rows, domains);
  // Counted and grouped in one pass each: filtering the rows once per group or per attribute value
  // was quadratic when every unit has its own value.
  const counts = new Map<string, number>(groupCodes.map((g) => [g, 0]));
  for (const r of rows) if (counts.has(r.group!)) counts.set(r.group!, counts.get(r.group!)! + 1); // null: in no group
  const groups = Object.fromEntries(counts);
  const mean = overall.index.mean;
  const by: CycleStatistics['by'] = {};
  for (const attribute of byAttributes) {
    const members = new Map<string, Row[]>();
    for (const r of rows) {
      const key = r.attributes[attribute];
      if (key == null) continue;
      const group = members.get(key);
      if (group) group.push(r);
      else members.set(key, [r]);
    }
    const keys = [...members.keys()].sort();
    if (keys.length) by[attribute] = Object.fromEntries(keys.map((k) => [k, describeRows(members.get(k)!, domains)]));
  }
  return {
    ...overall, groups,
    aboveMean: mean === null ? 0 : rows.filter((r) => r.index !== null && r.index > mean).length,
    by,
  };
}

function describeRows(rows: Row[], domains: string[]): { index: Summary; domains: Record<string, Summary> } {
  return {
    index: summarise(rows.map((r) => r.index)),
    domains: Object.fromEntries(domains.map((d) => [d, summarise(rows.map((r) => nodeMetric(r.nodes[d])))])),
  };
}
