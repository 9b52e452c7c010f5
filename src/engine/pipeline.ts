// COINr's data-treatment pipeline on the raw score matrix, in its order: denominate, screen units,
// impute, treat outliers; normalisation and aggregation follow in evaluate(). Each step is declared
// in the methodology and optional; the record says what each did, cell by cell, so that any number
// can be traced to the scores and regenerated. A panel (the same matrix in other years) feeds the
// panel imputation methods.
import type { CompiledMethodology, CompiledNode } from './compile.js';
import { denominateColumn } from './denominate.js';
import { IssueList } from './errors.js';
import { imputeColumn, type ImputationMethod } from './impute.js';
import type { Imputation, Treatment } from './model.js';
import { fillFromSeries, seriesOf, type Panel, type PanelMethod } from './panel.js';
import type { ScoreMatrix } from './scores.js';
import { keepRows, screenUnits } from './screen.js';
import { treatColumn, type Check } from './treat.js';

export interface ImputedCell {
  indicator: string;
  unit: string;
  value: number;
  method: Imputation['method'];
  /** panel methods: the year(s) the value comes from */
  from?: number[];
}

export interface PipelineRecord {
  /** cells: values divided; unknown: units whose value became missing for want of the attribute */
  denomination?: { indicator: string; by: string; cells: number; unknown: string[] }[];
  /** units dropped for too little data, with the share of leaves they have a value for */
  screening?: { minAvailability: number; kept: number; dropped: { unit: string; availability: number; reason: string }[] };
  imputation?: Imputation & { year?: number; cells: ImputedCell[] };
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
  const m = c.methodology;
  return m.imputation !== undefined || m.screening !== undefined || c.leaves.some((i) => c.nodes[i].denominator !== undefined || c.nodes[i].treatment !== null);
}

/** The same methodology without any pipeline step: what reads raw matrices (panel years, choice variants). */
export function withoutPipeline(c: CompiledMethodology): CompiledMethodology {
  const { imputation: _i, screening: _s, treatment: _t, ...methodology } = c.methodology;
  return { ...c, methodology, nodes: c.nodes.map(({ denominator: _d, ...node }) => ({ ...node, treatment: null })) };
}

const isPanelMethod = (method: Imputation['method']): method is PanelMethod => method === 'latest' || method === 'interpolate';

/** The matrix after the declared steps (a new one), with the record and the imputed cells flagged. */
export function applyPipeline(c: CompiledMethodology, m: ScoreMatrix, panel?: Panel): ScoreMatrix {
  if (!hasPipeline(c)) return m;
  const record: PipelineRecord = {};
  const issues = new IssueList();
  let units = m.units;
  let values: Float64Array = Float64Array.from(m.values);
  let history: Float64Array[] | undefined = panel?.values.map((v) => Float64Array.from(v));
  denominate(c, m, [values, ...(history ?? [])], record, issues);
  issues.throwIfAny('invalid-scores');
  const screening = c.methodology.screening;
  if (screening) {
    const nLeaves = m.leafNodes.length;
    const { kept, dropped } = screenUnits(values, units.length, nLeaves, screening.minAvailability);
    record.screening = {
      minAvailability: screening.minAvailability, kept: kept.length,
      dropped: dropped.map(({ at, availability }) => ({ unit: units[at].code, availability, reason: `values for ${Math.round(availability * nLeaves)} of ${nLeaves} indicators (${percent(availability)}), below the ${percent(screening.minAvailability)} required` })),
    };
    values = keepRows(values, nLeaves, kept);
    history = history?.map((h) => keepRows(h, nLeaves, kept));
    units = kept.map((u) => m.units[u]);
  }
  const screened: ScoreMatrix = { units, leafNodes: m.leafNodes, values };
  const imputed = new Uint8Array(values.length);
  // Stryker disable next-line LogicalOperator: history is defined exactly when panel is
  imputeAndTreat(c, screened, imputed, record, panel && history && { ...panel, values: history });
  return { ...screened, imputed, pipeline: record };
}

