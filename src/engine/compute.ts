// One call from methodology + units + scores to ranked results and statistics.
import { evaluate, type Evaluation } from './aggregate.js';
import { compileMethodology, type CompiledMethodology } from './compile.js';
import type { Methodology, ScoreInput, UnitInput } from './model.js';
import { buildResults, type ResultOptions, type UnitResult } from './results.js';
import type { PipelineRecord } from './pipeline.js';
import { prepareScores, type ScoreMatrix } from './scores.js';
import { describeCycle, type CycleStatistics } from './statistics.js';

export interface CycleResult {
  methodology: { id: string; version: number; mode: Methodology['mode']; missing: Methodology['missing'] };
  results: UnitResult[];
  statistics: CycleStatistics;
  /** what the methodology's pipeline did (denomination, imputation, treatment), when it declares one */
  pipeline?: PipelineRecord;
}

export interface ComputeInput {
  methodology: unknown | CompiledMethodology;
  scores: ScoreInput[];
  /** the units to rank (with attributes such as region); default: those the scores name */
  units?: UnitInput[];
}

export function isCompiled(m: unknown): m is CompiledMethodology {
  return typeof m === 'object' && m !== null && 'byCode' in m && 'nodes' in m && 'methodology' in m;
}

/** Validates, scores, aggregates, ranks and describes one cycle. Throws EngineError on bad input. */
export function computeCycle(input: ComputeInput, options: ResultOptions = {}): CycleResult {
  const compiled = isCompiled(input.methodology) ? input.methodology : compileMethodology(input.methodology);
  const matrix = prepareScores(compiled, input.scores, input.units);
  return describeEvaluation(compiled, matrix, evaluate(compiled, matrix), options);
}

/** Ranks and describes an evaluated cycle (for callers that also use the evaluation, such as uncertainty). */
export function describeEvaluation(compiled: CompiledMethodology, matrix: ScoreMatrix, evaluation: Evaluation, options: ResultOptions = {}): CycleResult {
  const results = sortByRank(buildResults(compiled, matrix.units, evaluation, options));
  const domains = domainCodes(compiled);
  const m = compiled.methodology;
  return {
    methodology: { id: m.id, version: m.version, mode: m.mode, missing: m.missing },
    results,
    statistics: describeCycle(results, domains, compiled.groups.map((g) => g.code), options.rankWithin ?? ['region']),
    ...(matrix.pipeline && { pipeline: matrix.pipeline }),
  };
}

export function domainCodes(c: CompiledMethodology): string[] {
  return c.nodes[0].children.map((i) => c.nodes[i].code);
}

/** Ranked units first by rank, then unranked and missing ones; ties by unit code. */
export function sortByRank<T extends { rank: number | null; index: number | null; unit: string }>(rows: T[]): T[] {
  const key = (r: T) => r.rank ?? Number.MAX_SAFE_INTEGER;
  return [...rows].sort((a, b) => key(a) - key(b) || (b.index ?? -Infinity) - (a.index ?? -Infinity) || (a.unit < b.unit ? -1 :
    // Stryker disable next-line ConditionalExpression,EqualityOperator: V8's sort asks only whether a comparison is below 0, so 1 and 0 order alike
    a.unit > b.unit ? 1 : 0));
}
