// Change against the previous cycle through unit lineage. A unit compares with itself; a merged
// unit with the mean (or weighted mean) of its predecessors; the rule used is always named.
// Places are measured against the previous cycle re-ranked on the current units (restated), never
// against a rank among another set of units ("35th of 63 → 5th of 34" is not +30 places).
import { snap } from './numbers.js';
import { competitionRanks } from './rank.js';
import { nodeMetric } from './results.js';

export interface Predecessor { code: string; weight?: number }

export type ChangeRule = 'same-unit' | 'mean-of-predecessors' | 'weighted-mean-of-predecessors' | 'no-lineage';

/**
 * How the previous rank was found: `same-units` (the same ranked units both years: the restated rank
 * is the published one), `restated-on-current-units` (the previous cycle's values, through lineage,
 * ranked among the current ranked units), `not-restatable` (a ranked unit has no previous value: no
 * rank change for anyone).
 */
export type RankRule = 'same-units' | 'restated-on-current-units' | 'not-restatable';

export interface Change {
  rule: ChangeRule;
  predecessors: string[];
  previousIndex: number | null;
  indexChange: number | null;
  /** the unit's own rank in the previous cycle as published (same unit only) */
  previousRank: number | null;
  /** the rank of the unit's previous value among the current ranked units (the rank rule says how) */
  restatedRank: number | null;
  /** how many units the restated ranking has (the current ranked units), null when not restatable */
  restatedOf: number | null;
  rankRule: RankRule;
  /** restatedRank − rank: positive = moved up; null where there is no restated rank */
  rankChange: number | null;
  /** per domain: change of the % of max (points) or value (weighted) */
  domains: Record<string, { previous: number | null; change: number | null }>;
}

interface Row { unit: string; index: number | null; rank: number | null; nodes: Record<string, { percent?: number | null; value?: number | null }> }

type Matched = Omit<Change, 'restatedRank' | 'restatedOf' | 'rankRule' | 'rankChange'>;

export function compareWithPrevious(current: Row[], previous: Row[], predecessorsOf: (unit: string) => Predecessor[], domains: string[]): Map<string, Change> {
  const before = new Map(previous.map((r) => [r.unit, r]));
  const matched = new Map(current.map((row) => [row.unit, match(row, before, predecessorsOf, domains)]));
  const restated = restateRanks(current, previous, matched);
  const out = new Map<string, Change>();
  for (const row of current) {
    const m = matched.get(row.unit)!;
    const restatedRank = restated.ranks.get(row.unit) ?? null;
    out.set(row.unit, {
      ...m, restatedRank, restatedOf: restated.of, rankRule: restated.rule,
      rankChange: restatedRank === null || row.rank === null ? null : restatedRank - row.rank,
    });
  }
  return out;
}

/** The previous cycle's row (same unit), or its predecessors' (weighted) mean, or nothing. */
function match(row: Row, before: Map<string, Row>, predecessorsOf: (unit: string) => Predecessor[], domains: string[]): Matched {
  const same = before.get(row.unit);
  if (same) return change(row, 'same-unit', [same], [1], domains, same.rank);
  const preds = predecessorsOf(row.unit).filter((p) => before.has(p.code));
  if (preds.length === 0) return change(row, 'no-lineage', [], [], domains, null);
  const weighted = preds.every((p) => p.weight !== undefined && p.weight > 0);
  return change(row, weighted ? 'weighted-mean-of-predecessors' : 'mean-of-predecessors',
    preds.map((p) => before.get(p.code)!), preds.map((p) => (weighted ? p.weight! : 1)), domains, null);
}

/**
 * The previous cycle re-ranked on the current ranked units, each by its previous value (its own
 * index, or its predecessors' mean): possible only when every current ranked unit has one.
 */
function restateRanks(current: Row[], previous: Row[], matched: Map<string, Matched>): { rule: RankRule; of: number | null; ranks: Map<string, number> } {
  const ranked = current.filter((r) => r.rank !== null);
  const values = ranked.map((r) => matched.get(r.unit)!.previousIndex);
  if (ranked.length === 0 || values.some((v) => v === null)) return { rule: 'not-restatable', of: null, ranks: new Map() };
  const ranks = competitionRanks(values as number[]);
  const previousRanked = new Set(previous.filter((r) => r.rank !== null).map((r) => r.unit));
  // a unit ranked last cycle is in `before`: it matched itself (same-unit)
  const sameUnits = previousRanked.size === ranked.length && ranked.every((r) => previousRanked.has(r.unit));
  return { rule: sameUnits ? 'same-units' : 'restated-on-current-units', of: ranked.length, ranks: new Map(ranked.map((r, i) => [r.unit, ranks[i]!])) };
}

function change(row: Row, rule: ChangeRule, rows: Row[], weights: number[], domains: string[], previousRank: number | null): Matched {
  // One row: its own value, unsnapped, so that re-ranking the same units gives back their ranks.
  const previousIndex = rows.length === 1 ? rows[0].index : weightedMean(rows.map((r) => r.index), weights);
  return {
    rule, predecessors: rule === 'same-unit' ? [] : rows.map((r) => r.unit),
    previousIndex,
    indexChange: previousIndex === null || row.index === null ? null : snap(row.index - previousIndex),
    previousRank,
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