/** Divides every declared leaf in each matrix (the computed year's first, then the panel's). */
function denominate(c: CompiledMethodology, m: ScoreMatrix, matrices: Float64Array[], record: PipelineRecord, issues: IssueList): void {
  const nUnits = m.units.length, nLeaves = m.leafNodes.length;
  const codes = m.units.map((u) => u.code);
  const column = new Float64Array(nUnits);
  const seen = new Set<string>();
  m.leafNodes.forEach((nodeIndex, s) => {
    const node = c.nodes[nodeIndex];
    const attribute = node.denominator;
    if (attribute === undefined) return;
    const denominators = m.units.map((u) => u.attributes[attribute]);
    matrices.forEach((values, k) => {
      // Stryker disable next-line EqualityOperator: one step past the end reads and writes outside typed arrays, where reads give undefined and writes do nothing
      for (let u = 0; u < nUnits; u++) column[u] = values[u * nLeaves + s];
      const done = denominateColumn(column, denominators, { indicator: node.code, attribute, units: codes });
      // a panel year's refusal of the same unit and attribute is the same problem: said once
      for (const p of done.issues) if (!seen.has(p.message)) { seen.add(p.message); issues.add(p); }
      // Stryker disable next-line EqualityOperator: one step past the end reads and writes outside typed arrays, where reads give undefined and writes do nothing
      for (let u = 0; u < nUnits; u++) values[u * nLeaves + s] = column[u];
      if (k === 0) (record.denomination ??= []).push({ indicator: node.code, by: attribute, cells: countPresent(column), unknown: done.unknown.map((u) => codes[u]) });
    });
  });
}

function imputeAndTreat(c: CompiledMethodology, m: ScoreMatrix, imputed: Uint8Array, record: PipelineRecord, panel: Panel | undefined): void {
  const nUnits = m.units.length, nLeaves = m.leafNodes.length;
  const { values } = m;
  const codes = m.units.map((u) => u.code);
  const column = new Float64Array(nUnits);
  const imputation = c.methodology.imputation;
  if (imputation) record.imputation = { ...imputation, ...(panel && { year: panel.year }), cells: [] };
  m.leafNodes.forEach((nodeIndex, s) => {
    const node = c.nodes[nodeIndex];
    // Stryker disable next-line EqualityOperator: one step past the end reads and writes outside typed arrays, where reads give undefined and writes do nothing
    for (let u = 0; u < nUnits; u++) column[u] = values[u * nLeaves + s];
    if (imputation) {
      const filled = isPanelMethod(imputation.method)
        ? fillFromPanel(column, panel, s, nLeaves, imputation.method)
        : imputeColumn(column, imputation.method as ImputationMethod, groupsOf(m, imputation.by)).map((u): { u: number; from?: number[] } => ({ u }));
      for (const { u, from } of filled) {
        imputed[u * nLeaves + s] = 1;
        record.imputation!.cells.push({ indicator: node.code, unit: codes[u], value: column[u], method: imputation.method, ...(from && { from }) });
      }
    }
    if (node.treatment) (record.treatment ??= []).push(treatLeaf(node, node.treatment, column, codes));
    // Stryker disable next-line EqualityOperator: one step past the end reads and writes outside typed arrays, where reads give undefined and writes do nothing
    for (let u = 0; u < nUnits; u++) values[u * nLeaves + s] = column[u];
  });
}

function groupsOf(m: ScoreMatrix, by: string | undefined): (string | null)[] | undefined {
  // Stryker disable next-line ConditionalExpression: only the group methods read groups, and compile requires their attribute (by)
  return by === undefined ? undefined : m.units.map((u) => u.attributes[by] ?? null);
}

/** Fills the column's missing cells from the unit's other years; without a panel nothing is filled. */
function fillFromPanel(column: Float64Array, panel: Panel | undefined, s: number, nLeaves: number, method: PanelMethod): { u: number; from: number[] }[] {
  if (!panel) return [];
  const filled: { u: number; from: number[] }[] = [];
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which is not NaN: skipped
  for (let u = 0; u < column.length; u++) {
    if (!Number.isNaN(column[u])) continue;
    const fill = fillFromSeries(seriesOf(panel, u * nLeaves + s), panel.year, method);
    if (!fill) continue;
    column[u] = fill.value;
    filled.push({ u, from: fill.from });
  }
  return filled;
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

/** A share as a percentage to one decimal, for the reasons given in the record. */
const percent = (share: number) => `${Number((share * 100).toFixed(1))} %`;

function countPresent(column: Float64Array): number {
  let n = 0;
  for (const v of column) if (!Number.isNaN(v)) n++;
  return n;
}
