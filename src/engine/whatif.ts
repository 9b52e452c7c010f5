// What-if for one unit: its index, rank and group if some scores changed (nothing stored), and the
// cheapest path to the next group and the next rank: the sub-criteria with the most points still
// available, largest first, until the points needed are reached (points mode).
import { evaluate, type Evaluation } from './aggregate.js';
import type { CompiledMethodology } from './compile.js';
import { EngineError } from './errors.js';
import type { ScoreInput } from './model.js';
import { snap } from './numbers.js';
import { competitionRanks, groupOf } from './rank.js';
import { scoreRows, type ScoreMatrix } from './scores.js';

export interface Standing { index: number | null; rank: number | null; group: string | null }
export interface PathStep { indicator: string; from: number; to: number; gain: number }
export interface Path { target: Standing & { unit?: string }; pointsNeeded: number; reachable: boolean; steps: PathStep[] }

export interface WhatIf {
  unit: string;
  before: Standing;
  after: Standing;
  /** points mode only */
  nextGroup: Path | null;
  nextRank: Path | null;
}

export function whatIf(c: CompiledMethodology, m: ScoreMatrix, unit: string, changes: ScoreInput[]): WhatIf {
  const u = m.units.findIndex((x) => x.code === unit);
  if (u < 0) throw new EngineError('invalid-scores', [{ unit, message: `unit ${unit} is not in this cycle` }]);
  const before = evaluate(c, m);
  const changed = applyChanges(c, m, u, changes);
  const after = evaluate(c, changed);
  return {
    unit, before: standing(c, m, before, u), after: standing(c, changed, after, u),
    nextGroup: c.methodology.mode === 'points' ? pathToGroup(c, after, u) : null,
    nextRank: c.methodology.mode === 'points' ? pathToRank(c, changed, after, u) : null,
  };
}

/** The matrix with the unit's leaves set to the changed values (validated by the leaves' rules). */
export function applyChanges(c: CompiledMethodology, m: ScoreMatrix, u: number, changes: ScoreInput[]): ScoreMatrix {
  const unit = m.units[u].code;
  const rows = scoreRows(c, changes.map((x) => ({ ...x, unit: x.unit ?? unit })), m.units).rows;
  const values = Float64Array.from(m.values);
  const nLeaves = m.leafNodes.length;
  rows.forEach((row, i) => {
    if (row.unit !== u) throw new EngineError('invalid-scores', [{ row: i, field: 'unit', unit: m.units[row.unit].code, message: `a what-if changes unit ${unit} only` }]);
    if (row.counted) values[u * nLeaves + row.slot] = row.value ?? NaN;
  });
  return { ...m, values };
}

function standing(c: CompiledMethodology, m: ScoreMatrix, e: Evaluation, u: number): Standing {
  const index = Number.isFinite(e.index[u]) ? e.index[u] : null;
  return { index, rank: competitionRanks(e.index, (i) => m.units[i].ranked)[u], group: groupOf(index, c.groups) };
}

function pathToGroup(c: CompiledMethodology, e: Evaluation, u: number): Path | null {
  const index = e.index[u];
  const next = [...c.groups].reverse().find((g) => g.min > index);
  if (!next) return null;
  return path(c, e, u, { index: next.min, rank: null, group: next.code });
}

function pathToRank(c: CompiledMethodology, m: ScoreMatrix, e: Evaluation, u: number): Path | null {
  const ranks = competitionRanks(e.index, (i) => m.units[i].ranked);
  if (ranks[u] === null || ranks[u] === 1) return null;
  let above = -1;
  for (let i = 0; i < m.units.length; i++) {
    if (ranks[i] !== null && e.index[i] > e.index[u] && (above < 0 || e.index[i] < e.index[above])) above = i;
  }
  return path(c, e, u, { index: e.index[above], rank: ranks[above], group: groupOf(e.index[above], c.groups), unit: m.units[above].code });
}

/** Greedy: the leaves with the most points available first; reaching the target's index ties it. */
function path(c: CompiledMethodology, e: Evaluation, u: number, target: Path['target']): Path {
  const total = c.nodes[0].max;
  let needed = snap(((target.index! - e.index[u]) * total) / 100);
  const pointsNeeded = needed;
  const room = c.leaves
    .map((leaf) => {
      const current = e.values[u * e.nNodes + leaf];
      const from = Number.isNaN(current) ? 0 : snap(current);
      return { indicator: c.nodes[leaf].code, from, available: snap(c.nodes[leaf].max - from) };
    })
    .filter((x) => x.available > 0)
    .sort((a, b) => b.available - a.available || a.indicator.localeCompare(b.indicator));
  const steps: PathStep[] = [];
  for (const leaf of room) {
    if (needed <= 0) break;
    const gain = Math.min(leaf.available, needed);
    steps.push({ indicator: leaf.indicator, from: leaf.from, to: snap(leaf.from + gain), gain: snap(gain) });
    needed = snap(needed - gain);
  }
  return { target, pointsNeeded, reachable: needed <= 0, steps };
}
