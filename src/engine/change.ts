// Change against the previous cycle through unit lineage. A unit compares with itself; a merged
// unit with the mean (or weighted mean) of its predecessors; the rule used is always named.
import { snap } from './numbers.js';
import { nodeMetric } from './results.js';

export interface Predecessor { code: string; weight?: number }

export type ChangeRule = 'same-unit' | 'mean-of-predecessors' | 'weighted-mean-of-predecessors' | 'no-lineage';

export interface Change {
  rule: ChangeRule;
  predecessors: string[];
  previousIndex: number | null;
  indexChange: number | null;
  /** ranks compare only for the same unit: a merged unit had no rank of its own */
  previousRank: number | null;
  /** positive = moved up */
  rankChange: number | null;
  /** per domain: change of the % of max (points) or value (weighted) */
  domains: Record<string, { previous: number | null; change: number | null }>;
}

interface Row { unit: string; index: number | null; rank: number | null; nodes: Record<string, { percent?: number | null; value?: number | null }> }


export function compareWithPrevious(current: Row[], previous: Row[], predecessorsOf: (unit: string) => Predecessor[], domains: string[]): Map<string, Change> {
  const before = new Map(previous.map((r) => [r.unit, r]));
  const out = new Map<string, Change>();
  for (const row of current) {
    const same = before.get(row.unit);
    if (same) { out.set(row.unit, change(row, 'same-unit', [same], [1], domains, same.rank)); continue; }
    const preds = predecessorsOf(row.unit).filter((p) => before.has(p.code));
    if (preds.length === 0) { out.set(row.unit, change(row, 'no-lineage', [], [], domains, null)); continue; }
    const weighted = preds.every((p) => p.weight !== undefined && p.weight > 0);
    out.set(row.unit, change(row, weighted ? 'weighted-mean-of-predecessors' : 'mean-of-predecessors',
      preds.map((p) => before.get(p.code)!), preds.map((p) => (weighted ? p.weight! : 1)), domains, null));
  }
  return out;
}

function change(row: Row, rule: ChangeRule, rows: Row[], weights: number[], domains: string[], previousRank: number | null): Change {
  const previousIndex = weightedMean(rows.map((r) => r.index), weights);
  return {
    rule, predecessors: rule === 'same-unit' ? [] : rows.map((r) => r.unit),
    previousIndex,
    indexChange: previousIndex === null || row.index === null ? null : snap(row.index - previousIndex),
    previousRank,
    rankChange: previousRank === null || row.rank === null ? null : previousRank - row.rank,
    domains: Object.fromEntries(domains.map((d) => {
      const previous = weightedMean(rows.map((r) => nodeMetric(r.nodes[d])), weights);
      const now = nodeMetric(row.nodes[d]);
      return [d, { previous, change: previous === null || now === null ? null : snap(now - previous) }];
    })),
  };
}

function weightedMean(values: (number | null)[], weights: number[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  const total = weights.reduce((s, w) => s + w, 0);
  return snap(values.reduce((s: number, v, i) => s + v! * weights[i], 0) / total);
}

