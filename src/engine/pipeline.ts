// COINr's data-treatment pipeline on the raw score matrix, in its order: denominate, impute,
// treat outliers; normalisation and aggregation follow in evaluate(). Each step is declared in the
// methodology and optional; the record says what each did, cell by cell, so that any number can be
// traced to the scores and regenerated.
import type { CompiledMethodology, CompiledNode } from './compile.js';
import { denominateColumn } from './denominate.js';
import { IssueList } from './errors.js';
import { imputeColumn } from './impute.js';
import type { Imputation, Treatment } from './model.js';
import type { ScoreMatrix } from './scores.js';
import { treatColumn, type Check } from './treat.js';

export interface PipelineRecord {
  /** cells: values divided; unknown: units whose value became missing for want of the attribute */
  denomination?: { indicator: string; by: string; cells: number; unknown: string[] }[];
  imputation?: Imputation & { cells: { indicator: string; unit: string; value: number }[] };
  treatment?: IndicatorTreatment[];
}

export interface IndicatorTreatment {
  indicator: string;
  parameters: Treatment;
  before: Check;
  action: 'none' | 'winsorised' | 'log' | 'logNegative';
  winsorised: { unit: string; side: 'high' | 'low'; from: number; to: number }[];
  /** log: log(x − min + shift); logNegative: −log(max + shift − x) */
  transform?: { min: number; max: number; shift: number };
  after: Check;
}

/** Whether the methodology declares any step (weighted mode only: compile refuses them elsewhere). */
export function hasPipeline(c: CompiledMethodology): boolean {
  return c.methodology.imputation !== undefined || c.leaves.some((i) => c.nodes[i].denominator !== undefined || c.nodes[i].treatment !== null);
}

/** The matrix after the declared steps (a new one), with the record and the imputed cells flagged. */
export function applyPipeline(c: CompiledMethodology, m: ScoreMatrix): ScoreMatrix {
  if (!hasPipeline(c)) return m;
  const nUnits = m.units.length, nLeaves = m.leafNodes.length;
  const values = Float64Array.from(m.values);
  const imputed = new Uint8Array(values.length);
  const record: PipelineRecord = {};
  const issues = new IssueList();
  const codes = m.units.map((u) => u.code);
  const column = new Float64Array(nUnits);
  const read = (s: number) => { for (let u = 0; u < nUnits; u++) column[u] = values[u * nLeaves + s]; };
  const write = (s: number, from: Float64Array) => { for (let u = 0; u < nUnits; u++) values[u * nLeaves + s] = from[u]; };
  m.leafNodes.forEach((nodeIndex, s) => {
    const node = c.nodes[nodeIndex];
    read(s);
    if (node.denominator !== undefined) {
      const attribute = node.denominator;
      const done = denominateColumn(column, m.units.map((u) => u.attributes[attribute]), { indicator: node.code, attribute, units: codes });
      done.issues.forEach((p) => issues.add(p));
      (record.denomination ??= []).push({ indicator: node.code, by: attribute, cells: countPresent(column), unknown: done.unknown.map((u) => codes[u]) });
    }
    const imputation = c.methodology.imputation;
    if (imputation) {
      const groups = imputation.by === undefined ? undefined : m.units.map((u) => u.attributes[imputation.by!] ?? null);
      const filled = imputeColumn(column, imputation.method, groups);
      record.imputation ??= { ...imputation, cells: [] };
      for (const u of filled) {
        imputed[u * nLeaves + s] = 1;
        record.imputation.cells.push({ indicator: node.code, unit: codes[u], value: column[u] });
      }
    }
    if (node.treatment) (record.treatment ??= []).push(treatLeaf(node, node.treatment, column, codes));
    write(s, column);
  });
  issues.throwIfAny('invalid-scores');
  return { ...m, values, imputed, pipeline: record };
}

function treatLeaf(node: CompiledNode, parameters: Treatment, column: Float64Array, codes: string[]): IndicatorTreatment {
  const t = treatColumn(column, parameters);
  column.set(t.values);
  return {
    indicator: node.code, parameters, before: t.before, action: t.action,
    winsorised: t.winsorised.map(({ at, ...change }) => ({ unit: codes[at], ...change })),
    ...(t.transform && { transform: t.transform }),
    after: t.after,
  };
}

function countPresent(column: Float64Array): number {
  let n = 0;
  for (const v of column) if (!Number.isNaN(v)) n++;
  return n;
}
