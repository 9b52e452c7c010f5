// Synthetic demo scores: every unit, every leaf, plausible (indexes mostly 80–95). Each unit has a
// stable quality across years (a merged unit: its predecessors' mean, so that 2025 follows on from
// 2024); leaf points are rounded to 0.05 as councils score, which makes ties.
import type { CompiledMethodology, ScoreInput } from '../engine/index.js';
import { hashString, mulberry32, normal } from '../engine/random.js';

export interface DemoCycle { year: number; unitType: string; methodology: string; meanIndex: number }

export function generateDemoScores(c: CompiledMethodology, unitCodes: string[], cycle: DemoCycle, seed: number, predecessorsOf: (unit: string) => string[] = () => []): ScoreInput[] {
  const scores: ScoreInput[] = [];
  const qualityOf = (unit: string): number => {
    const preds = predecessorsOf(unit);
    return preds.length ? preds.reduce((s, p) => s + qualityOf(p), 0) / preds.length : normal(mulberry32(hashString(`${seed}:${unit}`))) * 2.6;
  };
  for (const unit of unitCodes) {
    const quality = qualityOf(unit);
    const random = mulberry32(hashString(`${seed}:${unit}:${cycle.year}:${cycle.unitType}`));
    const target = clamp((cycle.meanIndex + quality + normal(random) * 1.2) / 100, 0.7, 0.975);
    for (const leaf of c.leaves) {
      const node = c.nodes[leaf];
      const share = clamp(target + normal(random) * 0.06, 0, 1);
      const points = Math.round((node.max * share) / 0.05) * 0.05;
      scores.push({ unit, indicator: node.code, source: node.sources[0], value: Number(Math.min(points, node.max).toFixed(2)) });
    }
  }
  return scores;
}

function clamp(x: number, lo: number, hi: number): number { return Math.min(hi, Math.max(lo, x)); }
