// Scores in: resolves each score to its unit and leaf, applies the leaf's scoring rule and
// source precedence, and lays the result out as a dense matrix (units × leaves, NaN = missing).
import type { CompiledMethodology } from './compile.js';
import { IssueList } from './errors.js';
import { applyRule } from './rules.js';
import type { ScoreInput, UnitInput } from './model.js';

export interface Unit { code: string; ranked: boolean; attributes: Record<string, string | null> }

export interface ScoreMatrix {
  units: Unit[];
  /** leaf slot → node index */
  leafNodes: number[];
  /** units.length × leafNodes.length; points (points mode) or raw values (weighted mode) */
  values: Float64Array;
}

export function normaliseUnits(units: UnitInput[]): Unit[] {
  return units.map((u) => ({ code: u.code, ranked: u.ranked ?? true, attributes: u.attributes ?? {} }));
}

/** A score after validation: where it lands, its resolved source and its points (or raw value).
 *  `counted` is false for a self-assessment of an appraised leaf: recorded, never scored. */
export interface ScoredRow { unit: number; slot: number; source: string; precedence: number; value: number | null; counted: boolean }

/** The source of a unit's own assessment. On a leaf scored by appraisal it is validated and
 *  kept as the basis of the appraisal, but only the appraised score counts. */
export const SELF_SOURCE = 'self';
const APPRAISAL_SOURCE = 'appraisal';

/**
 * Validates every score against the methodology and the units; throws one EngineError listing
 * every bad row (unknown unit or indicator, a non-leaf, a source the leaf does not take, a
 * duplicate, a value its rule rejects). When `units` is omitted, the units are those the scores name.
 */
export function scoreRows(compiled: CompiledMethodology, scores: ScoreInput[], units?: UnitInput[]): { units: Unit[]; rows: ScoredRow[] } {
  const issues = new IssueList();
  const unitList = normaliseUnits(units ?? unitsNamedBy(scores));
  const unitIndex = new Map<string, number>();
  unitList.forEach((u, i) => {
    if (unitIndex.has(u.code)) issues.add({ unit: u.code, message: `unit ${u.code} is listed twice` });
    unitIndex.set(u.code, i);
  });
  const slotOf = new Map<number, number>(compiled.leaves.map((node, slot) => [node, slot]));
  const seen = new Set<string>();
  const points = compiled.methodology.mode === 'points';
  const rows: ScoredRow[] = new Array(scores.length);
  scores.forEach((score, row) => {
    const fail = (field: string, message: string) => issues.add({ row, field, unit: score.unit, node: score.indicator, message, value: (score as any)[field] });
    const u = unitIndex.get(score.unit);
    const nodeIndex = compiled.byCode.get(score.indicator);
    if (u === undefined) return fail('unit', `unknown unit ${score.unit}`);
    if (nodeIndex === undefined) return fail('indicator', `unknown indicator ${score.indicator}`);
    const slot = slotOf.get(nodeIndex);
    if (slot === undefined) return fail('indicator', `indicator ${score.indicator} is not a leaf: its points are computed from its children`);
    const node = compiled.nodes[nodeIndex];
    const source = score.source ?? (node.sources.length <= 1 ? node.sources[0] ?? '' : undefined);
    if (source === undefined) return fail('source', `indicator ${score.indicator} takes several sources (${node.sources.join(', ')}): name one`);
    const selfOfAppraised = source === SELF_SOURCE && !node.sources.includes(SELF_SOURCE) && node.sources.includes(APPRAISAL_SOURCE);
    const precedence = node.sources.length === 0 || selfOfAppraised ? 0 : node.sources.indexOf(source);
    if (precedence < 0) return fail('source', `indicator ${score.indicator} does not take source ${source} (takes ${node.sources.join(', ')})`);
    const key = `${score.unit}\u0000${score.indicator}\u0000${source}`;
    if (seen.has(key)) return fail('indicator', `duplicate score for unit ${score.unit}, indicator ${score.indicator}, source ${source || '(none)'}`);
    seen.add(key);
    let value: number | null = null;
    if (score.value === null) value = null; // an explicit "no data"
    else if (node.rule && (points || node.rule.type !== 'points')) {
      const outcome = applyRule(node.rule, node.max, score.value);
      if ('error' in outcome) return fail('value', outcome.error);
      value = outcome.points;
    } else if (typeof score.value === 'number' && Number.isFinite(score.value)) value = score.value;
    else return fail('value', 'value must be a finite number');
    rows[row] = { unit: u, slot, source, precedence, value, counted: !selfOfAppraised };
  });
  issues.throwIfAny('invalid-scores');
  return { units: unitList, rows };
}

/** Scores as a dense matrix, each cell taking the value of the leaf's highest-precedence source. */
export function prepareScores(compiled: CompiledMethodology, scores: ScoreInput[], units?: UnitInput[]): ScoreMatrix {
  const { units: unitList, rows } = scoreRows(compiled, scores, units);
  const nLeaves = compiled.leaves.length;
  const values = new Float64Array(unitList.length * nLeaves).fill(NaN);
  const precedence = new Int32Array(unitList.length * nLeaves).fill(-1);
  for (const row of rows) {
    if (row.value === null || !row.counted) continue;
    const cell = row.unit * nLeaves + row.slot;
    if (precedence[cell] === -1 || row.precedence < precedence[cell]) { values[cell] = row.value; precedence[cell] = row.precedence; }
  }
  return { units: unitList, leafNodes: compiled.leaves, values };
}

function unitsNamedBy(scores: ScoreInput[]): UnitInput[] {
  return [...new Set(scores.map((s) => s.unit))].map((code) => ({ code }));
}
