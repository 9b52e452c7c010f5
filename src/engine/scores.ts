// Scores in: resolves each score to its unit and leaf, applies the leaf's scoring rule and
// source precedence, and lays the result out as a dense matrix (units × leaves, NaN = missing).
import type { CompiledMethodology } from './compile.js';
import { IssueList } from './errors.js';
import { applyRule } from './rules.js';
import type { ScoreInput, UnitInput } from './model.js';
import { applyPipeline, type PipelineRecord } from './pipeline.js';

export interface Unit { code: string; ranked: boolean; attributes: Record<string, string | null> }

export interface ScoreMatrix {
  units: Unit[];
  /** leaf slot → node index */
  leafNodes: number[];
  /** units.length × leafNodes.length; points (points mode) or raw values (weighted mode) */
  values: Float64Array;
  /** weighted mode with a declared pipeline (pipeline.ts): cells it imputed (1), and what each step did */
  imputed?: Uint8Array;
  pipeline?: PipelineRecord;
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

/**
 * The leaves a unit self-assesses: those taking source self, and those scored by appraisal (a unit's
 * self row there is the basis of the appraisal); a leaf naming no source takes any. The workspace's
 * form and the score template both ask it.
 */
export function takesSelf(node: { sources: readonly string[] }): boolean {
  return node.sources.length === 0 || node.sources.includes(SELF_SOURCE) || node.sources.includes(APPRAISAL_SOURCE);
}
const APPRAISAL_SOURCE = 'appraisal';

/**
 * Validates every score against the methodology and the units; throws one EngineError listing
 * every bad row (unknown unit or indicator, a non-leaf, a source the leaf does not take, a
 * duplicate, a value its rule rejects). When `units` is omitted, the units are those the scores name.
 */
export function scoreRows(compiled: CompiledMethodology, scores: ScoreInput[], units?: UnitInput[]): { units: Unit[]; rows: ScoredRow[] } {
  const rows: ScoredRow[] = []; // every row or an error: a failed row throws
  const unitList = visitScores(compiled, scores, units, (_row, unit, slot, source, precedence, value, counted) => {
    rows.push({ unit, slot, source, precedence, value, counted });
  });
  return { units: unitList, rows };
}

/** What visitScores hands on for each valid score, in row order. */
export type ScoreVisitor = (row: number, unit: number, slot: number, source: string, precedence: number, value: number | null, counted: boolean) => void;

/**
 * scoreRows without an object per row: each valid score goes to `visit`; throws as scoreRows does,
 * after every row was checked. A cycle of 200,000 scores spent more on the rows' objects (and on
 * collecting them) than on checking them.
 */
export function visitScores(compiled: CompiledMethodology, scores: ScoreInput[], units: UnitInput[] | undefined, visit: ScoreVisitor): Unit[] {
  const issues = new IssueList();
  const unitList = normaliseUnits(units ?? unitsNamedBy(scores));
  const unitIndex = new Map<string, number>();
  unitList.forEach((u, i) => {
    if (unitIndex.has(u.code)) issues.add({ unit: u.code, message: `unit ${u.code} is listed twice` });
    unitIndex.set(u.code, i);
  });
  const slotOf = new Map<number, number>(compiled.leaves.map((node, slot) => [node, slot]));
  const seen = seenScores(compiled, unitList.length);
  const points = compiled.methodology.mode === 'points';
  for (let row = 0; row < scores.length; row++) {
    const score = scores[row];
    const u = unitIndex.get(score.unit);
    const nodeIndex = compiled.byCode.get(score.indicator);
    if (u === undefined) { fail(issues, row, score, 'unit', `unknown unit ${score.unit}`); continue; }
    if (nodeIndex === undefined) { fail(issues, row, score, 'indicator', `unknown indicator ${score.indicator}`); continue; }
    const slot = slotOf.get(nodeIndex);
    if (slot === undefined) { fail(issues, row, score, 'indicator', `indicator ${score.indicator} is not a leaf: its points are computed from its children`); continue; }
    const node = compiled.nodes[nodeIndex];
    const source = score.source ?? (node.sources.length <= 1 ? node.sources[0] ?? '' : undefined);
    if (source === undefined) { fail(issues, row, score, 'source', `indicator ${score.indicator} takes several sources (${node.sources.join(', ')}): name one`); continue; }
    const selfOfAppraised = source === SELF_SOURCE && !node.sources.includes(SELF_SOURCE) && node.sources.includes(APPRAISAL_SOURCE);
    const precedence = node.sources.length === 0 || selfOfAppraised ? 0 : node.sources.indexOf(source);
    if (precedence < 0) { fail(issues, row, score, 'source', `indicator ${score.indicator} does not take source ${source} (takes ${node.sources.join(', ')})`); continue; }
    // Stryker disable next-line ConditionalExpression: sources kept apart by name rather than by cell are kept apart all the same (cells only spare string keys)
    const key = node.sources.length === 0
      ? source
      : selfOfAppraised ? -1 : precedence;
    if (!seen.first(u, slot, key)) {
      fail(issues, row, score, 'indicator', `duplicate score for unit ${score.unit}, indicator ${score.indicator}, source ${source || '(none)'}`);
      continue;
    }
    const value = leafValue(node, points, score.value);
    if (typeof value === 'string') { fail(issues, row, score, 'value', value); continue; }
    visit(row, u, slot, source, precedence, value, !selfOfAppraised);
  }
  issues.throwIfAny('invalid-scores');
  return unitList;
}

/**
 * Which (unit, leaf, source) a batch has already scored. A leaf's declared sources (and self on an
 * appraised leaf, -1) take cells of a typed array: a batch of 100,000 rows would spend more on string
 * keys than on anything else. A leaf that declares no source takes any, kept apart by name.
 */
function seenScores(compiled: CompiledMethodology, nUnits: number) {
  let declared = 0;
  for (const leaf of compiled.leaves) declared = Math.max(declared, compiled.nodes[leaf].sources.length);
  // slots: the declared sources, then self on an appraised leaf, then no source at all ('')
  const width = declared + 2, nLeaves = compiled.leaves.length;
  const cells = new Uint8Array(nUnits * nLeaves * width);
  const named = new Set<string>();
  return {
    /** true the first time the unit's leaf is scored from this source */
    first(unit: number, slot: number, source: number | string): boolean {
      // Stryker disable next-line ConditionalExpression,StringLiteral,ArithmeticOperator: no source at all takes a cell rather than a name, which only spares a string key
      if (source === '') source = declared + 1;
      if (typeof source === 'string') {
        const key = `${unit}:${slot}:${source}`;
        if (named.has(key)) return false;
        named.add(key);
        return true;
      }
      const cell = (unit * nLeaves + slot) * width + (source < 0 ? declared : source);
      if (cells[cell]) return false;
      cells[cell] = 1;
      return true;
    },
  };
}

/** The leaf's points (or raw value) for a score's value, or why the value is refused. */
function leafValue(node: CompiledMethodology['nodes'][number], points: boolean, value: ScoreInput['value']): number | null | string {
  if (value === null) return null; // an explicit "no data"
  if (node.rule && (points || node.rule.type !== 'points')) {
    const outcome = applyRule(node.rule, node.max, value);
    return 'error' in outcome ? outcome.error : outcome.points;
  }
  return Number.isFinite(value) &&
    // Stryker disable next-line ConditionalExpression: Number.isFinite is already false for anything but a number; the typeof narrows the type
    typeof value === 'number' ? value : 'value must be a finite number';
}

function fail(issues: IssueList, row: number, score: ScoreInput, field: keyof ScoreInput, message: string): void {
  issues.add({ row, field, unit: score.unit, node: score.indicator, message, value: score[field] });
}

/** Scores as a dense matrix, each cell taking the value of the leaf's highest-precedence source, after the methodology's pipeline (denominate, impute, treat). */
export function prepareScores(compiled: CompiledMethodology, scores: ScoreInput[], units?: UnitInput[]): ScoreMatrix {
  const nLeaves = compiled.leaves.length;
  const named = units ?? unitsNamedBy(scores);
  const values = new Float64Array(named.length * nLeaves).fill(NaN);
  const precedence = new Int32Array(named.length * nLeaves).fill(-1);
  const unitList = visitScores(compiled, scores, named, (_row, unit, slot, _source, order, value, counted) => {
    if (value === null || !counted) return;
    const cell = unit * nLeaves + slot;
    if (precedence[cell] === -1 || order < precedence[cell]) { values[cell] = value; precedence[cell] = order; }
  });
  return applyPipeline(compiled, { units: unitList, leafNodes: compiled.leaves, values });
}

function unitsNamedBy(scores: ScoreInput[]): UnitInput[] {
  return [...new Set(scores.map((s) => s.unit))].map((code) => ({ code }));
}
